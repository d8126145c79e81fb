"""Excel export of exactly the rows a ledger shows, streamed in write-only mode."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if value is None:
        return ""
    if isinstance(value, str | int | float | dt.date | bool):
        if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
            return "'" + value  # never let a cell become a formula
        return value
    return str(value)


Sheet = tuple[str, Sequence[Any], Iterable[Sequence[Any]]]


def xlsx_sheets_bytes(sheets: Iterable[Sheet]) -> bytes:
    """A workbook of (title, headers, rows) sheets: bold headers, values that never become formulas."""
    wb = Workbook(write_only=True)
    for title, headers, rows in sheets:
        ws = wb.create_sheet(title=str(title)[:31] or "Sheet1")
        bold = []
        for header in headers:
            cell = WriteOnlyCell(ws, value=str(header))
            cell.font = Font(bold=True)
            bold.append(cell)
        ws.append(bold)
        for row in rows:
            ws.append([_cell_value(v) for v in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(*, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    return xlsx_sheets_bytes([(title, headers, rows)])


def xlsx_response(*, filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(title=title, headers=headers, rows=rows), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
