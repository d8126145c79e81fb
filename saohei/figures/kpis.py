"""Clue figures (KPIs) for a jurisdiction subtree and a period, each traceable to the rows it counts.

Every count is computed with aggregate queries (``Count(..., filter=Q(...))``) over the clues and
reports the user may see, and every count carries the ledger link (URL name and query parameters)
that lists exactly the rows counted. The clue links use the parameters of
``saohei.clues.filtersets.ClueFilterSet``; the report links use those of the report ledger
(``saohei.intake.filtersets.ReportFilterSet``: yes/no values, ``voided=no``).

Definitions (period = ``[start, end]``, whole days in ``settings.TIME_ZONE``, both ends included):

- reports received: reports with ``received_at`` in the period, not voided, of the subtree
  (the report's own jurisdiction), whose clue the user may see.
- triaged: clues with ``triaged_at`` in the period (whatever the decision).
- valid clues: triaged clues whose state is valid or later (not received, duplicate, referred,
  invalid).
- valid-clue rate: valid clues ÷ triaged clues (both counted on ``triaged_at`` in the period).
- clues assigned: clues with ``assigned_at`` in the period.
- concluded: clues with ``signed_at`` in the period (the conclusion signed off).
- valid clues due: clues assigned before the end of the period (``assigned_at`` up to ``end``)
  whose state is valid or later.
- verification rate (办结率): concluded ÷ valid clues due.
- on time: concluded clues with ``concluded_on_time``; on-time rate: on time ÷ concluded.
- overdue: open clues (assigned, verifying) whose deadline is before today — today, not the
  period: it is a present state. By unit: overdue clues with an active assignment to the unit or
  to a unit below it (a bureau counts its stations), each clue once per unit.
- clues created: clues with ``created_at`` in the period that are not duplicates; repeat: those
  of them with two or more reports; repeat-report rate: repeat ÷ clues created.
- public reports with a reachable reporter: reports received in the period through a public
  channel (``intake.choices.PUBLIC_CHANNELS``) whose reporter can be reached; feedback given: those
  of them with ``feedback_at`` set; feedback rate: feedback given ÷ public reachable.

A rate whose denominator is zero has no value (``None``), never a division error.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr, TruncWeek
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.http import urlencode

from saohei.clues.choices import OPEN_STATES, State
from saohei.clues.models import Assignment, Clue
from saohei.intake.choices import PUBLIC_CHANNELS
from saohei.intake.models import Report
from saohei.orgs.models import Jurisdiction, Unit

User = AbstractBaseUser | AnonymousUser
Params = tuple[tuple[str, str], ...]

CLUE_LEDGER = "clue-ledger"
REPORT_LEDGER = "report-ledger"

#: States of a clue that was triaged valid (and possibly went further).
VALID_OR_LATER: tuple[str, ...] = tuple(
    str(s)
    for s in (
        State.VALID,
        State.ASSIGNED,
        State.VERIFYING,
        State.CONCLUDED,
        State.SIGNED,
        State.CLOSED,
        State.REVIEW,
    )
)
#: Every state but duplicate.
NOT_DUPLICATE: tuple[str, ...] = tuple(s for s in State.values if s != State.DUPLICATE)
OPEN: tuple[str, ...] = tuple(sorted(str(s) for s in OPEN_STATES))
PUBLIC: tuple[str, ...] = tuple(sorted(str(c) for c in PUBLIC_CHANNELS))

#: The clue counts computed per row, in display order.
CLUE_COUNTS: tuple[str, ...] = (
    "triaged",
    "valid",
    "assigned",
    "concluded",
    "due",
    "on_time",
    "overdue",
    "created",
    "repeat",
)
REPORT_COUNTS: tuple[str, ...] = ("reports_received", "public_reachable", "feedback_given")


class LedgerRows:
    """What a figure links to: the ledger and the filter parameters that list exactly its rows."""

    ledger: str
    params: Params
    linkable: bool

    @property
    def query(self) -> str:
        return urlencode(self.params, doseq=True)

    @property
    def url(self) -> str:
        """The drill-down link, or "" when no ledger filter expresses these rows."""
        if not self.linkable:
            return ""
        return f"{ledger_path(self.ledger)}?{self.query}"


def ledger_path(ledger: str) -> str:
    """The path of a ledger page; a figure page links a thousand figures to a handful of ledgers."""
    return _ledger_path(ledger, get_script_prefix(), get_urlconf())


@lru_cache(maxsize=64)
def _ledger_path(ledger: str, _prefix: str, urlconf: str | None) -> str:
    return reverse(ledger, urlconf=urlconf)


@dataclass(frozen=True)
class Figure(LedgerRows):
    """A count and the ledger rows behind it (``url`` = ledger URL with the filter parameters)."""

    value: int
    ledger: str
    params: Params
    linkable: bool = True


@dataclass(frozen=True)
class Rate:
    """numerator ÷ denominator; ``value`` is None when the denominator is zero."""

    numerator: Figure
    denominator: Figure

    @property
    def value(self) -> float | None:
        if not self.denominator.value:
            return None
        return self.numerator.value / self.denominator.value

    @property
    def percent(self) -> float | None:
        v = self.value
        return None if v is None else round(100 * v, 1)


@dataclass(frozen=True)
class FigureSet:
    """The counts of one jurisdiction subtree (or of one level) over the period."""

    reports_received: Figure
    triaged: Figure
    valid: Figure
    assigned: Figure
    concluded: Figure
    due: Figure
    on_time: Figure
    overdue: Figure
    created: Figure
    repeat: Figure
    public_reachable: Figure
    feedback_given: Figure

    @property
    def valid_rate(self) -> Rate:
        return Rate(self.valid, self.triaged)

    @property
    def verification_rate(self) -> Rate:
        return Rate(self.concluded, self.due)

    @property
    def on_time_rate(self) -> Rate:
        return Rate(self.on_time, self.concluded)

    @property
    def repeat_rate(self) -> Rate:
        return Rate(self.repeat, self.created)

    @property
    def feedback_rate(self) -> Rate:
        return Rate(self.feedback_given, self.public_reachable)


@dataclass(frozen=True)
class UnitOverdue:
    """Overdue clues actively assigned to a unit or to a unit below it."""

    unit_id: int
    unit_name: str
    parent_name: str
    count: Figure


@dataclass(frozen=True)
class WeekPoint:
    """One ISO week of the trend, clipped to the period."""

    label: str  # "2025-W07"
    start: dt.date
    end: dt.date
    reports_received: Figure
    valid: Figure
    concluded: Figure


@dataclass(frozen=True)
class ChildFigures:
    """One row of the breakdown: a child jurisdiction, or the level itself (``own_level``)."""

    code: str
    name: str
    own_level: bool
    figures: FigureSet


@dataclass(frozen=True)
class ClueFigures:
    jurisdiction: Jurisdiction
    start: dt.date
    end: dt.date
    today: dt.date
    totals: FigureSet
    overdue_by_unit: list[UnitOverdue] = field(default_factory=list)
    trend: list[WeekPoint] = field(default_factory=list)
    by_child: list[ChildFigures] = field(default_factory=list)


# --- period and links -------------------------------------------------------------------------


def day_start(day: dt.date) -> dt.datetime:
    """The first instant of a day in the current time zone (as ClueFilterSet reads its dates)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _between(field_name: str, start: dt.date, end: dt.date) -> Q:
    after_end = day_start(end + dt.timedelta(days=1))
    return Q(**{f"{field_name}__gte": day_start(start), f"{field_name}__lt": after_end})


def _clue_params(code: str, start: dt.date, end: dt.date, name: str) -> Params:
    """The ClueFilterSet parameters of one count (``start``/``end`` only matter for period counts)."""
    s, e = start.isoformat(), end.isoformat()
    j = (("jurisdiction", code),)
    valid_states = tuple(("state", v) for v in VALID_OR_LATER)
    table: dict[str, Params] = {
        "triaged": (("triaged_from", s), ("triaged_to", e)),
        "valid": (*valid_states, ("triaged_from", s), ("triaged_to", e)),
        "assigned": (("assigned_from", s), ("assigned_to", e)),
        "concluded": (("signed_from", s), ("signed_to", e)),
        "on_time": (("signed_from", s), ("signed_to", e), ("on_time", "true")),
        "due": (*valid_states, ("assigned_to", e)),
        "overdue": (("overdue", "true"),),
        "created": (*tuple(("state", v) for v in NOT_DUPLICATE), ("created_from", s), ("created_to", e)),
        "repeat": (
            *tuple(("state", v) for v in NOT_DUPLICATE),
            ("created_from", s),
            ("created_to", e),
            ("repeat", "true"),
        ),
    }
    return j + table[name]


def _report_params(code: str, start: dt.date, end: dt.date, name: str) -> Params:
    base: Params = (
        ("jurisdiction", code),
        ("received_from", start.isoformat()),
        ("received_to", end.isoformat()),
        ("voided", "no"),
    )
    extra: dict[str, Params] = {
        "reports_received": (),
        "public_reachable": (("public", "yes"), ("reachable", "yes")),
        "feedback_given": (("public", "yes"), ("reachable", "yes"), ("feedback", "yes")),
    }
    return base + extra[name]


# --- the queries --------------------------------------------------------------------------------


def visible_clues(*, user: User, jurisdiction: Jurisdiction) -> QuerySet[Clue]:
    """The clues of the subtree the user may see."""
    return Clue.objects.visible_to(user).filter(jurisdiction_path__startswith=jurisdiction.path)


def visible_reports(*, user: User, jurisdiction: Jurisdiction) -> QuerySet[Report]:
    """Reports of the subtree, not voided, whose clue the user may see."""
    qs = Report.objects.filter(voided_at__isnull=True, jurisdiction__path__startswith=jurisdiction.path)
    if getattr(user, "is_superuser", False):
        return qs.filter(clue__isnull=False)  # what visible_to() lets a superuser see, without the subquery
    return qs.filter(clue__in=Clue.objects.visible_to(user).values("pk"))


def _clue_aggregates(start: dt.date, end: dt.date, today: dt.date) -> dict[str, Count]:
    triaged = _between("triaged_at", start, end)
    signed = _between("signed_at", start, end)
    created = _between("created_at", start, end) & ~Q(state=State.DUPLICATE)
    return {
        "triaged": Count("pk", filter=triaged),
        "valid": Count("pk", filter=triaged & Q(state__in=VALID_OR_LATER)),
        "assigned": Count("pk", filter=_between("assigned_at", start, end)),
        "concluded": Count("pk", filter=signed),
        "due": Count("pk", filter=Q(assigned_at__lt=day_start(end + dt.timedelta(days=1)), state__in=VALID_OR_LATER)),
        "on_time": Count("pk", filter=signed & Q(concluded_on_time=True)),
        "overdue": Count("pk", filter=Q(state__in=OPEN, deadline__lt=today)),
        "created": Count("pk", filter=created),
        "repeat": Count("pk", filter=created & Q(report_count__gte=2)),
    }


def _report_aggregates() -> dict[str, Count]:
    public = Q(channel__in=PUBLIC, reporter__reachable=True)
    return {
        "reports_received": Count("pk"),
        "public_reachable": Count("pk", filter=public),
        "feedback_given": Count("pk", filter=public & Q(feedback_at__isnull=False)),
    }


def _figure_set(code: str, start: dt.date, end: dt.date, counts: Mapping[str, int], linkable: bool = True) -> FigureSet:
    values: dict[str, Figure] = {}
    for name in CLUE_COUNTS:
        values[name] = Figure(int(counts.get(name, 0)), CLUE_LEDGER, _clue_params(code, start, end, name), linkable)
    for name in REPORT_COUNTS:
        values[name] = Figure(int(counts.get(name, 0)), REPORT_LEDGER, _report_params(code, start, end, name), linkable)
    return FigureSet(**values)


def _plain(rows: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return list(rows)


def _by_node(
    *,
    clues: QuerySet[Clue],
    reports: QuerySet[Report],
    prefix_len: int,
    start: dt.date,
    end: dt.date,
    today: dt.date,
) -> tuple[dict[str, dict[str, int]], dict[dt.date, int]]:
    """Counts grouped by the path prefix of length ``prefix_len`` (the child a row belongs to),
    and the reports received per week (same query: reports are grouped by child and week)."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    clue_rows = (
        clues.order_by()
        .annotate(node=Substr("jurisdiction_path", 1, prefix_len))
        .values("node")
        .annotate(**_clue_aggregates(start, end, today))
    )
    for row in _plain(clue_rows):
        out[row["node"]].update({k: row[k] for k in CLUE_COUNTS})
    report_rows = (
        reports.filter(_between("received_at", start, end))
        .order_by()
        .annotate(node=Substr("jurisdiction__path", 1, prefix_len), week=TruncWeek("received_at"))
        .values("node", "week")
        .annotate(**_report_aggregates())
    )
    weekly: dict[dt.date, int] = defaultdict(int)
    for row in _plain(report_rows):  # one row per child and week: a few hundred at most
        counts = out[row["node"]]
        for k in REPORT_COUNTS:
            counts[k] = counts.get(k, 0) + row[k]
        weekly[_as_date(row["week"])] += row["reports_received"]
    return out, weekly


def _sum(rows: Iterable[Mapping[str, int]]) -> dict[str, int]:
    total: dict[str, int] = defaultdict(int)
    for row in rows:
        for k, v in row.items():
            total[k] += v
    return total


def _overdue_by_unit(*, clues: QuerySet[Clue], code: str, today: dt.date) -> list[UnitOverdue]:
    """Overdue clues per unit, a unit counting the clues assigned to it and to the units below it."""
    overdue = clues.filter(state__in=OPEN, deadline__lt=today).order_by().values("pk")
    pairs = list(
        Assignment.objects.filter(active=True, clue__in=overdue).order_by().values_list("unit_id", "clue_id").distinct()
    )
    if not pairs:
        return []
    units: dict[int, tuple[int | None, str]] = {}
    wanted = {u for u, _c in pairs}
    while wanted:
        found = Unit.objects.filter(pk__in=wanted).values_list("pk", "parent_id", "name")
        for pk, parent_id, name in found:
            units[pk] = (parent_id, name)
        wanted = {p for p, _n in units.values() if p is not None and p not in units}
    clues_of: dict[int, set[int]] = defaultdict(set)
    for unit_id, clue_id in pairs:
        node: int | None = unit_id
        while node is not None and node in units:
            clues_of[node].add(clue_id)
            node = units[node][0]
    rows = []
    for unit_id, clue_ids in clues_of.items():
        parent_id, name = units[unit_id]
        parent_name = units[parent_id][1] if parent_id is not None and parent_id in units else ""
        params: Params = (("jurisdiction", code), ("overdue", "true"), ("unit", str(unit_id)))
        rows.append(UnitOverdue(unit_id, name, parent_name, Figure(len(clue_ids), CLUE_LEDGER, params)))
    rows.sort(key=lambda r: (-r.count.value, r.parent_name != "", r.unit_name))
    return rows


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _clue_weekly(clues: QuerySet[Clue], start: dt.date, end: dt.date) -> tuple[dict[dt.date, int], dict[dt.date, int]]:
    """Valid clues per week of triage and concluded clues per week of sign-off, in one query."""
    valid_q = _between("triaged_at", start, end) & Q(state__in=VALID_OR_LATER)
    signed_q = _between("signed_at", start, end)
    rows = (
        clues.filter(valid_q | signed_q)
        .order_by()
        .annotate(tw=TruncWeek("triaged_at"), sw=TruncWeek("signed_at"))
        .values("tw", "sw")
        .annotate(valid=Count("pk", filter=valid_q), concluded=Count("pk", filter=signed_q))
    )
    valid: dict[dt.date, int] = defaultdict(int)
    concluded: dict[dt.date, int] = defaultdict(int)
    for row in _plain(rows):  # one row per (triage week, sign-off week) pair
        if row["valid"]:
            valid[_as_date(row["tw"])] += row["valid"]
        if row["concluded"]:
            concluded[_as_date(row["sw"])] += row["concluded"]
    return valid, concluded


def _trend(
    *, clues: QuerySet[Clue], received: Mapping[dt.date, int], code: str, start: dt.date, end: dt.date
) -> list[WeekPoint]:
    valid, concluded = _clue_weekly(clues, start, end)
    points = []
    monday = _week_start(start)
    while monday <= end:
        s, e = max(monday, start), min(monday + dt.timedelta(days=6), end)
        year, week, _day = monday.isocalendar()
        points.append(
            WeekPoint(
                label=f"{year}-W{week:02d}",
                start=s,
                end=e,
                reports_received=Figure(
                    received.get(monday, 0), REPORT_LEDGER, _report_params(code, s, e, "reports_received")
                ),
                valid=Figure(valid.get(monday, 0), CLUE_LEDGER, _clue_params(code, s, e, "valid")),
                concluded=Figure(concluded.get(monday, 0), CLUE_LEDGER, _clue_params(code, s, e, "concluded")),
            )
        )
        monday += dt.timedelta(days=7)
    return points


def clue_figures(*, user: User, jurisdiction: Jurisdiction, start: dt.date, end: dt.date) -> ClueFigures:
    """The clue figures of ``jurisdiction``'s subtree over ``[start, end]``, as ``user`` may see them.

    ``totals`` holds every count and rate (``totals.valid_rate.numerator`` …); ``by_child`` the same
    per child jurisdiction (plus a row for clues recorded at the jurisdiction itself, if any);
    ``trend`` reports received, valid clues and concluded clues per ISO week; ``overdue_by_unit``
    the overdue clues per unit. See the module docstring for the definitions.
    """
    if end < start:
        raise ValueError("end before start")
    today = timezone.localdate()
    clues = visible_clues(user=user, jurisdiction=jurisdiction)
    reports = visible_reports(user=user, jurisdiction=jurisdiction)
    own = jurisdiction.path
    child_len = len(own) + len("000000/")
    grouped, received_weekly = _by_node(
        clues=clues, reports=reports, prefix_len=child_len, start=start, end=end, today=today
    )
    children = list(Jurisdiction.objects.filter(parent=jurisdiction).order_by("code"))
    rows: list[ChildFigures] = []
    if own in grouped and any(grouped[own].values()):
        rows.append(
            ChildFigures(
                jurisdiction.code,
                jurisdiction.name,
                True,
                _figure_set(jurisdiction.code, start, end, grouped[own], linkable=False),
            )
        )
    for child in children:
        rows.append(
            ChildFigures(
                child.code,
                child.name,
                False,
                _figure_set(child.code, start, end, grouped.get(child.path, {})),
            )
        )
    return ClueFigures(
        jurisdiction=jurisdiction,
        start=start,
        end=end,
        today=today,
        totals=_figure_set(jurisdiction.code, start, end, _sum(grouped.values())),
        overdue_by_unit=_overdue_by_unit(clues=clues, code=jurisdiction.code, today=today),
        trend=_trend(clues=clues, received=received_weekly, code=jurisdiction.code, start=start, end=end),
        by_child=rows,
    )
