import datetime as dt

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from saohei.clues.filtersets import ClueFilterSet
from saohei.clues.selectors import clue_list_for_user
from saohei.clues.tests.helpers import FIVE_CHIEFS, receive, triage_valid
from saohei.intake.models import Report

REPORT = {
    "jurisdiction": "420103",
    "channel": "hotline",
    "subject": "民族街某KTV强迫交易",
    "content": "举报人称：万某等人长期在民族街一带强迫商户购买其酒水，不从者遭殴打。",
    "reporter": {"name": "张三", "contact": "13800001111"},
}


def test_a_report_posted_through_the_api_walks_to_closed_by_every_move(org, as_persona):
    clerk = as_persona("clerk.jianghan")
    response = clerk.post("/reports", REPORT, headers={"Idempotency-Key": "walk-1"})
    assert response.status_code == 201, response.json()
    receipt = response.json()
    assert len(receipt["receipt_code"]) == 29 and receipt["report"]["reachable"] is True
    assert "张三" not in response.content.decode()
    clue_id = receipt["clue_id"]

    again = clerk.post("/reports", REPORT, headers={"Idempotency-Key": "walk-1"})
    assert again.status_code == 200 and again.json()["clue_id"] == clue_id and again.json()["receipt_code"] == ""
    assert Report.objects.filter(idempotency_key="walk-1").count() == 1
    other = clerk.post("/reports", {**REPORT, "subject": "另一件事"}, headers={"Idempotency-Key": "walk-1"})
    assert other.status_code == 409

    def move(username, name, params=None, expect=200):
        r = as_persona(username).post(f"/clues/{clue_id}/transitions/{name}", params or {})
        assert r.status_code == expect, (username, name, r.json())
        return r.json()

    move("clerk.jianghan", "triage_valid", {"category": "forced_transactions", "priority": 2})
    clue = move("clerk.jianghan", "assign", {"unit": org.units["jh_minzu"].pk,
                                             "deadline": (timezone.localdate() + dt.timedelta(days=20)).isoformat()})
    assert clue["state"] == "assigned" and clue["assignments"][0]["unit_id"] == org.units["jh_minzu"].pk
    assert "start" in as_persona("verifier.jianghan").get(f"/clues/{clue_id}").json()["moves"]
    move("verifier.jianghan", "start")
    move("verifier.jianghan", "record_musts", {
        "reporter_met": "met", "reporter_met_note": "3月2日在派出所当面询问", "content_rechecked": True,
        "content_recheck_note": "走访商户12家，调取监控", "feedback_planned": True})
    move("verifier.jianghan", "conclude", {"conclusion": "unsubstantiated",
                                           "finding": "经走访核实，未发现万某强迫交易的事实，相关商户否认被强迫。"})
    # Out of order: the bureau head may not sign before the officer and the five chiefs below him.
    move("head.jhbureau", "sign", expect=403)
    for username in FIVE_CHIEFS:
        clue = move(username, "sign", {"comment": "同意"})
    assert clue["state"] == "signed"
    move("clerk.jianghan", "close", expect=422)  # feedback and reply still missing
    move("clerk.jianghan", "feedback", {"text": "经核查，您反映的问题未查实。"})
    move("head.minzu", "reply", {"text": "已按要求核查完毕，结论已签批。"})
    clue = move("clerk.jianghan", "close")
    assert clue["state"] == "closed" and clue["closed_at"]
    move("clerk.jianghan", "close", expect=409)  # not possible from closed

    events = as_persona("clerk.jianghan").get(f"/clues/{clue_id}/events").json()
    actions = [e["action"] for e in events]
    assert actions[0] == "receive" and actions[-1] == "close" and actions.count("sign") == len(FIVE_CHIEFS)
    assert events[-1]["actor"] == "clerk.jianghan"


def test_transition_errors_are_4xx_in_the_callers_language(org, as_persona):
    clue = receive(org)
    clerk = as_persona("clerk.jianghan")
    r = clerk.post(f"/clues/{clue.pk}/transitions/triage_valid", {"priority": 2}, headers={"Accept-Language": "en"})
    assert r.status_code == 422 and r.json()["detail"] == "A valid clue needs its offence category."
    assert r["Content-Language"] == "en"
    r = clerk.post(f"/clues/{clue.pk}/transitions/triage_valid?lang=zh-hans", {"priority": "x"})
    assert r.status_code == 422 and r["Content-Language"] == "zh-hans"
    r = clerk.post(f"/clues/{clue.pk}/transitions/fly_away", {})
    assert r.status_code == 422
    r = as_persona("verifier.jianghan").post(f"/clues/{clue.pk}/transitions/triage_valid",
                                             {"category": "forced_transactions"})
    assert r.status_code in (403, 404)
    r = clerk.post(f"/clues/{clue.pk}/transitions/assign", {"unit": org.units["jh_minzu"].pk})
    assert r.status_code == 409  # a received clue cannot be assigned before triage


def test_another_county_sees_a_404_and_an_empty_list(org, as_persona):
    clue = receive(org)
    other = as_persona("verifier.jiangan")
    assert other.get(f"/clues/{clue.pk}").status_code == 404
    assert other.get(f"/clues/{clue.pk}/events").status_code == 404
    assert other.post(f"/clues/{clue.pk}/transitions/start", {}).status_code == 404
    listed = other.get("/clues", {"jurisdiction": "420103"}).json()
    assert listed["count"] == 0 and listed["items"] == []
    assert as_persona("clerk.jianghan").get(f"/clues/{clue.pk}").status_code == 200
    assert other.get("/reports", {"jurisdiction": "420103"}).json()["count"] == 0
    assert as_persona("clerk.jianghan").get("/reports").json()["count"] == 1


FILTERS = [
    {},
    {"state": "valid"},
    {"state": ["received", "valid"]},
    {"jurisdiction": "420103", "sort": "oldest"},
    {"priority": "2"},
    {"public": "true"},
    {"public": "false"},
    {"q": "KTV"},
    {"created_from": timezone.localdate().isoformat(), "created_to": timezone.localdate().isoformat()},
    {"unit": "1"},
    {"overdue": "false", "sort": "number"},
]


@pytest.mark.parametrize("params", FILTERS)
def test_clue_filters_equal_the_ledgers(org, as_persona, params):
    for i in range(3):
        clue = receive(org, subject=f"江汉区第{i}号线索 KTV" if i else "江汉区某酒吧收取保护费")
        if i:
            triage_valid(org, clue)
    receive(org, channel="screening")
    user = org.users["director.wuhan"]
    data = QueryDict(mutable=True)
    for key, value in params.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    ledger = ClueFilterSet(data, queryset=clue_list_for_user(user=user))
    assert ledger.is_valid()
    expected = [c.pk for c in ledger.qs]
    body = as_persona("director.wuhan").get("/clues", data).json()
    assert [c["id"] for c in body["items"]] == expected
    assert body["count"] == len(expected)


def test_clue_category_filter_equals_the_ledgers(org, as_persona):
    triage_valid(org, receive(org))
    receive(org)
    body = as_persona("director.wuhan").get("/clues", {"category": "forced_transactions"})
    assert body.status_code == 200
    assert body.json()["count"] == 1


def test_bad_filters_are_422_not_an_empty_page(org, as_persona):
    api = as_persona("clerk.jianghan")
    for params in ({"created_from": "2024-13-40"}, {"state": "nonsense"}, {"category": "no_such_category"},
                   {"unit": "x"}, {"jurisdiction": "999999"}, {"limit": 0}, {"limit": 10**30},
                   {"created_from": "0001-01-01"}, {"created_to": "0"}):
        r = api.get("/clues", params)
        assert r.status_code == 422, (params, r.content)
        assert r.json()["detail"] and isinstance(r.json()["errors"], list)
    for path in (f"/clues/{2**70}", "/clues/-1", "/clues/abc/events", f"/clues/{2**63}/events"):
        assert api.get(path).status_code == 422, path
    assert api.get("/clues/987654").status_code == 404


def test_query_count_does_not_grow_with_page_size(org, as_persona):
    for _ in range(12):
        triage_valid(org, receive(org))
    api = as_persona("director.wuhan")
    api.get("/clues", {"limit": 1})  # first use of the token stamps last_used_at
    counts = {}
    for limit in (10, 100):
        with CaptureQueriesContext(connection) as queries:
            body = api.get("/clues", {"limit": limit}).json()
        counts[limit] = len(queries)
        assert len(body["items"]) == min(limit, 12)
    assert counts[10] == counts[100]


def test_jurisdictions_units_and_figures(org, as_persona):
    api = as_persona("clerk.jianghan")
    children = api.get("/jurisdictions", {"parent": "420100"}).json()
    assert {j["code"] for j in children["items"]} == {"420102", "420103"}
    assert api.get("/jurisdictions", {"parent": "999999"}).status_code == 422
    assert api.get("/jurisdictions", {"level": "county", "q": "江汉"}).json()["items"][0]["code"] == "420103"
    units = api.get("/units", {"jurisdiction": "420103", "kind": "police_station"}).json()
    assert org.units["jh_minzu"].pk in {u["id"] for u in units["items"]}
    assert api.get("/units", {"kind": "spaceship"}).status_code == 422

    triage_valid(org, receive(org))
    today = timezone.localdate().isoformat()
    r = api.get("/figures/clues", {"jurisdiction": "420103", "start": today, "end": today})
    assert r.status_code == 200, r.content
    totals = r.json()["totals"]
    assert totals["reports_received"]["value"] == 1 and totals["valid"]["value"] == 1
    assert api.get("/figures/clues", {"jurisdiction": "420103", "start": today,
                                      "end": "2000-01-01"}).status_code == 422
    assert api.get("/figures/clues", {"jurisdiction": "nope"}).status_code == 422
    assert api.get("/figures/clues", {"jurisdiction": "420103", "start": "not-a-date"}).status_code == 422


def test_the_api_gives_the_analysed_priority_sorts_by_it_and_says_why_in_the_callers_language(org, as_persona):
    from saohei.analytics.scoring import clue_score_update

    gang = receive(org, subject="民族街万某团伙持刀砸店",
                   content="万某带人持砍刀砸了烟酒店，打伤店主，派出所所长收钱通风报信。")
    plain = receive(org, subject="有人在搞事", content="听说附近有坏人，请你们管一管。")
    unscored = receive(org, subject="另一件事", content="小区门口有人吵架。")
    for clue in (gang, plain):
        clue_score_update(clue_id=clue.pk)
    clerk = as_persona("clerk.jianghan")
    items = clerk.get("/clues", {"sort": "analysed"}).json()["items"]
    assert [i["id"] for i in items] == [gang.pk, plain.pk, unscored.pk]  # unscored last
    assert items[0]["analysed_level"] in {"high", "medium"} and items[2]["analysed_score"] is None
    high = clerk.get("/clues", {"analysed_level": ["high", "medium"]}).json()["items"]
    assert [i["id"] for i in high] == [gang.pk]
    detail = clerk.get(f"/clues/{gang.pk}", headers={"Accept-Language": "en"}).json()
    assert detail["analysed_score"] == items[0]["analysed_score"]
    texts = [r["text"] for r in detail["analysed_reasons"]]
    assert any(text.startswith("Weapons mentioned: ") for text in texts)
    assert sum(r["points"] for r in detail["analysed_reasons"]) >= detail["analysed_score"] - 0.5
    chinese = clerk.get(f"/clues/{gang.pk}", headers={"Accept-Language": "zh-hans"}).json()
    assert any(r["text"].startswith("涉及凶器") for r in chinese["analysed_reasons"])
    assert clerk.get(f"/clues/{unscored.pk}").json()["analysed_reasons"] == []
