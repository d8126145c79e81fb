"""Outcome figures of the hand-counted world (outcome_world.py): each counts the right rows, and its
link lists exactly them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.db.models import Sum
from django.http import QueryDict
from django.urls import resolve, reverse

from saohei.cases import filtersets as case_filtersets
from saohei.cases import selectors
from saohei.clues.filtersets import ClueFilterSet
from saohei.clues.models import Clue
from saohei.figures.kpis import Figure
from saohei.figures.outcomes import COUNT_NAMES, Amount, OutcomeSet, outcome_figures
from saohei.figures.tests.outcome_world import (
    DAY,
    END,
    JIANGAN,
    JIANGAN_ASSETS,
    JIANGHAN,
    JIANGHAN_ASSETS,
    JIANGHAN_PROTECTION,
    START,
    WUHAN,
    build,
)

#: URL name → (FilterSet, rows the user may see).
LEDGERS = {
    "case-ledger": (case_filtersets.CaseFilterSet, lambda u: selectors.case_list_for_user(user=u)),
    "suspect-ledger": (case_filtersets.SuspectFilterSet, lambda u: selectors.suspect_list_for_user(user=u)),
    "umbrella-ledger": (case_filtersets.UmbrellaFilterSet, lambda u: selectors.umbrella_list_for_user(user=u)),
    "asset-ledger": (case_filtersets.AssetFilterSet, lambda u: selectors.asset_list_for_user(user=u)),
    "fugitive-ledger": (case_filtersets.FugitiveFilterSet, lambda u: selectors.fugitive_list_for_user(user=u)),
    "clue-ledger": (ClueFilterSet, lambda u: Clue.objects.visible_to(u)),
}


@pytest.fixture
def world(org):
    return build(org)


def values(fs: OutcomeSet) -> dict[str, int]:
    return {name: getattr(fs, name).value for name in JIANGHAN}


def figures(org, username, place, start=START, end=END):
    return outcome_figures(user=org.users[username], jurisdiction=org.places[place], start=start, end=end)


def rows(user, fig: Figure | Amount):
    filterset_class, visible = LEDGERS[fig.ledger]
    fs = filterset_class(QueryDict(fig.query), queryset=visible(user))
    assert fs.is_valid(), fs.errors
    return fs.qs


def every_figure(fs: OutcomeSet) -> list[tuple[str, Figure]]:
    out = [(name, getattr(fs, name)) for name in COUNT_NAMES]
    if fs.protection is not None:
        out += [(f"protection {n}", getattr(fs.protection, n)) for n in ("opened", "sanctioned", "transferred")]
    return out


def test_jianghan_figures_are_the_hand_counts(org, world):
    f = figures(org, "director.wuhan", "jianghan")
    assert values(f.totals) == JIANGHAN
    assert f.totals.assets_secured.value == JIANGHAN_ASSETS
    assert f.totals.assets_secured.count == 2
    p = f.totals.protection
    assert (p.opened.value, p.sanctioned.value, p.transferred.value) == tuple(JIANGHAN_PROTECTION.values())
    # The district's own director sees the same.
    assert values(figures(org, "director.jianghan", "jianghan").totals) == JIANGHAN


def test_wuhan_is_the_sum_of_its_districts(org, world):
    f = figures(org, "director.wuhan", "wuhan")
    assert values(f.totals) == WUHAN
    assert f.totals.assets_secured.value == JIANGHAN_ASSETS + JIANGAN_ASSETS
    assert [(r.code, r.own_level) for r in f.by_child] == [("420102", False), ("420103", False)]
    by_code = {r.code: r.figures for r in f.by_child}
    assert values(by_code["420103"]) == JIANGHAN and values(by_code["420102"]) == JIANGAN
    assert by_code["420102"].assets_secured.value == JIANGAN_ASSETS


def test_rates(org, world):
    t = figures(org, "director.wuhan", "jianghan").totals
    assert (t.fugitive_arrest_rate.numerator.value, t.fugitive_arrest_rate.denominator.value) == (2, 5)
    assert t.fugitive_arrest_rate.percent == 40.0
    assert (t.case_rate.numerator.value, t.case_rate.denominator.value, t.case_rate.percent) == (1, 4, 25.0)
    assert t.referred_verified_rate.percent == 33.3


def test_fugitives_listed_before_the_period_carry_their_years(org, world):
    f = figures(org, "director.wuhan", "jianghan")
    assert f.earlier_listing_years == (2021, 2021)
    assert figures(org, "director.wuhan", "jianghan", start=dt.date(2020, 1, 1)).earlier_listing_years is None


def test_assets_name_the_states_they_are_in(org, world):
    assert figures(org, "director.wuhan", "jianghan").secured_states == ("sealed",)
    assert figures(org, "director.wuhan", "wuhan").secured_states == ("sealed", "seized")


USERS_AND_PLACES = [
    ("director.wuhan", "wuhan"),
    ("director.wuhan", "jianghan"),
    ("clerk.jianghan", "jianghan"),
    ("clerk.jianghan", "wuhan"),
    ("verifier.jiangan", "jianghan"),
    ("head.jhdiscipline", "jianghan"),
    ("chief.jianghan", "jianghan"),
    ("admin", "hubei"),
]


@pytest.mark.parametrize(("username", "place"), USERS_AND_PLACES)
def test_each_figure_counts_the_rows_its_link_lists(org, world, username, place):
    user = org.users[username]
    f = figures(org, username, place)
    sets = [("total", f.totals)] + [(r.code, r.figures) for r in f.by_child if not r.own_level]
    checked = 0
    for label, fs in sets:
        for name, fig in every_figure(fs):
            assert rows(user, fig).count() == fig.value, f"{label} {name}"
            checked += 1
        assets = rows(user, fs.assets_secured)
        assert assets.count() == fs.assets_secured.count, f"{label} assets"
        assert (assets.aggregate(s=Sum("amount"))["s"] or Decimal(0)) == fs.assets_secured.value, label
    assert checked >= len(COUNT_NAMES)


def test_links_open_the_ledgers_with_their_filters(org, world):
    t = figures(org, "director.wuhan", "jianghan").totals
    mafia = urlsplit(t.destroyed_mafia_type.url)
    assert resolve(mafia.path).url_name == "case-ledger"
    assert QueryDict(mafia.query).dict() == {
        "jurisdiction": "420103", "organization_type": "mafia_type_organization", "destroyed": "true",
        "destroyed_from": "2025-01-01", "destroyed_to": "2025-06-30",
    }
    assert t.suspects_detained.url.startswith(reverse("suspect-ledger") + "?jurisdiction=420103&detained_from=")
    assert QueryDict(urlsplit(t.fugitives_caught.url).query).dict() == {
        "jurisdiction": "420103", "caught": "true", "outcome_to": "2025-06-30", "listed_to": "2025-06-30",
    }
    assert QueryDict(urlsplit(t.clues_formed_case.url).query)["formed_case"] == "true"
    assert QueryDict(urlsplit(t.clues_referred.url).query)["source"] == "higher_referral"
    assert t.assets_secured.url.startswith(reverse("asset-ledger") + "?")
    assert t.protection.transferred.url.startswith(reverse("umbrella-ledger") + "?")


def test_formed_case_filter_of_the_clue_ledger(org, world):
    user = org.users["director.wuhan"]
    formed = ClueFilterSet(QueryDict("formed_case=true"), queryset=Clue.objects.visible_to(user)).qs
    assert {c.pk for c in formed} == {world.clues["K1"].pk, world.clues["K3"].pk}
    not_formed = ClueFilterSet(QueryDict("formed_case=false"), queryset=Clue.objects.visible_to(user)).qs
    assert world.clues["K2"].pk in {c.pk for c in not_formed}  # its only case is voided


def test_period_edges(org, world):
    # One day: START only.
    t = figures(org, "director.wuhan", "jianghan", start=START, end=START).totals
    assert t.destroyed_mafia_type.value == 1 and t.destroyed_evil_force_gang.value == 0
    assert t.suspects_detained.value == 1 and t.clues_concluded.value == 1 and t.clues_formed_case.value == 1
    assert t.assets_secured.value == Decimal("20000000.00")
    # The day after the period: what fell just outside.
    t = figures(org, "director.wuhan", "jianghan", start=END + DAY, end=END + DAY).totals
    assert t.destroyed_evil_force_gang.value == 1
    assert t.suspects_detained.value == 1
    assert t.cases_first_judgment.value == 1
    assert t.assets_secured.value == Decimal("1000.00")
    # The running fugitive totals at the day after: F6 listed, F5 caught.
    assert (t.fugitives_listed.value, t.fugitives_caught.value) == (6, 3)


def test_rates_without_a_denominator_have_no_value(org):
    t = figures(org, "director.wuhan", "jianghan").totals
    assert t.fugitive_arrest_rate.value is None and t.fugitive_arrest_rate.percent is None
    assert t.case_rate.value is None and t.referred_verified_rate.value is None
    assert t.assets_secured.value == Decimal("0.00")


def test_protection_figures_are_absent_for_whoever_may_not_see_umbrellas(org, world):
    assert figures(org, "clerk.jianghan", "jianghan").totals.protection is None
    assert figures(org, "verifier.jiangan", "jianghan").totals.protection is None
    seen = figures(org, "head.jhdiscipline", "jianghan").totals.protection
    assert seen is not None and seen.opened.value == 2
    # A discipline commission of 江岸 may see umbrellas, but none of 江汉's.
    assert all(r.figures.protection is None for r in figures(org, "clerk.jianghan", "wuhan").by_child)


def test_a_verifier_of_another_county_gets_zeros_for_jianghan(org, world):
    t = figures(org, "verifier.jiangan", "jianghan").totals
    assert set(values(t).values()) == {0}
    assert t.assets_secured.value == 0


def test_a_unit_sees_the_cases_it_handled(org, world):
    """The 江汉 brigade handled no stage of these cases: it sees none; once it handles C1, it sees C1's."""
    from saohei.cases.models import CaseStage

    assert figures(org, "chief.jianghan", "jianghan").totals.destroyed_mafia_type.value == 0
    CaseStage.objects.create(case=world.cases["C1"], stage="investigation", unit=org.units["jh_brigade"],
                             started_on=START)
    t = figures(org, "chief.jianghan", "jianghan").totals
    assert t.destroyed_mafia_type.value == 1 and t.destroyed_evil_force_gang.value == 0
    assert t.suspects_arrested.value == 3  # S1, S2, S3 of C1
    assert t.assets_secured.value == JIANGHAN_ASSETS


def test_the_end_before_the_start_is_refused(org):
    with pytest.raises(ValueError):
        figures(org, "director.wuhan", "jianghan", start=END, end=START)


def test_queries_are_a_few_aggregates(org, world, django_assert_max_num_queries):
    user = org.users["director.wuhan"]
    with django_assert_max_num_queries(12):
        outcome_figures(user=user, jurisdiction=org.places["wuhan"], start=START, end=END)


def test_the_links_open_ledger_pages_listing_the_rows(org, world, client):
    user = org.users["director.wuhan"]
    client.force_login(user)
    t = figures(org, "director.wuhan", "jianghan").totals
    for fig in (t.suspects_arrested, t.destroyed_evil_force_gang, t.fugitives_caught, t.protection.sanctioned,
                t.assets_secured, t.clues_formed_case):
        response = client.get(fig.url)
        assert response.status_code == 200, fig.url
        table = response.context["table"]
        names = {str(row.record) for row in table.rows}
        expected = {str(r) for r in rows(user, fig)}
        assert names == expected and len(table.rows) == (fig.count if isinstance(fig, Amount) else fig.value)
