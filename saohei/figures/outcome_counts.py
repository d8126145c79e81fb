"""The counting queries behind the outcome figures (definitions: ``saohei.figures.outcomes``).

Each function adds to ``out`` the counts of the records of ``qs`` dated in ``[start, end]``, grouped
by the first ``prefix_len`` characters of their jurisdiction path. Counts of one period split into
parts add up to the counts of the whole, which lets ``saohei.figures.tallies`` keep whole months
pre-counted and count only the partial months at the ends of a period from the rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Substr

from saohei.cases.choices import (
    CAUGHT_OUTCOMES,
    SANCTIONED_OUTCOMES,
    AssetState,
    CaseKind,
    OrganizationType,
    UmbrellaOutcome,
)
from saohei.cases.models import Asset, Case, CaseClue, Fugitive, Suspect, Umbrella
from saohei.clues.models import Clue
from saohei.figures.kpis import day_start
from saohei.intake.choices import Channel

#: Organisation types in the order the bulletins name them.
ORGANIZATION_TYPES: tuple[str, ...] = (
    str(OrganizationType.MAFIA_TYPE),
    str(OrganizationType.EVIL_FORCE_GANG),
    str(OrganizationType.EVIL_FORCE_GROUP),
)
#: The states of a secured asset, in the order the bulletins name them (查封、扣押、冻结).
SECURED: tuple[str, ...] = (str(AssetState.SEALED), str(AssetState.SEIZED), str(AssetState.FROZEN))
CAUGHT: tuple[str, ...] = tuple(sorted(str(o) for o in CAUGHT_OUTCOMES))
SANCTIONED: tuple[str, ...] = tuple(sorted(str(o) for o in SANCTIONED_OUTCOMES))
REFERRAL = str(Channel.HIGHER_REFERRAL)
FILED_BY_TYPE: dict[str, str] = {
    str(OrganizationType.MAFIA_TYPE): "filed_mafia_type",
    str(OrganizationType.EVIL_FORCE_GANG): "filed_evil_force_gang",
    str(OrganizationType.EVIL_FORCE_GROUP): "filed_evil_force_group",
}
DESTROYED_BY_TYPE: dict[str, str] = {
    str(OrganizationType.MAFIA_TYPE): "destroyed_mafia_type",
    str(OrganizationType.EVIL_FORCE_GANG): "destroyed_evil_force_gang",
    str(OrganizationType.EVIL_FORCE_GROUP): "destroyed_evil_force_group",
}


def _on(field_name: str, start: dt.date, end: dt.date) -> Q:
    return Q(**{f"{field_name}__gte": start, f"{field_name}__lte": end})


Grouped = dict[str, dict[str, Any]]
#: Aggregates that are the earliest or latest of something rather than a count or sum.
EXTREMES = {"earliest": min, "latest": max}


def grouped_add(qs: QuerySet[Any], prefix_len: int, aggregates: Mapping[str, Any], out: Grouped) -> None:
    """Add the ``aggregates`` of ``qs`` grouped by the first ``prefix_len`` characters of the
    jurisdiction path to ``out``: counts and sums add up, so a period can be counted in parts."""
    rows = qs.order_by().annotate(node=Substr("jurisdiction_path", 1, prefix_len)).values("node").annotate(**aggregates)
    for row in rows:
        cell = out[row["node"]]
        for key in aggregates:
            value, held = row[key], cell.get(key)
            if value is None or held is None:
                cell[key] = held if value is None else value
            elif key in EXTREMES:
                cell[key] = EXTREMES[key](held, value)
            else:
                cell[key] = held + value


def case_counts(qs: QuerySet[Case], start: dt.date, end: dt.date, prefix_len: int, out: Grouped) -> None:
    destroyed = Q(destroyed=True) & _on("destroyed_on", start, end)
    dated = {
        "cases_solved": _on("solved_on", start, end) & Q(kind=CaseKind.CRIMINAL),
        "cases_indicted": _on("indicted_on", start, end),
        "cases_first_judgment": _on("first_judgment_on", start, end),
        "cases_effective_judgment": _on("effective_judgment_on", start, end),
    }
    aggregates: dict[str, Any] = {
        name: Count("pk", filter=destroyed & Q(organization_type=t)) for t, name in DESTROYED_BY_TYPE.items()
    }
    aggregates["destroyed"] = Count("pk", filter=destroyed & Q(organization_type__in=ORGANIZATION_TYPES))
    filed = _on("filed_on", start, end)
    aggregates |= {name: Count("pk", filter=filed & Q(organization_type=t)) for t, name in FILED_BY_TYPE.items()}
    aggregates |= {name: Count("pk", filter=q) for name, q in dated.items()}
    wanted = destroyed | filed
    for q in dated.values():
        wanted |= q
    grouped_add(qs.filter(wanted), prefix_len, aggregates, out)


def _captured(start: dt.date, end: dt.date) -> Q:
    """The earlier of the detention and arrest dates falls in the period (as the suspect ledger's
    ``captured_from``/``captured_to`` read it)."""
    return (
        (Q(detained_on__isnull=False) | Q(arrested_on__isnull=False))
        & (Q(detained_on__isnull=True) | Q(detained_on__gte=start))
        & (Q(arrested_on__isnull=True) | Q(arrested_on__gte=start))
        & (Q(detained_on__lte=end) | Q(arrested_on__lte=end))
    )


def suspect_counts(qs: QuerySet[Suspect], start: dt.date, end: dt.date, prefix_len: int, out: Grouped) -> None:
    """One pass over the suspects with any of the four dates in the period: persons indicted and
    judged have no date index, so a single scan beats one query per date."""
    dated = {
        "suspects_detained": _on("detained_on", start, end),
        "suspects_arrested": _on("arrested_on", start, end),
        "persons_indicted": _on("indicted_on", start, end),
        "persons_judged": _on("judged_on", start, end),
    }
    aggregates: dict[str, Any] = {name: Count("pk", filter=q) for name, q in dated.items()}
    aggregates["suspects_captured"] = Count("pk", filter=_captured(start, end))
    aggregates["suspects_surrendered"] = Count("pk", filter=Q(surrendered=True) & _captured(start, end))
    wanted = Q(pk__in=[])
    for q in dated.values():  # a capture in the period is a detention or an arrest in it
        wanted |= q
    grouped_add(qs.filter(wanted), prefix_len, aggregates, out)


def concluded_clue_counts(qs: QuerySet[Clue], start: dt.date, end: dt.date, prefix_len: int, out: Grouped) -> None:
    """Clues concluded (signed) in the period, and those of them that formed a case: each answerable
    from the index on ``signed_at`` rather than a scan of every clue; the clues that formed a case are
    the concluded clues with a link to a case that is not voided (a semi-join: each clue once)."""
    concluded = qs.filter(signed_at__gte=day_start(start), signed_at__lt=day_start(end + dt.timedelta(days=1)))
    grouped_add(concluded, prefix_len, {"clues_concluded": Count("pk")}, out)
    live_link = CaseClue.objects.filter(clue=OuterRef("pk"), case__voided_at__isnull=True)
    grouped_add(concluded.filter(Exists(live_link)), prefix_len, {"clues_formed_case": Count("pk")}, out)


def referred_clue_counts(qs: QuerySet[Clue], start: dt.date, end: dt.date, prefix_len: int, out: Grouped) -> None:
    """Clues referred by higher offices created in the period, and those of them signed by its end
    (from the index on ``created_at`` of referred clues)."""
    after_end = day_start(end + dt.timedelta(days=1))
    referred = qs.filter(source=REFERRAL, created_at__gte=day_start(start), created_at__lt=after_end)
    grouped_add(referred, prefix_len, {
        "clues_referred": Count("pk"),
        "clues_referred_verified": Count("pk", filter=Q(signed_at__lt=after_end)),
    }, out)


def asset_sums(qs: QuerySet[Asset], start: dt.date, end: dt.date, prefix_len: int, out: Grouped) -> None:
    aggregates: dict[str, Any] = {"assets_count": Count("pk"), "assets_amount": Sum("amount")}
    aggregates |= {f"assets_{state}": Count("pk", filter=Q(state=state)) for state in SECURED}
    grouped_add(qs.filter(_on("secured_on", start, end)), prefix_len, aggregates, out)


def fugitive_counts(
    qs: QuerySet[Fugitive], start: dt.date, end: dt.date, prefix_len: int, out: Grouped
) -> tuple[int, int] | None:
    earlier = Q(listed_on__lt=start)
    aggregates = {
        "fugitives_listed": Count("pk"),
        "fugitives_listed_earlier": Count("pk", filter=earlier),
        "fugitives_listed_new": Count("pk", filter=Q(listed_on__gte=start)),
        "fugitives_caught": Count("pk", filter=Q(outcome__in=CAUGHT, outcome_on__lte=end)),
        "earliest": Min("listed_on", filter=earlier),
        "latest": Max("listed_on", filter=earlier),
    }
    grouped_add(qs.filter(listed_on__lte=end), prefix_len, aggregates, out)
    firsts = [row["earliest"] for row in out.values() if row.get("earliest")]
    lasts = [row["latest"] for row in out.values() if row.get("latest")]
    if not firsts:
        return None
    return min(as_date(d) for d in firsts).year, max(as_date(d) for d in lasts).year


def umbrella_counts(qs: QuerySet[Umbrella], start: dt.date, end: dt.date, prefix_len: int, out: Grouped) -> None:
    decided = _on("outcome_on", start, end)
    opened = _on("opened_on", start, end)
    aggregates = {
        "umbrellas_opened": Count("pk", filter=opened),
        "umbrellas_sanctioned": Count("pk", filter=decided & Q(outcome__in=SANCTIONED)),
        "umbrellas_transferred": Count("pk", filter=decided & Q(outcome=UmbrellaOutcome.TRANSFERRED_JUDICIAL)),
    }
    grouped_add(qs.filter(opened | decided), prefix_len, aggregates, out)


def as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
