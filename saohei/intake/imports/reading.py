"""Reading an uploaded .xlsx or .csv into rows."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from saohei.intake.imports.columns import COLUMNS, XLSX_MAGIC, ImportFileError


def header_norm(text: Any) -> str:
    """A header as compared: without spaces, underscores, dashes, asterisks and brackets, lower case."""
    return re.sub(r"[\s_\-*（）()]", "", str(text or "")).lower()


HEADER_KEYS: dict[str, str] = {}
for _col in COLUMNS:
    HEADER_KEYS[header_norm(_col.zh)] = _col.key
    HEADER_KEYS[header_norm(_col.en)] = _col.key


def file_kind(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in {".xlsx", ".csv"}:
        raise ImportFileError(_("Only Excel (.xlsx) and CSV (.csv) files can be imported."))
    return suffix[1:]


def _decode_csv(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise ImportFileError(_("The file is not a text CSV file; save it as CSV (UTF-8) or Excel (.xlsx)."))
    # Excel in Chinese saves CSV as GB18030 (GBK): read it rather than refuse the offices' own files.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise ImportFileError(_("The CSV file is neither UTF-8 nor GB18030 text; save it as CSV (UTF-8)."))


def _cell_text(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    return value


def sheet_rows(kind: str, data: bytes) -> Iterator[list[Any]]:
    """The rows of the first sheet (or of the CSV), cells stripped; ImportFileError when unreadable."""
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


def row_blank(row: list[Any]) -> bool:
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
    iterator = sheet_rows(kind, data)
    header_row: list[Any] | None = None
    for row in iterator:
        if not row_blank(row):
            header_row = row
            break
    if header_row is None:
        raise ImportFileError(_("The file is empty."))
    headers: dict[int, str] = {}
    labels: dict[str, str] = {}
    for index, raw in enumerate(header_row):
        key = HEADER_KEYS.get(header_norm(raw))
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
            if not row_blank(row):
                yield number, row

    return Sheet(headers=headers, labels=labels, rows=data_rows())


def file_check(*, name: str, data: bytes) -> None:
    """Refuse at upload what is not a readable spreadsheet with the needed columns and some rows."""
    sheet = sheet_open(name=name, data=data)
    if next(sheet.rows, None) is None:
        raise ImportFileError(_("The file has a header row but no reports."))
