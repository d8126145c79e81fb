"""GET /api/v1/figures/outcomes: the outcome figures and the bulletin in the language asked for."""

from __future__ import annotations

import pytest
from django.test import Client

from saohei.api.services import api_token_create
from saohei.figures.tests.outcome_world import END, JIANGHAN, START, build

PERIOD = {"jurisdiction": "420103", "start": START.isoformat(), "end": END.isoformat()}


@pytest.fixture
def api(org):
    def get(username: str, params: dict[str, str], **headers: str):
        _record, token = api_token_create(user=org.users[username], actor=None)
        return Client().get("/api/v1/figures/outcomes", params,
                            headers={"Authorization": f"Bearer {token}", **headers})

    return get


def test_the_figures_and_their_links(org, api):
    build(org)
    r = api("director.wuhan", PERIOD)
    assert r.status_code == 200, r.content
    body = r.json()
    totals = body["totals"]
    assert {name: totals[name]["value"] for name in JIANGHAN} == JIANGHAN
    assert totals["destroyed_mafia_type"]["url"].startswith("/cases/?jurisdiction=420103&organization_type=")
    assert totals["assets_secured"] == {
        "amount": "27160000.00", "count": 2, "text": "2716万元",
        "url": "/cases/assets/?jurisdiction=420103&secured_from=2025-01-01&secured_to=2025-06-30",
    }
    assert totals["fugitive_arrest_rate"] == {"numerator": 2, "denominator": 5, "value": 0.4, "percent": 40.0}
    assert totals["protection"]["opened"]["value"] == 2
    assert body["language"] == "zh-hans"
    assert body["bulletin"].startswith("2025年1月1日至2025年6月30日，全区共刑事拘留涉黑涉恶犯罪人员1人")
    assert body["earlier_listing_years"] == [2021, 2021] and body["secured_states"] == ["sealed"]


def test_the_bulletin_in_the_language_asked_for(org, api):
    build(org)
    en = api("director.wuhan", {**PERIOD, "lang": "en"}).json()
    assert en["language"] == "en"
    assert en["bulletin"].startswith("From 1 January 2025 to 30 June 2025, the district criminally detained 1 person")
    assert en["totals"]["assets_secured"]["text"] == "27.16 million yuan"
    hant = api("director.wuhan", PERIOD, **{"Accept-Language": "zh-hant"}).json()
    assert hant["bulletin"].startswith("2025年1月1日至2025年6月30日，全區共刑事拘留涉黑涉惡犯罪人員1人")
    assert hant["totals"]["assets_secured"]["text"] == "2716萬元"


def test_protection_is_null_for_whoever_may_not_see_it_and_others_get_zeros(org, api):
    build(org)
    clerk = api("clerk.jianghan", PERIOD).json()
    assert clerk["totals"]["protection"] is None
    assert clerk["totals"]["destroyed"]["value"] == 2
    stranger = api("verifier.jiangan", PERIOD).json()
    assert {stranger["totals"][name]["value"] for name in JIANGHAN} == {0}
    assert stranger["totals"]["protection"] is None
    assert stranger["bulletin"] == "2025年1月1日至2025年6月30日，全区暂无可通报的涉黑涉恶案件办理成果。"


def test_bad_input_is_a_422(org, api):
    assert api("director.wuhan", {"jurisdiction": "nope"}).status_code == 422
    assert api("director.wuhan", {**PERIOD, "end": "2024-01-01"}).status_code == 422
    assert api("director.wuhan", {**PERIOD, "start": "not-a-date"}).status_code == 422
    assert api("director.wuhan", {**PERIOD, "start": "2000-01-01"}).status_code == 422


def test_without_a_token_it_is_a_401(org):
    assert Client().get("/api/v1/figures/outcomes", PERIOD).status_code == 401


def test_the_default_period_is_this_year_so_far(org, api):
    body = api("director.wuhan", {"jurisdiction": "420100"}).json()
    assert body["end"] == body["today"] and body["start"] == body["today"][:4] + "-01-01"
    assert body["bulletin"] == "截至目前，全市暂无可通报的涉黑涉恶案件办理成果。"
