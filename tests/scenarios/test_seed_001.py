"""Seed 001 (the national office, this year): fugitives, their arrest rate, the case rate of clues,
and the valid clues all assigned."""

from __future__ import annotations

from saohei.figures.bulletin import bulletin_text, percent_text
from saohei.figures.kpis import clue_figures
from saohei.figures.outcomes import outcome_figures


def figures(org, world):
    return outcome_figures(user=world.director, jurisdiction=world.jurisdiction, start=world.start, end=world.end)


def test_target_fugitives_and_their_arrest_rate(org, seed_001_world):
    f = figures(org, seed_001_world)
    t = f.totals
    assert (t.fugitives_listed_earlier.value, t.fugitives_listed_new.value) == (680, 150)
    assert t.fugitives_listed.value == 830
    assert t.fugitives_caught.value == 712
    assert percent_text(t.fugitive_arrest_rate) == "85.8%"
    assert f.earlier_listing_years == (2021, 2021)


def test_case_rate_of_clues(org, seed_001_world):
    t = figures(org, seed_001_world).totals
    assert (t.clues_formed_case.value, t.clues_concluded.value) == (357, 2333)
    assert percent_text(t.case_rate) == "15.3%"


def test_valid_clues_all_assigned(org, seed_001_world):
    c = clue_figures(user=seed_001_world.director, jurisdiction=seed_001_world.jurisdiction,
                     start=seed_001_world.start, end=seed_001_world.end).totals
    assert c.valid.value == 5100
    assert c.assigned.value == c.valid.value
    assert c.concluded.value == 2333


def test_the_bulletin(org, seed_001_world):
    text = bulletin_text(figures(org, seed_001_world), language="zh-hans")
    assert text.startswith("截至目前，全国")
    assert "在2021年确定的680名目标逃犯基础上，今年新增150名，累计抓获712名，到案率85.8%。" in text
    assert "核查办结涉黑涉恶线索2333条，其中核查成案357条，成案率15.3%。" in text
    en = bulletin_text(figures(org, seed_001_world), language="en")
    assert ("on top of the 680 target fugitives listed in 2021, 150 more were listed this year; 712 have been "
            "caught, an arrest rate of 85.8%.") in en
    assert "Of 2,333 clues whose verification concluded, 357 have formed cases, a case rate of 15.3%." in en


def test_a_province_sees_its_share(org, seed_001_world):
    """All records lie in 湖北: the province's figures are the nation's."""
    f = outcome_figures(user=seed_001_world.director, jurisdiction=org.places["hubei"],
                        start=seed_001_world.start, end=seed_001_world.end)
    assert (f.totals.fugitives_listed.value, f.totals.fugitives_caught.value) == (830, 712)
    assert [(r.code, r.figures.fugitives_listed.value) for r in f.by_child] == [("420100", 830)]
