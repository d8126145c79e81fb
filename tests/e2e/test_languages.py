"""The language selector in the top bar switches the interface, and the choice is kept on the profile."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.pages import login_through_form, logout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAV = {
    "zh-hans": {"clues": "线索", "inbox": "我的工作"},
    "zh-hant": {"clues": "線索", "inbox": "我的工作"},
    "en": {"clues": "Clues", "inbox": "My work"},
}


def nav(page: Any) -> dict[str, str]:
    return {
        "clues": page.inner_text("nav.mainnav a[href='/clues/']").strip(),
        "inbox": page.inner_text("nav.mainnav a[href='/clues/inbox/']").strip(),
    }


def lang(page: Any) -> str:
    return page.get_attribute("html", "lang") or ""


def switch(page: Any, code: str) -> None:
    before = page.url
    with page.expect_navigation():
        page.select_option("#lang-select", code)
    assert page.url == before, "switching the language left the page"


def test_the_default_is_simplified_chinese(login: Any) -> None:
    page = login("clerk.jianghan")
    assert lang(page) == "zh-hans"
    assert page.input_value("#lang-select") == "zh-hans"
    assert nav(page) == NAV["zh-hans"]


@pytest.mark.parametrize("code", ["en", "zh-hant"])
def test_switching_changes_the_interface_and_survives_logout(login: Any, browser: Any, url: Any, code: str) -> None:
    page = login("verifier.jianghan")
    page.goto(url("/clues/"))
    assert lang(page) == "zh-hans"

    switch(page, code)
    assert lang(page) == code
    assert page.input_value("#lang-select") == code
    assert nav(page) == NAV[code]
    page.goto(url("/clues/inbox/"))
    assert nav(page) == NAV[code], "the choice did not last to the next page"

    # Logged out and in again in the same browser.
    logout(page)
    login_through_form(page, url, "verifier.jianghan")
    assert lang(page) == code
    assert nav(page) == NAV[code]

    # And in a fresh browser with no cookie: the language comes from the profile.
    context = browser.new_context(locale="zh-CN")
    try:
        fresh = context.new_page()
        fresh.goto(url("/login/"))
        assert lang(fresh) == "zh-hans", "an anonymous visitor does not start in the default language"
        login_through_form(fresh, url, "verifier.jianghan")
        assert lang(fresh) == code
        assert nav(fresh) == NAV[code]
        # Another person is not affected.
        other = context.browser.new_context(locale="zh-CN")
        try:
            someone = other.new_page()
            login_through_form(someone, url, "clerk.jianghan")
            assert lang(someone) == "zh-hans"
            assert nav(someone) == NAV["zh-hans"]
        finally:
            other.close()
    finally:
        context.close()


def test_switching_back_to_simplified_chinese(login: Any, url: Any) -> None:
    page = login("chief.jianghan")
    switch(page, "en")
    assert nav(page) == NAV["en"]
    switch(page, "zh-hans")
    assert lang(page) == "zh-hans"
    assert nav(page) == NAV["zh-hans"]
