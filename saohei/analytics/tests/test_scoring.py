"""Which clue first: every received clue gets a priority with its reasons, shown at triage and in the ledger."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from saohei.analytics.models import ClueScore
from saohei.analytics.scoring import clue_score_update
from saohei.analytics.tests.helpers import received
from saohei.clues import services
from saohei.clues.models import Clue
from saohei.clues.tests.helpers import receive
from saohei.intake.choices import Channel
from saohei.intake.models import Report
from saohei.intake.services import reporter_create
from saohei.orgs.models import Jurisdiction

pytestmark = pytest.mark.django_db

DETAILED = ("江汉区民族街万某团伙持刀强迫商户买酒",
            "举报人称：万某（绰号万老大）等人长期在江汉区民族街一带强迫商户购买其高价酒水，不从者遭其手下殴打。"
            "2024年3月5日晚，万某带人持砍刀砸了一家烟酒店，打伤店主。万某的电话是13812345678。"
            "民族街派出所所长李某收了万某的钱，每次检查前都给他通风报信。")
VAGUE = ("有人在搞事", "听说附近有坏人，天天晚上吵，请你们管一管。")
SAME_PHONE = ("有人在江汉区放高利贷", "放贷的人电话13812345678，利息很高，还不上就上门泼油漆。")


def _client(user: Any, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session["saohei_language"] = language
    session.save()
    return client


def test_a_specific_violent_tip_naming_a_protector_is_high_and_says_why(org, django_capture_on_commit_callbacks):
    detailed = received(org, *DETAILED, django_capture_on_commit_callbacks)
    vague = received(org, *VAGUE, django_capture_on_commit_callbacks, channel=Channel.LETTER, contact="")
    high = ClueScore.objects.get(clue=detailed)
    low = ClueScore.objects.get(clue=vague)
    codes = {reason["code"] for reason in high.reasons}
    assert high.level == "high" and high.score >= 60
    assert {"category", "violence", "weapons", "officials_named", "protective_umbrella", "identifiers",
            "reporter_reachable", "persons_named"} <= codes
    # the protector comes first (officials shielding a gang), the gang's own offence next
    assert high.category == "protective_umbrella"
    assert "forced_transactions" in [routed["offence"] for routed in high.routing_reasons]
    assert low.level == "low" and low.score < high.score
    assert "vague" in {reason["code"] for reason in low.reasons}

    page = _client(org.users["clerk.jianghan"]).get(reverse("clue-detail", kwargs={"pk": detailed.pk}))
    text = page.content.decode()
    assert "Which clue first" in text and f'data-score="{high.score}"' in text
    assert "Violence described: " in text and "砍刀" in text
    assert "Possible protective umbrella" in text and "The reporter can be reached for questioning" in text
    assert "Suggested priority at triage: high" in text

    chinese = _client(org.users["clerk.jianghan"], "zh-hans").get(
        reverse("clue-detail", kwargs={"pk": detailed.pk})).content.decode()
    assert "研判优先级" in chinese and "涉及暴力" in chinese and "强迫交易" in chinese


def test_the_ledger_sorts_by_analysed_priority_and_filters_by_level(org, django_capture_on_commit_callbacks):
    vague = received(org, *VAGUE, django_capture_on_commit_callbacks, channel=Channel.LETTER, contact="")
    detailed = received(org, *DETAILED, django_capture_on_commit_callbacks)
    client = _client(org.users["clerk.jianghan"])
    text = client.get(reverse("clue-ledger"), {"sort": "analysed"}).content.decode()
    assert text.index(detailed.number) < text.index(vague.number)
    for clue in (detailed, vague):  # the score sits in the "Analysed" column, right after "Priority"
        row = re.search(rf'<tr data-clue="{clue.pk}">(.*?)</tr>', text, re.S)
        assert row is not None
        cells = re.findall(r"<td>(.*?)</td>", row.group(1), re.S)
        assert f'data-score="{ClueScore.objects.get(clue=clue).score}"' in cells[6]
    headers = re.findall(r"<th[^>]*>(.*?)</th>", text, re.S)
    assert "Analysed" in headers[6] and "Priority" in headers[5]
    text = client.get(reverse("clue-ledger"), {"sort": "oldest"}).content.decode()
    assert text.index(vague.number) < text.index(detailed.number)
    only_high = client.get(reverse("clue-ledger"), {"analysed_level": "high"}).content.decode()
    assert detailed.number in only_high and vague.number not in only_high


def test_an_identifier_already_in_another_clue_corroborates(org, django_capture_on_commit_callbacks):
    received(org, *DETAILED, django_capture_on_commit_callbacks)
    usury = received(org, *SAME_PHONE, django_capture_on_commit_callbacks, channel=Channel.LETTER, contact="")
    reasons = {reason["code"]: reason for reason in ClueScore.objects.get(clue=usury).reasons}
    assert reasons["corroborated"]["params"]["count"] == 1


def test_another_reporter_telling_the_same_matter_counts_as_an_independent_repeat(
        org, django_capture_on_commit_callbacks):
    clue = received(org, *DETAILED, django_capture_on_commit_callbacks)
    assert "independent_repeats" not in {r["code"] for r in ClueScore.objects.get(clue=clue).reasons}
    with django_capture_on_commit_callbacks(execute=True):
        _again, again_clue, _code = services.report_receive(
            office=org.offices["jianghan"], jurisdiction=org.places["jianghan"], channel=Channel.HOTLINE,
            subject="民族街又有人被打", content="万某的人昨晚又在民族街打人。", actor=org.users["clerk.jianghan"],
            reporter=reporter_create(name="李四", contact="13900002222"))
    with django_capture_on_commit_callbacks(execute=True):  # later, triage finds it is the same matter
        services.clue_triage(clue=again_clue, actor=org.users["clerk.jianghan"], decision="duplicate",
                             duplicate_of=clue)
    after = ClueScore.objects.get(clue=clue)
    assert Report.objects.filter(clue=clue).count() == 2
    assert {"code": "independent_repeats", "weight": 5.0, "params": {"count": 1}} in after.reasons


def test_analyse_now_scores_a_clue_for_those_who_see_it_and_hides_it_from_others(org):
    clue = receive(org, subject=DETAILED[0], content=DETAILED[1])
    ClueScore.objects.filter(clue=clue).delete()
    url = reverse("clue-score", kwargs={"pk": clue.pk})
    assert _client(org.users["verifier.jiangan"]).post(url).status_code == 404
    assert not ClueScore.objects.filter(clue=clue).exists()
    response = _client(org.users["clerk.jianghan"]).post(url)
    assert response.status_code == 302 and ClueScore.objects.filter(clue=clue).exists()


def test_a_full_name_corroborates_within_the_city_but_not_from_another_province(
        org, django_capture_on_commit_callbacks):
    first = received(org, "陈大明在民族街放高利贷", "举报陈大明在民族街一带放高利贷，逼债打人。",
                     django_capture_on_commit_callbacks)
    second = received(org, "陈大明又在逼债", "陈大明带人上门逼债，威胁要砸店。", django_capture_on_commit_callbacks,
                      place="jiangan")

    def corroborated() -> int:
        score = clue_score_update(clue_id=second.pk)
        assert score is not None
        return next((r["params"]["count"] for r in score.reasons if r["code"] == "corroborated"), 0)

    assert corroborated() == 1  # 江汉区 and 江岸区 are both in 武汉市
    Clue.objects.filter(pk=first.pk).update(jurisdiction_path="000000/440000/440100/440103/")
    liwan = Jurisdiction.objects.create(code="440103", name="荔湾区", path="000000/440000/440100/440103/")
    Report.objects.filter(clue=first).update(jurisdiction=liwan)
    assert corroborated() == 0  # the same name in 广州 says nothing about this 陈大明
