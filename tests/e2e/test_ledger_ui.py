"""The clue ledger in the browser: filters swap the table in place, pages turn, the export holds the rows shown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from saohei.clues.models import Clue
from saohei.clues.tests.helpers import receive, triage_valid
from tests.e2e.pages import MARKER_CHECK_JS, MARKER_JS, download_xlsx, ledger_numbers, row_count_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUBJECTS = [
    "江汉区某KTV老板纠集人员强迫交易",
    "民族街一带收取保护费",
    "菜市场欺行霸市垄断经营",
    "建筑工地强揽工程",
    "暴力讨债致人受伤",
    "网络套路贷敲诈勒索",
    "娱乐场所寻衅滋事",
]


@dataclass
class Ledger:
    received: list[str]
    valid: list[str]

    @property
    def all(self) -> list[str]:
        return self.received + self.valid


@pytest.fixture
def ledger(e2e_org: Any) -> Ledger:
    clues = [receive(e2e_org, subject=s) for s in SUBJECTS]
    for clue in clues[:3]:
        triage_valid(e2e_org, clue)
    numbers = {c.pk: c.number for c in Clue.objects.filter(pk__in=[c.pk for c in clues])}
    return Ledger(received=[numbers[c.pk] for c in clues[3:]], valid=[numbers[c.pk] for c in clues[:3]])


@pytest.fixture
def page(login: Any, ledger: Ledger) -> Any:
    return login("clerk.jianghan")


SETTLED_ARM_JS = (
    "() => { window.__e2eSettled = false;"
    " document.addEventListener('htmx:afterSettle', () => { window.__e2eSettled = true; }, { once: true }); }"
)
SETTLED_JS = "() => window.__e2eSettled === true"


def filter_by(page: Any, selector: str, value: str | list[str]) -> None:
    """Choose in a filter select; the table comes back through htmx, the page stays."""
    page.evaluate(MARKER_JS)
    # The response can reach Playwright before htmx has begun the swap, when the old rows are still
    # shown and no htmx class is set yet: wait for htmx's own "settled" event instead.
    page.evaluate(SETTLED_ARM_JS)
    with page.expect_response(lambda r: "partial=table" in r.url and r.request.method == "GET") as info:
        page.select_option(selector, value)
    assert info.value.status == 200
    assert info.value.request.headers.get("hx-request") == "true"
    page.wait_for_function(SETTLED_JS)
    assert page.evaluate(MARKER_CHECK_JS), "the filter reloaded the whole page"


def test_a_filter_select_swaps_the_table_and_pushes_the_url(page: Any, url: Any, ledger: Ledger) -> None:
    page.goto(url("/clues/"))
    assert sorted(ledger_numbers(page)) == sorted(ledger.all)

    filter_by(page, "#id_state", "valid")
    assert parse_qs(urlparse(page.url).query).get("state") == ["valid"], page.url
    assert sorted(ledger_numbers(page)) == sorted(ledger.valid)
    assert row_count_text(page) == len(ledger.valid)

    filter_by(page, "#id_state", ["received"])
    assert parse_qs(urlparse(page.url).query).get("state") == ["received"], page.url
    assert sorted(ledger_numbers(page)) == sorted(ledger.received)

    # The pushed URL opens the same rows as a whole page.
    page.reload()
    assert page.input_value("#id_state") == "received"
    assert sorted(ledger_numbers(page)) == sorted(ledger.received)
    assert page.locator("#ledger-filters").count() == 1, "the reloaded URL renders only the table fragment"


def test_pages_turn(page: Any, url: Any, ledger: Ledger) -> None:
    page.goto(url("/clues/?per_page=3"))
    seen: list[str] = []
    for n in (1, 2, 3):
        rows = ledger_numbers(page)
        assert len(rows) == (3 if n < 3 else 1), (n, rows)
        assert f"{n}" in page.inner_text("ul.pagination li.muted")
        seen += rows
        if n < 3:
            with page.expect_navigation():
                page.locator("ul.pagination a").last.click()
            assert parse_qs(urlparse(page.url).query).get("page") == [str(n + 1)], page.url
    assert page.locator("ul.pagination a").count() == 1  # only "previous" on the last page
    assert sorted(seen) == sorted(ledger.all), "pages overlap or leave rows out"
    assert row_count_text(page) == len(ledger.all)


def test_the_export_holds_exactly_the_rows_shown(page: Any, url: Any, ledger: Ledger) -> None:
    page.goto(url("/clues/"))
    filter_by(page, "#id_state", "received")
    shown = ledger_numbers(page)
    name, rows = download_xlsx(page, "#export-link")
    assert name.endswith(".xlsx"), name
    exported = [r[0] for r in rows[1:]]
    assert len(exported) == len(shown) == row_count_text(page) == len(ledger.received)
    assert exported == shown, "the export lists other rows, or in another order, than the page"

    # Sorted through the filter form: the same order in the file.
    filter_by(page, "#id_sort", "oldest")
    shown = ledger_numbers(page)
    _name, rows = download_xlsx(page, "#export-link")
    assert [r[0] for r in rows[1:]] == shown

    # Across pages, the export holds every filtered row (the count above the table), not one page.
    page.goto(url("/clues/?per_page=3"))
    _name, rows = download_xlsx(page, "#export-link")
    assert len(rows) - 1 == row_count_text(page) == len(ledger.all)
    assert sorted(r[0] for r in rows[1:]) == sorted(ledger.all)


def test_the_export_keeps_the_order_of_a_sorted_column(page: Any, url: Any, ledger: Ledger) -> None:
    """The page invites to "sort by a column … or export exactly these rows": both in the same order."""
    page.goto(url("/clues/"))
    default_order = ledger_numbers(page)
    with page.expect_navigation():
        page.locator("#clue-table thead th:nth-child(2) a").click()  # the title column
    assert parse_qs(urlparse(page.url).query).get("order") == ["title"], page.url
    titles = page.locator("#clue-table tbody tr[data-clue] td:nth-child(2)").all_inner_texts()
    assert titles == sorted(titles)
    shown = ledger_numbers(page)
    assert shown != default_order
    _name, rows = download_xlsx(page, "#export-link")
    assert [r[0] for r in rows[1:]] == shown, "the export ignores the column the table is sorted by"
