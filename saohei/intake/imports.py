"""Bulk import of reports from Excel (.xlsx) or CSV: checked whole, then written whole or not at all.

Phase 1 reads every row and collects every error (row, column, message) in the uploader's
language while advancing `ImportBatch.processed_rows`; phase 2 writes all rows in one
transaction through `report_receive`. A file with any error writes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from saohei.audit.services import audit_record
from saohei.clues.services import report_receive
from saohei.clues.services.receiving import may_record_reports
from saohei.intake.choices import Channel, ImportState
from saohei.intake.models import ImportBatch
from saohei.intake.services import reporter_create
from saohei.orgs.models import Jurisdiction, Office


class ImportFileError(Exception):
    """The file as a whole cannot be read: wrong type, corrupt, empty, missing columns, too big."""


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    required: bool
    max_length: int = 0


COLUMNS = [
    Column("channel", "渠道", "channel", True),
    Column("received_at", "接收时间", "received_at", True),
    Column("jurisdiction", "行政区划代码", "jurisdiction", False),
    Column("subject", "标题", "subject", True, 200),
    Column("content", "内容", "content", True),
    Column("place", "地点", "place", False, 200),
    Column("source_reference", "来源编号", "source_reference", False, 80),
    Column("reporter_name", "举报人姓名", "reporter_name", False, 80),
    Column("reporter_contact", "联系方式", "reporter_contact", False, 120),
    Column("reporter_id_number", "身份证号", "reporter_id_number", False, 18),
]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}

# Chinese names a spreadsheet may use for a channel, besides the code and the interface labels.
CHANNEL_ALIASES: dict[str, str] = {
    "门户网站": Channel.PORTAL,
    "网上举报": Channel.PORTAL,
    "网络举报": Channel.PORTAL,
    "12337": Channel.HOTLINE,
    "12337热线": Channel.HOTLINE,
    "热线": Channel.HOTLINE,
    "举报电话": Channel.HOTLINE,
    "电话": Channel.HOTLINE,
    "12337举报热线": Channel.HOTLINE,
    "来信": Channel.LETTER,
    "信件": Channel.LETTER,
    "信函": Channel.LETTER,
    "来访": Channel.VISIT,
    "走访": Channel.VISIT,
    "当面举报": Channel.VISIT,
    "电子邮件": Channel.EMAIL,
    "邮件": Channel.EMAIL,
    "email": Channel.EMAIL,
    "e-mail": Channel.EMAIL,
    "微信": Channel.WECHAT,
    "110": Channel.INCIDENT_110,
    "110警情": Channel.INCIDENT_110,
    "警情": Channel.INCIDENT_110,
    "上级交办": Channel.HIGHER_REFERRAL,
    "交办": Channel.HIGHER_REFERRAL,
    "移送": Channel.UNIT_TRANSFER,
    "部门移送": Channel.UNIT_TRANSFER,
    "单位移送": Channel.UNIT_TRANSFER,
    "排摸": Channel.SCREENING,
    "摸排": Channel.SCREENING,
    "排查": Channel.SCREENING,
    "案件深挖": Channel.CASE_SPINOFF,
    "深挖": Channel.CASE_SPINOFF,
}
# The Chinese name the template lists for each channel.
CHANNEL_ZH: dict[str, str] = {
    Channel.PORTAL: "网上举报",
    Channel.HOTLINE: "12337举报热线",
    Channel.LETTER: "来信",
    Channel.VISIT: "来访",
    Channel.EMAIL: "电子邮件",
    Channel.WECHAT: "微信",
    Channel.INCIDENT_110: "110警情",
    Channel.HIGHER_REFERRAL: "上级交办",
    Channel.UNIT_TRANSFER: "部门移送",
    Channel.SCREENING: "排摸",
    Channel.CASE_SPINOFF: "案件深挖",
}
IMPORTABLE_CHANNELS = {c.value for c in Channel if c != Channel.PORTAL}
ID_NUMBER_RE = re.compile(r"^(\d{15}|\d{17}[\dX])$")
DATE_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%Y%m%d",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日%H:%M",
    "%Y年%m月%d日 %H时%M分",
    "%Y年%m月%d日",
]
MAX_STORED_ERRORS = 2000
XLSX_MAGIC = b"PK\x03\x04"


# ---------------------------------------------------------------- reading the file


def _norm_header(text: Any) -> str:
    return re.sub(r"[\s_\-*（）()]", "", str(text or "")).lower()


HEADER_KEYS: dict[str, str] = {}
for _col in COLUMNS:
    HEADER_KEYS[_norm_header(_col.zh)] = _col.key
    HEADER_KEYS[_norm_header(_col.en)] = _col.key


def file_kind(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in {".xlsx", ".csv"}:
        raise ImportFileError(_("Only Excel (.xlsx) and CSV (.csv) files can be imported."))
    return suffix[1:]


def _decode_csv(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise ImportFileError(_("The file is not a text CSV file; save it as CSV (UTF-8) or Excel (.xlsx)."))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("The CSV file is neither UTF-8 nor GB18030 text; save it as CSV (UTF-8)."))


def _cell_text(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    return value


def _rows(kind: str, data: bytes) -> Iterator[list[Any]]:
    if kind == "csv":
        reader = csv.reader(io.StringIO(_decode_csv(data), newline=""))
        try:
            for row in reader:
                yield [_cell_text(v) for v in row]
        except csv.Error as exc:
            raise ImportFileError(_("The CSV file is damaged: %(error)s") % {"error": exc}) from exc
        return
    if not data.startswith(XLSX_MAGIC):
        raise ImportFileError(_("The file is not a valid Excel (.xlsx) workbook."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_cell_text(v) for v in values]
        workbook.close()
    except ImportFileError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError, TypeError) as exc:
        raise ImportFileError(
            _("The Excel file is damaged or not a workbook; open it in Excel and save it again.")
        ) from exc


def _blank(row: list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v) for v in row)


@dataclass
class Sheet:
    headers: dict[int, str]  # column index → column key
    labels: dict[str, str]  # column key → header as written in the file
    rows: Iterator[tuple[int, list[Any]]]


def sheet_open(*, name: str, data: bytes) -> Sheet:
    """The header mapping and an iterator of (row number, values) of the data rows."""
    kind = file_kind(name)
    if not data:
        raise ImportFileError(_("The file is empty."))
    iterator = _rows(kind, data)
    header_row: list[Any] | None = None
    for row in iterator:
        if not _blank(row):
            header_row = row
            break
    if header_row is None:
        raise ImportFileError(_("The file is empty."))
    headers: dict[int, str] = {}
    labels: dict[str, str] = {}
    for index, raw in enumerate(header_row):
        key = HEADER_KEYS.get(_norm_header(raw))
        if key is None:
            continue
        if key in labels:
            raise ImportFileError(_("The column %(column)s appears twice.") % {"column": raw})
        headers[index] = key
        labels[key] = str(raw)
    missing = [c for c in COLUMNS if c.required and c.key not in labels]
    if missing:
        names = "、".join(f"{c.zh} ({c.en})" for c in missing)
        raise ImportFileError(
            _("Columns are missing: %(columns)s. Use the template's header row.") % {"columns": names}
        )

    def data_rows() -> Iterator[tuple[int, list[Any]]]:
        number = 1
        for row in iterator:
            number += 1
            if not _blank(row):
                yield number, row

    return Sheet(headers=headers, labels=labels, rows=data_rows())


def file_check(*, name: str, data: bytes) -> None:
    """Refuse at upload what is not a readable spreadsheet with the needed columns and some rows."""
    sheet = sheet_open(name=name, data=data)
    if next(sheet.rows, None) is None:
        raise ImportFileError(_("The file has a header row but no reports."))


# ---------------------------------------------------------------- checking rows


@dataclass
class RowData:
    number: int
    channel: str
    received_at: dt.datetime
    jurisdiction: Jurisdiction
    subject: str
    content: str
    place: str
    source_reference: str
    reporter_name: str
    reporter_contact: str
    reporter_id_number: str


def channel_lookup() -> dict[str, str]:
    table = {k.lower(): v for k, v in CHANNEL_ALIASES.items()}
    table.update({k.lower(): v for v, k in CHANNEL_ZH.items()})
    for value, label in Channel.choices:
        table[value.lower()] = value
        for lang in ("en", "zh-hans", "zh-hant"):
            with translation.override(lang):
                table[str(label).strip().lower()] = value
    return table


def _parse_text_datetime(text: str) -> dt.datetime | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def _parse_datetime(value: Any) -> dt.datetime | None:
    parsed: dt.datetime | None
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime.combine(value, dt.time.min)
    else:
        parsed = _parse_text_datetime(str(value).strip())
    if parsed is None:
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


class RowChecker:
    def __init__(self, *, office: Office, labels: dict[str, str], language: str) -> None:
        self.office = office
        self.labels = labels
        self.chinese = language.lower().startswith("zh")
        self.channels = channel_lookup()
        self.places: dict[str, Jurisdiction | None] = {}
        self.now = timezone.now()

    def column_label(self, key: str) -> str:
        column = COLUMN_BY_KEY[key]
        return column.zh if self.chinese else column.en

    def check(self, number: int, values: dict[str, Any], errors: list[dict[str, Any]]) -> RowData | None:
        before = len(errors)

        def error(key: str, message: str) -> None:
            errors.append({"row": number, "column": self.column_label(key), "message": message})

        def text(key: str) -> str:
            value = values.get(key)
            if value is None:
                return ""
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            out = str(value).strip()
            limit = COLUMN_BY_KEY[key].max_length
            if limit and len(out) > limit:
                error(key, _("Longer than %(limit)s characters.") % {"limit": limit})
            return out

        raw_channel = text("channel")
        channel = self.channels.get(raw_channel.lower(), "")
        if not raw_channel:
            error("channel", _("The channel is missing."))
        elif not channel:
            error("channel", _("Unknown channel: %(channel)s") % {"channel": raw_channel})
        elif channel not in IMPORTABLE_CHANNELS:
            error(
                "channel",
                _("Reports of the online portal arrive through the portal; they cannot be imported."),
            )

        received_at = None
        raw_date = values.get("received_at")
        if raw_date is None or (isinstance(raw_date, str) and not raw_date):
            error("received_at", _("The time of receipt is missing."))
        else:
            received_at = _parse_datetime(raw_date)
            if received_at is None:
                error(
                    "received_at",
                    _("Not a date: %(value)s (write it as 2024-03-01 14:30).") % {"value": raw_date},
                )
            elif received_at > self.now + dt.timedelta(minutes=5):
                error("received_at", _("A report cannot be received in the future."))

        jurisdiction = self._jurisdiction(text("jurisdiction"), error)
        subject = text("subject")
        if not subject:
            error("subject", _("The subject is missing."))
        content = text("content")
        if not content:
            error("content", _("The content is missing."))
        place = text("place")
        source_reference = text("source_reference")
        name = text("reporter_name")
        contact = text("reporter_contact")
        id_number = text("reporter_id_number").upper()
        if id_number and not ID_NUMBER_RE.match(id_number):
            error("reporter_id_number", _("An ID number has 15 or 18 characters: digits, the last may be X."))
        if len(errors) > before or received_at is None or jurisdiction is None:
            return None
        return RowData(
            number=number,
            channel=channel,
            received_at=received_at,
            jurisdiction=jurisdiction,
            subject=subject,
            content=content,
            place=place,
            source_reference=source_reference,
            reporter_name=name,
            reporter_contact=contact,
            reporter_id_number=id_number,
        )

    def _jurisdiction(self, code: str, error: Any) -> Jurisdiction | None:
        if not code:
            return self.office.jurisdiction
        if code not in self.places:
            self.places[code] = Jurisdiction.objects.filter(code=code).first()
        node = self.places[code]
        if node is None:
            error("jurisdiction", _("No jurisdiction has the code %(code)s.") % {"code": code})
            return None
        if not node.is_within(self.office.jurisdiction):
            error(
                "jurisdiction",
                _("%(name)s lies outside the jurisdiction of %(office)s.")
                % {"name": node.name, "office": self.office.name},
            )
            return None
        return node


# ---------------------------------------------------------------- the batch


def import_batch_create(
    *, office: Office, actor: User, filename: str, data: bytes, language: str
) -> ImportBatch:
    """Store the uploaded file under MEDIA_ROOT/imports and queue its batch."""
    if not may_record_reports(actor, office):
        raise PermissionDenied(_("You may not record reports for %(office)s.") % {"office": office.name})
    kind = file_kind(filename)
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"imports/{timezone.localdate():%Y%m%d}-{uuid.uuid4().hex}.{kind}"
    (Path(settings.MEDIA_ROOT) / stored).write_bytes(data)
    with transaction.atomic():
        batch: ImportBatch = ImportBatch.objects.create(
            office=office,
            uploaded_by=actor,
            filename=Path(filename).name[:200],
            file_path=stored,
            language=language or settings.LANGUAGE_CODE,
        )
        audit_record(
            actor=actor,
            action="import.upload",
            object_type="import_batch",
            object_id=batch.pk,
            after={"office": office.pk, "filename": batch.filename, "bytes": len(data)},
        )
    return batch


def _fail(batch: ImportBatch, errors: list[dict[str, Any]]) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(
        state=ImportState.FAILED, errors=errors[:MAX_STORED_ERRORS], finished_at=timezone.now()
    )
    audit_record(
        actor=batch.uploaded_by,
        action="import.refuse",
        object_type="import_batch",
        object_id=batch.pk,
        after={"errors": len(errors)},
    )


def _file_error(message: str) -> list[dict[str, Any]]:
    return [{"row": None, "column": "", "message": message}]


def import_batch_run(*, batch_id: int) -> ImportBatch:
    """Check every row, then write every row in one transaction, or nothing."""
    claimed = ImportBatch.objects.filter(pk=batch_id, state=ImportState.QUEUED).update(
        state=ImportState.CHECKING
    )
    batch: ImportBatch = ImportBatch.objects.select_related("office__jurisdiction", "uploaded_by").get(
        pk=batch_id
    )
    if not claimed:
        return batch
    with translation.override(batch.language):
        try:
            _run(batch)
        except Exception:
            _fail(
                batch, _file_error(_("The import stopped because of an internal error; nothing was saved."))
            )
            raise
    batch.refresh_from_db()
    return batch


def _run(batch: ImportBatch) -> None:
    office = batch.office
    if not may_record_reports(batch.uploaded_by, office):
        _fail(batch, _file_error(_("You may not record reports for %(office)s.") % {"office": office.name}))
        return
    try:
        data = (Path(settings.MEDIA_ROOT) / batch.file_path).read_bytes()
        if len(data) > settings.SAOHEI_IMPORT_MAX_BYTES:
            raise ImportFileError(_("The file is too large."))
        sheet = sheet_open(name=batch.file_path, data=data)
        rows = list(sheet.rows)
    except FileNotFoundError:
        _fail(batch, _file_error(_("The uploaded file is no longer there; upload it again.")))
        return
    except ImportFileError as exc:
        _fail(batch, _file_error(str(exc)))
        return
    limit = settings.SAOHEI_IMPORT_MAX_ROWS
    if not rows:
        _fail(batch, _file_error(_("The file has a header row but no reports.")))
        return
    if len(rows) > limit:
        _fail(
            batch,
            _file_error(
                _("The file has %(rows)s rows; at most %(limit)s can be imported at once.")
                % {"rows": len(rows), "limit": limit}
            ),
        )
        return
    total = len(rows)
    ImportBatch.objects.filter(pk=batch.pk).update(total_rows=total, processed_rows=0)
    checker = RowChecker(office=office, labels=sheet.labels, language=batch.language)
    errors: list[dict[str, Any]] = []
    checked: list[RowData] = []
    step = max(1, total // 50)
    for index, (number, values) in enumerate(rows, start=1):
        mapped = {key: values[i] if i < len(values) else None for i, key in sheet.headers.items()}
        row = checker.check(number, mapped, errors)
        if row is not None:
            checked.append(row)
        if index % step == 0 or index == total:
            ImportBatch.objects.filter(pk=batch.pk).update(processed_rows=index)
    if errors:
        _fail(batch, errors)
        return
    ImportBatch.objects.filter(pk=batch.pk).update(state=ImportState.WRITING)
    try:
        with transaction.atomic():
            for row in checked:
                reporter = None
                if row.reporter_name or row.reporter_contact or row.reporter_id_number:
                    reporter = reporter_create(
                        name=row.reporter_name, contact=row.reporter_contact, id_number=row.reporter_id_number
                    )
                report_receive(
                    office=office,
                    jurisdiction=row.jurisdiction,
                    channel=row.channel,
                    subject=row.subject,
                    content=row.content,
                    actor=batch.uploaded_by,
                    received_at=row.received_at,
                    reporter=reporter,
                    location_text=row.place,
                    source_reference=row.source_reference,
                    idempotency_key=f"import:{batch.pk}:{row.number}",
                    import_batch_id=batch.pk,
                    check_permission=False,
                )
            ImportBatch.objects.filter(pk=batch.pk).update(
                state=ImportState.DONE,
                created_reports=len(checked),
                processed_rows=total,
                finished_at=timezone.now(),
            )
            audit_record(
                actor=batch.uploaded_by,
                action="import.done",
                object_type="import_batch",
                object_id=batch.pk,
                after={"reports": len(checked)},
            )
    except (ValidationError, PermissionDenied) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        _fail(batch, _file_error(" ".join(messages) + " " + _("Nothing was saved.")))


# ---------------------------------------------------------------- the template


def import_template_xlsx(*, jurisdiction_code: str = "420103") -> bytes:
    """An .xlsx with the header row, one example row, and a sheet listing the channels."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "举报"
    ws.append([c.zh for c in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.append(
        [
            "hotline",
            timezone.localtime().strftime("%Y-%m-%d %H:%M"),
            jurisdiction_code,
            "某KTV老板纠集人员强迫交易",
            "举报人称：某KTV老板长期纠集社会闲散人员，强迫周边商户购买其酒水，不从者遭殴打。",
            "某街道某路口",
            "",
            "",
            "",
            "",
        ]
    )
    for letter, width in zip("ABCDEFGHIJ", (14, 18, 14, 30, 60, 20, 16, 12, 16, 20), strict=True):
        ws.column_dimensions[letter].width = width
    codes = wb.create_sheet("渠道 channels")
    codes.append(["code", "English", "中文"])
    for value, label in Channel.choices:
        if value in IMPORTABLE_CHANNELS:
            with translation.override("en"):
                english = str(label)
            codes.append([value, english, CHANNEL_ZH.get(value, "")])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
