"""The interface speaks zh-hans by default, and zh-hant and English completely."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def _messages_module():
    spec = importlib.util.spec_from_file_location("messages_script", ROOT / "scripts" / "messages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_interface_string_is_translated_and_compiled():
    assert _messages_module().problems() == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-hans", ["登录", "用户名", "密码"]), ("zh-hant", ["登錄", "用戶名", "密碼"]), ("en", ["Log in", "User name"])],
)
def test_the_login_page_speaks_the_chosen_language(client, db, language, expected):
    client.cookies["django_language"] = language
    page = client.get(reverse("login")).content.decode()
    for text in expected:
        assert text in page


def test_zh_hans_is_the_default(client, db):
    page = client.get(reverse("login")).content.decode()
    assert 'lang="zh-hans"' in page and "登录" in page


def test_a_users_language_follows_them_to_the_next_login(client, clerk):
    client.force_login(clerk)
    client.post(reverse("set-language"), {"language": "en", "next": reverse("inbox")})
    client.logout()
    client.post(reverse("login"), {"username": "clerk.jianghan", "password": "demo-password"})
    page = client.get(reverse("inbox")).content.decode()
    assert "My work" in page and 'lang="en"' in page
