"""The case page: the organisation, offences, stages, consultations, suspects, assets, fugitives, the clues it
was formed from, and "one case, three investigations" — with the actions each user may take."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from saohei.cases.choices import SECURED_STATES, AssetState, Custody
from saohei.cases.models import Asset, Case, CaseStage, CustodyChange, Fugitive, Umbrella
from saohei.cases.selectors import case_get_for_user, review_list_for_user, umbrella_visibility_filter
from saohei.cases.views.actions import CASE_ACTIONS, Action, CasePerms, actions_for
from saohei.clues.models import Clue

CAPTURED = frozenset({Custody.DETAINED, Custody.ARRESTED})


@dataclass
class Row:
    """A record of the case with the actions the user may take on it."""

    record: Any
    actions: list[Action] = field(default_factory=list)


@dataclass
class ClueRow:
    clue: Clue
    visible: bool


def _rows(perms: CasePerms, case: Case, records: list[Any]) -> list[Row]:
    return [Row(r, actions_for(perms, case, r)) for r in records]


def asset_totals(assets: list[Asset]) -> dict[str, Decimal]:
    live = [a for a in assets if a.voided_at is None]

    def total(states: frozenset[str] | set[str]) -> Decimal:
        return sum((a.amount for a in live if a.state in states), Decimal("0"))

    return {
        "secured": total(SECURED_STATES),
        "confiscated": total({AssetState.CONFISCATED}),
        "returned": total({AssetState.RETURNED}),
        "all": total(set(AssetState.values)),
    }


def page_context(request: HttpRequest, case: Case, notice: str = "") -> dict[str, Any]:
    user = request.user
    perms = CasePerms.of(user, case)
    case_actions = [a for a in CASE_ACTIONS if a.allowed(perms, case, None)]
    stages = list(CaseStage.objects.filter(case=case).select_related("unit__jurisdiction", "recorded_by__profile")
                  .order_by("started_on", "pk"))
    suspects = list(case.suspects.prefetch_related(
        Prefetch("custody_changes", queryset=CustodyChange.objects.select_related("unit").order_by("on", "pk"))
    ).order_by("voided_at", "pk"))
    assets = list(case.assets.prefetch_related("changes").order_by("voided_at", "pk"))
    fugitives = list(Fugitive.objects.filter(case=case).select_related("pursuit_team", "suspect")
                     .order_by("voided_at", "-listed_on", "pk"))
    umbrellas: list[Umbrella] = []
    if perms.umbrellas:
        umbrellas = list(Umbrella.objects.filter(umbrella_visibility_filter(user), case=case)
                         .select_related("handling_unit", "clue").order_by("voided_at", "opened_on", "pk"))
    visible_clues = set(Clue.objects.visible_to(user).filter(case_links__case=case).values_list("pk", flat=True))
    clue_rows = [ClueRow(link.clue, link.clue_id in visible_clues)
                 for link in case.clue_links.select_related("clue").order_by("linked_at", "pk")]
    live_suspects = [s for s in suspects if s.voided_at is None]
    return {
        "nav": "cases",
        "case": case,
        "perms": perms,
        "notice": notice,
        "case_actions": [a for a in case_actions if not a.secondary],
        "secondary_actions": [a for a in case_actions if a.secondary],
        "offences": list(case.offences.all()),
        "stages": stages,
        "consultations": list(case.consultations.prefetch_related("participants").order_by("held_on", "pk")),
        "suspects": _rows(perms, case, suspects),
        "captured": sum(1 for s in live_suspects if s.detained_on or s.arrested_on),
        "live_suspects": len(live_suspects),
        "assets": _rows(perms, case, assets),
        "asset_totals": asset_totals(assets),
        "fugitives": _rows(perms, case, fugitives),
        "umbrellas": _rows(perms, case, umbrellas),
        "clue_rows": clue_rows,
        "reviews": list(review_list_for_user(user=user).filter(case=case)),
    }


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for_user(user=request.user, case_id=pk)
    return render(request, "cases/detail.html", page_context(request, case))

