"""Assignment: single and dual, escalation (upgrade, off-site), return for rework, reopening."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saohei.clues.choices import AssignmentMode, AssignmentState, Track
from saohei.clues.deadlines import default_deadline
from saohei.clues.models import Assignment, Clue, Verification
from saohei.clues.services.common import (
    assignment_lock,
    check_move,
    clue_lock,
    clue_outcomes_stale,
    clue_refresh_from_tracks,
    clue_snapshot,
    record_move,
)
from saohei.clues.workflow import OFFICE_ROLES
from saohei.orgs.choices import UnitKind
from saohei.orgs.models import Unit
from saohei.orgs.policies import standing_for
from saohei.signoff.services import endorsements_void_stale

POLICE_KINDS = frozenset({UnitKind.POLICE_BUREAU, UnitKind.POLICE_STATION, UnitKind.CRIMINAL_BRIGADE})


def track_for_unit(unit: Unit) -> str:
    if unit.kind in POLICE_KINDS:
        return Track.POLICE
    if unit.kind == UnitKind.DISCIPLINE_COMMISSION:
        return Track.DISCIPLINE
    return Track.GENERAL


def _check_unit(*, clue: Clue, unit: Unit, actor: User, mode: str) -> None:
    if not unit.active:
        raise ValidationError(_("%(unit)s is no longer active.") % {"unit": unit.name})
    standing = standing_for(actor)
    unit_path = unit.jurisdiction.path
    if not standing.is_superuser and not standing.covers_path(unit_path, *OFFICE_ROLES, "office_director"):
        raise PermissionDenied(_("%(unit)s lies outside your office's jurisdiction.") % {"unit": unit.name})
    conflicted = [j for j in clue.conflict_jurisdictions.all() if unit_path.startswith(j.path)]
    if conflicted:
        raise ValidationError(
            _(
                "Conflict of interest: this clue names officials or units of %(place)s, so %(unit)s may not "
                "verify it. Escalate it upward or move it off-site."
            )
            % {"place": "、".join(j.name for j in conflicted), "unit": unit.name}
        )
    clue_path = clue.jurisdiction_path
    if mode == AssignmentMode.UPGRADE and not (clue_path.startswith(unit_path) and clue_path != unit_path):
        raise ValidationError(_("An upgrade goes to a unit of a higher jurisdiction than the clue's."))
    if mode == AssignmentMode.OFFSITE and (clue_path.startswith(unit_path) or unit_path.startswith(clue_path)):
        raise ValidationError(_("Off-site verification goes to a unit of another jurisdiction."))


def _deadline(*, clue: Clue, deadline: dt.date | None) -> dt.date:
    today = timezone.localdate()
    if deadline is None:
        return default_deadline(office=clue.office, category=clue.category, start=today)
    if deadline < today:
        raise ValidationError(_("The deadline cannot be in the past."))
    return deadline


def _open_track(*, clue: Clue, unit: Unit, actor: User, deadline: dt.date, mode: str, note: str,
                track: str | None = None) -> Assignment:
    assignment = Assignment.objects.create(
        clue=clue, unit=unit, track=track or track_for_unit(unit), mode=mode, assigned_by=actor,
        assigned_at=timezone.now(), deadline=deadline, note=note.strip(),
    )
    Verification.objects.create(assignment=assignment)
    return assignment


def clue_assign(*, clue: Clue, unit: Unit, actor: User, deadline: dt.date | None = None,
                note: str = "") -> Assignment:
    with transaction.atomic():
        clue = clue_lock(clue.pk)
        check_move(actor=actor, name="assign", clue=clue)
        _check_unit(clue=clue, unit=unit, actor=actor, mode=AssignmentMode.NORMAL)
        before = clue_snapshot(clue)
        assignment = _open_track(clue=clue, unit=unit, actor=actor, deadline=_deadline(clue=clue, deadline=deadline),
                                 mode=AssignmentMode.NORMAL, note=note)
        clue.assigned_at = assignment.assigned_at
        clue_refresh_from_tracks(clue)
        clue.save()
        record_move(clue=clue, actor=actor, action="assign", before=before, assignment=assignment, note=note,
                    data={"unit": unit.name, "deadline": assignment.deadline})
    return assignment


def clue_assign_dual(*, clue: Clue, police_unit: Unit, discipline_unit: Unit, actor: User,
                     deadline: dt.date | None = None, note: str = "") -> list[Assignment]:
    """Police track for the gang matter, discipline track for the protection matter."""
    if police_unit.kind not in POLICE_KINDS:
        raise ValidationError(_("The gang matter goes to a police unit."))
    if discipline_unit.kind != UnitKind.DISCIPLINE_COMMISSION:
        raise ValidationError(_("The protection matter goes to the discipline commission."))
    with transaction.atomic():
        clue = clue_lock(clue.pk)
        check_move(actor=actor, name="assign_dual", clue=clue)
        for unit in (police_unit, discipline_unit):
            _check_unit(clue=clue, unit=unit, actor=actor, mode=AssignmentMode.NORMAL)
        before = clue_snapshot(clue)
        due = _deadline(clue=clue, deadline=deadline)
        tracks = [
            _open_track(clue=clue, unit=police_unit, actor=actor, deadline=due, mode=AssignmentMode.NORMAL,
                        note=note, track=Track.POLICE),
            _open_track(clue=clue, unit=discipline_unit, actor=actor, deadline=due, mode=AssignmentMode.NORMAL,
                        note=note, track=Track.DISCIPLINE),
        ]
        clue.assigned_at = tracks[0].assigned_at
        clue_refresh_from_tracks(clue)
        clue.save()
        record_move(clue=clue, actor=actor, action="assign_dual", before=before, note=note,
                    data={"police": police_unit.name, "discipline": discipline_unit.name, "deadline": due})
    return tracks


def _end_track(assignment: Assignment, *, state: str, reason: str) -> None:
    assignment.active = False
    assignment.state = state
    assignment.ended_at = timezone.now()
    assignment.end_reason = reason
    assignment.save(update_fields=["active", "state", "ended_at", "end_reason"])


def clue_escalate(*, clue: Clue, actor: User, unit: Unit, mode: str, reason: str,
                  assignment_id: int | None = None, deadline: dt.date | None = None) -> Assignment:
    """Hand a track to a higher jurisdiction's unit (upgrade) or another jurisdiction's (off-site)."""
    if mode not in (AssignmentMode.UPGRADE, AssignmentMode.OFFSITE):
        raise ValidationError(_("Escalate upward or off-site."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for escalating."))
    with transaction.atomic():
        clue = clue_lock(clue.pk)
        current = assignment_lock(clue=clue, assignment_id=assignment_id)
        check_move(actor=actor, name="escalate", clue=clue, assignment=current)
        _check_unit(clue=clue, unit=unit, actor=actor, mode=mode)
        before = clue_snapshot(clue)
        _end_track(current, state=AssignmentState.ESCALATED, reason=reason)
        new = _open_track(clue=clue, unit=unit, actor=actor, deadline=_deadline(clue=clue, deadline=deadline),
                          mode=mode, note=reason, track=current.track)
        clue_refresh_from_tracks(clue)
        clue.save()
        record_move(clue=clue, actor=actor, action="escalate", before=before, assignment=new, note=reason,
                    data={"mode": mode, "from_unit": current.unit.name, "to_unit": unit.name})
    return new


def clue_return(*, clue: Clue, actor: User, reason: str, assignment_id: int | None = None,
                deadline: dt.date | None = None) -> Assignment:
    """Send a track back to its unit for more work; its signatures are voided."""
    if not reason.strip():
        raise ValidationError(_("Say what must be reworked."))
    with transaction.atomic():
        clue = clue_lock(clue.pk)
        current = assignment_lock(clue=clue, assignment_id=assignment_id)
        check_move(actor=actor, name="return", clue=clue, assignment=current)
        before = clue_snapshot(clue)
        verification = current.verification
        verification.revision += 1
        verification.conclusion = ""
        verification.concluded_at = None
        verification.save(update_fields=["revision", "conclusion", "concluded_at"])
        endorsements_void_stale(subject_type="verification", subject_id=verification.pk,
                                content=verification.signed_content(), actor=actor, reason=reason)
        current.state = AssignmentState.ASSIGNED
        if deadline is not None:
            current.deadline = _deadline(clue=clue, deadline=deadline)
        current.save(update_fields=["state", "deadline"])
        clue.conclusion = ""
        clue_refresh_from_tracks(clue)
        clue.save()
        record_move(clue=clue, actor=actor, action="return", before=before, assignment=current, note=reason)
    return current


def clue_reopen(*, clue: Clue, actor: User, unit: Unit, reason: str,
                deadline: dt.date | None = None) -> Assignment:
    """A closed clue (or one under review) goes back to verification under a new assignment."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for reopening."))
    with transaction.atomic():
        clue = clue_lock(clue.pk)
        check_move(actor=actor, name="reopen", clue=clue)
        _check_unit(clue=clue, unit=unit, actor=actor, mode=AssignmentMode.REOPEN)
        before = clue_snapshot(clue)
        for old in clue.assignments.filter(active=True):
            _end_track(old, state=old.state, reason=reason)
        new = _open_track(clue=clue, unit=unit, actor=actor, deadline=_deadline(clue=clue, deadline=deadline),
                          mode=AssignmentMode.REOPEN, note=reason)
        clue_outcomes_stale(clue)
        clue.review_pending = False
        clue.conclusion = ""
        clue.closed_at = None
        clue.signed_at = None
        clue.concluded_at = None
        clue.concluded_on_time = None
        clue.feedback_at = None
        clue.replied_at = None
        clue_refresh_from_tracks(clue)
        clue.save()
        record_move(clue=clue, actor=actor, action="reopen", before=before, assignment=new, note=reason,
                    data={"unit": unit.name})
    return new


