"""Cases in the browser: who sees a case at which stage, who sees its protection case, and recording on it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from saohei.cases import services
from saohei.cases.models import Case, Suspect, Umbrella
from saohei.cases.tests.case_helpers import days_ago, dual_clue, new_case
from tests.e2e.pages import MARKER_CHECK_JS, MARKER_JS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFICIAL = "李某某"


@dataclass
class World:
    case: Case
    umbrella: Umbrella


@pytest.fixture
def world(e2e_org: Any) -> World:
    org = e2e_org
    clue = dual_clue(org)
    case = new_case(org, clues=[clue], title="万某等人暴力拆迁案")
    umbrella = services.umbrella_open(actor=org.users["discipline.jianghan"], name=OFFICIAL,
                                      position="街道办事处副主任", handling_unit=org.units["jh_discipline"],
                                      opened_on=days_ago(20), case=case, clue=clue)
    return World(case=Case.objects.get(pk=case.pk), umbrella=umbrella)


def _sees_case(page: Any, url: Any, case: Case) -> bool:
    page.goto(url("/cases/"))
    listed = case.number in page.inner_text("main")
    response = page.goto(url(f"/cases/{case.pk}/"))
    assert response is not None
    opened = response.status == 200
    assert listed == opened, f"listed={listed} but the page answered {response.status}"
    return opened


def test_a_court_sees_the_case_only_once_it_reaches_the_court(login: Any, url: Any, world: World,
                                                              e2e_org: Any) -> None:
    judge = login("judge.jianghan")
    assert not _sees_case(judge, url, world.case)
    director = e2e_org.users["director.jianghan"]
    units = e2e_org.units
    for stage, unit, days in (("prosecution_review", "jh_procuratorate", 15), ("indicted", "jh_procuratorate", 10),
                              ("first_instance", "jh_court", 5)):
        services.case_stage_advance(actor=director, case=Case.objects.get(pk=world.case.pk), stage=stage,
                                    unit=units[unit], started_on=days_ago(days))
    assert _sees_case(judge, url, world.case)
    # A court sees the case, not the protection case behind it.
    assert OFFICIAL not in judge.content()


def test_a_verifier_of_another_county_never_sees_the_case(login: Any, url: Any, world: World) -> None:
    page = login("verifier.jiangan")
    assert not _sees_case(page, url, world.case)
    page.goto(url(f"/cases/?q={world.case.number}"))
    assert world.case.number not in page.inner_text("main")
    response = page.goto(url("/cases/umbrellas/"))
    assert response is not None and response.status == 404


def test_the_protection_case_is_shown_to_the_director_and_hidden_from_the_clerk(login: Any, url: Any,
                                                                                world: World) -> None:
    clerk = login("clerk.jianghan")
    assert _sees_case(clerk, url, world.case)
    assert OFFICIAL not in clerk.content() and clerk.locator("#case-umbrellas").count() == 0
    response = clerk.goto(url("/cases/umbrellas/"))
    assert response is not None and response.status == 404
    director = login("director.jianghan")
    director.goto(url(f"/cases/{world.case.pk}/"))
    assert director.locator("#case-umbrellas").inner_text().count(OFFICIAL) == 1
    director.goto(url("/cases/umbrellas/"))
    assert OFFICIAL in director.inner_text("main")


def test_the_director_records_a_suspect_in_the_modal_without_leaving_the_page(login: Any, url: Any,
                                                                             world: World) -> None:
    page = login("director.jianghan")
    page.goto(url(f"/cases/{world.case.pk}/"))
    page.evaluate(MARKER_JS)
    page.locator("#case-panel [data-action='suspect_add']").first.click()
    modal = page.locator("#modal form")
    modal.wait_for(state="visible")
    modal.locator("[name=name]").fill("万二")
    modal.locator("[name=alias]").fill("二哥")
    modal.locator("[name=role]").select_option("core")
    modal.locator("[name=custody]").select_option("detained")
    modal.locator("[name=custody_on]").fill(days_ago(3).isoformat())
    with page.expect_response(lambda r: "/actions/suspect_add/" in r.url and r.request.method == "POST") as info:
        modal.locator("button[type=submit]").click()
    assert info.value.status == 200, page.inner_text("#modal")
    page.wait_for_function("() => document.querySelector('#modal').children.length === 0")
    assert "万二" in page.locator("#case-suspects").inner_text()
    assert page.evaluate(MARKER_CHECK_JS), "the page was reloaded"
    suspect = Suspect.objects.get(case=world.case, name="万二")
    assert suspect.custody == "detained" and suspect.detained_on == days_ago(3) and suspect.role == "core"
