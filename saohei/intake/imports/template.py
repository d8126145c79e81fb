"""The downloadable spreadsheet template."""

from __future__ import annotations

import io

from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.styles import Font

from saohei.intake.choices import Channel
from saohei.intake.imports.columns import CHANNEL_ZH, COLUMNS, IMPORTABLE_CHANNELS


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
