"""Reading an uploaded .xlsx or .csv register into rows keyed by column."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from saohei.cases.imports.columns import COLUMNS, Column, ImportFileError
from saohei.intake.imports.reading import file_kind, header_norm, row_blank, sheet_rows

__all__ = ["file_check", "file_kind", "header_keys", "sheet_open"]


def header_keys(columns: list[Column]) -> dict[str, str]:
    keys: dict[str, str] = {}
    for column in columns:
        keys[header_norm(column.zh)] = column.key
        keys[header_norm(column.en)] = column.key
    return keys


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
    iterator = enumerate(sheet_rows(kind, data), start=1)
    header_row: list[Any] | None = None
    for _number, row in iterator:
        if not row_blank(row):
            header_row = row
            break
    if header_row is None:
        raise ImportFileError(_("The file is empty."))
    headers: dict[int, str] = {}
    for index, raw in enumerate(header_row):
        key = keys.get(header_norm(raw))
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
            if not row_blank(row):
                yield number, row

    return Sheet(headers=headers, rows=data_rows())


def file_check(*, register: str, name: str, data: bytes) -> None:
    """Refuse at upload what is not a readable spreadsheet with the needed columns and some rows."""
    sheet = sheet_open(register=register, name=name, data=data)
    if next(sheet.rows, None) is None:
        raise ImportFileError(_("The file has a header row but no rows to import."))
