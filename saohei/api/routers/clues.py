"""Clues: the ledger (the same filters as the clue ledger), one clue, its timeline, and its moves."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Body, Path, Query, Router

from saohei.api.auth import caller
from saohei.api.errors import errors
from saohei.api.filters import filtered, query_schema
from saohei.api.routers.common import Id, PageParams, jurisdiction_by_code, page
from saohei.api.schemas import ClueDetail, ClueEventOut, CluePage, MoveName
from saohei.api.selectors import clue_get_for_caller
from saohei.clues.choices import AssignmentState
from saohei.clues.filtersets import ClueFilterSet
from saohei.clues.models import Assignment, Clue
from saohei.clues.policies import may_move
from saohei.clues.selectors import clue_assignments, clue_list_for_user, clue_timeline
from saohei.clues.services.transitions import clue_transition
from saohei.clues.workflow import MOVES, TRACK_TO_CLUE

router = Router(tags=["clues"])

ClueFilters = query_schema(ClueFilterSet, "ClueFilters")

MOVE_PARAMS = {
    "triage_valid": "category (code), priority (1-4), names_officials, conflict_jurisdictions (codes), note",
    "triage_duplicate": "duplicate_of (clue number or id), note",
    "triage_refer": "referred_to, note",
    "triage_invalid": "note",
    "assign": "unit (id), deadline (YYYY-MM-DD), note",
    "assign_dual": "police_unit, discipline_unit (ids), deadline, note",
    "start": "assignment (id, when the clue has several tracks)",
    "record_musts": "reporter_met (met, unreachable, not_applicable), reporter_met_note, content_rechecked, "
                    "content_recheck_note, feedback_planned, feedback_note, assignment",
    "conclude": "conclusion, finding, assignment",
    "amend_conclusion": "conclusion, finding, reason, assignment",
    "sign": "comment, assignment",
    "return": "reason, deadline, assignment",
    "escalate": "unit (id), mode (upgrade, offsite), reason, deadline, assignment",
    "report_progress": "text, assignment",
    "feedback": "text, or impossible_reason",
    "reply": "text",
    "close": "note",
    "acknowledge_repeat": "note",
    "uphold": "note",
    "reopen": "unit (id), reason, deadline",
    "supervise": "level (national, provincial, municipal, county), interval_days, note",
}


@router.get("/clues", response={200: CluePage, **errors(401, 403, 422)}, summary="List clues")
def clue_list(request: HttpRequest, filters: Query[ClueFilters],  # type: ignore[valid-type]
              paging: Query[PageParams]) -> dict[str, Any]:
    """The clues the caller may see, filtered and sorted exactly as the clue ledger does."""
    code = getattr(filters, "jurisdiction", None)
    if code:
        jurisdiction_by_code(code, field="jurisdiction")
    qs = filtered(ClueFilterSet, filters, clue_list_for_user(user=caller(request)).select_related("score"), request)
    return page(qs, paging)


def moves_for(user: Any, clue: Clue, assignments: list[Assignment]) -> list[str]:
    """The moves `user` may make on the clue as it stands."""
    active = [a for a in assignments if a.active]
    names = []
    for move in MOVES:
        if move.level == "track":
            tracks = [a for a in active if TRACK_TO_CLUE.get(AssignmentState(a.state)) in move.sources]
            if any(may_move(user, move, clue, a) for a in tracks):
                names.append(move.name)
        elif clue.state in move.sources and may_move(user, move, clue):
            names.append(move.name)
    return names


def with_detail(user: Any, clue: Clue) -> Clue:
    """The clue, carrying its assignments and the caller's moves for ClueDetail."""
    assignments = clue_assignments(clue=clue)
    clue._api_assignments = [  # type: ignore[attr-defined]
        {
            "id": a.pk, "track": a.track, "unit_id": a.unit_id, "unit_name": a.unit.name, "mode": a.mode,
            "state": a.state, "active": a.active, "deadline": a.deadline, "assigned_at": a.assigned_at,
            "conclusion": a.verification.conclusion if hasattr(a, "verification") else "",
            "signed_at": a.verification.signed_at if hasattr(a, "verification") else None,
        }
        for a in assignments
    ]
    clue._api_moves = moves_for(user, clue, assignments)  # type: ignore[attr-defined]
    return clue


@router.get("/clues/{clue_id}", response={200: ClueDetail, **errors(401, 403, 404, 422)}, summary="One clue")
def clue_detail(request: HttpRequest, clue_id: Id) -> Clue:
    """The clue with its assignments and the moves the caller may make; 404 when missing or not visible."""
    user = caller(request)
    return with_detail(user, clue_get_for_caller(user=user, clue_id=clue_id))


@router.get("/clues/{clue_id}/events", response={200: list[ClueEventOut], **errors(401, 403, 404, 422)},
            summary="The clue's timeline")
def clue_events(request: HttpRequest, clue_id: Id) -> list[Any]:
    """Every move made on the clue, oldest first."""
    clue = clue_get_for_caller(user=caller(request), clue_id=clue_id)
    return list(clue_timeline(clue=clue))


@router.post(
    "/clues/{clue_id}/transitions/{name}",
    response={200: ClueDetail, **errors(400, 401, 403, 404, 409, 422)},
    summary="Make a move",
    description=(
        "Make the move `name` on the clue with the parameters in the JSON body. Answers 409 when the move "
        "is not possible from the clue's state, 403 when the caller may not make it, 422 when a parameter "
        "is missing or wrong (with the reason in the caller's language).\n\nParameters per move:\n\n"
        + "\n".join(f"- `{name}`: {params}" for name, params in MOVE_PARAMS.items())
    ),
)
def clue_move(request: HttpRequest, clue_id: Id,
              name: Path[MoveName],  # type: ignore[valid-type]
              params: Body[dict[str, Any]]) -> Clue:
    user = caller(request)
    clue = clue_get_for_caller(user=user, clue_id=clue_id)
    with transaction.atomic():
        clue = clue_transition(clue=clue, name=str(name), actor=user, params=params)
    # The caller acted on it, so they are shown it, even when their signature ended their part in it.
    return with_detail(user, clue)
