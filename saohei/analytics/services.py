"""Repeat reports: fingerprints at intake, candidates against every stored report, the analyst's decision.

`report_match` runs as a task after a report is received (``clues.signals.report_received``): it
stores the report's fingerprint, asks this process's repeat index for candidates among all stored
reports, and keeps them as ``RepeatMatch`` rows. A decision taken on one pair of clues is reused for
later candidates between the same two clues. Confirming a repeat triages the new clue as a duplicate
of the earlier one, which attaches its report there and applies the repeat-report rule of
workflow.md (a closed clue goes to review, a concluded one is flagged).

Fingerprints are signed with the active fitted shingle weights (``ShingleWeightsFile``), the way the benchmark
measured them; before any are fitted (a new office, few reports) they are signed unweighted. `repeat_index_rebuild`
fits the weights on the stored reports and signs every fingerprint again with them; it runs when an operator asks
(``saohei analytics rebuild-index``) and by itself when `weights_refit_due` says so.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saohei.analytics.models import RepeatDecision, RepeatMatch, ReportFingerprint, ShingleWeightsFile
from saohei.analytics.repeat_store import (
    repeat_index,
    repeat_index_forget,
    repeat_rebuild_lock,
    repeat_request_once,
    weights_file_active_id,
)
from saohei.analytics.repeats import (
    ShingleWeights,
    Signature,
    report_signature,
    shingle_weights_fit,
    signature_weights_id,
)
from saohei.analytics.text import text_normalise
from saohei.audit.services import audit_record
from saohei.clues.choices import State, TriageDecision
from saohei.clues.policies import may_move
from saohei.clues.services import clue_triage
from saohei.clues.workflow import move_get
from saohei.intake.models import Report

CANDIDATES = 10
FIT_SAMPLE_MAX = 50_000  # weights are fitted on every stored report up to this many, else on a random sample of it
FIT_MIN_REPORTS = 1_000  # below this many stored reports no weights are fitted: fingerprints are signed unweighted
REFIT_GROWTH = 4  # fit again once the stored reports are this many times those stored when the weights were fitted
REBUILD_BATCH = 1000  # reports signed and stored per transaction by a rebuild
BATCH_TEXTS = 2000  # report texts read per query when fitting

logger = logging.getLogger(__name__)


def report_text(report: Report) -> str:
    return f"{report.subject}\n{report.content}"


def _fingerprint_values(report: Report, weights: ShingleWeights | None) -> tuple[Signature, dict[str, object]]:
    text = report_text(report)
    normalised = text_normalise(text)
    signature = report_signature(text, weights=weights, normalised=normalised.text)
    return signature, {
        "signature": signature.to_bytes(),
        "identifiers": [list(pair) for pair in signature.identifiers],
        "set_aside": [{"kind": s.kind, "snippet": s.snippet, "count": s.count} for s in normalised.set_aside],
    }


def report_fingerprint(*, report: Report, weights: ShingleWeights | None) -> tuple[ReportFingerprint, Signature]:
    """Compute and store the report's fingerprint (again, if it exists), signed with `weights` (None: unweighted)."""
    signature, values = _fingerprint_values(report, weights)
    fingerprint, _created = ReportFingerprint.objects.update_or_create(report=report, defaults=values)
    return fingerprint, signature


def weights_refit_due(*, reports: int, stored_when_fitted: int | None) -> bool:
    """Whether shingle weights should be fitted (again) now that `reports` are stored: the first time once
    FIT_MIN_REPORTS are stored, then each time they have grown REFIT_GROWTH-fold since the last fit, until the last
    fit saw FIT_SAMPLE_MAX reports (beyond, a random sample of that size stands for the office's wording, and an
    operator refits by `saohei analytics rebuild-index` when that wording changes)."""
    if stored_when_fitted is None:
        return reports >= FIT_MIN_REPORTS
    return stored_when_fitted < FIT_SAMPLE_MAX and reports >= REFIT_GROWTH * max(stored_when_fitted, 1)


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
    for _attempt in range(3):
        loaded = repeat_index()
        _fingerprint, signature = report_fingerprint(report=report, weights=loaded.weights)
        # weights activated by a rebuild between loading and storing: sign again, so that no fingerprint stays
        # signed with the weights just replaced (the rebuild signs again those stored before it activated them)
        if weights_file_active_id() == loaded.weights_file_id:
            break
    index = loaded.index
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
    due = weights_refit_due(reports=len(index) + loaded.left_out, stored_when_fitted=loaded.reports_stored_when_fitted)
    if due and repeat_request_once(loaded.weights_file_id, kind="refit"):
        from saohei.analytics.tasks import repeat_index_rebuild_task

        repeat_index_rebuild_task.enqueue(if_due=True)
    if loaded.left_out and repeat_request_once(loaded.weights_file_id, kind="repair"):
        from saohei.analytics.tasks import repeat_fingerprints_repair_task

        repeat_fingerprints_repair_task.enqueue()
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


@dataclass(frozen=True)
class RepeatRebuild:
    """What a rebuild did."""

    reports_stored: int = 0  # reports stored (not voided) when the rebuild began
    fingerprints: int = 0  # reports fingerprinted
    fitted_on: int = 0  # reports the new weights were fitted on (0: no weights fitted)
    weights_id: int = 0  # the weights every fingerprint is now signed with (0: unweighted)
    signed_again: int = 0  # fingerprints stored by matches during the rebuild with other weights, signed again
    not_done: str = ""  # why nothing was done


def _reports_text_sample(*, seed: int | None) -> Iterator[str]:
    """The texts of every stored report, or of FIT_SAMPLE_MAX drawn at random when there are more."""
    ids: Sequence[int] = list(Report.objects.filter(voided_at__isnull=True).order_by("pk").values_list("pk", flat=True))
    if len(ids) > FIT_SAMPLE_MAX:
        ids = sorted(random.Random(seed).sample(ids, FIT_SAMPLE_MAX))  # noqa: S311 - a sample, not a secret
    for start in range(0, len(ids), BATCH_TEXTS):
        for subject, content in Report.objects.filter(pk__in=ids[start:start + BATCH_TEXTS]).values_list(
                "subject", "content"):
            yield f"{subject}\n{content}"


def _fingerprints_write(reports: Sequence[Report], *, weights: ShingleWeights | None, computed_at: datetime) -> None:
    """Sign `reports` with `weights` and store their fingerprints in bulk, marked as computed at `computed_at`."""
    existing = {f.report_id: f for f in ReportFingerprint.objects.filter(report__in=reports).only("pk", "report_id")}
    created: list[ReportFingerprint] = []
    changed: list[ReportFingerprint] = []
    for report in reports:
        _signature, values = _fingerprint_values(report, weights)
        fingerprint = existing.get(report.pk)
        if fingerprint is None:
            created.append(ReportFingerprint(report=report, **values))
            continue
        for name, value in values.items():
            setattr(fingerprint, name, value)
        fingerprint.computed_at = computed_at
        changed.append(fingerprint)
    with transaction.atomic():
        # a match running meanwhile may store the same report's fingerprint first: kept, and checked afterwards
        ReportFingerprint.objects.bulk_create(created, ignore_conflicts=True)
        ReportFingerprint.objects.bulk_update(changed, ["signature", "identifiers", "set_aside", "computed_at"])


def _reports_sign(reports: Iterator[Report], *, weights: ShingleWeights | None, computed_at: datetime,
                  batch: int) -> int:
    done = 0
    pending: list[Report] = []
    for report in reports:
        pending.append(report)
        if len(pending) >= batch:
            _fingerprints_write(pending, weights=weights, computed_at=computed_at)
            done, pending = done + len(pending), []
    if pending:
        _fingerprints_write(pending, weights=weights, computed_at=computed_at)
        done += len(pending)
    return done


def _reports_in_order(*, batch: int) -> Iterator[Report]:
    last = 0
    while True:
        reports = list(Report.objects.filter(pk__gt=last, voided_at__isnull=True).order_by("pk")
                       .only("pk", "subject", "content")[:batch])
        if not reports:
            return
        yield from reports
        last = reports[-1].pk


def _signed_with_other_weights(*, weights_id: int, computed_at: datetime | None = None) -> list[int]:
    """Reports whose fingerprint is signed with other weights than `weights_id`; with `computed_at`, only those
    stored by someone else than the rebuild that signed at that moment (a match, while it ran)."""
    fingerprints = ReportFingerprint.objects.filter(report__voided_at__isnull=True)
    if computed_at is not None:
        fingerprints = fingerprints.exclude(computed_at=computed_at)
    rows = fingerprints.values_list("report_id", "signature")
    return [report_id for report_id, data in rows.iterator(chunk_size=2000)
            if signature_weights_id(bytes(data)) != weights_id]


def repeat_fingerprints_repair(*, batch: int = REBUILD_BATCH) -> int:
    """Sign again, with the active weights, the fingerprints signed with other weights: those a rebuild left when it
    stopped before activating its weights. They are stored as new rows, so the index of every process takes them in
    on its next match. Returns how many; 0 while a rebuild runs (it signs them itself)."""
    with repeat_rebuild_lock() as acquired:
        if not acquired:
            return 0
        active = ShingleWeightsFile.objects.filter(active=True).first()
        weights = ShingleWeights.from_bytes(bytes(active.data)) if active is not None else None
        weights_id = weights.weights_id if weights is not None else 0
        stale = _signed_with_other_weights(weights_id=weights_id)
        signed_at = timezone.now()
        for start in range(0, len(stale), batch):
            part = stale[start:start + batch]
            reports = list(Report.objects.filter(pk__in=part).only("pk", "subject", "content"))
            with transaction.atomic():
                ReportFingerprint.objects.filter(report_id__in=part).delete()
                _fingerprints_write(reports, weights=weights, computed_at=signed_at)
        if stale:
            logger.info("repeat index: %d fingerprints signed again with the active weights", len(stale))
        return len(stale)


def repeat_index_rebuild(*, fit: bool | None = None, if_due: bool = False, batch: int = REBUILD_BATCH,
                         seed: int | None = None) -> RepeatRebuild:
    """Fit shingle weights on the stored reports (`fit`; None: when at least FIT_MIN_REPORTS are stored), sign
    every report's fingerprint again with them (without a fit: with the active weights, if any), make them the
    active weights, and have every process load its index again. `if_due`: only when `weights_refit_due`.

    Matches go on meanwhile with the weights active until the new ones are activated; fingerprints they stored
    with the old weights are signed again right after. One rebuild at a time: another one is not started."""
    with repeat_rebuild_lock() as acquired:
        if not acquired:
            return RepeatRebuild(not_done="another rebuild is running")
        try:
            return _rebuild(fit=fit, if_due=if_due, batch=batch, seed=seed)
        except BaseException:
            repeat_index_forget()  # this process loads its index again and asks for a repair of what was signed
            raise


def _rebuild(*, fit: bool | None, if_due: bool, batch: int, seed: int | None) -> RepeatRebuild:
    stored = Report.objects.filter(voided_at__isnull=True).count()
    active = ShingleWeightsFile.objects.filter(active=True).first()
    if if_due and not weights_refit_due(reports=stored,
                                        stored_when_fitted=active.reports_stored if active else None):
        return RepeatRebuild(reports_stored=stored, not_done="no refit due")
    started = timezone.now()
    fitted: ShingleWeightsFile | None = None
    weights = ShingleWeights.from_bytes(bytes(active.data)) if active is not None else None
    if (fit if fit is not None else stored >= FIT_MIN_REPORTS) and stored:
        weights = shingle_weights_fit(_reports_text_sample(seed=seed))
        fitted = ShingleWeightsFile.objects.create(reports=weights.reports, reports_stored=stored,
                                                   weights_id=weights.weights_id, data=weights.to_bytes())
    done = _reports_sign(_reports_in_order(batch=batch), weights=weights, computed_at=started, batch=batch)
    if fitted is not None:
        with transaction.atomic():
            ShingleWeightsFile.objects.filter(active=True).update(active=False)
            ShingleWeightsFile.objects.filter(pk=fitted.pk).update(active=True)
    weights_id = weights.weights_id if weights is not None else 0
    late = _signed_with_other_weights(weights_id=weights_id, computed_at=started)
    again = _reports_sign((report for start in range(0, len(late), batch) for report in Report.objects.filter(
        pk__in=late[start:start + batch]).only("pk", "subject", "content")), weights=weights, computed_at=started,
        batch=batch)
    repeat_index_forget()  # the other processes load theirs again when they see the new active weights
    return RepeatRebuild(reports_stored=stored, fingerprints=done, fitted_on=fitted.reports if fitted else 0,
                         weights_id=weights_id, signed_again=again)
