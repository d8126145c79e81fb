"""Files sent with reports: the type is sniffed from the content, images are re-encoded without any
metadata, audio and video have theirs removed in place (`media_metadata`), archives and office
documents are checked for bombs, and the file is stored under a random name. The original file name
is sealed like the reporter's identity.

Two steps, so that a submission can be checked whole before anything is stored:
`attachment_check(upload)` reads and sanitises one upload into a temporary file (raising a
translated ValidationError when refused); `attachment_save(report=, checked=)` moves it into place
and writes the Attachment row. `attachment_store` does both.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import tempfile
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import filetype
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from saohei.audit.services import audit_record
from saohei.intake.choices import AttachmentKind
from saohei.intake.crypto import seal
from saohei.intake.media_metadata import MediaRefused, media_strip
from saohei.intake.models import Attachment, PortalMessage, Report

# Images beyond this many pixels are refused (decompression bombs): 40 megapixels.
MAX_IMAGE_PIXELS = 40_000_000
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS

ARCHIVE_MAX_UNCOMPRESSED = 100 * 1024 * 1024
ARCHIVE_MAX_RATIO = 100
ARCHIVE_MAX_MEMBERS = 1000
SNIFF_BYTES = 8192
CHUNK = 1024 * 1024

IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}
AUDIO_TYPES = {"audio/mpeg", "audio/mp4", "audio/x-wav", "audio/ogg", "audio/amr"}
VIDEO_TYPES = {"video/mp4", "video/quicktime", "video/webm"}
OFFICE_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.text",
}
ZIP_TYPE = "application/zip"
PDF_TYPE = "application/pdf"
TEXT_TYPE = "text/plain; charset=utf-8"
EXTENSIONS = {
    "image/jpeg": "jpg", "image/png": "png", "audio/mpeg": "mp3", "audio/mp4": "m4a", "audio/x-wav": "wav",
    "audio/ogg": "ogg", "audio/amr": "amr", "video/mp4": "mp4", "video/quicktime": "mov", "video/webm": "webm",
    PDF_TYPE: "pdf", ZIP_TYPE: "zip", TEXT_TYPE: "txt",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.oasis.opendocument.text": "odt",
}
ARCHIVE_NAME = re.compile(r"\.(zip|rar|7z|gz|tgz|bz2|xz|tar|zst|lz|lzma|cab|jar|apk)$", re.IGNORECASE)
ARCHIVE_MIMES = {
    "application/zip", "application/x-rar-compressed", "application/x-7z-compressed", "application/gzip",
    "application/x-bzip2", "application/x-xz", "application/x-tar", "application/zstd", "application/x-lzip",
    "application/vnd.ms-cab-compressed", "application/x-compress", "application/x-lz4",
}
# Text that a browser or a shell would run: refused even though it is "only text".
ACTIVE_TEXT = re.compile(
    rb"^\s*(#!|<\?php|<!doctype|<html|<script|<svg|<\?xml)|<script|javascript:|<iframe|onerror\s*=|onload\s*=",
    re.IGNORECASE,
)


def max_file_bytes() -> int:
    return int(getattr(settings, "SAOHEI_PORTAL_MAX_FILE_BYTES", 20 * 1024 * 1024))


def max_total_bytes() -> int:
    return int(getattr(settings, "SAOHEI_PORTAL_MAX_TOTAL_BYTES", 50 * 1024 * 1024))


def max_files() -> int:
    return int(getattr(settings, "SAOHEI_PORTAL_MAX_FILES", 5))


def attachments_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "attachments"


def attachment_path(attachment: Attachment) -> Path:
    return attachments_dir() / attachment.storage_name


@dataclass
class CheckedFile:
    """One upload, checked and sanitised, waiting in a temporary file to be saved."""

    kind: str
    content_type: str
    size: int
    sha256: str
    temp_path: Path
    original_name: str
    metadata_removed: bool
    saved: bool = field(default=False)
    stored_path: Path | None = field(default=None)

    def discard(self) -> None:
        """Remove the temporary file of a refused submission (nothing was stored)."""
        if not self.saved:
            self.temp_path.unlink(missing_ok=True)


def _refuse(message: str, name: str) -> ValidationError:
    return ValidationError(_("“%(name)s”: %(problem)s") % {"name": name[:80], "problem": message})


def _temp_file() -> tuple[IO[bytes], Path]:
    folder = attachments_dir() / "incoming"
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=folder, prefix="in-")
    return os.fdopen(fd, "wb"), Path(name)


def _write_durably(out: IO[bytes], chunks: Any) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
        out.write(chunk)
    out.flush()
    os.fsync(out.fileno())
    out.close()
    return size, digest.hexdigest()


def _file_digest(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _read_all(upload: UploadedFile[Any], limit: int, name: str) -> bytes:
    upload.seek(0)
    data: bytes = upload.read(limit + 1)
    if len(data) > limit:
        raise _refuse(_("the file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}, name)
    return data


def _sniff(head: bytes) -> str:
    kind = filetype.guess(head)
    if kind is not None:
        return str(kind.mime)
    return ""


def _looks_like_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f")
    return controls == 0


def _sanitise_image(data: bytes, mime: str, name: str) -> tuple[bytes, str]:
    """Re-encode from pixels only: nothing of the original file (EXIF, GPS, XMP, ICC, comments) survives."""
    bad = _refuse(_("this image is damaged or cannot be read."), name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as opened:
                width, height = opened.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise _refuse(_("the image is too large (too many pixels)."), name)
                opened.seek(0)  # a GIF's first frame
                opened.load()
                im: Image.Image = ImageOps.exif_transpose(opened) or opened  # keep the camera's orientation
                keep_jpeg = mime == "image/jpeg"
                if keep_jpeg:
                    mode = "L" if im.mode in ("L", "1") else "RGB"
                else:
                    mode = "RGBA" if im.mode in ("RGBA", "LA", "P", "PA") or "transparency" in im.info else "RGB"
                im = im.convert(mode)
                clean = Image.frombytes(mode, im.size, im.tobytes())
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(_("the image is too large (too many pixels)."), name) from None
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError) as exc:
        raise bad from exc
    out = io.BytesIO()
    if keep_jpeg:
        clean.save(out, format="JPEG", quality=90, optimize=True)
        return out.getvalue(), "image/jpeg"
    clean.save(out, format="PNG", optimize=False)
    return out.getvalue(), "image/png"


def _check_zip(data: bytes, name: str, *, nested_allowed: bool) -> None:
    bomb = _refuse(_("the archive expands too much (archive bomb) and is refused."), name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = zf.infolist()
            if len(members) > ARCHIVE_MAX_MEMBERS:
                raise _refuse(_("the archive holds too many files (at most %(n)s).")
                              % {"n": ARCHIVE_MAX_MEMBERS}, name)
            total = 0
            for info in members:
                total += info.file_size
                if total > ARCHIVE_MAX_UNCOMPRESSED:
                    raise bomb
                if info.file_size > ARCHIVE_MAX_RATIO * max(info.compress_size, 1) and info.file_size > 1024 * 1024:
                    raise bomb
                if nested_allowed or info.is_dir():
                    continue
                if ARCHIVE_NAME.search(info.filename):
                    raise _refuse(_("archives inside archives are not accepted."), name)
                with zf.open(info) as member:
                    head = member.read(262)
                if _sniff(head) in ARCHIVE_MIMES:
                    raise _refuse(_("archives inside archives are not accepted."), name)
    except ValidationError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError,
            RuntimeError) as exc:
        raise _refuse(_("the archive is damaged or cannot be read."), name) from exc


def attachment_check(upload: UploadedFile[Any]) -> CheckedFile:
    """Read, sniff and sanitise one upload; raise a translated ValidationError when it is refused."""
    name = os.path.basename(upload.name or "") or _("file")
    limit = max_file_bytes()
    if upload.size is not None and upload.size > limit:
        raise _refuse(_("the file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}, name)
    if not upload.size:
        raise _refuse(_("the file is empty."), name)
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    mime = _sniff(head)
    metadata_removed = False
    if mime in IMAGE_TYPES:
        data, mime = _sanitise_image(_read_all(upload, limit, name), mime, name)
        kind, metadata_removed, chunks = AttachmentKind.IMAGE, True, [data]
    elif mime in AUDIO_TYPES or mime in VIDEO_TYPES:
        kind = AttachmentKind.AUDIO if mime in AUDIO_TYPES else AttachmentKind.VIDEO
        metadata_removed, chunks = True, None  # once written: see media_strip below
    elif mime == PDF_TYPE:
        if not head.startswith(b"%PDF-"):
            raise _refuse(_("this PDF is damaged or cannot be read."), name)
        kind, chunks = AttachmentKind.DOCUMENT, None
    elif mime == ZIP_TYPE or mime in OFFICE_TYPES:
        data = _read_all(upload, limit, name)
        _check_zip(data, name, nested_allowed=mime in OFFICE_TYPES)
        kind, chunks = AttachmentKind.DOCUMENT, [data]
    elif not mime:
        data = _read_all(upload, limit, name)
        if not _looks_like_text(data):
            raise _refuse(_("this kind of file is not accepted. Send photos, audio, video, PDF, Word, "
                            "Excel, plain text or ZIP files."), name)
        if ACTIVE_TEXT.search(data[:65536]):
            raise _refuse(_("web pages and scripts are not accepted; send plain text."), name)
        kind, mime, chunks = AttachmentKind.DOCUMENT, TEXT_TYPE, [data]
    else:
        raise _refuse(_("this kind of file is not accepted. Send photos, audio, video, PDF, Word, "
                        "Excel, plain text or ZIP files."), name)
    out, temp_path = _temp_file()
    try:
        if chunks is None:
            upload.seek(0)
            size, digest = _write_durably(out, upload.chunks(CHUNK))
        else:
            size, digest = _write_durably(out, chunks)
    except BaseException:
        out.close()
        temp_path.unlink(missing_ok=True)
        raise
    if size > limit:
        temp_path.unlink(missing_ok=True)
        raise _refuse(_("the file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}, name)
    if kind in (AttachmentKind.AUDIO, AttachmentKind.VIDEO):
        try:
            media_strip(temp_path, mime)  # in place, on the temporary file: tens of MB are never read whole
        except MediaRefused as exc:
            temp_path.unlink(missing_ok=True)
            raise _refuse(str(exc), name) from None
        except BaseException:
            temp_path.unlink(missing_ok=True)
            raise
        size, digest = _file_digest(temp_path)
    return CheckedFile(kind=str(kind), content_type=mime, size=size, sha256=digest, temp_path=temp_path,
                       original_name=name[:255], metadata_removed=metadata_removed)


def attachments_check(uploads: list[UploadedFile[Any]]) -> list[CheckedFile]:
    """Check a whole submission's files; on any refusal nothing is kept and every problem is reported."""
    if len(uploads) > max_files():
        raise ValidationError(_("Send at most %(n)s files.") % {"n": max_files()})
    total = sum(u.size or 0 for u in uploads)
    if total > max_total_bytes():
        raise ValidationError(_("The files together are larger than %(mb)s MB.")
                              % {"mb": max_total_bytes() // (1024 * 1024)})
    checked: list[CheckedFile] = []
    errors: list[str] = []
    for upload in uploads:
        try:
            checked.append(attachment_check(upload))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        for c in checked:
            c.discard()
        raise ValidationError(errors)
    return checked


def attachment_place(checked: CheckedFile) -> str:
    """Move a checked file into storage under a random name; returns the name."""
    storage_name = f"{secrets.token_hex(16)}.{EXTENSIONS.get(checked.content_type, 'bin')}"
    target = attachments_dir() / storage_name
    os.replace(checked.temp_path, target)
    checked.saved = True
    checked.stored_path = target
    return storage_name


def attachment_record(*, report: Report, storage_name: str, kind: str, content_type: str, size: int, sha256: str,
                      original_name: str, metadata_removed: bool, message: PortalMessage | None = None) -> Attachment:
    """Record a file already in storage (placed by attachment_place) as an attachment of the report."""
    attachment = Attachment.objects.create(
        report=report, message=message, kind=kind, content_type=content_type, size=size,
        sha256=sha256, storage_name=storage_name, metadata_removed=metadata_removed,
        original_name_sealed="",
    )
    attachment.original_name_sealed = seal(original_name, context=f"attachment:{report.pk}:name")
    attachment.save(update_fields=["original_name_sealed"])
    audit_record(actor=None, action="attachment.store", object_type="attachment", object_id=attachment.pk,
                 after={"report": report.pk, "kind": kind, "content_type": content_type,
                        "size": size, "sha256": sha256, "message": message.pk if message else None})
    return attachment


def attachment_save(*, report: Report, checked: CheckedFile, message: PortalMessage | None = None) -> Attachment:
    """Move a checked file into place under a random name and record it. Call inside the transaction
    that stores the report or message, so a crash leaves at most an unreferenced file, never a row
    without its file."""
    storage_name = attachment_place(checked)
    return attachment_record(report=report, storage_name=storage_name, kind=checked.kind,
                             content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
                             original_name=checked.original_name, metadata_removed=checked.metadata_removed,
                             message=message)


def attachment_store(*, report: Report, upload: UploadedFile[Any],
                     message: PortalMessage | None = None) -> Attachment:
    """Check, sanitise and store one upload for a report (and, optionally, one of its messages)."""
    checked = attachment_check(upload)
    try:
        return attachment_save(report=report, checked=checked, message=message)
    finally:
        checked.discard()


def attachment_open(*, attachment: Attachment, actor: AbstractBaseUser | AnonymousUser) -> IO[bytes]:
    """Open a stored file for a staff member (who may see the clue: the caller checks); audited."""
    handle = attachment_path(attachment).open("rb")
    audit_record(actor=actor, action="attachment.download", object_type="attachment", object_id=attachment.pk,
                 after={"report": attachment.report_id})
    return handle
