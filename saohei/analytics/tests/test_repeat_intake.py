"""Repeat reports at intake: every received report is matched against the stored ones; triage sees the
candidates with their similarity and reasons, confirms or rejects them, and the decisions stay."""

from __future__ import annotations

import random
import re
from typing import Any

import opencc
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from saohei.analytics import repeat_store, services
from saohei.analytics.models import RepeatDecision, RepeatMatch, ReportFingerprint, ShingleWeightsFile
from saohei.analytics.repeat_store import repeat_index_forget
from saohei.analytics.repeats import shingle_weights_fit, signature_weights_id
from saohei.analytics.services import repeat_index_rebuild, report_match
from saohei.analytics.tests.test_repeats import STOCK_CLOSING, _random_tip, _templated
from saohei.clues.choices import State
from saohei.clues.models import Clue
from saohei.clues.tests.helpers import receive, to_closed, to_signed
from saohei.intake.choices import Channel
from saohei.intake.models import Report

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
    assert repeat_index_rebuild().fingerprints == 2
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


# Tips written on one common pattern: the office's stored reports the weights are fitted on.
GAMBLING = "举报开设赌场"
ORIGINAL = _templated(town="白沙镇", village="梨花村", name="王建国", place="村口仓库", amount=8)
RETOLD = opencc.OpenCC("s2t").convert(ORIGINAL.replace(STOCK_CLOSING, "这个事情我去年就反映过。"))
SAME_WORDS = _templated(town="白沙镇", village="石桥村", name="刘长春", place="养猪场后面", amount=15)
SAME_WORDS_AGAIN = _templated(town="白沙镇", village="杏林村", name="赵大庆", place="废弃砖厂", amount=30)


def _stored_tips(org: Any, count: int) -> None:
    """`count` reports stored earlier (an office's history, loaded in bulk): tips on one pattern, other facts."""
    rng = random.Random(7)
    Report.objects.bulk_create(
        Report(channel=Channel.HOTLINE, received_at=timezone.now(), office=org.offices["jianghan"],
               jurisdiction=org.places["jianghan"], subject=GAMBLING, content=_random_tip(rng))
        for _ in range(count))


def _earlier_clues(clue: Clue) -> list[int]:
    return [m.earlier.clue_id for m in RepeatMatch.objects.filter(report__clue=clue)]


def test_after_the_weights_are_fitted_a_retelling_is_found_and_a_tip_in_the_same_words_is_not(
        org, django_capture_on_commit_callbacks):
    run = django_capture_on_commit_callbacks
    _stored_tips(org, services.FIT_MIN_REPORTS)
    original = _received(org, GAMBLING, ORIGINAL, run)  # before any weights: signed unweighted
    same_words = _received(org, GAMBLING, SAME_WORDS, run)
    assert _earlier_clues(same_words) == [original.pk]  # unweighted, the shared stock wording is enough

    done = repeat_index_rebuild()
    weights = ShingleWeightsFile.objects.get(active=True)
    assert done.fitted_on == weights.reports == services.FIT_MIN_REPORTS + 2 and done.weights_id == weights.weights_id
    assert done.fingerprints == ReportFingerprint.objects.count() == services.FIT_MIN_REPORTS + 2
    assert {signature_weights_id(bytes(f.signature)) for f in ReportFingerprint.objects.all()} == {weights.weights_id}

    retold = _received(org, GAMBLING, RETOLD, run)  # after: signed with the weights, finds the report from before
    assert _earlier_clues(retold) == [original.pk]
    assert RepeatMatch.objects.get(report__clue=retold).reasons[0][0] == "similar-text"
    assert _earlier_clues(_received(org, GAMBLING, SAME_WORDS_AGAIN, run)) == []
    assert signature_weights_id(bytes(ReportFingerprint.objects.get(report__clue=retold).signature)) \
        == weights.weights_id


def test_fingerprints_signed_with_other_weights_are_left_out_until_signed_again(
        org, django_capture_on_commit_callbacks):
    run = django_capture_on_commit_callbacks
    original = _received(org, *FIRST, run)
    # weights made active while the fingerprints were signed without them (a rebuild that stopped half-way)
    fitted = shingle_weights_fit([ORIGINAL, SAME_WORDS, UNRELATED[1]])
    ShingleWeightsFile.objects.create(reports=3, reports_stored=3, weights_id=fitted.weights_id,
                                      data=fitted.to_bytes(), active=True)
    again = _received(org, *AGAIN_TRADITIONAL, run)  # intake goes on; the earlier report is not in the index
    assert ReportFingerprint.objects.filter(report__clue=again).exists()
    assert repeat_store.repeat_index().left_out == 1

    done = repeat_index_rebuild(fit=False)
    assert done.fitted_on == 0 and done.weights_id == fitted.weights_id and done.fingerprints == 2
    report_match(report_id=again.reports.get().pk)
    assert _earlier_clues(again) == [original.pk]


def test_a_rebuild_that_stopped_half_way_is_repaired_by_the_next_match_without_a_rebuild(
        org, django_capture_on_commit_callbacks, monkeypatch):
    run = django_capture_on_commit_callbacks
    original = _received(org, *FIRST, run)
    unrelated = _received(org, *UNRELATED, run)
    fitted = shingle_weights_fit([ORIGINAL, SAME_WORDS, UNRELATED[1]])

    def stop_after_the_first_batch(reports, *, weights, computed_at, batch):  # the process dies after one batch
        services._fingerprints_write(list(reports)[:1], weights=weights, computed_at=computed_at)
        raise KeyboardInterrupt

    monkeypatch.setattr(services, "shingle_weights_fit", lambda _texts: fitted)
    monkeypatch.setattr(services, "_reports_sign", stop_after_the_first_batch)
    with pytest.raises(KeyboardInterrupt):
        repeat_index_rebuild(fit=True)
    monkeypatch.undo()
    assert not ShingleWeightsFile.objects.filter(active=True).exists(), "the new weights were never activated"
    signed = {f.report_id: signature_weights_id(bytes(f.signature)) for f in ReportFingerprint.objects.all()}
    assert sorted(signed.values()) == sorted([0, fitted.weights_id]), "one report was left signed with them"

    again = _received(org, *AGAIN_TRADITIONAL, run)  # its match asks the worker to repair what was left
    assert {signature_weights_id(bytes(f.signature)) for f in ReportFingerprint.objects.all()} == {0}
    report_match(report_id=again.reports.get().pk)
    assert _earlier_clues(again) == [original.pk]
    assert unrelated.pk not in _earlier_clues(again)


def test_a_fingerprint_stored_by_a_match_while_the_rebuild_runs_is_signed_again_with_the_new_weights(
        org, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(services, "FIT_MIN_REPORTS", 2)
    first = _received(org, *FIRST, django_capture_on_commit_callbacks)
    _received(org, *UNRELATED, django_capture_on_commit_callbacks)
    write, meanwhile = services._fingerprints_write, []

    def write_while_a_match_runs(reports: Any, **kwargs: Any) -> None:
        write(reports, **kwargs)
        if not meanwhile:  # a worker matches the first report again with the weights still in use (none)
            meanwhile.append(services.report_fingerprint(report=first.reports.get(), weights=None))

    monkeypatch.setattr(services, "_fingerprints_write", write_while_a_match_runs)
    done = repeat_index_rebuild()
    assert meanwhile and done.signed_again == 1 and done.fitted_on == 2
    assert {signature_weights_id(bytes(f.signature)) for f in ReportFingerprint.objects.all()} == {done.weights_id}


def test_weights_are_fitted_by_themselves_once_enough_reports_are_stored(
        org, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(services, "FIT_MIN_REPORTS", 3)
    run = django_capture_on_commit_callbacks
    _received(org, *FIRST, run)
    _received(org, *UNRELATED, run)
    assert not ShingleWeightsFile.objects.exists()
    _received(org, GAMBLING, ORIGINAL, run)  # the third report: a rebuild is enqueued (here run at once)
    weights = ShingleWeightsFile.objects.get(active=True)
    assert weights.reports == weights.reports_stored == 3
    again = _received(org, *AGAIN_TRADITIONAL, run)
    assert signature_weights_id(bytes(ReportFingerprint.objects.get(report__clue=again).signature)) \
        == weights.weights_id
    assert RepeatMatch.objects.filter(report__clue=again).exists()
    assert ShingleWeightsFile.objects.count() == 1  # not due again before the reports have grown fourfold


def test_the_refit_rule():
    due = services.weights_refit_due
    assert not due(reports=services.FIT_MIN_REPORTS - 1, stored_when_fitted=None)
    assert due(reports=services.FIT_MIN_REPORTS, stored_when_fitted=None)
    assert not due(reports=3999, stored_when_fitted=1000) and due(reports=4000, stored_when_fitted=1000)
    assert not due(reports=10 * services.FIT_SAMPLE_MAX, stored_when_fitted=services.FIT_SAMPLE_MAX)


def test_a_report_recorded_through_the_web_is_matched_by_the_worker_not_in_the_request(
        org, settings, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    client = Client()
    client.force_login(org.users["clerk.jianghan"])
    page = client.get(reverse("report-create"))
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', page.content.decode())
    assert key is not None
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("report-create"), {
            "channel": "hotline", "office": org.offices["jianghan"].pk, "jurisdiction": "",
            "received_at": "2024-03-01T09:30", "subject": FIRST[0], "content": FIRST[1],
            "reporter_name": "欧阳明远", "reporter_contact": "13912345678", "idempotency_key": key.group(1)})
    assert response.status_code == 200
    assert repeat_store._loaded is None and not ReportFingerprint.objects.exists()
    assert DBTaskResult.objects.filter(task_path="saohei.analytics.tasks.report_match_task").count() == 1
