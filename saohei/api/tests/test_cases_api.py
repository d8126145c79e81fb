"""Cases through the API: the facts of a campaign recorded by POSTs (each audited), read back with the
ledgers' filters, and nothing shown to a caller who may not see it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from saohei.audit.models import AuditEvent
from saohei.cases.models import Asset, Case, CaseStage, Fugitive, Suspect, Umbrella
from saohei.cases.tests.case_helpers import days_ago, signed_clue
from saohei.cases.tests.ledger_fixtures import World, build_world

pytestmark = pytest.mark.django_db


def day(n: int) -> str:
    return days_ago(n).isoformat()


def audited(action: str, object_id: int) -> bool:
    return AuditEvent.objects.filter(action=action, object_id=str(object_id)).exists()


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.json()
    return response.json()  # type: ignore[no-any-return]


def test_a_case_recorded_through_the_api_from_filing_to_judgment(org: Any, as_persona: Any) -> None:
    director = as_persona("director.jianghan")
    case = ok(director.post("/cases", {
        "jurisdiction": "420103", "unit": org.units["jh_brigade"].pk, "title": "万某等人强迫交易案", "origin": "police",
        "organization_type": "evil_force_gang", "organization_name": "万某恶势力团伙", "organization_leader": "万某",
        "offences": ["forced_transactions"], "filed_on": day(60), "supervision_level": "municipal",
    }), 201)
    case_id = case["id"]
    assert case["number"].startswith("AJ") and case["office_id"] == org.offices["jianghan"].pk
    assert case["stages"][0]["stage"] == "investigation" and case["offences"] == ["forced_transactions"]
    assert audited("case.create", case_id)

    leader = ok(director.post(f"/cases/{case_id}/suspects", {"name": "万某", "role": "leader", "custody": "detained",
                                                              "custody_on": day(50)}), 201)
    assert leader["detained_on"] == day(50) and audited("suspect.add", leader["id"])
    member = ok(director.post(f"/cases/{case_id}/suspects", {"name": "李某", "surrendered": True,
                                                              "custody": "detained", "custody_on": day(20)}), 201)
    arrested = ok(director.post(f"/suspects/{leader['id']}/custody", {"custody": "arrested", "on": day(40)}))
    assert arrested["custody"] == "arrested" and arrested["arrested_on"] == day(40)
    assert audited("suspect.custody", leader["id"])
    ok(director.post(f"/suspects/{leader['id']}/outcome", {"outcome": "indicted", "on": day(10)}))
    convicted = ok(director.post(f"/suspects/{leader['id']}/outcome", {
        "outcome": "convicted", "on": day(5), "sentence": "有期徒刑十二年", "sentence_months": 144}))
    assert convicted["outcome"] == "convicted" and convicted["sentence_months"] == 144

    asset = ok(director.post(f"/cases/{case_id}/assets", {
        "kind": "deposit", "description": "万某名下银行存款", "amount": "1250000.00", "state": "frozen",
        "secured_on": day(45), "holder": "万某"}), 201)
    assert Decimal(asset["amount"]) == Decimal("1250000.00") and audited("asset.record", asset["id"])
    cash = ok(director.post(f"/cases/{case_id}/assets", {"kind": "cash", "description": "现金", "amount": 50000.5,
                                                         "state": "seized", "secured_on": day(25)}), 201)
    assert ok(director.post(f"/assets/{cash['id']}/state", {"state": "confiscated", "on": day(4)}))["state"] == \
        "confiscated"
    assert audited("asset.state", cash["id"])

    for stage, unit, ago in (("prosecution_review", "jh_procuratorate", 15), ("indicted", "jh_procuratorate", 10)):
        entry = ok(director.post(f"/cases/{case_id}/stages", {"stage": stage, "unit": org.units[unit].pk,
                                                              "started_on": day(ago)}), 201)
        assert entry["stage"] == stage and entry["unit_name"] == org.units[unit].name
    solved = ok(director.post(f"/cases/{case_id}/solved", {"on": day(30)}))
    destroyed = ok(director.post(f"/cases/{case_id}/destroyed", {"on": day(20)}))
    assert solved["solved_on"] == day(30) and destroyed["destroyed"] is True and destroyed["destroyed_on"] == day(20)
    assert audited("case.solve", case_id) and audited("case.destroyed", case_id)

    detail = ok(director.get(f"/cases/{case_id}"))
    assert detail["stage"] == "indicted" and detail["indicted_on"] == day(10)
    assert [s["stage"] for s in detail["stages"]] == ["investigation", "prosecution_review", "indicted"]
    assert detail["suspects_count"] == 2 and Decimal(detail["assets_total"]) == Decimal("1300000.50")
    assert detail["umbrellas_count"] == 0

    # The lists filter exactly as the ledgers do.
    assert ok(director.get("/suspects", {"surrendered": "true"}))["items"][0]["id"] == member["id"]
    assert ok(director.get("/suspects", {"captured_to": day(45)}))["count"] == 1
    assert ok(director.get("/cases", {"organization_type": "none"}))["count"] == 0
    assert ok(director.get("/cases", {"destroyed_from": day(20), "destroyed_to": day(20)}))["count"] == 1
    assert ok(director.get("/assets", {"state": ["frozen", "sealed"]}))["count"] == 1
    assert Case.objects.get(pk=case_id).destroyed and Suspect.objects.filter(case_id=case_id).count() == 2


def test_a_case_formed_from_a_clue_and_a_further_clue_linked(org: Any, as_persona: Any) -> None:
    first, second = signed_clue(org), signed_clue(org, subject="江汉区某KTV老板殴打商户")
    director = as_persona("director.jianghan")
    case = ok(director.post("/cases", {"jurisdiction": "420103", "unit": org.units["jh_brigade"].pk,
                                       "title": "KTV强迫交易案", "clues": [first.pk], "filed_on": day(3)}), 201)
    assert case["clue_ids"] == [first.pk] and case["origin"] == "clues"
    linked = ok(director.post(f"/cases/{case['id']}/clues", {"clue": second.pk}), 201)
    assert linked["clue_ids"] == sorted([first.pk, second.pk]) and audited("case.clue_link", case["id"])
    again = director.post(f"/cases/{case['id']}/clues", {"clue": second.pk})
    assert again.status_code == 422 and CaseStage.objects.filter(case_id=case["id"]).count() == 1
    assert ok(director.get("/cases", {"clue": second.pk}))["count"] == 1


def test_fugitives_and_the_arrest_rate_inputs(org: Any, as_persona: Any) -> None:
    clerk = as_persona("clerk.jianghan")
    listed = [ok(clerk.post("/fugitives", {"jurisdiction": "420103", "name": f"逃犯{i}", "listed_on": day(100 - i),
                                           "location": "abroad" if i == 0 else "home"}), 201) for i in range(3)]
    assert all(audited("fugitive.add", f["id"]) for f in listed)
    caught = ok(clerk.post(f"/fugitives/{listed[0]['id']}/outcome", {"outcome": "extradited", "on": day(2)}))
    assert caught["outcome"] == "extradited" and caught["outcome_on"] == day(2)
    twice = clerk.post(f"/fugitives/{listed[0]['id']}/outcome", {"outcome": "died", "on": day(1)})
    assert twice.status_code == 422
    assert ok(clerk.get("/fugitives", {"caught": "true"}))["count"] == 1
    assert ok(clerk.get("/fugitives", {"caught": "false", "location": "home"}))["count"] == 2
    assert Fugitive.objects.filter(outcome="at_large").count() == 2


def test_protection_cases_are_the_discipline_commissions_alone(org: Any, as_persona: Any) -> None:
    world: World = build_world(org)
    case_id = world.cases["gang"].pk
    commission = as_persona("head.jhdiscipline")
    umbrella = ok(commission.post("/umbrellas", {
        "name": "刘某", "position": "某局原副局长", "handling_unit": org.units["jh_discipline"].pk,
        "opened_on": day(9), "case": case_id}), 201)
    assert audited("umbrella.open", umbrella["id"])
    concluded = ok(commission.post(f"/umbrellas/{umbrella['id']}/conclusion", {
        "outcome": "transferred_judicial", "outcome_on": day(1), "handling": "移送检察机关审查起诉"}))
    assert concluded["state"] == "concluded" and audited("umbrella.conclude", umbrella["id"])
    assert ok(commission.get("/umbrellas", {"transferred": "true"}))["count"] == 1
    assert ok(commission.get("/umbrellas", {"sanctioned": "true"}))["count"] == 2
    assert ok(as_persona("director.wuhan").get(f"/cases/{case_id}"))["umbrellas_count"] == 3

    for username in ("verifier.jianghan", "chief.jianghan", "clerk.jianghan"):
        caller = as_persona(username)
        assert caller.get("/umbrellas").status_code == 404
        assert caller.get(f"/umbrellas/{umbrella['id']}").status_code == 404
        assert caller.post("/umbrellas", {"name": "某", "position": "某", "opened_on": day(1), "case": case_id,
                                          "handling_unit": org.units["jh_discipline"].pk}).status_code == 404
        assert caller.post(f"/umbrellas/{umbrella['id']}/conclusion", {
            "outcome": "party_discipline", "outcome_on": day(1)}).status_code == 404
    assert ok(as_persona("chief.jianghan").get(f"/cases/{case_id}"))["umbrellas_count"] is None
    assert Umbrella.objects.count() == 3


def test_what_a_caller_may_not_see_is_a_404_read_or_write(org: Any, as_persona: Any) -> None:
    world: World = build_world(org)
    other = as_persona("verifier.jiangan")
    gang, suspect, asset = world.cases["gang"], world.suspects["leader"], world.assets["deposit"]
    for path in (f"/cases/{gang.pk}", f"/suspects/{suspect.pk}", f"/assets/{asset.pk}",
                 f"/fugitives/{world.fugitives['caught'].pk}"):
        assert other.get(path).status_code == 404, path
    assert other.post(f"/cases/{gang.pk}/suspects", {"name": "某"}).status_code == 404
    assert other.post(f"/suspects/{suspect.pk}/custody", {"custody": "bail", "on": day(1)}).status_code == 404
    assert other.post(f"/assets/{asset.pk}/state", {"state": "returned", "on": day(1)}).status_code == 404
    assert other.post(f"/cases/{gang.pk}/solved", {"on": day(1)}).status_code == 404
    for path in ("/cases", "/suspects", "/assets", "/accountability-reviews"):
        assert ok(other.get(path))["count"] == 0, path
    assert ok(other.get("/fugitives"))["count"] == 0
    assert world.review is not None
    assert other.get(f"/accountability-reviews/{world.review.pk}").status_code == 404
    review = ok(as_persona("director.wuhan").get(f"/accountability-reviews/{world.review.pk}"))
    assert review["state"] == "open" and len(review["signers"]) == 6
    # Seen but not theirs to change: 403, and nothing written.
    assert as_persona("clerk.jianghan").post(f"/cases/{gang.pk}/assets", {
        "kind": "cash", "description": "现金", "amount": "10.00", "state": "seized", "secured_on": day(1),
    }).status_code == 403
    assert Asset.objects.filter(case=gang).count() == 2


def test_bad_input_is_a_422_in_the_callers_language_and_writes_nothing(org: Any, as_persona: Any) -> None:
    director = as_persona("director.jianghan")
    base = {"jurisdiction": "420103", "unit": org.units["jh_brigade"].pk, "title": "某案", "origin": "police"}
    r = director.post("/cases", {**base, "jurisdiction": "999999"}, headers={"Accept-Language": "en"})
    assert r.status_code == 422 and "999999" in r.json()["detail"]
    r = director.post("/cases", {**base, "unit": org.units["jh_court"].pk}, headers={"Accept-Language": "en"})
    assert r.status_code == 422 and "investigating unit" in r.json()["detail"]
    r = director.post("/cases", {**base, "origin": "clues"}, headers={"Accept-Language": "en"})
    assert r.status_code == 422 and "at least one clue" in r.json()["detail"]
    r = director.post("/cases", {**base, "filed_on": day(-3)}, headers={"Accept-Language": "en"})
    assert r.status_code == 422 and "future" in r.json()["detail"]
    r = director.post("/cases", {**base, "offences": ["no_such_offence"]}, headers={"Accept-Language": "en"})
    assert r.status_code == 422
    assert director.post("/cases", {**base, "kind": "civil"}).status_code == 422
    assert Case.objects.count() == 0
    case = ok(director.post("/cases", base), 201)
    r = director.post(f"/cases/{case['id']}/assets", {"kind": "cash", "description": "现金", "amount": "10.001",
                                                      "state": "seized", "secured_on": day(1)})
    assert r.status_code == 422 and Asset.objects.count() == 0
    r = director.post(f"/cases/{case['id']}/stages", {"stage": "first_instance", "unit": org.units["jh_court"].pk,
                                                      "started_on": day(1)}, headers={"Accept-Language": "en"})
    assert r.status_code == 422 and "never back or past a stage" in r.json()["detail"]
    r = director.post(f"/cases/{case['id']}/destroyed", {"on": day(1)}, headers={"Accept-Language": "en"})
    assert r.status_code == 422 and not Case.objects.get(pk=case["id"]).destroyed
