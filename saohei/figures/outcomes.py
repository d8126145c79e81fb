"""Outcome figures (what clues turn into) for a jurisdiction subtree and a period, each traceable to
the rows it counts.

Every count is an aggregate (``Count``/``Sum`` with ``filter=``) over the records the user may see
(``saohei.cases.selectors``), a few queries per table, grouped by child jurisdiction; every count carries
the ledger link (URL name and query parameters, ``saohei.cases.filtersets``) that lists exactly the
rows counted. Voided records never count.

Definitions (period = ``[start, end]``, whole days, both ends included; a record belongs to the
subtree by its ``jurisdiction_path``):

- organisations destroyed (打掉), by type: cases with ``destroyed`` true and ``destroyed_on`` in the
  period whose ``organization_type`` is mafia-type organisation, evil-force group or evil-force gang.
- cases filed (立案), by type: cases with ``filed_on`` in the period whose ``organization_type`` is
  mafia-type organisation, evil-force gang or evil-force group (涉黑 / 涉恶 cases handled).
- cases solved (破案): criminal cases with ``solved_on`` in the period.
- suspects criminally detained (刑事拘留): suspects with ``detained_on`` in the period.
- suspects arrested (逮捕): suspects with ``arrested_on`` in the period.
- suspects captured (抓获): suspects detained or arrested, dated by the earlier of the two dates,
  that date in the period.
- suspects who surrendered (投案自首): captured suspects (as above, dated in the period) marked as
  having surrendered.
- assets sealed, seized or frozen (查封扣押冻结): the sum of ``amount`` (CNY) of the assets with
  ``secured_on`` in the period, whatever became of them later (confiscated, returned), and their
  number.
- prosecution and trial: cases with ``indicted_on`` / ``first_judgment_on`` /
  ``effective_judgment_on`` in the period (the day the case first reached the stage); persons
  indicted: suspects with ``indicted_on`` in the period; persons judged: suspects with
  ``judged_on`` (the judgment on the person: convicted or acquitted) in the period.
- protection cases (保护伞), only for users who may see them (``may_see_umbrellas``), otherwise
  absent (``None``), never zero: officials with ``opened_on`` in the period; sanctioned: outcome in
  ``SANCTIONED_OUTCOMES`` with ``outcome_on`` in the period; transferred to judicial organs: outcome
  ``transferred_judicial`` with ``outcome_on`` in the period.
- target fugitives (目标逃犯) — a running total, not a period count: listed: ``listed_on`` up to
  ``end``; of them listed before ``start`` ("earlier") and within the period ("new"); caught:
  listed up to ``end`` with an outcome in ``CAUGHT_OUTCOMES`` dated up to ``end``; arrest rate
  (到案率): caught ÷ listed.
- case rate (成案率): clues concluded (``signed_at`` in the period) linked to at least one case that
  is not voided ÷ clues concluded in the period.
- referred clues (上级交办): clues from a higher-office referral (``source`` = ``higher_referral``)
  created in the period; verified: those of them whose conclusion was signed by the end of the
  period.

A rate whose denominator is zero has no value (``None``), never a division error.

Where the counts come from. For a user who sees every record of the subtree (superusers, staff of
an office whose jurisdiction holds it) the cases, suspects, assets and concluded clues of the whole
months of the period are read from the monthly tallies (``saohei.figures.tallies``, ADR 0007) and only
the partial months at the ends of the period are counted from the rows; for everyone else, and for
referred clues, fugitives and umbrellas always, the counts come from the rows they may see, one
query per table and date range (``saohei.figures.outcome_counts``), grouped by child jurisdiction
(the prefix of ``jurisdiction_path``), which gives the breakdown and the totals at once.

Users whose offices hold the whole subtree see every record in it (``cases.selectors``,
``Clue.objects.visible_to``: office staff see their offices' subtrees), so for them the visibility
filter is left out: the same rows, without the joins that unit-level visibility needs.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from saohei.cases.choices import CaseKind
from saohei.cases.models import Asset, Case, Fugitive, Suspect, Umbrella
from saohei.cases.selectors import (
    asset_list_for_user,
    case_list_for_user,
    discipline_paths,
    fugitive_list_for_user,
    may_see_umbrellas,
    suspect_list_for_user,
    umbrella_list_for_user,
)
from saohei.clues.models import Clue
from saohei.figures.kpis import CLUE_LEDGER, Figure, LedgerRows, Params, Rate, User
from saohei.figures.outcome_counts import (
    DESTROYED_BY_TYPE,
    FILED_BY_TYPE,
    ORGANIZATION_TYPES,
    REFERRAL,
    SECURED,
    Grouped,
    fugitive_counts,
    referred_clue_counts,
    umbrella_counts,
)
from saohei.figures.tallies import (
    count_from_rows,
    count_from_tallies,
    month_end,
    outcome_tallies_refresh,
    period_parts,
    subtract,
)
from saohei.orgs.models import Jurisdiction
from saohei.orgs.policies import standing_for

CASE_LEDGER = "case-ledger"
SUSPECT_LEDGER = "suspect-ledger"
UMBRELLA_LEDGER = "umbrella-ledger"
ASSET_LEDGER = "asset-ledger"
FUGITIVE_LEDGER = "fugitive-ledger"

CENT = Decimal("0.01")

CASE_COUNTS: tuple[str, ...] = (
    "filed_mafia_type",
    "filed_evil_force_gang",
    "filed_evil_force_group",
    "destroyed_mafia_type",
    "destroyed_evil_force_gang",
    "destroyed_evil_force_group",
    "destroyed",
    "cases_solved",
    "cases_indicted",
    "cases_first_judgment",
    "cases_effective_judgment",
)
SUSPECT_COUNTS: tuple[str, ...] = (
    "suspects_detained",
    "suspects_arrested",
    "suspects_captured",
    "suspects_surrendered",
    "persons_indicted",
    "persons_judged",
)
FUGITIVE_COUNTS: tuple[str, ...] = (
    "fugitives_listed",
    "fugitives_listed_earlier",
    "fugitives_listed_new",
    "fugitives_caught",
)
CLUE_COUNTS: tuple[str, ...] = ("clues_concluded", "clues_formed_case", "clues_referred", "clues_referred_verified")
UMBRELLA_COUNTS: tuple[str, ...] = ("umbrellas_opened", "umbrellas_sanctioned", "umbrellas_transferred")
@dataclass(frozen=True)
class Amount(LedgerRows):
    """A sum of money in yuan, the number of records summed, and the ledger rows behind them."""

    value: Decimal
    count: int
    ledger: str
    params: Params
    linkable: bool = True


@dataclass(frozen=True)
class Protection:
    """Protective umbrellas: present only for users who may see protection cases."""

    opened: Figure
    sanctioned: Figure
    transferred: Figure


@dataclass(frozen=True)
class OutcomeSet:
    """The outcome counts of one jurisdiction subtree (or of one level) over the period."""

    filed_mafia_type: Figure
    filed_evil_force_gang: Figure
    filed_evil_force_group: Figure
    destroyed_mafia_type: Figure
    destroyed_evil_force_gang: Figure
    destroyed_evil_force_group: Figure
    destroyed: Figure
    cases_solved: Figure
    suspects_detained: Figure
    suspects_arrested: Figure
    suspects_captured: Figure
    suspects_surrendered: Figure
    assets_secured: Amount
    cases_indicted: Figure
    persons_indicted: Figure
    cases_first_judgment: Figure
    cases_effective_judgment: Figure
    persons_judged: Figure
    fugitives_listed: Figure
    fugitives_listed_earlier: Figure
    fugitives_listed_new: Figure
    fugitives_caught: Figure
    clues_concluded: Figure
    clues_formed_case: Figure
    clues_referred: Figure
    clues_referred_verified: Figure
    protection: Protection | None

    @property
    def fugitive_arrest_rate(self) -> Rate:
        return Rate(self.fugitives_caught, self.fugitives_listed)

    @property
    def case_rate(self) -> Rate:
        return Rate(self.clues_formed_case, self.clues_concluded)

    @property
    def referred_verified_rate(self) -> Rate:
        return Rate(self.clues_referred_verified, self.clues_referred)

    def destroyed_by_type(self) -> list[tuple[str, Figure]]:
        """(organisation type, figure) in the bulletins' order: mafia-type, gangs, groups."""
        return [(t, getattr(self, DESTROYED_BY_TYPE[t])) for t in ORGANIZATION_TYPES]


@dataclass(frozen=True)
class ChildOutcomes:
    """One row of the breakdown: a child jurisdiction, or the level itself (``own_level``)."""

    code: str
    name: str
    own_level: bool
    figures: OutcomeSet


@dataclass(frozen=True)
class OutcomeFigures:
    jurisdiction: Jurisdiction
    start: dt.date
    end: dt.date
    today: dt.date
    totals: OutcomeSet
    #: The years in which the fugitives listed before the period were listed (first, last), if any.
    earlier_listing_years: tuple[int, int] | None = None
    #: The states (sealed, seized, frozen) that the assets counted are in now, in that order.
    secured_states: tuple[str, ...] = ()
    by_child: list[ChildOutcomes] = field(default_factory=list)

    @property
    def protection_visible(self) -> bool:
        return self.totals.protection is not None


# --- links ---------------------------------------------------------------------------------------


def _period(prefix: str, start: dt.date, end: dt.date) -> Params:
    return ((f"{prefix}_from", start.isoformat()), (f"{prefix}_to", end.isoformat()))


def _links(code: str, start: dt.date, end: dt.date) -> dict[str, tuple[str, Params]]:
    """The ledger and filter parameters of every count (the jurisdiction parameter comes first)."""
    e = end.isoformat()
    destroyed = (("destroyed", "true"), *_period("destroyed", start, end))
    table: dict[str, tuple[str, Params]] = {
        DESTROYED_BY_TYPE[t]: (CASE_LEDGER, (("organization_type", t), *destroyed)) for t in ORGANIZATION_TYPES
    }
    table |= {
        FILED_BY_TYPE[t]: (CASE_LEDGER, (("organization_type", t), *_period("filed", start, end)))
        for t in ORGANIZATION_TYPES
    }
    table |= {
        "destroyed": (CASE_LEDGER, (*(("organization_type", t) for t in ORGANIZATION_TYPES), *destroyed)),
        "cases_solved": (CASE_LEDGER, (("kind", str(CaseKind.CRIMINAL)), *_period("solved", start, end))),
        "cases_indicted": (CASE_LEDGER, _period("indicted", start, end)),
        "cases_first_judgment": (CASE_LEDGER, _period("first_judgment", start, end)),
        "cases_effective_judgment": (CASE_LEDGER, _period("effective_judgment", start, end)),
        "suspects_detained": (SUSPECT_LEDGER, _period("detained", start, end)),
        "suspects_arrested": (SUSPECT_LEDGER, _period("arrested", start, end)),
        "suspects_captured": (SUSPECT_LEDGER, _period("captured", start, end)),
        "suspects_surrendered": (SUSPECT_LEDGER, (("surrendered", "true"), *_period("captured", start, end))),
        "persons_indicted": (SUSPECT_LEDGER, _period("indicted", start, end)),
        "persons_judged": (SUSPECT_LEDGER, _period("judged", start, end)),
        "assets_secured": (ASSET_LEDGER, _period("secured", start, end)),
        "umbrellas_opened": (UMBRELLA_LEDGER, _period("opened", start, end)),
        "umbrellas_sanctioned": (UMBRELLA_LEDGER, (("sanctioned", "true"), *_period("outcome", start, end))),
        "umbrellas_transferred": (UMBRELLA_LEDGER, (("transferred", "true"), *_period("outcome", start, end))),
        "fugitives_listed": (FUGITIVE_LEDGER, (("listed_to", e),)),
        "fugitives_listed_earlier": (
            FUGITIVE_LEDGER, (("listed_to", (start - dt.timedelta(days=1)).isoformat()),)
        ),
        "fugitives_listed_new": (FUGITIVE_LEDGER, _period("listed", start, end)),
        "fugitives_caught": (FUGITIVE_LEDGER, (("caught", "true"), ("outcome_to", e), ("listed_to", e))),
        "clues_concluded": (CLUE_LEDGER, _period("signed", start, end)),
        "clues_formed_case": (CLUE_LEDGER, (*_period("signed", start, end), ("formed_case", "true"))),
        "clues_referred": (CLUE_LEDGER, (("source", REFERRAL), *_period("created", start, end))),
        "clues_referred_verified": (
            CLUE_LEDGER, (("source", REFERRAL), *_period("created", start, end), ("signed_to", e))
        ),
    }
    return {name: (ledger, (("jurisdiction", code), *params)) for name, (ledger, params) in table.items()}


# --- the scope of each table ---------------------------------------------------------------------


def _holds(paths: Iterable[str], jurisdiction: Jurisdiction) -> bool:
    return any(jurisdiction.path.startswith(p) for p in paths)


def holds_subtree(*, user: User, jurisdiction: Jurisdiction) -> bool:
    """Whether the user sees every case, suspect, asset and clue of the subtree (superusers and staff
    of an office whose jurisdiction holds it)."""
    standing = standing_for(user)
    return standing.is_superuser or _holds(standing.all_office_paths, jurisdiction)


def _scope(
    user: User,
    jurisdiction: Jurisdiction,
    everything: QuerySet[Any],
    visible: Callable[[], QuerySet[Any]],
    paths: Iterable[str],
) -> QuerySet[Any]:
    """The records of the subtree the user may see: all of them when the user's ``paths`` hold it."""
    standing = standing_for(user)
    qs = everything if standing.is_superuser or _holds(paths, jurisdiction) else visible()
    return _in_subtree(qs, jurisdiction)


def _in_subtree(qs: QuerySet[Any], jurisdiction: Jurisdiction) -> QuerySet[Any]:
    """The records of the subtree. Every record lies under the national root: there the path test is
    left out, which lets PostgreSQL narrow a short period by the date indexes instead."""
    if jurisdiction.parent_id is None:
        return qs
    return qs.filter(jurisdiction_path__startswith=jurisdiction.path)


def _office_paths(user: User) -> list[str]:
    return standing_for(user).all_office_paths


def visible_cases(*, user: User, jurisdiction: Jurisdiction) -> QuerySet[Case]:
    everything = Case.objects.filter(voided_at__isnull=True)
    return _scope(user, jurisdiction, everything, lambda: case_list_for_user(user=user), _office_paths(user))


def visible_suspects(*, user: User, jurisdiction: Jurisdiction) -> QuerySet[Suspect]:
    everything = Suspect.objects.filter(voided_at__isnull=True)
    return _scope(user, jurisdiction, everything, lambda: suspect_list_for_user(user=user), _office_paths(user))


def visible_assets(*, user: User, jurisdiction: Jurisdiction) -> QuerySet[Asset]:
    everything = Asset.objects.filter(voided_at__isnull=True)
    return _scope(user, jurisdiction, everything, lambda: asset_list_for_user(user=user), _office_paths(user))


def visible_fugitives(*, user: User, jurisdiction: Jurisdiction) -> QuerySet[Fugitive]:
    everything = Fugitive.objects.filter(voided_at__isnull=True)
    return _scope(user, jurisdiction, everything, lambda: fugitive_list_for_user(user=user), _office_paths(user))


def visible_clues(*, user: User, jurisdiction: Jurisdiction) -> QuerySet[Clue]:
    """Clues of the subtree the user may see (``Clue.objects.visible_to``: office staff see their
    offices' subtrees, units the clues assigned to them)."""
    return _scope(user, jurisdiction, Clue.objects.all(), lambda: Clue.objects.visible_to(user), _office_paths(user))


def visible_umbrellas(*, user: User, jurisdiction: Jurisdiction) -> QuerySet[Umbrella]:
    everything = Umbrella.objects.filter(voided_at__isnull=True)
    paths = discipline_paths(standing_for(user))
    return _scope(user, jurisdiction, everything, lambda: umbrella_list_for_user(user=user), paths)


def _money(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT, rounding=ROUND_HALF_UP)


COUNT_NAMES: tuple[str, ...] = tuple(
    f.name for f in fields(OutcomeSet) if f.name not in {"assets_secured", "protection"}
)


def _outcome_set(
    code: str, start: dt.date, end: dt.date, counts: Mapping[str, Any], *, protection: bool, linkable: bool = True
) -> OutcomeSet:
    links = _links(code, start, end)
    values: dict[str, Any] = {
        name: Figure(int(counts.get(name) or 0), *links[name], linkable) for name in COUNT_NAMES
    }
    values["assets_secured"] = Amount(
        _money(counts.get("assets_amount")), int(counts.get("assets_count") or 0), *links["assets_secured"], linkable
    )
    values["protection"] = (
        Protection(*(Figure(int(counts.get(n) or 0), *links[n], linkable) for n in UMBRELLA_COUNTS))
        if protection
        else None
    )
    return OutcomeSet(**values)


def _sum(rows: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    total: dict[str, Any] = defaultdict(int)
    for row in rows:
        for k, v in row.items():
            if k in {"earliest", "latest"} or v is None:
                continue
            total[k] += v
    return total


def _count_with_tallies(*, jurisdiction: Jurisdiction, start: dt.date, end: dt.date, prefix_len: int,
                        out: Grouped) -> None:
    """Every record of the subtree counts: whole months from the tallies; a stretch of a month from its
    rows, or, when it covers most of the month, as the month's tally less the rows of the other days
    (the current month up to today is its whole tally less nothing: no record is dated in the future)."""
    outcome_tallies_refresh()
    path = jurisdiction.path
    parts = period_parts(start, end)
    if parts.first_month is not None and parts.last_month is not None:
        count_from_tallies(path=path, first_month=parts.first_month, last_month=parts.last_month,
                           prefix_len=prefix_len, out=out)
    scopes: dict[str, QuerySet[Any]] = {
        "case": _in_subtree(Case.objects.filter(voided_at__isnull=True), jurisdiction),
        "suspect": _in_subtree(Suspect.objects.filter(voided_at__isnull=True), jurisdiction),
        "asset": _in_subtree(Asset.objects.filter(voided_at__isnull=True), jurisdiction),
        "clue": _in_subtree(Clue.objects.all(), jurisdiction),
    }
    for part_start, part_end in parts.partial:
        month = part_start.replace(day=1)
        last = month_end(month)
        if (part_end - part_start).days * 2 < (last - month).days:
            count_from_rows(scopes=scopes, start=part_start, end=part_end, prefix_len=prefix_len, out=out)
            continue
        count_from_tallies(path=path, first_month=month, last_month=month, prefix_len=prefix_len, out=out)
        others: Grouped = defaultdict(dict)
        for other_start, other_end in ((month, part_start - dt.timedelta(days=1)),
                                       (part_end + dt.timedelta(days=1), last)):
            if other_start <= other_end:
                count_from_rows(scopes=scopes, start=other_start, end=other_end, prefix_len=prefix_len, out=others)
        subtract(out, others)


def outcome_figures(
    *, user: User, jurisdiction: Jurisdiction, start: dt.date, end: dt.date, tallies: bool = True
) -> OutcomeFigures:
    """The outcome figures of ``jurisdiction``'s subtree over ``[start, end]``, as ``user`` may see
    them: ``totals`` and the same per child jurisdiction in ``by_child`` (plus a row for records of
    the jurisdiction itself, if any). See the module docstring for the definitions.

    A user who sees every record of the subtree gets the whole months from the monthly tallies
    (``saohei.figures.tallies``); ``tallies=False`` counts everything from the rows (the tests
    compare the two)."""
    if end < start:
        raise ValueError("end before start")
    today = timezone.localdate()
    prefix_len = len(jurisdiction.path) + len("000000/")
    grouped: Grouped = defaultdict(dict)
    j = jurisdiction
    if tallies and holds_subtree(user=user, jurisdiction=j):
        _count_with_tallies(jurisdiction=j, start=start, end=end, prefix_len=prefix_len, out=grouped)
    else:
        scopes: dict[str, QuerySet[Any]] = {
            "case": visible_cases(user=user, jurisdiction=j),
            "suspect": visible_suspects(user=user, jurisdiction=j),
            "asset": visible_assets(user=user, jurisdiction=j),
            "clue": visible_clues(user=user, jurisdiction=j),
        }
        count_from_rows(scopes=scopes, start=start, end=end, prefix_len=prefix_len, out=grouped)
    referred_clue_counts(visible_clues(user=user, jurisdiction=j), start, end, prefix_len, grouped)
    years = fugitive_counts(visible_fugitives(user=user, jurisdiction=j), start, end, prefix_len, grouped)
    protection = may_see_umbrellas(user)
    if protection:
        umbrella_counts(visible_umbrellas(user=user, jurisdiction=j), start, end, prefix_len, grouped)

    totals = _sum(grouped.values())
    own = jurisdiction.path
    rows: list[ChildOutcomes] = []
    if own in grouped and any(v for k, v in grouped[own].items() if k not in {"earliest", "latest"}):
        rows.append(
            ChildOutcomes(
                jurisdiction.code,
                jurisdiction.name,
                True,
                _outcome_set(jurisdiction.code, start, end, grouped[own], protection=protection, linkable=False),
            )
        )
    for child in Jurisdiction.objects.filter(parent=jurisdiction).order_by("code"):
        counts = grouped.get(child.path, {})
        rows.append(
            ChildOutcomes(child.code, child.name, False,
                          _outcome_set(child.code, start, end, counts, protection=protection))
        )
    return OutcomeFigures(
        jurisdiction=jurisdiction,
        start=start,
        end=end,
        today=today,
        totals=_outcome_set(jurisdiction.code, start, end, totals, protection=protection),
        earlier_listing_years=years,
        secured_states=tuple(s for s in SECURED if totals.get(f"assets_{s}")),
        by_child=rows,
    )
