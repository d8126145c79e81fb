"""Turning ClueFigures into rows for the page, the charts and the Excel download."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from saohei.figures.kpis import ClueFigures, Figure, FigureSet, Rate


@dataclass(frozen=True)
class Line:
    """One KPI: a count (``figure``) or a rate (``rate``), with its label."""

    key: str
    label: Promise
    figure: Figure | None = None
    rate: Rate | None = None

    @property
    def value(self) -> float | int | None:
        if self.rate is not None:
            return self.rate.percent
        return self.figure.value if self.figure is not None else None


def lines(fs: FigureSet) -> list[Line]:
    """The KPIs in display order."""
    return [
        Line("reports_received", _("Reports received"), figure=fs.reports_received),
        Line("valid", _("Valid clues"), figure=fs.valid),
        Line("valid_rate", _("Valid-clue rate (valid ÷ triaged)"), rate=fs.valid_rate),
        Line("assigned", _("Clues assigned"), figure=fs.assigned),
        Line("concluded", _("Clues concluded (signed off)"), figure=fs.concluded),
        Line(
            "verification_rate",
            _("Verification rate (concluded ÷ valid clues due)"),
            rate=fs.verification_rate,
        ),
        Line("on_time_rate", _("On-time rate (on time ÷ concluded)"), rate=fs.on_time_rate),
        Line("overdue", _("Overdue now"), figure=fs.overdue),
        Line("repeat_rate", _("Repeat-report rate (2+ reports ÷ clues)"), rate=fs.repeat_rate),
        Line(
            "feedback_rate",
            _("Feedback rate (told ÷ public reports with a reachable reporter)"),
            rate=fs.feedback_rate,
        ),
    ]


#: Columns of the breakdown by child jurisdiction.
COLUMNS: list[tuple[str, Promise]] = [
    ("reports_received", _("Reports received")),
    ("valid", _("Valid clues")),
    ("valid_rate", _("Valid-clue rate")),
    ("assigned", _("Assigned")),
    ("concluded", _("Concluded")),
    ("verification_rate", _("Verification rate")),
    ("on_time_rate", _("On-time rate")),
    ("overdue", _("Overdue")),
    ("repeat_rate", _("Repeat-report rate")),
    ("feedback_rate", _("Feedback rate")),
]


def _series(name: Promise, figures: list[Figure]) -> dict[str, Any]:
    return {"name": str(name), "data": [f.value for f in figures], "urls": [f.url for f in figures]}


def chart_data(figures: ClueFigures) -> dict[str, Any]:
    """What figures.js draws: the weekly trend and the breakdown by child jurisdiction."""
    trend = figures.trend
    rows = figures.by_child
    return {
        "trend": {
            "title": str(_("Trend by ISO week")),
            "labels": [p.label for p in trend],
            "series": [
                _series(_("Reports received"), [p.reports_received for p in trend]),
                _series(_("Valid clues"), [p.valid for p in trend]),
                _series(_("Concluded"), [p.concluded for p in trend]),
            ],
        },
        "children": {
            "title": str(_("By jurisdiction")),
            "labels": [r.name for r in rows],
            "series": [
                _series(_("Reports received"), [r.figures.reports_received for r in rows]),
                _series(_("Valid clues"), [r.figures.valid for r in rows]),
                _series(_("Concluded"), [r.figures.concluded for r in rows]),
                _series(_("Overdue"), [r.figures.overdue for r in rows]),
            ],
        },
    }


def _rate_cells(rate: Rate) -> list[Any]:
    return [rate.percent, rate.numerator.value, rate.denominator.value]


def workbook_sheets(figures: ClueFigures) -> list[tuple[str, list[str], list[list[Any]]]]:
    """Sheets of the Excel download: (title, headers, rows)."""
    head = [str(_("Figure")), str(_("Value")), str(_("Numerator")), str(_("Denominator"))]
    summary: list[list[Any]] = [
        [str(_("Jurisdiction")), f"{figures.jurisdiction.name} ({figures.jurisdiction.code})", "", ""],
        [str(_("Period")), f"{figures.start.isoformat()} – {figures.end.isoformat()}", "", ""],
    ]
    for line in lines(figures.totals):
        if line.rate is not None:
            summary.append([str(line.label), *_rate_cells(line.rate)])
        elif line.figure is not None:
            summary.append([str(line.label), line.figure.value, "", ""])
    child_head = [str(_("Code")), str(_("Jurisdiction"))] + [str(label) for _key, label in COLUMNS]
    child_rows: list[list[Any]] = []
    for row in figures.by_child:
        by_key = {line.key: line.value for line in lines(row.figures)}
        name = f"{row.name} ({_('this level')})" if row.own_level else row.name
        child_rows.append([row.code, name] + [by_key.get(key, "") for key, _label in COLUMNS])
    unit_head = [str(_("Unit")), str(_("Under")), str(_("Overdue clues"))]
    unit_rows: list[list[Any]] = [
        [u.unit_name, u.parent_name, u.count.value] for u in figures.overdue_by_unit
    ]
    week_head = [
        str(_("Week")),
        str(_("From")),
        str(_("To")),
        str(_("Reports received")),
        str(_("Valid clues")),
        str(_("Concluded")),
    ]
    week_rows: list[list[Any]] = [
        [p.label, p.start, p.end, p.reports_received.value, p.valid.value, p.concluded.value]
        for p in figures.trend
    ]
    return [
        (str(_("Figures")), head, summary),
        (str(_("By jurisdiction")), child_head, child_rows),
        (str(_("Overdue by unit")), unit_head, unit_rows),
        (str(_("By week")), week_head, week_rows),
    ]
