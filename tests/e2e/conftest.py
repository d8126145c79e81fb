"""Browser fixtures: one headless Chromium per session, a live server, the demo organisation.

Every test here runs against pytest-django's live server with a transactional database (the
server thread must see what the test writes), so the data migration's offence categories are
flushed between tests; the `e2e_org` fixture puts them back before building the demo org.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API keeps an event loop in the main thread; the ORM calls the tests make
# between browser steps are safe (they are sequential), so Django need not refuse them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else (shutil.which("chromium") or "")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """Every test under tests/e2e drives the browser; without Chromium they are skipped, not failed."""
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM:
                item.add_marker(pytest.mark.skip(reason="Debian chromium is not installed"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def e2e_org(transactional_db: Any, live_server: Any) -> Any:
    """The demo organisation in a database the live server sees."""
    from saohei.clues.categories import offence_categories_ensure
    from saohei.demo.org import build_org

    offence_categories_ensure()  # the data migration's rows are gone after the previous test's flush
    return build_org()


@pytest.fixture
def url(live_server: Any) -> Callable[[str], str]:
    def make(path: str) -> str:
        return f"{live_server.url}{path}"

    return make


@pytest.fixture
def login(browser: Any, e2e_org: Any, url: Callable[[str], str], artifacts: Path) -> Iterator[Callable[..., Any]]:
    """Log a persona in through the login form, in a context of their own; returns the page."""
    from tests.e2e.pages import login_through_form

    contexts: list[Any] = []
    script_errors: list[str] = []

    def do(username: str, **context_kw: Any) -> Any:
        context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900}, **context_kw)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda e: script_errors.append(f"{username} at {page.url}: {e}"))
        login_through_form(page, url, username)
        return page

    yield do
    for context in contexts:
        context.close()
    assert script_errors == [], "scripts failed in the pages"
