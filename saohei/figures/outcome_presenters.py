"""Turning OutcomeFigures into sections for the page and sheets for the Excel download."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from saohei.figures.bulletin import LANGUAGES, all_bulletins, amount_text
from saohei.figures.kpis import Figure, Rate
from saohei.figures.outcomes import Amount, OutcomeFigures, OutcomeSet


@dataclass(frozen=True)
class OutcomeLine:
    """One figure of the page: a count, a rate or an amount of money, with its label."""

    key: str
    label: Promise
    figure: Figure | None = None
    rate: Rate | None = None
    amount: Amount | None = None

    def cell(self) -> Any:
        """The value in a spreadsheet cell: the count, the percentage, or the yuan (a number, not text)."""
        if self.rate is not None:
            return self.rate.percent
        if self.amount is not None:
            return float(self.amount.value)
        return self.figure.value if self.figure is not None else None


@dataclass(frozen=True)
class Section:
    key: str
    title: Promise
    lines: list[OutcomeLine]


def sections(t: OutcomeSet) -> list[Section]:
    """The figures in display order, grouped as the bulletins group them."""
    out = [
        Section("strike", _("Crackdown"), [
            OutcomeLine("filed_mafia_type", _("Mafia-type organisation cases filed"), t.filed_mafia_type),
            OutcomeLine("filed_evil_force_gang", _("Evil-force gang cases filed"), t.filed_evil_force_gang),
            OutcomeLine("filed_evil_force_group", _("Evil-force group cases filed"), t.filed_evil_force_group),
            OutcomeLine("destroyed_mafia_type", _("Mafia-type organisations destroyed"), t.destroyed_mafia_type),
            OutcomeLine("destroyed_evil_force_gang", _("Evil-force gangs destroyed"), t.destroyed_evil_force_gang),
            OutcomeLine("destroyed_evil_force_group", _("Evil-force criminal groups destroyed"),
                        t.destroyed_evil_force_group),
            OutcomeLine("suspects_detained", _("Suspects criminally detained"), t.suspects_detained),
            OutcomeLine("suspects_arrested", _("Suspects arrested"), t.suspects_arrested),
            OutcomeLine("suspects_captured", _("Suspects captured (detained or arrested)"), t.suspects_captured),
            OutcomeLine("suspects_surrendered", _("of them surrendered (投案自首)"), t.suspects_surrendered),
            OutcomeLine("cases_solved", _("Criminal cases solved"), t.cases_solved),
            OutcomeLine("assets_secured", _("Assets sealed, seized or frozen"), amount=t.assets_secured),
        ]),
        Section("trial", _("Prosecution and trial"), [
            OutcomeLine("cases_indicted", _("Cases indicted"), t.cases_indicted),
            OutcomeLine("persons_indicted", _("Persons indicted"), t.persons_indicted),
            OutcomeLine("cases_first_judgment", _("Cases with a first-instance judgment"), t.cases_first_judgment),
            OutcomeLine("cases_effective_judgment", _("Cases with an effective judgment"),
                        t.cases_effective_judgment),
            OutcomeLine("persons_judged", _("Persons judged"), t.persons_judged),
        ]),
    ]
    if t.protection is not None:
        p = t.protection
        out.append(Section("protection", _("Protective umbrellas"), [
            OutcomeLine("umbrellas_opened", _("Officials investigated"), p.opened),
            OutcomeLine("umbrellas_sanctioned", _("Sanctioned"), p.sanctioned),
            OutcomeLine("umbrellas_transferred", _("Transferred to judicial organs"), p.transferred),
        ]))
    out += [
        Section("fugitives", _("Target fugitives (up to the end of the period)"), [
            OutcomeLine("fugitives_listed", _("Target fugitives listed"), t.fugitives_listed),
            OutcomeLine("fugitives_listed_earlier", _("of them listed before the period"),
                        t.fugitives_listed_earlier),
            OutcomeLine("fugitives_listed_new", _("of them listed in the period"), t.fugitives_listed_new),
            OutcomeLine("fugitives_caught", _("Target fugitives caught"), t.fugitives_caught),
            OutcomeLine("fugitive_arrest_rate", _("Arrest rate (caught ÷ listed)"), rate=t.fugitive_arrest_rate),
        ]),
        Section("clues", _("Clues"), [
            OutcomeLine("clues_concluded", _("Clues concluded (signed off)"), t.clues_concluded),
            OutcomeLine("clues_formed_case", _("of them formed a case"), t.clues_formed_case),
            OutcomeLine("case_rate", _("Case rate (formed a case ÷ concluded)"), rate=t.case_rate),
            OutcomeLine("clues_referred", _("Clues referred by higher offices"), t.clues_referred),
            OutcomeLine("clues_referred_verified", _("of them verified"), t.clues_referred_verified),
        ]),
    ]
    return out


#: Columns of the breakdown by child jurisdiction: (key, label).
COLUMNS: list[tuple[str, Promise]] = [
    ("destroyed", _("Organisations destroyed")),
    ("suspects_detained", _("Detained")),
    ("suspects_arrested", _("Arrested")),
    ("cases_solved", _("Cases solved")),
    ("assets_secured", _("Assets")),
    ("cases_indicted", _("Cases indicted")),
    ("fugitive_arrest_rate", _("Fugitive arrest rate")),
    ("case_rate", _("Case rate")),
]


def row_lines(t: OutcomeSet) -> list[OutcomeLine]:
    """The breakdown's cells of one row, in COLUMNS order."""
    lines: list[OutcomeLine] = []
    for key, label in COLUMNS:
        value = getattr(t, key)
        if isinstance(value, Rate):
            lines.append(OutcomeLine(key, label, rate=value))
        elif isinstance(value, Amount):
            lines.append(OutcomeLine(key, label, amount=value))
        else:
            lines.append(OutcomeLine(key, label, value))
    return lines


LANGUAGE_NAMES: dict[str, str] = {"zh-hans": "简体中文", "zh-hant": "繁體中文", "en": "English"}


def workbook_sheets(figures: OutcomeFigures, language: str) -> list[tuple[str, list[str], list[list[Any]]]]:
    """Sheets of the Excel download: (title, headers, rows)."""
    head = [str(_("Figure")), str(_("Value")), str(_("Numerator")), str(_("Denominator")), str(_("As written"))]
    summary: list[list[Any]] = [
        [str(_("Jurisdiction")), f"{figures.jurisdiction.name} ({figures.jurisdiction.code})", "", "", ""],
        [str(_("Period")), f"{figures.start.isoformat()} – {figures.end.isoformat()}", "", "", ""],
    ]
    for section in sections(figures.totals):
        for line in section.lines:
            if line.rate is not None:
                summary.append([str(line.label), line.rate.percent, line.rate.numerator.value,
                                line.rate.denominator.value, ""])
            elif line.amount is not None:
                summary.append([str(line.label), line.cell(), "", "", amount_text(line.amount.value, language)])
            else:
                summary.append([str(line.label), line.cell(), "", "", ""])
    child_head = [str(_("Code")), str(_("Jurisdiction"))] + [str(label) for _key, label in COLUMNS]
    child_rows: list[list[Any]] = []
    for row in figures.by_child:
        name = f"{row.name} ({_('this level')})" if row.own_level else row.name
        child_rows.append([row.code, name] + [line.cell() for line in row_lines(row.figures)])
    bulletins = all_bulletins(figures)
    bulletin_rows: list[list[Any]] = [[LANGUAGE_NAMES[lang], bulletins[lang]] for lang in LANGUAGES]
    return [
        (str(_("Outcome figures")), head, summary),
        (str(_("By jurisdiction")), child_head, child_rows),
        (str(_("Bulletin")), [str(_("Language")), str(_("Text"))], bulletin_rows),
    ]
