"""Security headers, cookie flags, CSRF under no-referrer and log scrubbing (saohei/portal/security.py).

This module doubles as a small URLconf (ROOT_URLCONF = this module) with portal and workbench views
that exercise the middleware without depending on the real portal pages.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template import engines
from django.test import Client
from django.urls import path, reverse
from django.views.decorators.csrf import csrf_protect

from saohei.portal.abuse import challenge_context, challenge_passed
from saohei.portal.security import PORTAL_CSP, PortalLogFilter, mask_addresses

THIS = "saohei.portal.tests.test_security"
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
CLIENT_IP = "203.0.113.77"
REPORT_TEXT = "万某团伙强迫商户购买酒水"


def _ping(request: HttpRequest) -> HttpResponse:
    response = HttpResponse("<p>ok</p>")
    response.set_cookie("demo", "1")
    return response


@csrf_protect
def _form(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return HttpResponse("stored")
    return HttpResponse(get_token(request))


def _boom(request: HttpRequest) -> HttpResponse:
    logging.getLogger("saohei.portal").warning("report from %s", request.META["REMOTE_ADDR"])
    raise ValueError(f"could not store {request.POST.get('content', '')} from {request.META['REMOTE_ADDR']}")


_HEAD = '<!DOCTYPE html><html><head><title>check</title><link rel="icon" href="data:,"></head>'
_CHECK_PAGE = _HEAD + """<body>
<form method="post" action="/portal/check/">{% csrf_token %}{% include "portal/challenge.html" %}
<button type="submit">send</button></form></body></html>"""


@csrf_protect
def _check(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        result = "passed" if challenge_passed(request) else "failed"
        return HttpResponse(f"{_HEAD}<body>{result}</body></html>")
    html = engines["django"].from_string(_CHECK_PAGE).render(challenge_context(request, force=True), request)
    return HttpResponse(html)


urlpatterns = [
    path("portal/check/", _check),
    path("portal/ping/", _ping),
    path("portal/form/", _form),
    path("portal/boom/", _boom),
    path("staff/ping/", _ping),
]


@pytest.fixture
def local_urls(settings: Any) -> None:
    settings.ROOT_URLCONF = THIS
    settings.SAOHEI_SERVE = {"workbench", "portal"}


def _csp(response: HttpResponse) -> dict[str, str]:
    return {
        part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
        for part in (p.strip() for p in response["Content-Security-Policy"].split(";"))
    }


def test_portal_page_gets_the_strict_headers(local_urls: None) -> None:
    response = Client().get("/portal/ping/")
    assert response.status_code == 200
    csp = _csp(response)
    assert csp["default-src"] == "'self'" and csp["script-src"] == "'self'" and csp["style-src"] == "'self'"
    assert csp["img-src"] == "'self' data:" and csp["object-src"] == "'none'"
    assert csp["base-uri"] == "'none'" and csp["frame-ancestors"] == "'none'" and csp["form-action"] == "'self'"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"] == "no-store, max-age=0"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response  # plain HTTP: no HSTS
    assert not response.cookies["demo"]["secure"]
    assert response.cookies["demo"]["httponly"] and response.cookies["demo"]["samesite"] == "Lax"


def test_tls_adds_hsts_and_secure_cookies(local_urls: None) -> None:
    response = Client().get("/portal/ping/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=")
    assert response.cookies["demo"]["secure"]
    staff = Client().get("/staff/ping/", secure=True)
    assert staff.cookies["demo"]["secure"] and "Strict-Transport-Security" in staff


def test_workbench_page_keeps_scripts_strict_and_referrer_same_origin(settings: Any) -> None:
    settings.ROOT_URLCONF = "config.urls"
    response = Client().get(reverse("login"))
    assert response.status_code == 200
    csp = _csp(response)
    assert csp["script-src"] == "'self'" and csp["frame-ancestors"] == "'none'"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_real_portal_page_is_strict(settings: Any) -> None:
    settings.ROOT_URLCONF = "config.urls"
    response = Client().get("/portal/")
    assert response["Content-Security-Policy"] == PORTAL_CSP
    assert response["Referrer-Policy"] == "no-referrer"


def test_portal_only_host_treats_every_page_as_portal(local_urls: None, settings: Any) -> None:
    settings.SAOHEI_SERVE = {"portal"}
    response = Client().get("/staff/ping/")
    assert response["Referrer-Policy"] == "no-referrer" and response["Cache-Control"] == "no-store, max-age=0"


def test_same_origin_post_with_null_origin_passes_csrf(local_urls: None) -> None:
    client = Client(enforce_csrf_checks=True)
    token = client.get("/portal/form/").content.decode()
    data = {"csrfmiddlewaretoken": token}
    ok = client.post("/portal/form/", data, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="same-origin", secure=True)
    assert ok.status_code == 200, ok.content[:300]
    cross = client.post("/portal/form/", data, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="cross-site", secure=True)
    assert cross.status_code == 403
    no_token = client.post("/portal/form/", {}, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="same-origin")
    assert no_token.status_code == 403


def test_logs_hold_no_address_and_no_report_text(local_urls: None, caplog: pytest.LogCaptureFixture) -> None:
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.INFO):
        response = client.post("/portal/boom/", {"content": REPORT_TEXT}, REMOTE_ADDR=CLIENT_IP)
    assert response.status_code == 500
    assert any(r.name == "django.request" for r in caplog.records)  # the error was logged
    assert "ValueError" in caplog.text
    assert CLIENT_IP not in caplog.text
    assert REPORT_TEXT not in caplog.text


def test_mask_addresses() -> None:
    text = "from 203.0.113.77 and [2001:db8::1]:443 at 12:30:45, ::ffff:192.0.2.1; version 1.2.3.4.5"
    masked = mask_addresses(text)
    assert "203.0.113.77" not in masked and "2001:db8::1" not in masked and "192.0.2.1" not in masked
    assert "12:30:45" in masked and "1.2.3.4.5" in masked


def test_filter_masks_any_record() -> None:
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%s - GET /", (CLIENT_IP,), None)
    assert PortalLogFilter().filter(record)
    assert CLIENT_IP not in record.getMessage()


def _inline_code(directory: Path) -> list[str]:
    """Inline scripts and event handlers in templates: the CSP blocks them everywhere."""
    found = []
    for template in sorted(directory.rglob("*.html")):
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", line) or re.search(
                r"\son[a-z]+\s*=", line
            ) or "javascript:" in line:
                found.append(f"{template.relative_to(directory)}:{number}: {line.strip()}")
    return found


def test_no_template_relies_on_inline_script() -> None:
    assert _inline_code(TEMPLATES) == []


def test_portal_templates_use_no_inline_style() -> None:
    found = []
    for template in sorted((TEMPLATES / "portal").rglob("*.html")):
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\sstyle\s*=|<style", line):
                found.append(f"{template.name}:{number}: {line.strip()}")
    assert found == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("javascript", [True, False])
def test_challenge_in_a_real_browser_under_the_csp(local_urls: None, settings: Any, live_server: Any,
                                                   javascript: bool) -> None:
    """pow.js runs under the portal's CSP and its answer passes; without JavaScript the question does."""
    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM:
        pytest.skip("Debian chromium is not installed")
    from playwright.sync_api import sync_playwright

    from saohei.portal.tests.test_abuse import _answer

    settings.SAOHEI_PORTAL_POW_BITS = 12
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(java_script_enabled=javascript, locale="en-GB").new_page()
            problems: list[str] = []
            page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
            page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
            page.goto(f"{live_server.url}/portal/check/")
            if javascript:
                answer = page.locator("[data-pow-answer]")
                for _ in range(300):  # wait_for_function would need eval, which the CSP forbids
                    if answer.input_value():
                        break
                    page.wait_for_timeout(100)
                assert answer.input_value(), "pow.js found no nonce"
                assert page.locator("[data-pow-question]").is_hidden()
            else:
                question = page.locator("[data-pow-question] label").inner_text()
                page.fill("[data-pow-answer]", str(_answer(question)))
            page.click("button[type=submit]")
            page.wait_for_load_state()
            assert page.locator("body").inner_text().strip() == "passed", page.content()[:500]
            assert problems == [], problems  # e.g. a Content-Security-Policy violation
        finally:
            browser.close()
