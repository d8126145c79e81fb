"""The clue page: facts, reports, tracks with their verification and signatures, moves, timeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from saohei.audit.canonical import sha256_hex
from saohei.clues.choices import AssignmentState, State
from saohei.clues.models import Assignment, Clue, Verification
from saohei.clues.policies import may_move, who_may
from saohei.clues.selectors import (
    clue_assignments,
    clue_get_for_user,
    clue_timeline,
    verification_endorsements,
)
from saohei.clues.workflow import MOVES, TRACK_TO_CLUE, Move, move_get
from saohei.signoff.models import Endorsement, SignoffStep
from saohei.signoff.services import next_step

SECONDARY_MOVES = frozenset(
    {
        "triage_duplicate",
        "triage_refer",
        "triage_invalid",
        "return",
        "escalate",
        "amend_conclusion",
        "report_progress",
        "acknowledge_repeat",
        "reopen",
        "supervise",
    }
)


@dataclass
class MoveButton:
    move: Move
    assignment: Assignment | None = None


@dataclass
class TrackView:
    assignment: Assignment
    verification: Verification | None
    endorsements: list[Endorsement] = field(default_factory=list)
    steps: list[SignoffStep] = field(default_factory=list)
    missing: list[SignoffStep] = field(default_factory=list)
    next_step: SignoffStep | None = None
    next_signers: list[AbstractBaseUser] = field(default_factory=list)
    content_hash: str = ""
    moves: list[MoveButton] = field(default_factory=list)


def _track_state_as_clue(assignment: Assignment) -> State | None:
    try:
        return TRACK_TO_CLUE.get(AssignmentState(assignment.state))
    except ValueError:
        return None


def available_moves(user: Any, clue: Clue, assignments: list[Assignment]) -> list[MoveButton]:
    """Every move the user may make now: clue moves once, track moves per active assignment."""
    buttons: list[MoveButton] = []
    active = [a for a in assignments if a.active]
    for move in MOVES:
        if move.level == "track":
            for a in active:
                if _track_state_as_clue(a) in move.sources and may_move(user, move, clue, a):
                    buttons.append(MoveButton(move, a))
        elif clue.state in move.sources:
            if move.name == "acknowledge_repeat" and not clue.review_pending:
                continue
            if may_move(user, move, clue):
                buttons.append(MoveButton(move))
    return buttons


def track_view(clue: Clue, assignment: Assignment) -> TrackView:
    verification: Verification | None = getattr(assignment, "verification", None)
    view = TrackView(assignment=assignment, verification=verification)
    if verification is None:
        return view
    view.endorsements = list(
        verification_endorsements(verification=verification)
        .select_related("signer__profile")
        .order_by("step__order", "signed_at", "pk")
    )
    view.content_hash = sha256_hex(verification.signed_content())
    policy = verification.policy
    if policy is not None:
        view.steps = list(policy.steps.order_by("order"))
        signed = {e.step_id for e in view.endorsements if e.voided_at is None}
        view.missing = [s for s in view.steps if s.pk not in signed]
        if assignment.active and assignment.state == AssignmentState.CONCLUDED:
            view.next_step = next_step(policy=policy, subject_type="verification", subject_id=verification.pk)
            if view.next_step is not None:
                signers: Any = who_may(move_get("sign"), clue, assignment)
                view.next_signers = list(signers.select_related("profile"))
    return view


def panel_context(request: HttpRequest, clue: Clue, notice: str = "") -> dict[str, Any]:
    assignments = clue_assignments(clue=clue)
    moves = available_moves(request.user, clue, assignments)
    tracks = [track_view(clue, a) for a in assignments]
    for t in tracks:
        t.moves = [m for m in moves if m.assignment is not None and m.assignment.pk == t.assignment.pk]
    reports = list(clue.reports.order_by("received_at", "pk"))
    return {
        "nav": "clues",
        "clue": clue,
        "clue_moves": [m for m in moves if m.assignment is None],
        "any_moves": bool(moves),
        "tracks": tracks,
        "active_tracks": [t for t in tracks if t.assignment.active],
        "ended_tracks": [t for t in tracks if not t.assignment.active],
        "reports": reports,
        "timeline": list(clue_timeline(clue=clue).select_related("actor__profile")),
        "conflicts": list(clue.conflict_jurisdictions.all()),
        "notice": notice,
        "secondary_moves": SECONDARY_MOVES,
    }


@login_required
@require_GET
def clue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    clue = clue_get_for_user(user=request.user, clue_id=pk)
    return render(request, "clues/detail.html", panel_context(request, clue))
