"""Repeat reports: fingerprints at intake, candidates against every stored report, the analyst's decision.

`report_match` runs as a task after a report is received (``clues.signals.report_received``): it
stores the report's fingerprint, asks this process's repeat index for candidates among all stored
reports, and keeps them as ``RepeatMatch`` rows. A decision taken on one pair of clues is reused for
later candidates between the same two clues. Confirming a repeat triages the new clue as a duplicate
of the earlier one, which attaches its report there and applies the repeat-report rule of
workflow.md (a closed clue goes to review, a concluded one is flagged).
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saohei.analytics.models import RepeatDecision, RepeatMatch, ReportFingerprint
from saohei.analytics.repeat_store import repeat_index, repeat_index_forget
from saohei.analytics.repeats import Signature, report_signature
from saohei.analytics.text import text_normalise
from saohei.audit.services import audit_record
from saohei.clues.choices import State, TriageDecision
from saohei.clues.policies import may_move
from saohei.clues.services import clue_triage
from saohei.clues.workflow import move_get
from saohei.intake.models import Report

CANDIDATES = 10


def report_text(report: Report) -> str:
    return f"{report.subject}\n{report.content}"


def report_fingerprint(*, report: Report) -> ReportFingerprint:
    """Compute and store the report's fingerprint (again, if it exists)."""
    text = report_text(report)
    normalised = text_normalise(text)
    signature = report_signature(text)
    fingerprint, _created = ReportFingerprint.objects.update_or_create(
        report=report,
        defaults={
            "signature": signature.to_bytes(),
            "identifiers": [list(pair) for pair in signature.identifiers],
            "set_aside": [{"kind": s.kind, "snippet": s.snippet, "count": s.count} for s in normalised.set_aside],
        },
    )
    return fingerprint


def _earlier_decision(*, clue_id: int | None, earlier_clue_id: int | None) -> RepeatMatch | None:
    if clue_id is None or earlier_clue_id is None:
        return None
    decided = RepeatMatch.objects.exclude(decision=RepeatDecision.PENDING)
    return (decided.filter(report__clue_id=clue_id, earlier__clue_id=earlier_clue_id)
            | decided.filter(report__clue_id=earlier_clue_id, earlier__clue_id=clue_id)).order_by("-decided_at").first()


def report_match(*, report_id: int) -> list[RepeatMatch]:
    """Fingerprint the report and keep its repeat candidates among every stored report (best first)."""
    report = Report.objects.filter(pk=report_id, voided_at__isnull=True).first()
    if report is None:
        return []
    index = repeat_index()
    fingerprint = report_fingerprint(report=report)
    signature = Signature.from_bytes(bytes(fingerprint.signature))
    found = index.match(signature=signature, limit=CANDIDATES + 1, exclude=report.pk)
    by_id = {r.pk: r for r in Report.objects.filter(pk__in=[c.key for c in found], voided_at__isnull=True)}
    matches: list[RepeatMatch] = []
    with transaction.atomic():
        for candidate in found:
            earlier = by_id.get(candidate.key)
            if earlier is None or earlier.pk == report.pk or (earlier.clue_id and earlier.clue_id == report.clue_id):
                continue
            reasons = [[reason.code, reason.value] for reason in candidate.reasons]
            match, created = RepeatMatch.objects.get_or_create(
                report=report, earlier=earlier, defaults={"similarity": round(candidate.similarity, 4),
                                                          "reasons": reasons})
            if created:
                known = _earlier_decision(clue_id=report.clue_id, earlier_clue_id=earlier.clue_id)
                if known is not None:
                    match.decision, match.decision_note = known.decision, _("Decided before for these two clues.")
                    match.decided_at = known.decided_at
                    match.save(update_fields=["decision", "decision_note", "decided_at"])
            matches.append(match)
            if len(matches) >= CANDIDATES:
                break
    index.add(key=report.pk, signature=signature)
    return matches


def may_decide_repeat(user: User, match: RepeatMatch) -> bool:
    """Those who may triage the new report's clue decide whether it repeats an earlier one."""
    clue = match.report.clue
    return clue is not None and may_move(user, move_get("triage_duplicate"), clue)


def repeat_match_decide(*, match: RepeatMatch, actor: User, decision: str, note: str = "") -> RepeatMatch:
    """Confirm (the new clue becomes a duplicate of the earlier report's clue) or reject a candidate."""
    if decision not in (RepeatDecision.CONFIRMED, RepeatDecision.REJECTED):
        raise ValidationError(_("Confirm or reject the repeat."))
    with transaction.atomic():
        match = RepeatMatch.objects.select_for_update(of=("self",)).select_related(
            "report__clue", "earlier__clue").get(pk=match.pk)
        if not may_decide_repeat(actor, match):
            raise PermissionDenied(_("You may not decide on repeats of this clue."))
        if match.decision != RepeatDecision.PENDING:
            raise ValidationError(_("This candidate was already decided."))
        clue, earlier_clue = match.report.clue, match.earlier.clue
        if decision == RepeatDecision.CONFIRMED:
            if clue is None or earlier_clue is None:
                raise ValidationError(_("Only a report with a clue can be attached to another clue."))
            if clue.state != State.RECEIVED:
                raise ValidationError(_("The clue was already triaged: a repeat can be confirmed only before."))
            clue_triage(clue=clue, actor=actor, decision=TriageDecision.DUPLICATE, duplicate_of=earlier_clue,
                        note=note.strip() or _("Repeat of %(number)s (similarity %(similarity).0f%%).")
                        % {"number": earlier_clue.number, "similarity": match.similarity * 100})
        match.decision, match.decided_by, match.decided_at = decision, actor, timezone.now()
        match.decision_note = note.strip()
        match.save(update_fields=["decision", "decided_by", "decided_at", "decision_note"])
        audit_record(actor=actor, action=f"repeat.{decision}", object_type="report", object_id=match.report_id,
                     after={"earlier": match.earlier.number, "similarity": match.similarity,
                            "reasons": match.reasons}, reason=note.strip())
    return match


def repeat_index_rebuild(*, batch: int = 1000) -> int:
    """Recompute every report's fingerprint from its text and drop this process's index; returns the
    number of reports fingerprinted."""
    done, last = 0, 0
    while True:
        reports = list(Report.objects.filter(pk__gt=last, voided_at__isnull=True).order_by("pk")[:batch])
        if not reports:
            break
        with transaction.atomic():
            for report in reports:
                report_fingerprint(report=report)
        done += len(reports)
        last = reports[-1].pk
    repeat_index_forget()
    return done

