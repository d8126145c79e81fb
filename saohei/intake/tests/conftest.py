from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def login(client: Client):
    def _login(user: Any, language: str = "zh-hans") -> Client:
        client.force_login(user)
        session = client.session
        session["saohei_language"] = language
        session.save()
        return client

    return _login


def receipt_in(html: str) -> str:
    match = re.search(r'id="receipt-code"[^>]*>([0-9A-Z-]+)<', html)
    return match.group(1) if match else ""
