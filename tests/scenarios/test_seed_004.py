"""Seed 004 (江汉区): the figures computed from records equal the bulletin's, and the bulletin the
system writes states them in the seed's own sentence."""

from __future__ import annotations

from decimal import Decimal

from saohei.figures.bulletin import amount_text, bulletin_text
from saohei.figures.outcomes import outcome_figures
from tests.scenarios.loaders import SEED_004_TOTAL

SENTENCE = ("截至目前，全区共刑事拘留涉黑涉恶犯罪人员175人，破获案件53起，打掉黑社会性质犯罪组织1个，"
            "恶势力犯罪团伙33个、恶势力犯罪集团3个，查封冻结涉案资产2716万元")


def figures(org, world, username="director.jianghan"):
    return outcome_figures(user=org.users[username], jurisdiction=world.jurisdiction, start=world.start,
                           end=world.end)


def test_the_figures_are_the_seeds(org, seed_004_world):
    t = figures(org, seed_004_world).totals
    assert t.suspects_detained.value == 175
    assert t.cases_solved.value == 53
    assert t.destroyed_mafia_type.value == 1
    assert t.destroyed_evil_force_gang.value == 33
    assert t.destroyed_evil_force_group.value == 3
    assert t.destroyed.value == 37
    assert t.assets_secured.value == SEED_004_TOTAL == Decimal("27160000.00")
    assert amount_text(t.assets_secured.value, "zh-hans") == "2716万元"
    assert (t.clues_referred.value, t.clues_referred_verified.value) == (68, 68)
    assert t.referred_verified_rate.percent == 100.0
    assert t.suspects_arrested.value == 0


def test_the_city_adds_jiangan_and_the_district_row_is_the_seeds(org, seed_004_world):
    f = outcome_figures(user=org.users["director.wuhan"], jurisdiction=org.places["wuhan"],
                        start=seed_004_world.start, end=seed_004_world.end)
    assert (f.totals.suspects_detained.value, f.totals.destroyed_evil_force_gang.value) == (179, 34)
    assert f.totals.clues_referred.value == 73 and f.totals.clues_referred_verified.value == 70
    jianghan = next(r.figures for r in f.by_child if r.code == "420103")
    assert (jianghan.suspects_detained.value, jianghan.cases_solved.value) == (175, 53)


def test_the_bulletin_states_them_in_the_seeds_sentence(org, seed_004_world):
    text = bulletin_text(figures(org, seed_004_world), language="zh-hans")
    assert SENTENCE in text
    assert text.startswith(SENTENCE + "，上级下发的68条涉黑涉恶线索均已核查。")


def test_the_bulletin_in_english_and_traditional_chinese(org, seed_004_world):
    f = figures(org, seed_004_world)
    assert bulletin_text(f, language="en").startswith(
        "As of today, the district has criminally detained 175 people suspected of gang-related and evil-force "
        "crimes, solved 53 cases, destroyed 1 mafia-type organisation, 33 evil-force gangs and 3 evil-force "
        "criminal groups, and sealed or frozen assets worth 27.16 million yuan; all 68 clues referred by higher "
        "offices have been verified."
    )
    assert bulletin_text(f, language="zh-hant").startswith(
        "截至目前，全區共刑事拘留涉黑涉惡犯罪人員175人，破獲案件53起，打掉黑社會性質犯罪組織1個，"
        "惡勢力犯罪團伙33個、惡勢力犯罪集團3個，查封凍結涉案資產2716萬元"
    )


def test_the_api_gives_the_same(org, seed_004_world, client):
    from saohei.api.services import api_token_create

    _record, token = api_token_create(user=org.users["director.jianghan"], actor=None)
    r = client.get("/api/v1/figures/outcomes",
                   {"jurisdiction": "420103", "start": seed_004_world.start.isoformat()},
                   headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["totals"]["suspects_detained"]["value"] == 175
    assert body["totals"]["assets_secured"]["text"] == "2716万元"
    assert SENTENCE in body["bulletin"]
