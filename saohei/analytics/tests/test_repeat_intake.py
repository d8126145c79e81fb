"""Repeat reports at intake: every received report is matched against the stored ones; triage sees the
candidates with their similarity and reasons, confirms or rejects them, and the decisions stay."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from saohei.analytics.models import RepeatDecision, RepeatMatch, ReportFingerprint
from saohei.analytics.repeat_store import repeat_index_forget
from saohei.analytics.services import repeat_index_rebuild, report_match
from saohei.clues.choices import State
from saohei.clues.models import Clue
from saohei.clues.tests.helpers import receive, to_closed, to_signed

pytestmark = pytest.mark.django_db

FIRST = ("江汉区民族街万某团伙强迫商户买酒",
         "举报人称：万某（绰号万老大）等人长期在江汉区民族街一带强迫商户购买其高价酒水，不从者遭其手下殴打，"
         "去年十月还砸了一家烟酒店。万某的电话是13812345678，常开一辆黑色越野车。")
AGAIN_TRADITIONAL = ("江漢區民族街萬某團夥強迫商戶買酒",
                     "舉報人稱：萬某（綽號萬老大）等人長期在江漢區民族街一帶強迫商戶購買其高價酒水，不從者遭其手下毆打，"
                     "去年十月還砸了一家菸酒店。萬某的電話是13812345678，常開一輛黑色越野車。")
UNRELATED = ("江汉区某小区物业公司乱收费",
             "举报小区物业公司每月多收停车费二百元，业主多次投诉无果，希望有关部门调查处理。")


@pytest.fixture(autouse=True)
def fresh_index():
    repeat_index_forget()
    yield
    repeat_index_forget()


def _received(org: Any, subject: str, content: str, run: Any, **kw: Any) -> Clue:
    with run(execute=True):
        return receive(org, subject=subject, content=content, **kw)


def test_a_traditional_script_retelling_is_proposed_with_its_similarity_and_reasons(
        org, django_capture_on_commit_callbacks):
    first = _received(org, *FIRST, django_capture_on_commit_callbacks)
    _received(org, *UNRELATED, django_capture_on_commit_callbacks)
    again = _received(org, *AGAIN_TRADITIONAL, django_capture_on_commit_callbacks)
    assert ReportFingerprint.objects.count() == 3
    matches = list(RepeatMatch.objects.filter(report__clue=again))
    assert [m.earlier.clue_id for m in matches] == [first.pk]
    kinds = {r[0] if isinstance(r, list) else r for r in matches[0].reasons}
    assert "same-phone" in kinds and matches[0].similarity > 0.5

    client = Client()
    client.force_login(org.users["clerk.jianghan"])
    session = client.session
    session["saohei_language"] = "en"  # the page in the clerk's chosen language
    session.save()
    text = client.get(reverse("clue-detail", kwargs={"pk": again.pk})).content.decode()
    assert "Possible repeats of earlier reports" in text and first.number in text and "same phone number" in text


def test_confirming_makes_the_new_clue_a_duplicate_and_sends_a_concluded_clue_to_review(
        org, django_capture_on_commit_callbacks):
    first = _received(org, *FIRST, django_capture_on_commit_callbacks)
    to_signed(org, first)
    again = _received(org, *AGAIN_TRADITIONAL, django_capture_on_commit_callbacks)
    match = RepeatMatch.objects.get(report__clue=again)
    client = Client()
    client.force_login(org.users["clerk.jianghan"])
    response = client.post(reverse("repeat-decide", kwargs={"pk": match.pk}), {"decision": "confirmed"})
    assert response.status_code == 302
    again.refresh_from_db()
    first.refresh_from_db()
    assert again.state == State.DUPLICATE and again.duplicate_of_id == first.pk
    assert first.report_count == 2 and first.review_pending
    match.refresh_from_db()
    assert match.decision == RepeatDecision.CONFIRMED and match.decided_by == org.users["clerk.jianghan"]


def test_a_closed_clue_reported_again_goes_to_review(org, django_capture_on_commit_callbacks):
    first = _received(org, *FIRST, django_capture_on_commit_callbacks)
    to_closed(org, first)
    again = _received(org, *AGAIN_TRADITIONAL, django_capture_on_commit_callbacks)
    match = RepeatMatch.objects.get(report__clue=again)
    client = Client()
    client.force_login(org.users["clerk.jianghan"])
    client.post(reverse("repeat-decide", kwargs={"pk": match.pk}), {"decision": "confirmed"})
    first.refresh_from_db()
    assert first.state == State.REVIEW


def test_a_rejection_is_kept_through_a_rebuild_and_a_new_match(org, django_capture_on_commit_callbacks):
    _received(org, *FIRST, django_capture_on_commit_callbacks)
    again = _received(org, *AGAIN_TRADITIONAL, django_capture_on_commit_callbacks)
    match = RepeatMatch.objects.get(report__clue=again)
    client = Client()
    client.force_login(org.users["clerk.jianghan"])
    client.post(reverse("repeat-decide", kwargs={"pk": match.pk}), {"decision": "rejected", "note": "不同的人"})
    assert repeat_index_rebuild() == 2
    report_match(report_id=match.report_id)
    kept = RepeatMatch.objects.get(report__clue=again)
    assert kept.pk == match.pk and kept.decision == RepeatDecision.REJECTED and kept.decision_note == "不同的人"
    assert Clue.objects.get(pk=again.pk).state == State.RECEIVED


def test_another_county_neither_sees_nor_decides_the_candidate(org, django_capture_on_commit_callbacks):
    _received(org, *FIRST, django_capture_on_commit_callbacks)
    again = _received(org, *AGAIN_TRADITIONAL, django_capture_on_commit_callbacks)
    match = RepeatMatch.objects.get(report__clue=again)
    outsider = Client()
    outsider.force_login(org.users["clerk.jiangan"])
    assert outsider.post(reverse("repeat-decide", kwargs={"pk": match.pk}), {"decision": "rejected"}).status_code == 404
    match.refresh_from_db()
    assert match.decision == RepeatDecision.PENDING
