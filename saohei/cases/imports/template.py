"""The downloadable spreadsheet template of each register: its header row, an example row, and a
sheet listing the values each choice column accepts."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from saohei.cases.choices import (
    AssetKind,
    AssetState,
    CaseKind,
    CaseOrigin,
    Custody,
    FugitiveLocation,
    FugitiveOutcome,
    OrganizationType,
    SuspectOutcome,
    SuspectRole,
    UmbrellaOutcome,
)
from saohei.cases.imports.columns import ALIASES, ASSETS, CASES, COLUMNS, FUGITIVES, SUSPECTS, UMBRELLAS
from saohei.clues.choices import SupervisionLevel

SHEET_TITLES = {CASES: "案件", SUSPECTS: "犯罪嫌疑人", ASSETS: "涉案资产", FUGITIVES: "目标逃犯", UMBRELLAS: "保护伞"}

# Column key → (choices, alias table) for the list of accepted values.
CHOICE_COLUMNS: dict[str, dict[str, tuple[Any, str]]] = {
    CASES: {"kind": (CaseKind, "kind"), "origin": (CaseOrigin, "origin"),
            "organization_type": (OrganizationType, "organization_type"),
            "supervision_level": (SupervisionLevel, "supervision_level")},
    SUSPECTS: {"role": (SuspectRole, "role"), "custody": (Custody, "custody"),
               "outcome": (SuspectOutcome, "outcome_suspect")},
    ASSETS: {"kind": (AssetKind, "kind_asset"), "state": (AssetState, "state_asset"),
             "final_state": (AssetState, "state_asset")},
    FUGITIVES: {"location": (FugitiveLocation, "location"), "outcome": (FugitiveOutcome, "outcome_fugitive")},
    UMBRELLAS: {"outcome": (UmbrellaOutcome, "outcome_umbrella")},
}


def _examples(register: str, code: str, today: str) -> dict[str, Any]:
    examples: dict[str, dict[str, Any]] = {
        CASES: {"title": "王某某等人寻衅滋事、强迫交易案", "unit": "江汉区分局刑侦大队", "jurisdiction": code,
                "origin": "公安直接立案", "kind": "刑事案件", "organization_type": "恶势力犯罪集团",
                "organization_name": "王某某恶势力犯罪集团", "organization_leader": "王某某",
                "offences": "寻衅滋事、强迫交易", "filed_on": today, "supervision_level": "市督",
                "summary": "2020年以来，王某某纠集多人在某市场强迫商户交易。"},
        SUSPECTS: {"case": "AJ20240000001", "name": "王某某", "alias": "王老大", "birth_year": 1978,
                   "role": "首要分子", "detained_on": today, "surrendered": "否", "outcome": "待定"},
        ASSETS: {"case": "AJ20240000001", "kind": "银行存款", "description": "王某某名下银行账户存款",
                 "amount": "1250000.00", "state": "冻结", "secured_on": today, "holder": "王某某"},
        FUGITIVES: {"name": "李某某", "listed_on": today, "jurisdiction": code, "location": "境外",
                    "outcome": "在逃"},
        UMBRELLAS: {"name": "赵某某", "position": "某派出所原副所长", "handling_unit": "江汉区纪委监委",
                    "opened_on": today, "employer": "某派出所", "party_member": "是", "case": "AJ20240000001",
                    "outcome": "待定"},
    }
    return examples[register]


def _values(choices: Any, aliases: str) -> list[list[str]]:
    rows = []
    for value, label in choices.choices:
        with translation.override("en"):
            english = str(label)
        chinese = [name for name, code in ALIASES.get(aliases, {}).items() if code == value]
        rows.append([value or "", english, "、".join(chinese)])
    return rows


def import_template_xlsx(*, register: str, jurisdiction_code: str = "420103") -> bytes:
    """An .xlsx with the register's header row (Chinese), one example row, and the accepted values."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_TITLES[register]
    columns = COLUMNS[register]
    ws.append([c.zh for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    example = _examples(register, jurisdiction_code, timezone.localdate().isoformat())
    ws.append([example.get(c.key, "") for c in columns])
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(column.en) + 4))
    names = wb.create_sheet("列名 columns")
    names.append(["中文", "English", "必填 required"])
    for column in columns:
        names.append([column.zh, column.en, "是" if column.required else ""])
    values = wb.create_sheet("取值 values")
    values.append(["列 column", "code", "English", "中文"])
    for key, (choices, aliases) in CHOICE_COLUMNS[register].items():
        label = next(c.zh for c in columns if c.key == key)
        for row in _values(choices, aliases):
            values.append([label, *row])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
