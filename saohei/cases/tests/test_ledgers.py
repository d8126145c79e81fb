"""The six case ledgers: each filter selects what it says, exports hold exactly the rows shown, in the
order shown, and nobody sees a record, a row or a protection case they may not see."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from saohei.cases.tests.case_helpers import days_ago
from saohei.cases.tests.ledger_fixtures import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(org: Any) -> World:
    return build_world(org)


def rows(client: Client, name: str, attr: str, params: dict[str, Any] | None = None) -> list[int]:
    """The record ids of the ledger's rows as shown, in order."""
    response = client.get(reverse(name), params or {})
    assert response.status_code == 200, response.content[:500]
    return [int(pk) for pk in re.findall(rf'data-{attr}="(\d+)"', response.content.decode())]


def ids(records: dict[str, Any], *keys: str) -> set[int]:
    return {records[k].pk for k in keys}


@pytest.fixture
def city(client: Client, org: Any) -> Client:
    client.force_login(org.users["director.wuhan"])
    return client


def test_case_filters_each_select_what_they_say(city: Client, world: World) -> None:
    c = world.cases

    def cases(**params: Any) -> set[int]:
        return set(rows(city, "case-ledger", "case", params))

    assert cases() == ids(c, "gang", "mafia", "plain")
    assert cases(q="万某恶势力") == ids(c, "gang")  # organisation name
    assert cases(q="彭某") == ids(c, "mafia")  # leader and title
    assert cases(q=c["plain"].number) == ids(c, "plain")
    assert cases(jurisdiction="420102") == ids(c, "mafia")
    assert cases(jurisdiction="420100") == ids(c, "gang", "mafia", "plain")
    assert cases(jurisdiction="999999") == set()
    assert cases(stage=["effective_judgment", "prosecution_review"]) == ids(c, "gang")
    assert cases(stage="investigation") == ids(c, "mafia", "plain")
    assert cases(organization_type="none") == ids(c, "plain")
    assert cases(organization_type=["mafia_type_organization", "none"]) == ids(c, "mafia", "plain")
    assert cases(destroyed="true") == ids(c, "gang")
    assert cases(destroyed="false") == ids(c, "mafia", "plain")
    assert cases(destroyed_from=days_ago(20), destroyed_to=days_ago(20)) == ids(c, "gang")
    assert cases(destroyed_from=days_ago(19)) == set()
    assert cases(solved_from=days_ago(31), solved_to=days_ago(29)) == ids(c, "gang")
    assert cases(filed_from=days_ago(45)) == ids(c, "mafia", "plain")
    assert cases(filed_to=days_ago(45)) == ids(c, "gang")
    assert cases(indicted_from=days_ago(10), indicted_to=days_ago(10)) == ids(c, "gang")
    assert cases(first_judgment_to=days_ago(6)) == set()
    assert cases(first_judgment_from=days_ago(5), first_judgment_to=days_ago(5)) == ids(c, "gang")
    assert cases(effective_judgment_from=days_ago(2)) == ids(c, "gang")
    assert cases(origin="clues") == ids(c, "mafia")
    assert cases(origin="police") == ids(c, "gang", "plain")
    assert cases(kind="administrative") == ids(c, "plain")
    assert cases(supervision_level="provincial") == ids(c, "mafia")
    assert cases(offence="gambling") == ids(c, "mafia")
    assert cases(clue=world.clues["formed"].pk) == ids(c, "mafia")
    assert cases(unit=org_unit(world, "jh_court")) == ids(c, "gang")
    # A bureau handles what its brigade investigates.
    assert cases(unit=org_unit(world, "jh_bureau")) == ids(c, "gang", "plain")


def org_unit(world: World, key: str) -> int:
    from saohei.orgs.models import Unit

    names = {"jh_court": "江汉区人民法院", "jh_bureau": "武汉市公安局江汉区分局"}
    return Unit.objects.get(name=names[key]).pk


def test_case_ledger_shows_only_what_the_user_may_see(client: Client, org: Any, world: World) -> None:
    client.force_login(org.users["verifier.jiangan"])
    assert rows(client, "case-ledger", "case") == []
    client.force_login(org.users["director.jiangan"])
    assert set(rows(client, "case-ledger", "case")) == ids(world.cases, "mafia")
    client.force_login(org.users["director.jianghan"])
    assert set(rows(client, "case-ledger", "case")) == ids(world.cases, "gang", "plain")


def test_suspect_filters(city: Client, world: World) -> None:
    s = world.suspects

    def suspects(**params: Any) -> set[int]:
        return set(rows(city, "suspect-ledger", "suspect", params))

    assert suspects() == ids(s, "leader", "core", "runaway", "mafia_boss")
    assert suspects(q="万老大") == ids(s, "leader")  # alias
    assert suspects(q=world.cases["mafia"].number) == ids(s, "mafia_boss")  # case number
    assert suspects(jurisdiction="420103") == ids(s, "leader", "core", "runaway")
    assert suspects(role=["leader"]) == ids(s, "leader", "mafia_boss")
    assert suspects(role=["core", "member"]) == ids(s, "core", "runaway")
    assert suspects(custody=["at_large"]) == ids(s, "runaway")
    assert suspects(custody=["arrested", "detained"]) == ids(s, "leader", "core", "mafia_boss")
    assert suspects(outcome=["convicted"]) == ids(s, "leader")
    assert suspects(outcome=["pending"]) == ids(s, "core", "runaway", "mafia_boss")
    assert suspects(surrendered="true") == ids(s, "core")
    assert suspects(detained_from=days_ago(50), detained_to=days_ago(50)) == ids(s, "leader")
    assert suspects(arrested_from=days_ago(40)) == ids(s, "leader", "mafia_boss")
    # Caught: the earlier of detention and arrest. The leader was caught 50 days ago, not 40.
    assert suspects(captured_from=days_ago(45)) == ids(s, "core", "mafia_boss")
    assert suspects(captured_to=days_ago(45)) == ids(s, "leader")
    assert suspects(captured_from=days_ago(36), captured_to=days_ago(34)) == ids(s, "mafia_boss")
    assert suspects(indicted_from=days_ago(10), indicted_to=days_ago(10)) == ids(s, "leader")
    assert suspects(judged_to=days_ago(6)) == set()
    assert suspects(judged_from=days_ago(5)) == ids(s, "leader")
    assert suspects(case=world.cases["mafia"].pk) == ids(s, "mafia_boss")


def test_umbrella_ledger_is_for_the_discipline_commission_and_directors(client: Client, org: Any,
                                                                         world: World) -> None:
    u = world.umbrellas
    for username in ("verifier.jianghan", "chief.jianghan", "clerk.jianghan"):
        client.force_login(org.users[username])
        assert client.get(reverse("umbrella-ledger")).status_code == 404
        assert client.get(reverse("umbrella-export")).status_code == 404
        page = client.get(reverse("case-ledger")).content.decode()
        assert reverse("umbrella-ledger") not in page and reverse("suspect-ledger") in page
    client.force_login(org.users["discipline.jianghan"])
    assert set(rows(client, "umbrella-ledger", "umbrella")) == ids(u, "sanctioned", "open")
    client.force_login(org.users["director.jiangan"])
    assert rows(client, "umbrella-ledger", "umbrella") == []
    client.force_login(org.users["director.wuhan"])
    assert reverse("umbrella-ledger") in client.get(reverse("case-ledger")).content.decode()

    def umbrellas(**params: Any) -> set[int]:
        return set(rows(client, "umbrella-ledger", "umbrella", params))

    assert umbrellas(q="派出所原副所长") == ids(u, "sanctioned")
    assert umbrellas(state="concluded") == ids(u, "sanctioned")
    assert umbrellas(outcome=["pending"]) == ids(u, "open")
    assert umbrellas(outcome=["party_discipline", "transferred_judicial"]) == ids(u, "sanctioned")
    assert umbrellas(sanctioned="true") == ids(u, "sanctioned")
    assert umbrellas(sanctioned="false") == ids(u, "open")
    assert umbrellas(transferred="true") == set()
    assert umbrellas(opened_from=days_ago(10)) == ids(u, "open")
    assert umbrellas(outcome_from=days_ago(3), outcome_to=days_ago(3)) == ids(u, "sanctioned")
    assert umbrellas(case=world.cases["mafia"].pk) == set()


def test_asset_filters_and_the_total_above_the_table(city: Client, world: World) -> None:
    a = world.assets

    def assets(**params: Any) -> set[int]:
        return set(rows(city, "asset-ledger", "asset", params))

    assert assets() == ids(a, "deposit", "cash", "house")
    assert assets(q="商铺") == ids(a, "house")
    assert assets(q="万某") == ids(a, "deposit")  # holder
    assert assets(jurisdiction="420103") == ids(a, "deposit", "cash")
    assert assets(kind=["deposit", "real_estate"]) == ids(a, "deposit", "house")
    assert assets(state=["confiscated"]) == ids(a, "cash")
    assert assets(state=["frozen", "sealed"]) == ids(a, "deposit", "house")
    assert assets(secured_from=days_ago(30), secured_to=days_ago(25)) == ids(a, "cash", "house")
    assert assets(case=world.cases["gang"].pk) == ids(a, "deposit", "cash")

    page = city.get(reverse("asset-ledger"), {"jurisdiction": "420103"}).content.decode()
    total = page[page.index('id="asset-total"'):]
    assert 'data-yuan="1300000.50"' in total and 'data-wan="130.00"' in total
    partial = city.get(reverse("asset-ledger"), {"kind": "real_estate", "partial": "table"},
                       headers={"HX-Request": "true"}).content.decode()
    assert 'hx-swap-oob="true"' in partial and 'data-wan="300.00"' in partial


def test_fugitive_filters(city: Client, world: World) -> None:
    f = world.fugitives

    def fugitives(**params: Any) -> set[int]:
        return set(rows(city, "fugitive-ledger", "fugitive", params))

    assert fugitives() == ids(f, "abroad", "caught", "jiangan")
    assert fugitives(q="钱某") == ids(f, "abroad")
    assert fugitives(jurisdiction="420102") == ids(f, "jiangan")
    assert fugitives(outcome=["at_large"]) == ids(f, "abroad", "jiangan")
    assert fugitives(caught="true") == ids(f, "caught")
    assert fugitives(caught="false") == ids(f, "abroad", "jiangan")
    assert fugitives(location="abroad") == ids(f, "abroad")
    assert fugitives(listed_from=days_ago(90), listed_to=days_ago(80)) == ids(f, "caught", "jiangan")
    assert fugitives(outcome_from=days_ago(6), outcome_to=days_ago(6)) == ids(f, "caught")
    assert fugitives(case=world.cases["gang"].pk) == ids(f, "caught")


def test_review_filters(city: Client, world: World) -> None:
    assert world.review is not None
    review = world.review.pk

    def reviews(**params: Any) -> list[int]:
        return rows(city, "review-ledger", "review", params)

    assert reviews() == [review]
    assert reviews(state="open") == [review]
    assert reviews(state="decided") == []
    assert reviews(finding="negligent") == []
    assert reviews(opened_from=days_ago(0), opened_to=days_ago(0)) == [review]
    assert reviews(opened_to=days_ago(1)) == []
    assert reviews(clue=world.clues["questioned"].pk) == [review]
    assert reviews(case=world.cases["mafia"].pk) == []
    assert reviews(jurisdiction="420102") == []


def test_export_has_exactly_the_filtered_rows_in_the_shown_order(city: Client, world: World) -> None:
    params = {"jurisdiction": "420100", "order": "-number", "organization_type": ["evil_force_gang",
                                                                                 "mafia_type_organization"]}
    shown = rows(city, "case-ledger", "case", params)
    response = city.get(reverse("case-export"), params)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    numbers = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    from saohei.cases.models import Case

    assert numbers == [Case.objects.get(pk=pk).number for pk in shown]
    assert len(numbers) == 2 and numbers == sorted(numbers, reverse=True)

    response = city.get(reverse("asset-export"), {"state": ["frozen", "confiscated"], "order": "amount"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    exported = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in exported] == ["现金", "万某名下银行存款"]
    assert [r[3] for r in exported] == [50000.5, 1250000.0]


def test_exports_leave_out_what_the_user_may_not_see(client: Client, org: Any, world: World) -> None:
    client.force_login(org.users["director.jiangan"])
    for name, expected in (("case-export", 1), ("suspect-export", 1), ("asset-export", 1),
                           ("fugitive-export", 1)):
        sheet = load_workbook(io.BytesIO(client.get(reverse(name)).content)).active
        assert sheet.max_row - 1 == expected, name


def test_the_main_navigation_leads_to_the_case_ledgers(client: Client, org: Any) -> None:
    client.force_login(org.users["clerk.jianghan"])
    page = client.get(reverse("inbox")).content.decode()
    assert f'href="{reverse("case-ledger")}"' in page
    page = client.get(reverse("fugitive-ledger")).content.decode()
    assert 'id="case-subnav"' in page and 'aria-current="page">' in page
