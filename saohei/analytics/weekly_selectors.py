"""Reading what the weekly analysis (周研判) needs from the database, as one user may see it.

The counts are clues received (``created_at``) per child jurisdiction × offence category × ISO week,
grouped by the database over the analysed week and the trailing weeks; duplicates are left out, as
the figures' "clues created" leaves them out (a duplicate is the same matter reported again, not a
new one). Clues recorded at the chosen jurisdiction itself (not below it) form a row of their own.
Weeks are cut at local midnight of Monday (``settings.TIME_ZONE``), as the clue ledger cuts days.

The clue lists are the present state, whatever week is analysed (a clue's past deadlines are not
kept): clues still in hand that are overdue today (open and past their deadline, the ledger's
"overdue"), that came in two or more reports, or whose priority is urgent or high. Each list is
fetched up to ``LIST_LIMIT`` rows; its full size is counted separately so the page can say how many
there are and link to the clue ledger for the rest.

Everything goes through ``Clue.objects.visible_to(user)``: a user who may not see a clue does not
see it counted either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Length, Substr, TruncWeek
from django.utils import timezone

from saohei.analytics.weekly import ClueFact, CountRow, IsoWeek, WeeklyAnalysis, weekly_analysis
from saohei.clues.choices import OPEN_STATES, Priority, State
from saohei.clues.models import Clue, OffenceCategory
from saohei.core.filters import day_start
from saohei.figures.forms import subtree_roots
from saohei.orgs.models import Jurisdiction
from saohei.orgs.policies import standing_for

User = AbstractBaseUser | AnonymousUser

#: The category key of clues not yet given an offence category (never "": that means "all" to weekly.py).
UNCATEGORISED = "_none"
#: Clues still being handled: not a duplicate, not referred elsewhere, not invalid, not closed.
IN_HAND_STATES: tuple[str, ...] = tuple(
    str(s) for s in State if s not in (State.DUPLICATE, State.REFERRED, State.INVALID, State.CLOSED)
)
OPEN: tuple[str, ...] = tuple(sorted(str(s) for s in OPEN_STATES))
#: Priorities listed as "high": urgent and high (clues.choices.Priority).
HIGH_PRIORITY_AT_MOST = int(Priority.HIGH)
LIST_LIMIT = 200
#: What is called a rising trend (see weekly.py): at least MIN_COUNT clues, MIN_RATIO times the weekly mean
#: before, and a q-value (false-discovery rate) of at most ALPHA.
MIN_COUNT = 5
MIN_RATIO = 1.5
ALPHA = 0.05
TRAILING_CHOICES: tuple[int, ...] = (4, 8, 12)
PATH_SEGMENT = len("000000/")


@dataclass(frozen=True, slots=True)
class Node:
    """A row of the tables: a child jurisdiction, or the chosen jurisdiction itself ("this level")."""

    code: str
    name: str
    own_level: bool


@dataclass(frozen=True, slots=True)
class ClueLine:
    """What the clue lists show of one clue, beside its `ClueFact`."""

    pk: int
    number: str
    title: str
    jurisdiction_name: str
    category_name: str
    state: str  # the state's label in the active language
    deadline: dt.date | None
    report_count: int
    priority: int
    priority_label: str
    analysed_score: int | None = None  # the analysed priority (ClueScore), when computed
    analysed_level: str = ""


@dataclass(frozen=True, slots=True)
class ListSizes:
    overdue: int
    repeated: int
    high_priority: int


@dataclass(frozen=True, slots=True)
class WeeklyData:
    """The analysis and everything the page and the document need to show it."""

    jurisdiction: Jurisdiction
    week: IsoWeek
    trailing_weeks: int
    today: dt.date
    nodes: tuple[Node, ...]  # the rows of the tables: this level (if it has clues), then the children
    rows: tuple[CountRow, ...]  # as grouped by the database
    analysis: WeeklyAnalysis
    clues: Mapping[str, ClueLine]  # by ClueFact.id
    category_names: Mapping[str, str]  # by category code, in the active language
    category_order: Mapping[str, int]
    list_sizes: ListSizes

    @property
    def in_progress(self) -> bool:
        """The analysed week is this week: its counts run to today only."""
        return self.week == IsoWeek.of(self.today)


# --- which jurisdictions -------------------------------------------------------------------------


def weekly_roots(user: User) -> list[Jurisdiction]:
    """The widest jurisdictions whose analysis the user may ask for (the figures' rule), widest first."""
    return subtree_roots(user)


def weekly_default_jurisdiction(user: User, *, roots: Sequence[Jurisdiction] | None = None) -> Jurisdiction | None:
    """The user's office's jurisdiction (the widest, if several); else the widest they may see."""
    roots = list(roots) if roots is not None else weekly_roots(user)
    office_paths = sorted(standing_for(user).office_paths.values(), key=lambda p: (len(p), p))
    by_path = {j.path: j for j in roots}
    for path in office_paths:
        if path in by_path:
            return by_path[path]
    return roots[0] if roots else None


def weekly_jurisdiction_choices(*, roots: Sequence[Jurisdiction], depth: int = 2) -> list[Jurisdiction]:
    """The roots and the jurisdictions up to `depth` levels below them, in tree order."""
    out: list[Jurisdiction] = []
    seen: set[int] = set()
    for root in roots:
        below = (Jurisdiction.objects.filter(path__startswith=root.path)
                 .annotate(path_length=Length("path")).filter(path_length__lte=len(root.path) + depth * PATH_SEGMENT)
                 .order_by("path"))
        for node in below:
            if node.pk not in seen:
                seen.add(node.pk)
                out.append(node)
    return out


def weekly_may_see(*, roots: Sequence[Jurisdiction], jurisdiction: Jurisdiction) -> bool:
    return any(jurisdiction.path.startswith(root.path) for root in roots)


# --- the counts ----------------------------------------------------------------------------------


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _visible_subtree(*, user: User, jurisdiction: Jurisdiction) -> QuerySet[Clue]:
    return Clue.objects.visible_to(user).filter(jurisdiction_path__startswith=jurisdiction.path)


def weekly_count_rows(*, user: User, jurisdiction: Jurisdiction, weeks: Sequence[IsoWeek]) -> list[CountRow]:
    """Clues received per child of `jurisdiction` × category × week over `weeks`, grouped by the database."""
    if not weeks:
        return []
    first, last = min(weeks), max(weeks)
    child_len = len(jurisdiction.path) + PATH_SEGMENT
    grouped = (
        _visible_subtree(user=user, jurisdiction=jurisdiction)
        .filter(created_at__gte=day_start(first.monday), created_at__lt=day_start(last.sunday, plus_days=1))
        .exclude(state=State.DUPLICATE)
        .order_by()
        .annotate(node=Substr("jurisdiction_path", 1, child_len), week=TruncWeek("created_at"))
        .values("node", "category__code", "week")
        .annotate(count=Count("pk"))
    )
    found = list(grouped)
    nodes = {path: (code, name) for path, code, name in
             Jurisdiction.objects.filter(path__in={r["node"] for r in found}).values_list("path", "code", "name")}
    return [
        CountRow(*nodes.get(r["node"], (r["node"], r["node"])), r["category__code"] or UNCATEGORISED,
                 IsoWeek.of(_as_date(r["week"])), int(r["count"]))
        for r in found
    ]


def weekly_nodes(*, jurisdiction: Jurisdiction, rows: Sequence[CountRow]) -> tuple[Node, ...]:
    """This level (when clues are recorded at it, or when it has no children), then every child."""
    children = [Node(c.code, c.name, False) for c in Jurisdiction.objects.filter(parent=jurisdiction).order_by("code")]
    own = any(r.jurisdiction_code == jurisdiction.code for r in rows) or not children
    return (*([Node(jurisdiction.code, jurisdiction.name, True)] if own else []), *children)


# --- the clue lists ------------------------------------------------------------------------------


def _overdue_q(today: dt.date) -> Q:
    return Q(state__in=OPEN, deadline__lt=today)


def _repeated_q() -> Q:
    return Q(report_count__gte=2)


def _high_q() -> Q:
    return Q(priority__lte=HIGH_PRIORITY_AT_MOST)


def weekly_list_sizes(*, user: User, jurisdiction: Jurisdiction, today: dt.date) -> ListSizes:
    """How many clues each list holds in all (one aggregate query)."""
    in_hand = _visible_subtree(user=user, jurisdiction=jurisdiction).filter(state__in=IN_HAND_STATES)
    sizes = in_hand.aggregate(overdue=Count("pk", filter=_overdue_q(today)), repeated=Count("pk", filter=_repeated_q()),
                              high=Count("pk", filter=_high_q()))
    return ListSizes(int(sizes["overdue"]), int(sizes["repeated"]), int(sizes["high"]))


def _clue_line(clue: Clue) -> ClueLine:
    return ClueLine(
        pk=clue.pk, number=clue.number or "", title=clue.title, jurisdiction_name=clue.jurisdiction.name,
        category_name=str(clue.category) if clue.category else "", state=str(clue.get_state_display()),
        deadline=clue.deadline, report_count=clue.report_count, priority=clue.priority,
        priority_label=str(clue.get_priority_display()),
        analysed_score=score.score if (score := getattr(clue, "score", None)) is not None else None,
        analysed_level=score.level if score is not None else "",
    )


def weekly_clue_facts(*, user: User, jurisdiction: Jurisdiction, today: dt.date,
                      limit: int | None = None) -> tuple[list[ClueFact], dict[str, ClueLine]]:
    """The overdue, repeated and high-priority clues in hand (each list up to `limit`), as facts and lines."""
    limit = LIST_LIMIT if limit is None else limit
    in_hand = (
        _visible_subtree(user=user, jurisdiction=jurisdiction)
        .filter(state__in=IN_HAND_STATES)
        .select_related("jurisdiction", "category", "score")
    )
    picked: dict[int, Clue] = {}
    for condition, order in ((_overdue_q(today), ("deadline", "priority", "pk")),
                             (_repeated_q(), ("-report_count", "priority", "pk")),
                             (_high_q(), ("priority", "deadline", "pk"))):
        for clue in in_hand.filter(condition).order_by(*order)[:limit]:
            picked.setdefault(clue.pk, clue)
    facts, lines = [], {}
    for clue in picked.values():
        overdue = clue.state in OPEN and clue.deadline is not None and clue.deadline < today
        facts.append(ClueFact(
            id=str(clue.pk), deadline=clue.deadline, overdue=overdue, repeat_count=max(0, clue.report_count - 1),
            priority=clue.priority, title=clue.title, jurisdiction_code=clue.jurisdiction.code,
            category=clue.category.code if clue.category else UNCATEGORISED,
        ))
        lines[str(clue.pk)] = _clue_line(clue)
    return facts, lines


# --- all of it -----------------------------------------------------------------------------------


def _category_names() -> tuple[dict[str, str], dict[str, int]]:
    categories = list(OffenceCategory.objects.all())
    names = {c.code: str(c) for c in categories}
    order = {c.code: i for i, c in enumerate(categories)}
    order[UNCATEGORISED] = len(categories)
    return names, order


def weekly_data_for_user(*, user: User, jurisdiction: Jurisdiction, week: IsoWeek | dt.date | str,
                         trailing_weeks: int = 4, today: dt.date | None = None) -> WeeklyData:
    """The weekly analysis of `jurisdiction`'s subtree for `week`, as `user` may see it.

    The caller checks that the user may ask for this jurisdiction (`weekly_may_see`); the counts are
    limited to the clues the user may see in any case.
    """
    today = today or timezone.localdate()
    current = IsoWeek.of(week)
    weeks = [current.shifted(-k) for k in range(trailing_weeks, -1, -1)]
    rows = weekly_count_rows(user=user, jurisdiction=jurisdiction, weeks=weeks)
    facts, lines = weekly_clue_facts(user=user, jurisdiction=jurisdiction, today=today)
    analysis = weekly_analysis(rows=rows, clues=facts, week=current, trailing_weeks=trailing_weeks,
                               min_count=MIN_COUNT, min_ratio=MIN_RATIO, alpha=ALPHA,
                               high_priority_at_most=HIGH_PRIORITY_AT_MOST, as_of=today)
    names, order = _category_names()
    return WeeklyData(
        jurisdiction=jurisdiction, week=current, trailing_weeks=trailing_weeks, today=today,
        nodes=weekly_nodes(jurisdiction=jurisdiction, rows=rows), rows=tuple(rows), analysis=analysis,
        clues=lines, category_names=names, category_order=order,
        list_sizes=weekly_list_sizes(user=user, jurisdiction=jurisdiction, today=today),
    )
