"""Rewards for reports whose clue was substantiated: propose, approve, pay, void, claim.

The life of a reward::

    proposed ──(every step of the office's reward sign-off chain)──▶ approved ──(payment)──▶ paid
        └──────────────── void (with a reason; never once paid) ───────────┘

Approval: the active sign-off policy with ``subject_type="reward"`` of the nearest office at or
above the report's office (``reward_policy_for``). The signers of its steps are found as for a
verification, the assigned unit being the unit that verified the clue (``at_office`` steps are
signed in the reward's office). **Fallback:** when no office at or above has a reward policy, a
single signature suffices: that of an office director of an office covering the report (recorded in
the audit chain as ``reward.approve`` with ``fallback: true``; no Endorsement, which needs a step).
The proposer never approves their own proposal.

Claim codes: whoever collects the money presents a claim code; only its keyed hash is stored.

- An anonymous reporter claims with the receipt on the portal (``reward_claim``) once the reward is
  approved (or paid but not yet claimed): the code is shown once, ``claimed_at`` is recorded.
- Paying a reward that was claimed needs the presented claim code (``reward_pay(claim_code=...)``).
- Paying a reward not yet claimed for a *named* reporter issues a claim code, returned once to the
  paying officer, who hands it to the reporter. For an anonymous reporter nothing is issued at
  payment: the reporter claims on the portal later (paid, unclaimed) and collects with that code,
  which staff check with ``reward_verify_claim``.
"""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from saohei.audit.services import audit_record
from saohei.intake.choices import RewardState
from saohei.intake.models import Report, Reward
from saohei.intake.receipts import receipt_generate, receipt_hash
from saohei.orgs.choices import Role
from saohei.orgs.models import Office, Unit
from saohei.orgs.policies import standing_for
from saohei.signoff.models import Endorsement, SignoffPolicy, SignoffStep
from saohei.signoff.services import chain_complete, endorsement_sign, endorsements_active, may_sign, next_step

SUBJECT = "reward"
MAX_AMOUNT = Decimal("1000000")
#: Clue conclusions and states (by value: intake may not import the clues app) that allow a reward.
REWARDABLE_CONCLUSIONS = frozenset({"substantiated", "partly_substantiated"})
REWARDABLE_CLUE_STATES = frozenset({"signed", "closed"})
#: Office staff who propose and pay rewards.
REWARD_STAFF = (Role.TRIAGE_ANALYST, Role.OFFICE_DIRECTOR)
#: Rewards a reporter may claim with the receipt.
CLAIMABLE = (RewardState.APPROVED, RewardState.PAID)

AnyUser = AbstractBaseUser | AnonymousUser


# --- reading ---------------------------------------------------------------------------------------


def reward_policy_for(*, office: Office, category_code: str = "") -> SignoffPolicy | None:
    """The active reward policy of the nearest office at or above ``office`` (a category-specific
    policy before a general one); None when there is none (fallback: the office director)."""
    codes = office.jurisdiction.path.strip("/").split("/")
    offices = sorted(
        Office.objects.filter(jurisdiction__code__in=codes).select_related("jurisdiction"),
        key=lambda o: -len(o.jurisdiction.path),
    )
    for candidate in offices:
        policies = list(
            SignoffPolicy.objects.filter(office=candidate, subject_type=SUBJECT, active=True).filter(
                category_code__in=[category_code, ""]
            )
        )
        if policies:
            best: SignoffPolicy = max(policies, key=lambda p: (p.category_code != "", -p.pk))
            return best
    return None


def reward_signed_content(reward: Reward) -> dict[str, Any]:
    """What the approvers sign."""
    return {
        "reward": reward.pk,
        "report": reward.report_id,
        "office": reward.office_id,
        "amount": str(reward.amount),
        "reason": reward.reason,
    }


def reward_endorsements(*, reward: Reward) -> QuerySet[Endorsement]:
    return endorsements_active(subject_type=SUBJECT, subject_id=reward.pk).order_by("step__order", "signed_at")


def reward_next_step(*, reward: Reward) -> SignoffStep | None:
    if reward.policy is None or reward.state != RewardState.PROPOSED:
        return None
    return next_step(policy=reward.policy, subject_type=SUBJECT, subject_id=reward.pk)


def _covers(user: AnyUser, report: Report, *roles: str) -> bool:
    standing = standing_for(user)
    return standing.is_superuser or standing.covers_path(report.jurisdiction.path, *roles)


def may_propose(user: AnyUser, report: Report) -> bool:
    return _covers(user, report, *REWARD_STAFF)


def may_pay(user: AnyUser, reward: Reward) -> bool:
    return _covers(user, reward.report, *REWARD_STAFF)


def may_void(user: AnyUser, reward: Reward) -> bool:
    return _covers(user, reward.report, Role.OFFICE_DIRECTOR) or (
        reward.state == RewardState.PROPOSED and reward.proposed_by_id == user.pk and may_propose(user, reward.report)
    )


def _signing_unit(reward: Reward) -> Unit:
    """The unit a step's signers are found from: the clue's verifying unit, seen as belonging to the
    reward's office (so that "signed in the office" means the office paying the reward)."""
    clue: Any = reward.report.clue
    assignment = clue.assignments.order_by("-active", "-assigned_at").select_related("unit").first() if clue else None
    if assignment is None:
        return Unit(office_id=reward.office_id, kind="")
    unit: Unit = assignment.unit
    return Unit(pk=unit.pk, name=unit.name, kind=unit.kind, parent_id=unit.parent_id, office_id=reward.office_id,
                jurisdiction_id=unit.jurisdiction_id)


def may_approve(user: AnyUser, reward: Reward) -> bool:
    """Whether ``user`` may give the next approval now."""
    if reward.state != RewardState.PROPOSED or not user.is_authenticated or reward.proposed_by_id == user.pk:
        return False
    if reward.policy is None:
        return _covers(user, reward.report, Role.OFFICE_DIRECTOR)
    step = reward_next_step(reward=reward)
    if step is None:
        return False
    if reward_endorsements(reward=reward).filter(signer_id=user.pk).exists():
        return False
    return may_sign(step=step, assigned_unit=_signing_unit(reward), user=user)  # type: ignore[arg-type]


# --- writing ---------------------------------------------------------------------------------------


def _amount(value: Decimal | str | int) -> Decimal:
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Give the amount as a number of yuan.")) from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
        raise ValidationError(_("A reward is more than 0 and at most 1,000,000 yuan."))
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(_("Give the amount in yuan with at most two decimals."))
    return amount.quantize(Decimal("0.01"))


def _locked(reward: Reward) -> Reward:
    locked: Reward = Reward.objects.select_for_update(of=("self",)).select_related(
        "report__jurisdiction", "report__clue", "policy", "office__jurisdiction"
    ).get(pk=reward.pk)
    return locked


def reward_propose(*, report: Report, amount: Decimal | str | int, reason: str, actor: User) -> Reward:
    """Propose a reward for a report whose clue was concluded substantiated (or partly) and signed."""
    if not may_propose(actor, report):
        raise PermissionDenied(_("Only the staff of an office covering this report propose rewards."))
    if report.voided_at is not None:
        raise ValidationError(_("This report is void."))
    clue: Any = report.clue
    if clue is None or clue.conclusion not in REWARDABLE_CONCLUSIONS or clue.state not in REWARDABLE_CLUE_STATES:
        raise ValidationError(
            _("A reward is proposed only once the clue's conclusion, substantiated or partly substantiated, is signed.")
        )
    value = _amount(amount)
    if len(reason.strip()) < 4:
        raise ValidationError(_("State the reason for the reward."))
    with transaction.atomic():
        Report.objects.select_for_update(of=("self",)).filter(pk=report.pk).first()
        if report.rewards.exclude(state=RewardState.VOIDED).exists():
            raise ValidationError(_("This report already has a reward; void it before proposing another."))
        category = getattr(clue.category, "code", "") if clue.category_id else ""
        policy = reward_policy_for(office=report.office, category_code=category)
        reward = Reward.objects.create(report=report, office=report.office, amount=value, reason=reason.strip(),
                                       proposed_by=actor, policy=policy)
        audit_record(actor=actor, action="reward.propose", object_type=SUBJECT, object_id=reward.pk,
                     after={"report": report.pk, "amount": str(value), "policy": policy.pk if policy else None},
                     reason=reason.strip())
    return reward


def reward_approve(*, reward: Reward, actor: User, comment: str = "") -> Reward:
    """Sign the next step of the reward's chain; the last signature approves it."""
    with transaction.atomic():
        reward = _locked(reward)
        if reward.state != RewardState.PROPOSED:
            raise ValidationError(_("Only a proposed reward is approved."))
        if reward.proposed_by_id == actor.pk:
            raise PermissionDenied(_("The person who proposed a reward does not approve it."))
        content = reward_signed_content(reward)
        if reward.policy is None:
            if not _covers(actor, reward.report, Role.OFFICE_DIRECTOR):
                raise PermissionDenied(_("Without a reward sign-off policy, the office director approves rewards."))
            complete = True
            after: dict[str, Any] = {"fallback": True}
        else:
            endorsement = endorsement_sign(policy=reward.policy, subject_type=SUBJECT, subject_id=reward.pk,
                                           content=content, assigned_unit=_signing_unit(reward), actor=actor,
                                           comment=comment)
            complete = chain_complete(policy=reward.policy, subject_type=SUBJECT, subject_id=reward.pk,
                                      content=content)
            after = {"step": endorsement.step.order, "title": endorsement.step.title}
        if complete:
            reward.state = RewardState.APPROVED
            reward.approved_at = timezone.now()
            reward.save(update_fields=["state", "approved_at"])
        audit_record(actor=actor, action="reward.approve", object_type=SUBJECT, object_id=reward.pk,
                     before={"state": RewardState.PROPOSED}, after={**after, "state": reward.state},
                     reason=comment.strip())
    return reward


@dataclass(frozen=True)
class Payment:
    reward: Reward
    #: The claim code issued at payment (named reporter, not yet claimed), shown once; else "".
    claim_code: str


def reward_pay(*, reward: Reward, paid_on: dt.date, method: str, actor: User, claim_code: str = "") -> Payment:
    """Record the payment of an approved reward (see the module docstring for claim codes)."""
    if not may_pay(actor, reward):
        raise PermissionDenied(_("Only the staff of an office covering this report record payments."))
    if not method.strip():
        raise ValidationError(_("Say how the reward was paid."))
    if paid_on > timezone.localdate():
        raise ValidationError(_("A payment cannot be recorded in the future."))
    with transaction.atomic():
        reward = _locked(reward)
        if reward.state != RewardState.APPROVED:
            raise ValidationError(_("Only an approved reward is paid."))
        if reward.approved_at is not None and paid_on < timezone.localtime(reward.approved_at).date():
            raise ValidationError(_("A reward is paid on or after the day it was approved."))
        code = ""
        if reward.claimed_at is not None:
            if not _code_matches(reward, claim_code):
                raise ValidationError(_("The claim code presented does not match this reward."))
        elif reward.report.reporter is not None and not reward.report.reporter.anonymous:
            code = receipt_generate()
            reward.claim_code_hash = receipt_hash(code)
        reward.state = RewardState.PAID
        reward.paid_at = paid_on
        reward.payment_method = method.strip()[:80]
        reward.paid_by = actor
        reward.save(update_fields=["state", "paid_at", "payment_method", "paid_by", "claim_code_hash"])
        audit_record(actor=actor, action="reward.pay", object_type=SUBJECT, object_id=reward.pk,
                     before={"state": RewardState.APPROVED},
                     after={"state": RewardState.PAID, "paid_on": paid_on.isoformat(), "method": reward.payment_method,
                            "amount": str(reward.amount), "claim_code_checked": reward.claimed_at is not None,
                            "claim_code_issued": bool(code)})
    return Payment(reward=reward, claim_code=code)


def reward_void(*, reward: Reward, reason: str, actor: User) -> Reward:
    if not may_void(actor, reward):
        raise PermissionDenied(_("Only the office director voids a reward."))
    if len(reason.strip()) < 4:
        raise ValidationError(_("Give a reason for voiding the reward."))
    with transaction.atomic():
        reward = _locked(reward)
        if reward.state == RewardState.VOIDED:
            raise ValidationError(_("This reward is already void."))
        if reward.state == RewardState.PAID:
            raise ValidationError(_("A paid reward cannot be voided."))
        before = reward.state
        reward.state = RewardState.VOIDED
        reward.voided_at = timezone.now()
        reward.void_reason = reason.strip()
        reward.save(update_fields=["state", "voided_at", "void_reason"])
        audit_record(actor=actor, action="reward.void", object_type=SUBJECT, object_id=reward.pk,
                     before={"state": before}, after={"state": RewardState.VOIDED}, reason=reason.strip())
    return reward


# --- the reporter's claim ------------------------------------------------------------------------


class ReceiptUnknown(Exception):
    """No report has this receipt: the portal answers with its generic message."""


class ClaimRefused(ValidationError):
    """The receipt is right but there is no reward to claim (none yet, or already claimed)."""


def _code_matches(reward: Reward, code: str) -> bool:
    if not reward.claim_code_hash or not code.strip():
        return False
    return hmac.compare_digest(reward.claim_code_hash, receipt_hash(code))


def reward_for_receipt(*, receipt: str) -> Reward | None:
    """The live reward (approved or paid, not void) of the report with this receipt, if any."""
    if not receipt.strip():
        return None
    return (
        Reward.objects.filter(report__receipt_hash=receipt_hash(receipt), report__voided_at__isnull=True,
                              state__in=CLAIMABLE)
        .select_related("report", "office")
        .order_by("-proposed_at")
        .first()
    )


def reward_claim(*, receipt: str) -> tuple[Reward, str]:
    """Issue the claim code of the reward of the receipt's report, once; raises ``ReceiptUnknown``
    for a wrong receipt (the caller shows its generic message) and ``ClaimRefused`` otherwise."""
    report = None
    if receipt.strip():
        report = Report.objects.filter(receipt_hash=receipt_hash(receipt), voided_at__isnull=True).first()
    if report is None:
        raise ReceiptUnknown
    with transaction.atomic():
        reward = (
            Reward.objects.select_for_update(of=("self",))
            .filter(report=report, state__in=CLAIMABLE)
            .order_by("-proposed_at")
            .first()
        )
        if reward is None:
            raise ClaimRefused(_("No reward is waiting to be claimed for this report."))
        if reward.claimed_at is not None:
            raise ClaimRefused(_("The reward for this report has already been claimed; bring the claim code you "
                                 "were given. If you lost it, contact the office."))
        code = receipt_generate()
        reward.claim_code_hash = receipt_hash(code)
        reward.claimed_at = timezone.now()
        reward.save(update_fields=["claim_code_hash", "claimed_at"])
        audit_record(actor=None, action="reward.claim", object_type=SUBJECT, object_id=reward.pk,
                     after={"state": reward.state, "claimed_at": reward.claimed_at})
    return reward, code


def reward_verify_claim(*, reward: Reward, code: str, actor: User | None = None) -> bool:
    """Whether ``code`` is this reward's claim code (audited when staff check it)."""
    ok = reward.state in CLAIMABLE and _code_matches(reward, code)
    if actor is not None:
        audit_record(actor=actor, action="reward.verify_claim", object_type=SUBJECT, object_id=reward.pk,
                     after={"matches": ok})
    return ok
