from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse


@pytest.fixture(autouse=True)
def _portal_test_env(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ROOT_URLCONF = "saohei.portal.tests.urls"
    settings.SAOHEI_PORTAL_CHALLENGE_AT = -1
    cache.clear()
    yield
    cache.clear()


def receipt_in(html: str) -> str:
    match = re.search(r'id="receipt-code"[^>]*>([0-9A-Z-]+)<', html)
    return match.group(1) if match else ""


def open_form(client: Client, lang: str = "zh-hans", place: str = "420103") -> tuple[str, str]:
    """The form page's HTML and its idempotency key."""
    page = client.get(reverse("portal:submit"), {"place": place, "lang": lang})
    assert page.status_code == 200, page.content.decode()[:1000]
    html = page.content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', html)
    assert key is not None, html[:2000]
    return html, key.group(1)


def form_data(key: str, place: str = "420103", **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "place": place,
        "idempotency_key": key,
        "content": "民族街的万某团伙强迫商户购买酒水，不从者遭殴打。",
        "subject": "",
        "persons": "万某，外号“万老大”；其弟万二",
        "location_text": "民族街12号KTV",
        "when": "2024年3月至今",
        "protection": "yes",
        "protectors": "派出所某副所长收钱",
        "evidence": "商户有转账记录",
        "identity": "anonymous",
        "name": "",
        "contact": "",
    }
    data.update(overrides)
    return data
