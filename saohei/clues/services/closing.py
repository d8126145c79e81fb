"""After sign-off: feedback to the reporter, reply upward, close; repeat-report review; supervision."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saohei.clues.choices import State, SupervisionLevel
from saohei.clues.models import Clue
from saohei.clues.services.common import check_move, clue_lock, clue_snapshot, record_move
from saohei.intake.choices import PUBLIC_CHANNELS


def clue_feedback(*, clue: Clue, actor: User, text: str = "", impossible_reason: str = "") -> Clue:
    """What the reporters are told; or why nobody could be told."""
    if bool(text.strip()) == bool(impossible_reason.strip()):
        raise ValidationError(_("Write the feedback, or say why no feedback can be given — one of the two."))
    with transaction.atomic():
        clue = clue_lock(clue.pk)
        check_move(actor=actor, name="feedback", clue=clue)
        reachable = clue.reports.filter(channel__in=list(PUBLIC_CHANNELS), reporter__reachable=True,
                                        voided_at__isnull=True)
        if impossible_reason.strip() and reachable.exists():
            raise ValidationError(_("A reporter of this clue can be reached: feedback must be given."))
        before = clue_snapshot(clue)
        now = timezone.now()
        clue.feedback_text = text.strip()
        clue.feedback_impossible_reason = impossible_reason.strip()
        clue.feedback_at = now
        clue.save()
        given = reachable.filter(feedback_at__isnull=True).update(feedback_at=now) if text.strip() else 0
        record_move(clue=clue, actor=actor, action="feedback", before=before,
                    note=text.strip() or impossible_reason.strip(), data={"reports_told": given})
    return clue


def clue_reply(*, clue: Clue, actor: User, text: str) -> Clue:
    """The verifying unit's reply to the office that assigned the clue."""
    if len(text.strip()) < 4:
        raise ValidationError(_("Write the reply to the assigning office."))
    with transaction.atomic():
        clue = clue_lock(clue.pk)
        check_move(actor=actor, name="reply", clue=clue)
        before = clue_snapshot(clue)
        clue.reply_text = text.strip()
        clue.replied_at = timezone.now()
        clue.save()
        record_move(clue=clue, actor=actor, action="reply", before=before, note=text.strip())
    return clue


def clue_close(*, clue: Clue, actor: User, note: str = "") -> Clue:
    with transaction.atomic():
        clue = clue_lock(clue.pk)
        check_move(actor=actor, name="close", clue=clue)
        missing = []
        if clue.feedback_at is None:
            missing.append(str(_("feedback to the reporter")))
        if clue.replied_at is None:
            missing.append(str(_("the reply to the assigning office")))
        if missing:
            raise ValidationError(_("Cannot close yet: %(missing)s missing.") % {"missing": "; ".join(missing)})
        if clue.review_pending:
            raise ValidationError(_("A repeat report awaits review: review it before closing."))
        before = clue_snapshot(clue)
        clue.state = State.CLOSED
        clue.closed_at = timezone.now()
        clue.save()
        record_move(clue=clue, actor=actor, action="close", before=before, note=note)
    return clue


def clue_acknowledge_repeat(*, clue: Clue, actor: User, note: str) -> Clue:
    """The repeat report brings nothing that changes the conclusion under way."""
    if not note.strip():
        raise ValidationError(_("Record what the review found."))
    with transaction.atomic():
        clue = clue_lock(clue.pk)
        check_move(actor=actor, name="acknowledge_repeat", clue=clue)
        if not clue.review_pending:
            raise ValidationError(_("No repeat report awaits review."))
        before = clue_snapshot(clue)
        clue.review_pending = False
        clue.save()
        record_move(clue=clue, actor=actor, action="acknowledge_repeat", before=before, note=note.strip())
    return clue


def clue_uphold(*, clue: Clue, actor: User, note: str) -> Clue:
    """The review confirms the earlier conclusion; the clue closes again."""
    if not note.strip():
        raise ValidationError(_("Record why the conclusion stands."))
    with transaction.atomic():
        clue = clue_lock(clue.pk)
        check_move(actor=actor, name="uphold", clue=clue)
        before = clue_snapshot(clue)
        clue.review_pending = False
        clue.state = State.CLOSED
        clue.save()
        record_move(clue=clue, actor=actor, action="uphold", before=before, note=note.strip())
    return clue


def clue_supervise(*, clue: Clue, actor: User, level: str, interval_days: int, note: str = "") -> Clue:
    """A higher office puts the clue under supervision and sets the progress-report interval."""
    if level not in SupervisionLevel.values or not level:
        raise ValidationError(_("Choose the supervision level."))
    if not 1 <= interval_days <= 180:
        raise ValidationError(_("Progress reports are due every 1 to 180 days."))
    with transaction.atomic():
        clue = clue_lock(clue.pk)
        check_move(actor=actor, name="supervise", clue=clue)
        before = clue_snapshot(clue)
        clue.supervision_level = level
        clue.supervision_interval_days = interval_days
        clue.supervision_next_due = timezone.localdate() + dt.timedelta(days=interval_days)
        clue.save()
        record_move(clue=clue, actor=actor, action="supervise", before=before, note=note,
                    data={"level": level, "interval_days": interval_days})
    return clue
