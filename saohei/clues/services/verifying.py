"""Verification: start, the three musts, conclusion, amendment, sign-off in order, progress reports."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saohei.clues.choices import AssignmentState, Conclusion, ReporterMet, State
from saohei.clues.models import Assignment, Clue
from saohei.clues.services.common import (
    assignment_lock,
    check_move,
    clue_lock,
    clue_outcomes_stale,
    clue_refresh_from_tracks,
    clue_snapshot,
    record_move,
)
from saohei.signoff.models import Endorsement
from saohei.signoff.services import chain_complete, endorsement_sign, endorsements_void_stale, policy_for

# The most serious conclusion of any track is the clue's.
CONCLUSION_ORDER = [Conclusion.SUBSTANTIATED, Conclusion.PARTLY, Conclusion.UNVERIFIABLE, Conclusion.UNSUBSTANTIATED]


def clue_start(*, clue: Clue, actor: User, assignment_id: int | None = None) -> Assignment:
    with transaction.atomic():
        clue = clue_lock(clue.pk)
        track = assignment_lock(clue=clue, assignment_id=assignment_id)
        check_move(actor=actor, name="start", clue=clue, assignment=track)
        before = clue_snapshot(clue)
        track.state = AssignmentState.VERIFYING
        track.save(update_fields=["state"])
        verification = track.verification
        verification.started_at = timezone.now()
        verification.started_by = actor
        verification.save(update_fields=["started_at", "started_by"])
        clue_refresh_from_tracks(clue)
        clue.save()
        record_move(clue=clue, actor=actor, action="start", before=before, assignment=track)
    return track


def clue_record_musts(
    *,
    clue: Clue,
    actor: User,
    reporter_met: str,
    reporter_met_note: str,
    content_rechecked: bool,
    content_recheck_note: str,
    feedback_planned: bool,
    feedback_note: str = "",
    assignment_id: int | None = None,
) -> Assignment:
    """The three musts: reporter met and questioned, content re-checked, feedback arranged."""
    if reporter_met not in ReporterMet.values:
        raise ValidationError(_("Unknown answer for meeting the reporter."))
    if reporter_met in (ReporterMet.MET, ReporterMet.UNREACHABLE) and not reporter_met_note.strip():
        raise ValidationError(_("Say when and how the reporter was met, or how you tried to reach them."))
    if content_rechecked and not content_recheck_note.strip():
        raise ValidationError(_("Say how the reported content was re-checked."))
    with transaction.atomic():
        clue = clue_lock(clue.pk)
        track = assignment_lock(clue=clue, assignment_id=assignment_id)
        check_move(actor=actor, name="record_musts", clue=clue, assignment=track)
        public = clue.reports.filter(channel__in=_public_channels()).exists()
        if reporter_met == ReporterMet.NOT_APPLICABLE and public:
            raise ValidationError(_("This clue came from the public: the reporter must be met if reachable."))
        before = clue_snapshot(clue)
        v = track.verification
        v.reporter_met, v.reporter_met_note = reporter_met, reporter_met_note.strip()
        v.content_rechecked, v.content_recheck_note = content_rechecked, content_recheck_note.strip()
        v.feedback_planned, v.feedback_note = feedback_planned, feedback_note.strip()
        v.save()
        record_move(clue=clue, actor=actor, action="record_musts", before=before, assignment=track,
                    data={"reporter_met": reporter_met, "content_rechecked": content_rechecked,
                          "feedback_planned": feedback_planned})
    return track


def _public_channels() -> list[str]:
    from saohei.intake.choices import PUBLIC_CHANNELS

    return list(PUBLIC_CHANNELS)


def _set_clue_conclusion(clue: Clue) -> None:
    conclusions = [
        c for c in clue.assignments.filter(active=True).values_list("verification__conclusion", flat=True) if c
    ]
    clue.conclusion = min(conclusions, key=CONCLUSION_ORDER.index) if conclusions else ""


def clue_conclude(*, clue: Clue, actor: User, conclusion: str, finding: str,
                  assignment_id: int | None = None) -> Assignment:
    if conclusion not in Conclusion.values:
        raise ValidationError(_("Unknown conclusion."))
    if len(finding.strip()) < 10:
        raise ValidationError(_("Write the finding: what was checked and what was found."))
    with transaction.atomic():
        clue = clue_lock(clue.pk)
        track = assignment_lock(clue=clue, assignment_id=assignment_id)
        check_move(actor=actor, name="conclude", clue=clue, assignment=track)
        v = track.verification
        if v.reporter_met == ReporterMet.PENDING or not v.content_rechecked:
            raise ValidationError(
                _("Record the three musts first: the reporter met (or why not) and the content re-checked.")
            )
        policy = policy_for(unit=track.unit, subject_type="verification", track=track.track,
                            category_code=clue.category.code if clue.category else "")
        if policy is None or not policy.steps.exists():
            raise ValidationError(_("No sign-off policy applies to %(unit)s: ask the office to configure one.")
                                  % {"unit": track.unit.name})
        before = clue_snapshot(clue)
        v.conclusion, v.finding = conclusion, finding.strip()
        v.concluded_at, v.concluded_by, v.policy = timezone.now(), actor, policy
        v.revision += 1
        v.save()
        track.state = AssignmentState.CONCLUDED
        track.save(update_fields=["state"])
        _set_clue_conclusion(clue)
        clue_refresh_from_tracks(clue)
        if clue.state == State.CONCLUDED:
            clue.concluded_at = timezone.now()
        clue.save()
        record_move(clue=clue, actor=actor, action="conclude", before=before, assignment=track,
                    note=finding.strip(), data={"conclusion": conclusion, "policy": policy.name})
    return track


def clue_amend_conclusion(*, clue: Clue, actor: User, conclusion: str, finding: str, reason: str,
                          assignment_id: int | None = None) -> Assignment:
    """Change a conclusion under sign-off: the signatures over the old text are voided."""
    if conclusion not in Conclusion.values:
        raise ValidationError(_("Unknown conclusion."))
    if not reason.strip():
        raise ValidationError(_("Say why the conclusion changes."))
    with transaction.atomic():
        clue = clue_lock(clue.pk)
        track = assignment_lock(clue=clue, assignment_id=assignment_id)
        check_move(actor=actor, name="amend_conclusion", clue=clue, assignment=track)
        before = clue_snapshot(clue)
        v = track.verification
        old = {"conclusion": v.conclusion, "finding": v.finding}
        v.conclusion, v.finding = conclusion, finding.strip()
        v.revision += 1
        v.save(update_fields=["conclusion", "finding", "revision"])
        voided = endorsements_void_stale(subject_type="verification", subject_id=v.pk, content=v.signed_content(),
                                         actor=actor, reason=reason)
        _set_clue_conclusion(clue)
        clue.save()
        record_move(clue=clue, actor=actor, action="amend_conclusion", before=before, assignment=track,
                    note=reason, data={"old": old, "voided_signatures": voided})
    return track


def clue_sign(*, clue: Clue, actor: User, comment: str = "",
              assignment_id: int | None = None) -> Endorsement:
    """The next chief of the chain signs the conclusion; the last signature makes the track signed."""
    with transaction.atomic():
        clue = clue_lock(clue.pk)
        if assignment_id is None:
            candidates = [a for a in clue.assignments.filter(active=True, state=AssignmentState.CONCLUDED)]
            assignment_id = candidates[0].pk if len(candidates) == 1 else None
        track = assignment_lock(clue=clue, assignment_id=assignment_id)
        check_move(actor=actor, name="sign", clue=clue, assignment=track)
        before = clue_snapshot(clue)
        v = track.verification
        assert v.policy is not None
        endorsement = endorsement_sign(policy=v.policy, subject_type="verification", subject_id=v.pk,
                                       content=v.signed_content(), assigned_unit=track.unit, actor=actor,
                                       comment=comment)
        if chain_complete(policy=v.policy, subject_type="verification", subject_id=v.pk, content=v.signed_content()):
            track.state = AssignmentState.SIGNED
            track.save(update_fields=["state"])
            v.signed_at = timezone.now()
            v.save(update_fields=["signed_at"])
        clue_refresh_from_tracks(clue)
        if clue.state == State.SIGNED:
            clue.signed_at = timezone.now()
            tracks = clue.assignments.filter(active=True).values_list("deadline", "verification__concluded_at")
            clue.concluded_on_time = all(
                concluded is not None and timezone.localdate(concluded) <= deadline for deadline, concluded in tracks
            )
            clue.deadline = None
        clue.save()
        clue_outcomes_stale(clue)
        record_move(clue=clue, actor=actor, action="sign", before=before, assignment=track, note=comment,
                    data={"step": endorsement.step.title, "content_hash": endorsement.content_hash})
    return endorsement


def clue_report_progress(*, clue: Clue, actor: User, text: str,
                         assignment_id: int | None = None) -> Assignment:
    """A progress report on a supervised clue; the next one falls due after the interval."""
    if len(text.strip()) < 4:
        raise ValidationError(_("Write the progress report."))
    with transaction.atomic():
        clue = clue_lock(clue.pk)
        track = assignment_lock(clue=clue, assignment_id=assignment_id)
        check_move(actor=actor, name="report_progress", clue=clue, assignment=track)
        before = clue_snapshot(clue)
        if clue.supervision_interval_days:
            clue.supervision_next_due = timezone.localdate() + dt.timedelta(days=clue.supervision_interval_days)
            clue.save(update_fields=["supervision_next_due", "updated_at"])
        record_move(clue=clue, actor=actor, action="report_progress", before=before, assignment=track,
                    note=text.strip())
    return track
