"""Rewards: who proposes, the approval chain, payment, the reporter's claim, the workbench pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext, override

from saohei.audit.models import AuditEvent
from saohei.clues import services as clue_services
from saohei.clues.tests.helpers import to_concluded, to_signed
from saohei.intake import rewards
from saohei.intake.choices import RewardState
from saohei.intake.models import Report, Reward
from saohei.intake.services import reporter_create
from saohei.orgs.choices import Role, UnitKind
from saohei.signoff.models import Endorsement, SignoffPolicy, SignoffStep

pytestmark = pytest.mark.django_db


def _urls() -> list[Any]:
    from config import urls as root
    from saohei.intake.reward_urls import identity_request_patterns, reward_patterns

    return [
        path("reports/rewards/", include(reward_patterns)),
        path("reports/identity-requests/", include(identity_request_patterns)),
        *root.urlpatterns,
    ]


# The lead includes these in saohei/intake/urls.py; the tests do not depend on it.
urlpatterns = _urls()


@pytest.fixture
def reward_urls(settings: Any) -> None:
    settings.ROOT_URLCONF = __name__


def zh(message: str) -> str:
    with override("zh-hans"):
        return gettext(message)


def substantiated_report(org: Any, *, anonymous: bool = False, conclusion: str = "substantiated",
                         signed: bool = True, place: str = "jianghan") -> tuple[Report, str]:
    reporter = reporter_create() if anonymous else reporter_create(name="张三", contact="13800001111")
    report, clue, code = clue_services.report_receive(
        office=org.offices[place], jurisdiction=org.places[place], channel="portal",
        subject="某KTV老板纠集人员强迫交易", content="万某等人长期强迫商户购买其酒水，不从者遭殴打。",
        actor=None, reporter=reporter, check_permission=False,
    )
    if signed:
        to_signed(org, clue, conclusion)
    else:
        to_concluded(org, clue, conclusion)
    return Report.objects.select_related("clue", "office__jurisdiction", "jurisdiction", "reporter").get(
        pk=report.pk), code


def two_step_policy(org: Any) -> SignoffPolicy:
    """分局局长 first, then the office director."""
    policy = SignoffPolicy.objects.create(office=org.offices["jianghan"], name="举报奖励审批", subject_type="reward")
    SignoffStep.objects.create(policy=policy, order=1, title="分局局长", role=Role.UNIT_CHIEF,
                               unit_kind=UnitKind.POLICE_BUREAU)
    SignoffStep.objects.create(policy=policy, order=2, title="区扫黑办主任", role=Role.OFFICE_DIRECTOR, at_office=True)
    return policy


def approved(org: Any, report: Report) -> Reward:
    reward = rewards.reward_propose(report=report, amount="5000", reason="线索查证属实，协助打掉团伙",
                                    actor=org.users["clerk.jianghan"])
    return rewards.reward_approve(reward=reward, actor=org.users["director.jianghan"])


# --- proposing -----------------------------------------------------------------------------------


def test_propose_needs_a_signed_substantiated_conclusion(org: Any, clerk: Any) -> None:
    unsubstantiated, _code = substantiated_report(org, conclusion="unsubstantiated")
    with pytest.raises(ValidationError):
        rewards.reward_propose(report=unsubstantiated, amount=1000, reason="举报属实", actor=clerk)
    unsigned, _code = substantiated_report(org, signed=False)
    assert unsigned.clue.state == "concluded"
    with pytest.raises(ValidationError):
        rewards.reward_propose(report=unsigned, amount=1000, reason="举报属实", actor=clerk)
    partly, _code = substantiated_report(org, conclusion="partly_substantiated")
    reward = rewards.reward_propose(report=partly, amount="1000.50", reason="部分属实", actor=clerk)
    assert reward.state == RewardState.PROPOSED and reward.amount == Decimal("1000.50")
    assert reward.office == org.offices["jianghan"] and reward.policy is None
    assert AuditEvent.objects.filter(action="reward.propose", object_id=str(reward.pk)).exists()
    assert Reward.objects.count() == 1


def test_propose_refused_to_other_counties_and_to_verifiers(org: Any, other_verifier: Any, verifier: Any) -> None:
    report, _code = substantiated_report(org)
    for actor in (org.users["clerk.jiangan"], org.users["director.jiangan"], other_verifier, verifier):
        with pytest.raises(PermissionDenied):
            rewards.reward_propose(report=report, amount=1000, reason="举报属实", actor=actor)
    # The municipal director covers 江汉.
    assert rewards.reward_propose(report=report, amount=1000, reason="举报属实", actor=org.users["director.wuhan"])


@pytest.mark.parametrize("amount", ["0", "-5", "1000000.01", "abc", "12.345", "NaN"])
def test_amount_must_be_positive_and_at_most_a_million(org: Any, clerk: Any, amount: str) -> None:
    report, _code = substantiated_report(org)
    with pytest.raises(ValidationError):
        rewards.reward_propose(report=report, amount=amount, reason="举报属实", actor=clerk)
    assert not Reward.objects.exists()


def test_one_live_reward_per_report(org: Any, clerk: Any) -> None:
    report, _code = substantiated_report(org)
    first = rewards.reward_propose(report=report, amount=1000000, reason="举报属实", actor=clerk)
    with pytest.raises(ValidationError):
        rewards.reward_propose(report=report, amount=10, reason="举报属实", actor=clerk)
    rewards.reward_void(reward=first, reason="金额有误，重新提出", actor=org.users["director.jianghan"])
    assert rewards.reward_propose(report=report, amount=10, reason="举报属实", actor=clerk).amount == Decimal("10.00")


# --- approving -----------------------------------------------------------------------------------


def test_approval_follows_the_policy_order(org: Any, clerk: Any) -> None:
    policy = two_step_policy(org)
    report, _code = substantiated_report(org)
    reward = rewards.reward_propose(report=report, amount=3000, reason="举报属实", actor=clerk)
    assert reward.policy == policy
    director, bureau_head = org.users["director.jianghan"], org.users["head.jhbureau"]
    assert not rewards.may_approve(director, reward) and rewards.may_approve(bureau_head, reward)
    with pytest.raises(PermissionDenied):
        rewards.reward_approve(reward=reward, actor=director)
    with pytest.raises(PermissionDenied):
        rewards.reward_approve(reward=reward, actor=clerk)  # the proposer
    with pytest.raises(PermissionDenied):
        rewards.reward_approve(reward=reward, actor=org.users["head.jabureau"])  # another county's bureau
    reward = rewards.reward_approve(reward=reward, actor=bureau_head, comment="同意")
    assert reward.state == RewardState.PROPOSED
    reward = rewards.reward_approve(reward=reward, actor=director)
    assert reward.state == RewardState.APPROVED and reward.approved_at is not None
    signed = list(rewards.reward_endorsements(reward=reward))
    assert [(e.step.order, e.signer.username) for e in signed] == [(1, "head.jhbureau"), (2, "director.jianghan")]
    assert Endorsement.objects.filter(subject_type="reward").count() == 2
    assert AuditEvent.objects.filter(action="reward.approve", object_id=str(reward.pk)).count() == 2
    with pytest.raises(ValidationError):
        rewards.reward_approve(reward=reward, actor=org.users["director.wuhan"])


def test_without_a_policy_the_office_director_approves(org: Any, clerk: Any) -> None:
    report, _code = substantiated_report(org)
    reward = rewards.reward_propose(report=report, amount=3000, reason="举报属实", actor=clerk)
    with pytest.raises(PermissionDenied):
        rewards.reward_approve(reward=reward, actor=org.users["custodian.jianghan"])
    with pytest.raises(PermissionDenied):
        rewards.reward_approve(reward=reward, actor=org.users["director.jiangan"])
    reward = rewards.reward_approve(reward=reward, actor=org.users["director.jianghan"])
    assert reward.state == RewardState.APPROVED
    event = AuditEvent.objects.get(action="reward.approve", object_id=str(reward.pk))
    assert event.after["fallback"] is True


def test_a_municipal_reward_policy_applies_below(org: Any, clerk: Any) -> None:
    policy = SignoffPolicy.objects.create(office=org.offices["wuhan"], name="市级奖励审批", subject_type="reward")
    SignoffStep.objects.create(policy=policy, order=1, title="扫黑办主任", role=Role.OFFICE_DIRECTOR, at_office=True)
    report, _code = substantiated_report(org)
    reward = rewards.reward_propose(report=report, amount=3000, reason="举报属实", actor=clerk)
    assert reward.policy == policy
    # "Signed in the office": the office paying the reward (江汉), not the city's.
    with pytest.raises(PermissionDenied):
        rewards.reward_approve(reward=reward, actor=org.users["director.wuhan"])
    assert rewards.reward_approve(reward=reward, actor=org.users["director.jianghan"]).state == RewardState.APPROVED


# --- paying and voiding --------------------------------------------------------------------------


def test_pay_a_named_reporter_issues_a_claim_code_once(org: Any, clerk: Any) -> None:
    report, _code = substantiated_report(org)
    reward = rewards.reward_propose(report=report, amount=3000, reason="举报属实", actor=clerk)
    with pytest.raises(ValidationError):
        rewards.reward_pay(reward=reward, paid_on=timezone.localdate(), method="银行转账", actor=clerk)
    reward = rewards.reward_approve(reward=reward, actor=org.users["director.jianghan"])
    with pytest.raises(PermissionDenied):
        rewards.reward_pay(reward=reward, paid_on=timezone.localdate(), method="现金", actor=org.users["clerk.jiangan"])
    with pytest.raises(ValidationError):
        rewards.reward_pay(reward=reward, paid_on=timezone.localdate() + dt.timedelta(days=1), method="现金",
                           actor=clerk)
    with pytest.raises(ValidationError):
        rewards.reward_pay(reward=reward, paid_on=timezone.localdate(), method=" ", actor=clerk)
    payment = rewards.reward_pay(reward=reward, paid_on=timezone.localdate(), method="银行转账", actor=clerk)
    reward = Reward.objects.get(pk=reward.pk)
    assert reward.state == RewardState.PAID and reward.paid_by == clerk and reward.payment_method == "银行转账"
    assert payment.claim_code and payment.claim_code not in reward.claim_code_hash
    assert rewards.reward_verify_claim(reward=reward, code=payment.claim_code)
    assert not rewards.reward_verify_claim(reward=reward, code="AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")
    assert AuditEvent.objects.filter(action="reward.pay", object_id=str(reward.pk)).exists()
    with pytest.raises(ValidationError):
        rewards.reward_pay(reward=reward, paid_on=timezone.localdate(), method="银行转账", actor=clerk)
    with pytest.raises(ValidationError):
        rewards.reward_void(reward=reward, reason="重复发放", actor=org.users["director.jianghan"])


def test_void_needs_a_reason_and_the_director(org: Any, clerk: Any) -> None:
    report, _code = substantiated_report(org)
    reward = approved(org, report)
    with pytest.raises(PermissionDenied):
        rewards.reward_void(reward=reward, reason="不符合条件", actor=clerk)  # approved: no longer the proposer's
    with pytest.raises(ValidationError):
        rewards.reward_void(reward=reward, reason="", actor=org.users["director.jianghan"])
    reward = rewards.reward_void(reward=reward, reason="不符合奖励条件", actor=org.users["director.jianghan"])
    assert reward.state == RewardState.VOIDED and reward.void_reason == "不符合奖励条件"
    assert AuditEvent.objects.filter(action="reward.void", object_id=str(reward.pk)).exists()


# --- the reporter's claim ------------------------------------------------------------------------


def test_claim_with_the_receipt_gives_a_claim_code_once(org: Any, clerk: Any) -> None:
    report, receipt = substantiated_report(org, anonymous=True)
    reward = rewards.reward_propose(report=report, amount=2000, reason="举报属实", actor=clerk)
    with pytest.raises(rewards.ClaimRefused):
        rewards.reward_claim(receipt=receipt)  # not approved yet
    rewards.reward_approve(reward=reward, actor=org.users["director.jianghan"])
    claimed, code = rewards.reward_claim(receipt=receipt.lower().replace("-", " "))
    assert claimed.pk == reward.pk and code and claimed.claimed_at is not None
    stored = Reward.objects.get(pk=reward.pk)
    assert code not in stored.claim_code_hash and stored.claim_code_hash
    assert AuditEvent.objects.filter(action="reward.claim", object_id=str(reward.pk)).exists()
    with pytest.raises(rewards.ClaimRefused):
        rewards.reward_claim(receipt=receipt)
    assert Reward.objects.get(pk=reward.pk).claim_code_hash == stored.claim_code_hash
    # At the counter: a wrong code is refused, the right one pays.
    assert not rewards.reward_verify_claim(reward=stored, code=receipt, actor=clerk)
    with pytest.raises(ValidationError):
        rewards.reward_pay(reward=stored, paid_on=timezone.localdate(), method="现金", actor=clerk, claim_code=receipt)
    assert rewards.reward_verify_claim(reward=stored, code=code, actor=clerk)
    payment = rewards.reward_pay(reward=stored, paid_on=timezone.localdate(), method="现金", actor=clerk,
                                 claim_code=code)
    assert payment.claim_code == "" and payment.reward.state == RewardState.PAID
    assert AuditEvent.objects.filter(action="reward.verify_claim").count() == 2


def test_paid_before_the_anonymous_claim_is_claimed_later(org: Any, clerk: Any) -> None:
    report, receipt = substantiated_report(org, anonymous=True)
    reward = approved(org, report)
    payment = rewards.reward_pay(reward=reward, paid_on=timezone.localdate(), method="现金（待领取）", actor=clerk)
    assert payment.claim_code == ""  # nothing to hand anyone: the reporter claims on the portal
    _claimed, code = rewards.reward_claim(receipt=receipt)
    assert rewards.reward_verify_claim(reward=Reward.objects.get(pk=reward.pk), code=code)


def test_wrong_receipt_and_voided_rewards_are_not_claimable(org: Any, clerk: Any) -> None:
    report, receipt = substantiated_report(org, anonymous=True)
    reward = approved(org, report)
    with pytest.raises(rewards.ReceiptUnknown):
        rewards.reward_claim(receipt="AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")
    with pytest.raises(rewards.ReceiptUnknown):
        rewards.reward_claim(receipt="")
    rewards.reward_void(reward=reward, reason="不符合奖励条件", actor=org.users["director.jianghan"])
    with pytest.raises(rewards.ClaimRefused):
        rewards.reward_claim(receipt=receipt)


# --- the workbench pages -------------------------------------------------------------------------


def test_pages_propose_approve_pay_and_the_ledger(org: Any, clerk: Any, login: Any, reward_urls: None) -> None:
    two_step_policy(org)
    report, _code = substantiated_report(org)
    unsubstantiated, _code2 = substantiated_report(org, conclusion="unsubstantiated")
    client = login(clerk)
    propose = reverse("reward-propose", kwargs={"report_id": report.pk})
    assert client.get(propose).status_code == 200
    refused = client.post(reverse("reward-propose", kwargs={"report_id": unsubstantiated.pk}),
                          {"amount": "100", "reason": "举报属实"})
    assert refused.status_code == 400 and escape(zh(
        "A reward is proposed only once the clue's conclusion, substantiated or partly substantiated, is signed."
    )) in refused.content.decode()
    too_much = client.post(propose, {"amount": "1000001", "reason": "举报属实"})
    assert too_much.status_code == 400 and not Reward.objects.exists()
    response = client.post(propose, {"amount": "8000", "reason": "线索查证属实，协助打掉团伙"})
    reward = Reward.objects.get()
    detail = reverse("reward-detail", kwargs={"reward_id": reward.pk})
    assert response.status_code == 302 and response["Location"] == detail

    # Out of order: the director's signature comes second.
    director = login(org.users["director.jianghan"])
    page = director.get(detail).content.decode()
    assert "reward-approve-form" not in page and "分局局长" in page
    assert director.post(reverse("reward-approve", kwargs={"reward_id": reward.pk}), {}).status_code == 403
    head = login(org.users["head.jhbureau"])
    assert "reward-approve-form" in head.get(detail).content.decode()
    assert head.post(reverse("reward-approve", kwargs={"reward_id": reward.pk}), {"comment": "同意"}).status_code == 302
    director = login(org.users["director.jianghan"])
    assert director.post(reverse("reward-approve", kwargs={"reward_id": reward.pk}), {}).status_code == 302
    assert Reward.objects.get().state == RewardState.APPROVED
    page = director.get(detail).content.decode()
    assert "黄德明" in page and "周建国" in page  # both endorsements shown

    client = login(clerk)
    paid = client.post(reverse("reward-pay", kwargs={"reward_id": reward.pk}),
                       {"paid_on": timezone.localdate().isoformat(), "method": "银行转账"})
    body = paid.content.decode()
    assert paid.status_code == 200 and 'id="claim-code"' in body and "no-cache" in paid["Cache-Control"]
    code = body.split('id="claim-code"', 1)[1].split(">", 1)[1].split("<", 1)[0]
    assert rewards.reward_verify_claim(reward=Reward.objects.get(), code=code)
    assert 'id="claim-code"' not in client.get(detail).content.decode()
    checked = client.post(reverse("reward-check-claim", kwargs={"reward_id": reward.pk}), {"code": code})
    assert 'id="claim-check-result"' in checked.content.decode()
    assert zh("The claim code matches this reward.") in checked.content.decode()

    ledger = client.get(reverse("reward-ledger"), {"state": "paid"}).content.decode()
    assert report.number in ledger and "8000" in ledger
    export = client.get(reverse("reward-export"))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_other_counties_see_no_rewards(org: Any, clerk: Any, login: Any, reward_urls: None) -> None:
    report, _code = substantiated_report(org)
    reward = rewards.reward_propose(report=report, amount=500, reason="举报属实", actor=clerk)
    other = login(org.users["director.jiangan"])
    assert other.get(reverse("reward-detail", kwargs={"reward_id": reward.pk})).status_code == 404
    assert other.post(reverse("reward-approve", kwargs={"reward_id": reward.pk}), {}).status_code == 404
    assert other.get(reverse("reward-propose", kwargs={"report_id": report.pk})).status_code == 404
    assert report.number not in other.get(reverse("reward-ledger")).content.decode()
    assert login(org.users["director.wuhan"]).get(reverse("reward-detail", kwargs={"reward_id": reward.pk})
                                                  ).status_code == 200


def test_report_page_panel_links_to_propose(org: Any, clerk: Any, login: Any, reward_urls: None) -> None:
    from django.template.loader import render_to_string

    report, _code = substantiated_report(org)
    html = render_to_string("intake/reward_report_panel.html", {"report": report})
    assert reverse("reward-propose", kwargs={"report_id": report.pk}) in html
    unsubstantiated, _code = substantiated_report(org, conclusion="unsubstantiated")
    assert "propose-reward-link" not in render_to_string("intake/reward_report_panel.html",
                                                          {"report": unsubstantiated})


# --- figures -------------------------------------------------------------------------------------


def test_reward_figures_count_people_and_amounts(org: Any, clerk: Any) -> None:
    from saohei.figures.rewards import reward_figures

    today = timezone.localdate()
    director = org.users["director.jianghan"]
    for amount in ("5000", "3000", "1000", "700"):
        report, _code = substantiated_report(org)
        reward = rewards.reward_propose(report=report, amount=amount, reason="举报属实", actor=clerk)
        rewards.reward_approve(reward=reward, actor=director)
        if amount != "700":  # 700: approved, never paid
            rewards.reward_pay(reward=reward, paid_on=today, method="现金", actor=clerk)
    # 1000 was paid two months ago (the service records only today's payments; set the date).
    Reward.objects.filter(amount=Decimal("1000")).update(paid_at=today - dt.timedelta(days=60))
    # A paid reward in 江岸 (its clue walked by hand would need 江岸's own verifiers).
    jiangan, _code = clue_services.report_receive(
        office=org.offices["jiangan"], jurisdiction=org.places["jiangan"], channel="portal",
        subject="江岸某市场欺行霸市", content="有人长期垄断市场经营。", actor=None, reporter=reporter_create(),
        check_permission=False,
    )[:2]
    Reward.objects.create(report=jiangan, office=org.offices["jiangan"], amount=Decimal("2000"), reason="举报属实",
                          proposed_by=org.users["clerk.jiangan"], state=RewardState.PAID, paid_at=today)

    month = (today - dt.timedelta(days=30), today)
    city = reward_figures(user=org.users["director.wuhan"], jurisdiction=org.places["wuhan"],
                          start=month[0], end=month[1])
    assert (city.people, city.amount) == (3, Decimal("10000.00"))
    rows = {row.code: (row.people, row.amount) for row in city.by_child}
    assert rows == {"420102": (1, Decimal("2000.00")), "420103": (2, Decimal("8000.00"))}

    whole = reward_figures(user=org.users["director.wuhan"], jurisdiction=org.places["wuhan"],
                           start=today - dt.timedelta(days=90), end=today)
    assert (whole.people, whole.amount) == (4, Decimal("11000.00"))

    # 江岸's director sees only 江岸's rewards, even at the city level.
    theirs = reward_figures(user=org.users["director.jiangan"], jurisdiction=org.places["wuhan"],
                            start=month[0], end=month[1])
    assert (theirs.people, theirs.amount) == (1, Decimal("2000.00"))
    assert {row.code: row.people for row in theirs.by_child} == {"420102": 1, "420103": 0}
    county = reward_figures(user=director, jurisdiction=org.places["jianghan"], start=month[0], end=month[1])
    assert (county.people, county.amount) == (2, Decimal("8000.00"))
    # The reports were recorded at 江汉 itself: one row of its own.
    own = [row for row in county.by_child if row.own]
    assert [(row.code, row.people, row.amount) for row in own] == [("420103", 2, Decimal("8000.00"))]
    assert sum(row.people for row in county.by_child) == 2
    with pytest.raises(ValueError):
        reward_figures(user=director, jurisdiction=org.places["jianghan"], start=today, end=month[0])
