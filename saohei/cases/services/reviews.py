"""Accountability reviews (倒查): a case established facts that a clue concluded unsubstantiated had
reported; the clue and the chiefs who signed its conclusion are reviewed, and a finding recorded."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saohei.cases.choices import ReviewFinding, ReviewState
from saohei.cases.models import AccountabilityReview, AccountabilitySigner, Case
from saohei.cases.policies import may_decide_review, may_open_review
from saohei.cases.services.cases import SIGNED_STATES, UNFOUNDED
from saohei.cases.services.common import audit, check_not_voided, choice, refuse, text
from saohei.clues.choices import Conclusion
from saohei.clues.models import Clue, Verification
from saohei.signoff.models import Endorsement


def review_snapshot(r: AccountabilityReview) -> dict[str, Any]:
    return {"clue": r.clue_id, "case": r.case_id, "state": r.state, "finding": r.finding,
            "finding_text": r.finding_text, "signers": {s.pk: s.finding for s in r.signers.all()}}


def accountability_review_open(*, actor: User, clue: Clue, case: Case, reason: str) -> AccountabilityReview:
    """Put a clue concluded unsubstantiated (or unverifiable), and its signers, under review."""
    reason = text(reason, label=_("Why the conclusion is questioned"), required=True)
    with transaction.atomic():
        clue = Clue.objects.select_for_update(of=("self",)).select_related("office").get(pk=clue.pk)
        case = Case.objects.select_related("office").get(pk=case.pk)
        refuse(may_open_review(actor, clue, case), _("You may not open an accountability review of this clue."))
        check_not_voided(case, label=_("This case"))
        if clue.state not in SIGNED_STATES or clue.conclusion not in UNFOUNDED:
            raise ValidationError(
                _("Only a clue whose conclusion “unsubstantiated” or “cannot be verified” was signed can be put "
                  "under accountability review; clue %(number)s was concluded %(conclusion)s.")
                % {"number": clue.number or clue.pk,
                   "conclusion": Conclusion(clue.conclusion).label if clue.conclusion else "—"}
            )
        if AccountabilityReview.objects.filter(clue=clue, case=case).exists():
            raise ValidationError(_("This clue is already under review for this case."))
        review = AccountabilityReview.objects.create(clue=clue, case=case, office=clue.office,
                                                     jurisdiction_path=case.jurisdiction_path, reason=reason,
                                                     opened_by=actor)
        verifications = [str(pk) for pk in Verification.objects.filter(assignment__clue=clue).values_list(
            "pk", flat=True)]
        endorsements = (Endorsement.objects.filter(subject_type="verification", subject_id__in=verifications,
                                                   voided_at__isnull=True)
                        .select_related("step").order_by("signed_at", "pk"))
        AccountabilitySigner.objects.bulk_create(
            AccountabilitySigner(review=review, endorsement=e, signer_id=e.signer_id, step_label=e.step.title,
                                 signed_at=e.signed_at)
            for e in endorsements
        )
        audit(actor=actor, action="review.open", object_type="accountability_review", object_id=review.pk,
              before=None, after={"clue": clue.number, "case": case.number, "conclusion": clue.conclusion,
                                  "signers": [e.signer_id for e in endorsements]}, reason=reason)
    return review


def accountability_review_decide(*, actor: User, review: AccountabilityReview, finding: str, finding_text: str,
                                 signer_findings: Mapping[int, str] | None = None) -> AccountabilityReview:
    """Record the finding; each signer takes their own finding, else the review's."""
    finding = choice(finding, values=ReviewFinding.values, label=_("Review finding"))
    finding_text = text(finding_text, label=_("Finding in detail"), required=True)
    per_signer = {int(k): choice(v, values=ReviewFinding.values, label=_("Review finding"))
                  for k, v in (signer_findings or {}).items() if v}
    with transaction.atomic():
        review = (AccountabilityReview.objects.select_for_update(of=("self",))
                  .select_related("clue__office__jurisdiction").get(pk=review.pk))
        refuse(may_decide_review(actor, review),
               _("You may not decide this review: it is decided by the director or a supervisor of the clue's "
                 "office or an office above it, and never by one who signed the conclusion."))
        if review.state != ReviewState.OPEN:
            raise ValidationError(_("A finding was already recorded on this review."))
        signers = list(review.signers.all())
        unknown = set(per_signer) - {s.pk for s in signers}
        if unknown:
            raise ValidationError(_("No such signer under this review."))
        before = review_snapshot(review)
        for signer in signers:
            signer.finding = per_signer.get(signer.pk, finding)
        AccountabilitySigner.objects.bulk_update(signers, ["finding"])
        review.state, review.finding, review.finding_text = ReviewState.DECIDED, finding, finding_text
        review.decided_by, review.decided_at = actor, timezone.now()
        review.save()
        audit(actor=actor, action="review.decide", object_type="accountability_review", object_id=review.pk,
              before=before, after=review_snapshot(review))
    return review
