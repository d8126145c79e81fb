from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client


@pytest.fixture(autouse=True)
def _media_and_tasks(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    # A developer's .env may name the database task backend; tests run tasks in the request.
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
    }


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


def clue_model() -> Any:
    """The clue model, looked up by name: intake (and its tests) may not import the clues app."""
    from django.apps import apps

    return apps.get_model("clues", "Clue")


def make_report(
    org: Any, place: str = "jianghan", name: str = "欧阳明远", subject: str = "江汉某商户被强迫交易"
) -> Any:
    """A hotline report recorded through the page, by the clerk of `place`."""
    from django.urls import reverse

    from saohei.intake.models import Report

    client = Client()
    client.force_login(org.users["clerk.jianghan" if place == "jianghan" else "clerk.jiangan"])
    page = client.get(reverse("report-create"))
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', page.content.decode())
    assert key is not None
    response = client.post(
        reverse("report-create"),
        {
            "channel": "hotline",
            "office": org.offices[place].pk,
            "jurisdiction": "",
            "received_at": "2024-03-01T09:30",
            "subject": subject,
            "content": "来电人称有人纠集多人强迫商户购买酒水。",
            "reporter_name": name,
            "reporter_contact": "13912345678",
            "reporter_id_number": "42010319800101123X",
            "idempotency_key": key.group(1),
        },
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    return Report.objects.select_related("clue").get(subject=subject)
