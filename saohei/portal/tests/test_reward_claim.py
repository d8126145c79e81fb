"""The reporter claims a reward with the receipt: a claim code once, a generic answer to wrong receipts."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext, override

from saohei.intake import rewards
from saohei.intake.models import Reward
from saohei.intake.receipts import receipt_normalise
from saohei.intake.tests.test_rewards import substantiated_report


def _urls() -> list[Any]:
    from config import urls as root
    from saohei.portal import urls as portal_urls

    portal = [*portal_urls.urlpatterns, path("reward/", include("saohei.portal.reward_urls"))]
    # First, so that "portal:" resolves here whether or not the lead has included the page yet.
    return [path("portal/", include((portal, "portal"))), *root.urlpatterns]


urlpatterns = _urls()

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _urlconf(settings: Any) -> None:
    settings.ROOT_URLCONF = __name__


def zh(message: str) -> str:
    with override("zh-hans"):
        return gettext(message)


def _claim(receipt: str) -> Any:
    client = Client(enforce_csrf_checks=False)
    return client.post(reverse("portal:reward-claim"), {"receipt": receipt})


def test_claim_gives_a_claim_code_once_and_instructions(org: Any, clerk: Any) -> None:
    report, receipt = substantiated_report(org, anonymous=True)
    reward = rewards.reward_propose(report=report, amount=2000, reason="线索查证属实", actor=clerk)

    page = Client().get(reverse("portal:reward-claim"))
    assert page.status_code == 200 and 'method="post"' in page.content.decode()

    early = _claim(receipt)
    assert early.status_code == 409 and zh("No reward is waiting to be claimed for this report.") in \
        early.content.decode()

    rewards.reward_approve(reward=reward, actor=org.users["director.jianghan"])
    response = _claim(receipt)
    body = response.content.decode()
    assert response.status_code == 200 and 'id="claim-code"' in body and 'id="claim-instructions"' in body
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    code = body.split('id="claim-code">', 1)[1].split("<", 1)[0]
    assert len(receipt_normalise(code)) == 24
    assert receipt not in body and code not in Reward.objects.get(pk=reward.pk).claim_code_hash
    assert rewards.reward_verify_claim(reward=Reward.objects.get(pk=reward.pk), code=code)

    again = _claim(receipt)
    assert again.status_code == 409 and 'id="claim-code"' not in again.content.decode()

    # At the office: the code pays the reward.
    paid = rewards.reward_pay(reward=Reward.objects.get(pk=reward.pk), paid_on=timezone.localdate(), method="现金",
                              actor=clerk, claim_code=code)
    assert paid.reward.state == "paid"


def test_wrong_receipt_gets_the_follow_up_answer(org: Any, clerk: Any) -> None:
    report, _receipt = substantiated_report(org, anonymous=True)
    rewards.reward_approve(
        reward=rewards.reward_propose(report=report, amount=2000, reason="线索查证属实", actor=clerk),
        actor=org.users["director.jianghan"],
    )
    wrong = _claim("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")
    short = _claim("AAAA")
    follow = Client().post(reverse("portal:follow"), {"receipt": "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF"})
    generic = zh("No report matches this receipt. Check each character and try again.")
    for response in (wrong, short):
        assert response.status_code == 400
        assert generic in response.content.decode() and 'id="claim-code"' not in response.content.decode()
    assert generic in follow.content.decode()
    assert Reward.objects.get().claimed_at is None


def test_the_receipt_never_travels_in_the_url(org: Any) -> None:
    response = Client().get(reverse("portal:reward-claim"), {"receipt": "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF"})
    assert response.status_code == 200 and 'id="claim-code"' not in response.content.decode()
