"""What every move does: lock, check who and where, write the timeline and the audit chain."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from saohei.audit.canonical import jsonable
from saohei.audit.services import audit_record
from saohei.clues.choices import AssignmentState, State
from saohei.clues.models import Assignment, Clue, ClueEvent
from saohei.clues.policies import may_move
from saohei.clues.workflow import TRACK_TO_CLUE, Move, Scope, clue_state_from_tracks, move_get
from saohei.core.tallies import tally_stale_mark
from saohei.signoff.services import next_step


class TransitionRefused(ValidationError):
    """The move is not possible from where the clue stands."""


def clue_outcomes_stale(clue: Clue) -> None:
    """The month the clue was concluded in must be counted again (conclusion, reopening, a case link)."""
    tally_stale_mark(path=clue.jurisdiction_path, moments=[clue.signed_at])


def clue_snapshot(clue: Clue) -> dict[str, Any]:
    return {
        "state": clue.state,
        "category": clue.category.code if clue.category_id and clue.category else None,
        "priority": clue.priority,
        "deadline": clue.deadline,
        "conclusion": clue.conclusion,
        "report_count": clue.report_count,
        "review_pending": clue.review_pending,
        "supervision_level": clue.supervision_level,
    }


def clue_lock(clue_id: int) -> Clue:
    # of=("self",): PostgreSQL refuses FOR UPDATE on the nullable side of the joins to office and category.
    locked = Clue.objects.select_for_update(of=("self",))
    return locked.select_related("office__jurisdiction", "category").get(pk=clue_id)


def assignment_lock(*, clue: Clue, assignment_id: int | None) -> Assignment:
    active = clue.assignments.select_for_update(of=("self",)).filter(active=True).select_related("unit__parent__parent")
    if assignment_id is None:
        tracks = list(active)
        if len(tracks) != 1:
            raise ValidationError(_("This clue has several tracks: say which assignment the move is for."))
        return tracks[0]
    found = active.filter(pk=assignment_id).first()
    if found is None:
        raise ValidationError(_("No such active assignment on this clue."))
    return found


def check_move(*, actor: User, name: str, clue: Clue, assignment: Assignment | None = None) -> Move:
    move = move_get(name)
    if move.level == "track":
        if assignment is None:
            raise ValidationError(_("This move needs an assignment."))
        current = TRACK_TO_CLUE.get(AssignmentState(assignment.state))
        if current not in move.sources:
            raise TransitionRefused(
                _("“%(move)s” is not possible while this track is %(state)s.")
                % {"move": move.label, "state": AssignmentState(assignment.state).label}
            )
    elif clue.state not in move.sources:
        raise TransitionRefused(
            _("“%(move)s” is not possible while the clue is %(state)s.")
            % {"move": move.label, "state": State(clue.state).label}
        )
    if not may_move(actor, move, clue, assignment):
        if move.scope is Scope.SIGNOFF_CHAIN and assignment is not None:
            _refuse_signature(assignment)
        raise PermissionDenied(_("You may not %(move)s this clue.") % {"move": move.label})
    return move


def _refuse_signature(assignment: Assignment) -> None:
    verification = assignment.verification
    if verification.policy is None:
        return
    step = next_step(policy=verification.policy, subject_type="verification", subject_id=verification.pk)
    if step is not None:
        raise PermissionDenied(
            _("The next signature is that of the %(title)s; you do not hold that position.") % {"title": step.title}
        )


def record_move(
    *,
    clue: Clue,
    actor: User | None,
    action: str,
    before: dict[str, Any],
    assignment: Assignment | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> ClueEvent:
    """The timeline entry and the audit event of a move, in the caller's transaction."""
    after = clue_snapshot(clue)
    event = ClueEvent.objects.create(
        clue=clue,
        occurred_at=timezone.now(),
        actor=actor,
        action=action,
        from_state=before.get("state", ""),
        to_state=clue.state,
        assignment=assignment,
        note=note,
        data=jsonable(data or {}),
    )
    audit_record(
        actor=actor,
        action=f"clue.{action}",
        object_type="clue",
        object_id=clue.pk,
        before=before,
        after={**after, **({"assignment": assignment.pk} if assignment else {}), **(data or {})},
        reason=note,
    )
    return event


def clue_refresh_from_tracks(clue: Clue) -> None:
    """Set the clue's state and deadline from its active tracks (does not save)."""
    tracks = list(clue.assignments.filter(active=True).values_list("state", "deadline"))
    clue.state = clue_state_from_tracks([s for s, _d in tracks])
    open_deadlines = [d for s, d in tracks if s in (AssignmentState.ASSIGNED, AssignmentState.VERIFYING)]
    clue.deadline = min(open_deadlines) if open_deadlines else None
