"""A verifier of 江岸 sees nothing of 江汉: not in the ledger, the clue page, the export, the figures or the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from saohei.clues import services
from saohei.clues.models import Clue, OffenceCategory
from saohei.clues.tests.helpers import receive, to_concluded, triage_valid
from tests.e2e.pages import download_xlsx, ledger_numbers, row_count_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JIANGHAN = "XS420103"


@dataclass
class Clues:
    jianghan: list[Clue]
    jiangan: Clue


@pytest.fixture
def clues(e2e_org: Any) -> Clues:
    org = e2e_org
    received = receive(org, subject="江汉区某KTV老板纠集人员强迫交易")
    valid = triage_valid(org, receive(org, subject="江汉区菜市场欺行霸市"))
    concluded = to_concluded(org, receive(org, subject="江汉区民族街收取保护费"))
    ja = receive(org, subject="江岸区大智路一带暴力讨债", place="jiangan", contact="13900002222")
    clerk = org.users["clerk.jiangan"]
    services.clue_triage(clue=ja, actor=clerk, decision="valid",
                         category=OffenceCategory.objects.get(code="extortion"), priority=3)
    services.clue_assign(clue=ja, unit=org.units["ja_dazhi"], actor=clerk)
    jianghan = [Clue.objects.get(pk=c.pk) for c in (received, valid, concluded)]
    assert all(c.number.startswith(JIANGHAN) for c in jianghan)
    return Clues(jianghan=jianghan, jiangan=Clue.objects.get(pk=ja.pk))


@pytest.fixture
def page(login: Any, clues: Clues) -> Any:
    return login("verifier.jiangan")


def test_the_ledger_lists_no_jianghan_clue(page: Any, url: Any, clues: Clues) -> None:
    page.goto(url("/clues/"))
    numbers = ledger_numbers(page)
    assert numbers == [clues.jiangan.number]
    assert JIANGHAN not in page.content()
    # Not even when asked for by jurisdiction or by number.
    page.goto(url("/clues/?jurisdiction=420103"))
    assert ledger_numbers(page) == []
    page.goto(url(f"/clues/?q={clues.jianghan[0].number}"))
    assert ledger_numbers(page) == []


def test_a_jianghan_clue_page_is_not_found(page: Any, url: Any, clues: Clues) -> None:
    for clue in clues.jianghan:
        response = page.goto(url(f"/clues/{clue.pk}/"))
        assert response.status == 404, (clue.number, response.status)
        assert clue.number not in page.content() and clue.title not in page.content()
        response = page.goto(url(f"/clues/{clue.pk}/moves/sign/"))
        assert response.status == 404
    # The same URL pattern does open the clue they may see: the 404s above are not a broken page.
    response = page.goto(url(f"/clues/{clues.jiangan.pk}/"))
    assert response.status == 200
    assert clues.jiangan.number in page.inner_text("#clue-panel h1")


def test_the_excel_export_holds_no_jianghan_clue(page: Any, url: Any, clues: Clues) -> None:
    page.goto(url("/clues/"))
    name, rows = download_xlsx(page, "#export-link")
    assert name.endswith(".xlsx")
    body = rows[1:]
    assert [r[0] for r in body] == [clues.jiangan.number]
    assert row_count_text(page) == len(body)
    flat = " ".join(str(v) for r in rows for v in r if v is not None)
    assert JIANGHAN not in flat and "江汉区" not in flat
    # An export asked for 江汉 directly is empty too.
    page.goto(url("/clues/?jurisdiction=420103"))
    _name, rows = download_xlsx(page, "#export-link")
    assert rows[1:] == []


def test_the_figures_do_not_count_jianghan(page: Any, url: Any, clues: Clues) -> None:
    today = timezone.localdate()
    start = today.replace(month=1, day=1).isoformat()
    response = page.goto(url(f"/figures/?jurisdiction=420103&start={start}&end={today.isoformat()}"))
    # Refused with a message on the form, and no figure of 江汉 shown.
    assert response.status == 400, response.status
    assert page.locator("#figures-form .form-error").count() >= 1
    assert page.locator("[id^=kpi-]").count() == 0
    assert page.locator("#figures-by-child").count() == 0
    assert JIANGHAN not in page.content()

    # Their own figures (the default): 江岸 only, and every drill-down leads to 江岸 clues only.
    response = page.goto(url("/figures/"))
    assert response.status == 200
    assert page.locator("[id^=kpi-]").count() > 0
    assert "420102" in page.inner_text("main")
    assert JIANGHAN not in page.content()
    assert "江汉" not in page.inner_text("#figures-by-child")
    links = page.locator("main a[href^='/clues/']").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert links, "the figures link to no rows"
    seen: set[str] = set()
    for href in sorted(set(links))[:8]:
        page.goto(url(href))
        seen.update(ledger_numbers(page))
    assert seen <= {clues.jiangan.number}, seen
    assert clues.jiangan.number in seen


def test_the_api_answers_404_for_a_jianghan_clue(page: Any, url: Any, clues: Clues) -> None:
    page.goto(url("/clues/"))
    own = page.request.get(url(f"/api/v1/clues/{clues.jiangan.pk}"))
    assert own.status == 200, own.text()  # the session is accepted by the API
    assert own.json()["number"] == clues.jiangan.number
    for clue in clues.jianghan:
        response = page.request.get(url(f"/api/v1/clues/{clue.pk}"))
        assert response.status == 404, (clue.number, response.status, response.text())
        assert clue.number not in response.text()
        events = page.request.get(url(f"/api/v1/clues/{clue.pk}/events"))
        assert events.status == 404
    listing = page.request.get(url("/api/v1/clues"))
    assert listing.status == 200
    assert JIANGHAN not in listing.text()
