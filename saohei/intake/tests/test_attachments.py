"""Attachments: type from content, images re-encoded without metadata, bombs and malformed files refused."""

from __future__ import annotations

import hashlib
import io
import time
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from PIL import Image

from saohei.clues.services import report_receive
from saohei.intake.attachments import attachment_path, attachment_store, attachments_check
from saohei.intake.crypto import unseal
from saohei.intake.models import Attachment
from saohei.portal.tests import files

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Refusals are compared in English, whatever the translations say."""
    with translation.override("en"):
        yield


@pytest.fixture
def report(org: Any) -> Any:
    report, _clue, _code = report_receive(
        office=org.offices["jianghan"], jurisdiction=org.places["jianghan"], channel="portal",
        subject="测试", content="测试内容", actor=None, check_permission=False,
    )
    return report


def test_a_jpeg_with_gps_is_stored_without_any_metadata(report: Any) -> None:
    original = files.jpeg_with_gps()
    attachment = attachment_store(report=report, upload=files.upload("我的照片 2024.jpg", original))
    stored = attachment_path(attachment).read_bytes()
    assert attachment.kind == "image" and attachment.content_type == "image/jpeg" and attachment.metadata_removed
    assert attachment.sha256 == hashlib.sha256(stored).hexdigest() and attachment.size == len(stored)
    with Image.open(io.BytesIO(stored)) as im:
        assert im.size == (64, 48)
        assert not im.getexif()
        assert "exif" not in im.info and "icc_profile" not in im.info and "comment" not in im.info
    assert b"SpyCam" not in stored and b"secret comment" not in stored
    # Never the original name: a random one on disk, the original sealed.
    assert "照片" not in attachment.storage_name and "2024" not in attachment.storage_name
    assert "照片" not in attachment.original_name_sealed
    assert unseal(attachment.original_name_sealed, context=f"attachment:{report.pk}:name") == "我的照片 2024.jpg"


def test_type_comes_from_the_content_not_the_name_or_the_client(report: Any) -> None:
    png = attachment_store(report=report, upload=files.upload("photo.pdf", files.png_bytes(), "application/pdf"))
    assert png.content_type == "image/png" and png.kind == "image"
    pdf = attachment_store(report=report, upload=files.upload("a.jpg", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"))
    assert pdf.content_type == "application/pdf" and pdf.kind == "document"
    text = attachment_store(report=report, upload=files.upload("notes.jpg", "万某的账本在仓库。".encode()))
    assert text.content_type.startswith("text/plain")


def test_a_gif_keeps_its_first_frame_as_png(report: Any) -> None:
    frames = [Image.new("P", (10, 10), i) for i in (1, 2)]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:])
    attachment = attachment_store(report=report, upload=files.upload("a.gif", out.getvalue()))
    with Image.open(attachment_path(attachment)) as im:
        assert im.format == "PNG" and getattr(im, "n_frames", 1) == 1


@pytest.mark.parametrize(("data", "needle"), [
    (files.ELF, "not accepted"),
    (files.PE, "not accepted"),
    (files.HTML, "scripts are not accepted"),
    (files.SCRIPT, "scripts are not accepted"),
    (files.jpeg_with_gps()[:300], "damaged"),
    (b"\xff\xd8\xff\xe0" + b"\x00" * 100, "damaged"),
    (files.png_bomb(), "too many pixels"),
    (files.zip_of({"inner.zip": files.zip_of({"a.txt": b"a"})}), "inside archives"),
    (files.zip_of({"x.dat": files.zip_of({"a.txt": b"a"})}), "inside archives"),
    (b"PK\x03\x04" + b"\x00" * 60, "damaged"),
    (b"", "empty"),
], ids=["elf", "pe", "html", "script", "truncated-jpeg", "jpeg-header-only", "png-bomb", "nested-zip",
        "nested-zip-renamed", "bad-zip", "empty"])
def test_bad_files_are_refused_with_a_clear_message_and_nothing_is_stored(
        report: Any, settings: Any, data: bytes, needle: str) -> None:
    with pytest.raises(ValidationError) as refused:
        attachment_store(report=report, upload=files.upload("holiday.jpg", data))
    assert needle in " ".join(refused.value.messages)
    assert "holiday.jpg" in " ".join(refused.value.messages)
    assert not Attachment.objects.exists()
    incoming = settings.MEDIA_ROOT / "attachments" / "incoming"
    assert not incoming.exists() or not list(incoming.iterdir())


def test_a_zip_bomb_is_refused_quickly(report: Any) -> None:
    bomb = files.zip_bomb(200)
    assert len(bomb) < 2 * 1024 * 1024
    started = time.monotonic()
    with pytest.raises(ValidationError) as refused:
        attachment_store(report=report, upload=files.upload("evidence.zip", bomb, "application/zip"))
    assert "archive bomb" in " ".join(refused.value.messages)
    assert time.monotonic() - started < 2
    assert not Attachment.objects.exists()


def test_an_ordinary_zip_is_accepted(report: Any) -> None:
    attachment = attachment_store(report=report, upload=files.upload(
        "evidence.zip", files.zip_of({"账本.txt": "三月：收保护费两万".encode(), "photo.jpg": files.png_bytes()}),
        "application/zip"))
    assert attachment.content_type == "application/zip" and attachment.kind == "document"


def test_limits_on_size_and_count(report: Any, settings: Any) -> None:
    settings.SAOHEI_PORTAL_MAX_FILE_BYTES = 1000
    with pytest.raises(ValidationError, match="larger than"):
        attachment_store(report=report, upload=files.upload("big.txt", b"a" * 1001))
    settings.SAOHEI_PORTAL_MAX_FILE_BYTES = 20 * 1024 * 1024
    settings.SAOHEI_PORTAL_MAX_FILES = 2
    with pytest.raises(ValidationError, match="at most 2 files"):
        attachments_check([files.upload(f"{i}.txt", b"abc") for i in range(3)])
    settings.SAOHEI_PORTAL_MAX_TOTAL_BYTES = 5
    with pytest.raises(ValidationError, match="together"):
        attachments_check([files.upload(f"{i}.txt", b"abc") for i in range(2)])
