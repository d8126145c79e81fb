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
