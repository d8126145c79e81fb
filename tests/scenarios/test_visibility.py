"""The same records, seen by different people: figures count only what each may see."""

from __future__ import annotations

from saohei.figures.bulletin import bulletin_text
from saohei.figures.outcomes import COUNT_NAMES, outcome_figures


def figures(org, world, username, place="jianghan"):
    return outcome_figures(user=org.users[username], jurisdiction=org.places[place], start=world.start,
                           end=world.end)


def test_protection_figures_only_for_directors_and_the_discipline_commission(org, seed_004_world):
    for username in ("director.jianghan", "director.wuhan", "liaison.jianghan", "head.jhdiscipline"):
        p = figures(org, seed_004_world, username).totals.protection
        assert p is not None and (p.opened.value, p.sanctioned.value) == (2, 2), username
    assert "保护伞" in bulletin_text(figures(org, seed_004_world, "director.jianghan"), language="zh-hans")
    for username in ("clerk.jianghan", "stats.jianghan", "verifier.jianghan", "chief.jianghan"):
        f = figures(org, seed_004_world, username)
        assert f.totals.protection is None, username
        assert all(r.figures.protection is None for r in f.by_child)
        assert "保护伞" not in bulletin_text(f, language="zh-hans")
        assert "umbrella" not in bulletin_text(f, language="en")


def test_the_clerk_sees_the_districts_figures_without_protection(org, seed_004_world):
    t = figures(org, seed_004_world, "clerk.jianghan").totals
    assert (t.suspects_detained.value, t.cases_solved.value, t.destroyed.value) == (175, 53, 37)


def test_a_verifier_of_another_county_gets_zeros_for_jianghan(org, seed_004_world):
    f = figures(org, seed_004_world, "verifier.jiangan")
    assert {getattr(f.totals, name).value for name in COUNT_NAMES} == {0}
    assert f.totals.assets_secured.value == 0 and f.totals.protection is None
    assert bulletin_text(f, language="zh-hans") == "截至目前，全区暂无可通报的涉黑涉恶案件办理成果。"


def test_the_brigade_sees_the_cases_it_investigates(org, seed_004_world):
    """江汉区分局刑侦大队 investigated every 江汉 case: its chief sees them all (not 江岸's)."""
    t = figures(org, seed_004_world, "chief.jianghan", "wuhan").totals
    assert (t.suspects_detained.value, t.cases_solved.value) == (175, 53)
    assert t.clues_referred.value == 0  # clues are not the brigade's: none assigned to it


def test_a_court_sees_nothing_before_the_court_stage(org, seed_004_world):
    t = figures(org, seed_004_world, "judge.jianghan").totals
    assert t.cases_solved.value == 0 and t.suspects_detained.value == 0
