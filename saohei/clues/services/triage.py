"""Triage: valid, duplicate (repeat reports), referred, invalid."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from saohei.clues.choices import Priority, State, TriageDecision
from saohei.clues.models import Clue, OffenceCategory
from saohei.clues.selectors import clue_list_for_user
from saohei.clues.services.common import check_move, clue_lock, clue_snapshot, record_move
from saohei.clues.signals import clue_reports_attached
from saohei.intake.models import Report
from saohei.orgs.models import Jurisdiction

REVIEW_ON_REPEAT = frozenset({State.CONCLUDED, State.SIGNED})


def clue_triage(
    *,
    clue: Clue,
    actor: User,
    decision: str,
    note: str = "",
    category: OffenceCategory | None = None,
    priority: int = Priority.NORMAL,
    names_officials: bool = False,
    conflict_jurisdictions: list[Jurisdiction] | None = None,
    duplicate_of: Clue | None = None,
    referred_to: str = "",
) -> Clue:
    if decision not in TriageDecision.values:
        raise ValidationError(_("Unknown triage decision."))
    name = {"valid": "triage_valid", "duplicate": "triage_duplicate", "referred": "triage_refer",
            "invalid": "triage_invalid"}[decision]
    with transaction.atomic():
        clue = clue_lock(clue.pk)
        check_move(actor=actor, name=name, clue=clue)
        before = clue_snapshot(clue)
        data: dict[str, object] = {}
        if decision == TriageDecision.VALID:
            if category is None:
                raise ValidationError(_("A valid clue needs its offence category."))
            if priority not in Priority.values:
                raise ValidationError(_("Unknown priority."))
            clue.category, clue.priority, clue.names_officials = category, priority, names_officials
            clue.state = State.VALID
        elif decision == TriageDecision.DUPLICATE:
            if duplicate_of is None:
                raise ValidationError(_("Name the clue this one duplicates."))
            if duplicate_of.pk == clue.pk:
                raise ValidationError(_("A clue cannot duplicate itself."))
            if not clue_list_for_user(user=actor).filter(pk=duplicate_of.pk).exists():
                raise ValidationError(_("No such clue."))
            clue.state = State.DUPLICATE
            clue.duplicate_of = duplicate_of
            data["duplicate_of"] = duplicate_of.number
        elif decision == TriageDecision.REFERRED:
            if not referred_to.strip():
                raise ValidationError(_("Name the department the report is referred to."))
            clue.state = State.REFERRED
            clue.referred_to = referred_to.strip()
        else:
            if not note.strip():
                raise ValidationError(_("Say why the report has no substantive content."))
            clue.state = State.INVALID
        clue.triage_note = note.strip()
        clue.triaged_at = timezone.now()
        clue.triaged_by = actor
        clue.save()
        if decision == TriageDecision.VALID and conflict_jurisdictions is not None:
            clue.conflict_jurisdictions.set(conflict_jurisdictions)
            data["conflict_jurisdictions"] = [j.code for j in conflict_jurisdictions]
        record_move(clue=clue, actor=actor, action=name, before=before, note=note, data=data)
        if decision == TriageDecision.DUPLICATE and duplicate_of is not None:
            reports = list(Report.objects.filter(clue=clue))
            clue_attach_reports(target=duplicate_of, reports=reports, actor=actor, from_clue=clue)
    return clue


def clue_attach_reports(*, target: Clue, reports: list[Report], actor: User | None,
                        from_clue: Clue | None = None) -> Clue:
    """Attach repeat reports to a clue; a closed clue goes to review, a concluded one is flagged."""
    with transaction.atomic():
        target = clue_lock(target.pk)
        before = clue_snapshot(target)
        Report.objects.filter(pk__in=[r.pk for r in reports]).update(clue=target)
        Clue.objects.filter(pk=target.pk).update(report_count=F("report_count") + len(reports))
        target.refresh_from_db(fields=["report_count"])
        note = ""
        if target.state == State.CLOSED:
            target.state = State.REVIEW
            target.review_pending = True
            note = _("Reported again after closing: the conclusion is under review.")
        elif target.state in REVIEW_ON_REPEAT:
            target.review_pending = True
            note = _("Reported again before closing: review the conclusion.")
        target.save(update_fields=["state", "review_pending", "updated_at"])
        record_move(clue=target, actor=actor, action="attach_report", before=before, note=note,
                    data={"reports": [r.number for r in reports], "from_clue": from_clue.number if from_clue else None})
        transaction.on_commit(partial(clue_reports_attached.send, sender=Clue, clue_id=target.pk))
    return target
