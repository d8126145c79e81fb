"""What a person does in the browser, as small steps the tests share."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.utils import translation

from saohei.demo.org import DEMO_PASSWORD

RECEIPT_RE = re.compile(r"^[23456789ABCDEFGHJKMNPQRSTWXYZ]{4}(-[23456789ABCDEFGHJKMNPQRSTWXYZ]{4}){5}$")
MARKER_JS = "() => { window.__e2eMarker = 'still-here'; }"
MARKER_CHECK_JS = "() => window.__e2eMarker === 'still-here'"


def label(lazy: Any, lang: str = "zh-hans") -> str:
    """The text the server shows for a lazy msgid in a language (the same catalogs, so compiled or not)."""
    with translation.override(lang):
        return str(lazy)


def login_through_form(page: Any, url: Callable[[str], str], username: str) -> None:
    page.goto(url("/login/"))
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    if "/login/" in page.url:
        raise AssertionError(f"{username} could not log in: still on {page.url}")


def logout(page: Any) -> None:
    with page.expect_navigation():
        page.click("header form.inline button[type=submit]")


def shot(page: Any, artifacts: Path, name: str) -> Path:
    path = artifacts / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def state_of(page: Any) -> str:
    """The clue state shown in the heading's badge, read from its state-<code> class."""
    cls = page.get_attribute("#clue-state .badge", "class") or ""
    found = [c[len("state-"):] for c in cls.split() if c.startswith("state-")]
    return found[0] if found else ""


def move(page: Any, name: str, fill: Callable[[Any], None] | None = None, *, artifacts: Path | None = None) -> None:
    """Open a move's modal from its button on the clue page, fill it, submit it; the panel is swapped in place.

    Fails with the page's own error text when the server refuses the move.
    """
    before = page.url
    page.evaluate(MARKER_JS)
    page.locator(f"#clue-panel [data-move='{name}']").first.click()
    form = page.locator("#modal form")
    try:
        form.wait_for(state="visible")
    except Exception as exc:
        if artifacts is not None:
            shot(page, artifacts, f"failed-open-{name}")
        raise AssertionError(f"move {name}: no form in the modal; modal says {page.inner_text('#modal')!r}") from exc
    if fill is not None:
        fill(page.locator("#modal"))
    with page.expect_response(lambda r: f"/moves/{name}/" in r.url and r.request.method == "POST") as info:
        page.locator("#modal form button[type=submit]").click()
    response = info.value
    if response.status != 200:
        page.wait_for_timeout(200)
        if artifacts is not None:
            shot(page, artifacts, f"failed-{name}")
        raise AssertionError(f"move {name} refused ({response.status}): {page.inner_text('#modal')!r}")
    page.wait_for_function("() => document.querySelector('#modal').children.length === 0")
    page.locator("#move-notice").wait_for(state="visible")
    assert page.url == before, f"move {name} changed the URL from {before} to {page.url}"
    assert page.evaluate(MARKER_CHECK_JS), f"move {name} reloaded the whole page"


def open_clue_from_inbox(page: Any, url: Callable[[str], str], section: str, number: str) -> None:
    page.goto(url("/clues/inbox/"))
    link = page.locator(f"#inbox-{section} a", has_text=number).first
    assert link.count() == 1, f"{number} is not in the {section!r} section of My work: {page.inner_text('main')!r}"
    with page.expect_navigation():
        link.click()


def download_xlsx(page: Any, selector: str) -> tuple[str, list[list[Any]]]:
    """Click a download link; returns the file name and the first sheet's rows (header first)."""
    from openpyxl import load_workbook

    with page.expect_download() as info:
        page.click(selector)
    download = info.value
    data = Path(download.path()).read_bytes()
    wb = load_workbook(io.BytesIO(data), read_only=True)
    ws = wb.worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    return download.suggested_filename, rows


def ledger_numbers(page: Any) -> list[str]:
    """The clue numbers in the ledger table as shown."""
    return [t.strip() for t in page.locator("#clue-table tbody tr[data-clue] td:first-child").all_inner_texts()]


def row_count_text(page: Any) -> int:
    """The "N rows" count above the ledger table."""
    text = page.inner_text("#ledger-table > p.muted")
    m = re.search(r"\d+", text)
    assert m, f"no row count in {text!r}"
    return int(m.group())
