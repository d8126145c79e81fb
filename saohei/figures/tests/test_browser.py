"""The figures page in headless Chromium: both ECharts charts draw, and nothing is fetched off-site."""

from __future__ import annotations

import os
import shutil

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed")
def test_charts_draw_from_local_files(org, scenario, live_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        errors: list[str] = []
        outside: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", "director.wuhan")
        page.fill("input[name=password]", "demo-password")
        page.click("button[type=submit], input[type=submit]")
        page.goto(f"{live_server.url}/figures/?jurisdiction=420100&start={scenario.start}&end={scenario.end}")
        page.wait_for_function("typeof echarts !== 'undefined'")
        page.wait_for_selector("[data-chart=figures-trend] canvas")
        page.wait_for_selector("[data-chart=figures-children] canvas")
        assert page.evaluate("echarts.getInstanceByDom(document.querySelector('[data-chart=figures-children]'))"
                             ".getOption().series[0].data") == [2, 7]
        browser.close()
    assert errors == []
    assert outside == []


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed")
def test_the_bulletin_copy_button(org, live_server):
    """With JavaScript the copy button appears and copies the bulletin; without it the button stays
    hidden and the text is there to select."""
    from playwright.sync_api import sync_playwright

    from saohei.figures.tests.outcome_world import END, START, build

    build(org)
    url = f"{live_server.url}/figures/outcomes/?jurisdiction=420100&start={START}&end={END}"
    expected = "2025年1月1日至2025年6月30日，全市共刑事拘留涉黑涉恶犯罪人员2人"
    selector = 'button[data-copy-target="bulletin-text"]'
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context()
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", "director.wuhan")
        page.fill("input[name=password]", "demo-password")
        with page.expect_navigation():
            page.click("button[type=submit], input[type=submit]")
        page.goto(url)
        text = page.input_value("#bulletin-text")
        assert text.startswith(expected)
        button = page.locator(selector)
        assert button.is_visible()
        label = button.inner_text()
        button.click()
        page.wait_for_function("([s, l]) => document.querySelector(s).textContent !== l", arg=[selector, label])
        assert page.evaluate("navigator.clipboard.readText()") == text
        assert errors == []
        # The same page without JavaScript, in the same session.
        bare = browser.new_context(java_script_enabled=False)
        bare.add_cookies(context.cookies())
        page = bare.new_page()
        page.goto(url)
        assert page.input_value("#bulletin-text").startswith(expected)
        assert not page.locator(selector).is_visible()
        browser.close()
