"""Reading an uploaded .xlsx or .csv register into rows keyed by column."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from saohei.cases.imports.columns import COLUMNS, XLSX_MAGIC, Column, ImportFileError


def _norm_header(text: Any) -> str:
    return re.sub(r"[\s_\-*（）()]", "", str(text or "")).lower()


def header_keys(columns: list[Column]) -> dict[str, str]:
    keys: dict[str, str] = {}
    for column in columns:
        keys[_norm_header(column.zh)] = column.key
        keys[_norm_header(column.en)] = column.key
    return keys


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


def _cell(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _rows(kind: str, data: bytes) -> Iterator[list[Any]]:
    if kind == "csv":
        reader = csv.reader(io.StringIO(_decode_csv(data), newline=""))
        try:
            for row in reader:
                yield [_cell(v) for v in row]
        except csv.Error as exc:
            raise ImportFileError(_("The CSV file is damaged: %(error)s") % {"error": exc}) from exc
        return
    if not data.startswith(XLSX_MAGIC):
        raise ImportFileError(_("The file is not a valid Excel (.xlsx) workbook."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_cell(v) for v in values]
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
    rows: Iterator[tuple[int, list[Any]]]

    def mapped(self, values: list[Any]) -> dict[str, Any]:
        return {key: values[i] if i < len(values) else None for i, key in self.headers.items()}


def sheet_open(*, register: str, name: str, data: bytes) -> Sheet:
    """The header mapping and an iterator of (row number, values) of the data rows."""
    kind = file_kind(name)
    if not data:
        raise ImportFileError(_("The file is empty."))
    if len(data) > settings.SAOHEI_IMPORT_MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(mb)s MB; split it into smaller files.")
            % {"mb": settings.SAOHEI_IMPORT_MAX_BYTES // (1024 * 1024) or 1}
        )
    columns = COLUMNS[register]
    keys = header_keys(columns)
    iterator = enumerate(_rows(kind, data), start=1)
    header_row: list[Any] | None = None
    for _number, row in iterator:
        if not _blank(row):
            header_row = row
            break
    if header_row is None:
        raise ImportFileError(_("The file is empty."))
    headers: dict[int, str] = {}
    for index, raw in enumerate(header_row):
        key = keys.get(_norm_header(raw))
        if key is None:
            continue
        if key in headers.values():
            raise ImportFileError(_("The column %(column)s appears twice.") % {"column": raw})
        headers[index] = key
    missing = [c for c in columns if c.required and c.key not in headers.values()]
    if missing:
        names = "、".join(f"{c.zh} ({c.en})" for c in missing)
        raise ImportFileError(
            _("Columns are missing: %(columns)s. Use the template's header row.") % {"columns": names}
        )

    def data_rows() -> Iterator[tuple[int, list[Any]]]:
        for number, row in iterator:
            if not _blank(row):
                yield number, row

    return Sheet(headers=headers, rows=data_rows())


def file_check(*, register: str, name: str, data: bytes) -> None:
    """Refuse at upload what is not a readable spreadsheet with the needed columns and some rows."""
    sheet = sheet_open(register=register, name=name, data=data)
    if next(sheet.rows, None) is None:
        raise ImportFileError(_("The file has a header row but no rows to import."))
