"""A NUL character in any parameter gets a clear refusal, never a server error."""

from __future__ import annotations

import json

from django.urls import reverse


def test_a_nul_in_a_query_or_form_is_refused(client, clerk):
    client.force_login(clerk)
    assert client.get(reverse("clue-ledger"), {"q": "万某\x00"}).status_code == 400
    refused = client.post(reverse("report-create"), {"subject": "a\x00b", "content": "x"})
    assert refused.status_code == 400


def test_the_api_answers_422_in_its_error_shape(client, clerk):
    client.force_login(clerk)
    response = client.get("/api/v1/figures/clues", {"jurisdiction": "\x00"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["type"] == "nul_character"
    body = json.dumps({"subject": "a\u0000b"})
    assert client.post("/api/v1/reports", body, content_type="application/json").status_code == 422


def test_a_nul_in_a_multipart_portal_form_is_refused_by_the_form(client, org, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from saohei.intake.models import Report
    from saohei.portal.tests.conftest import form_data, open_form

    settings.SAOHEI_PORTAL_CHALLENGE_AT = -1
    _html, key = open_form(client, "en")
    data = form_data(key, content="民族街\x00有人收保护费", files=[SimpleUploadedFile("a.txt", b"evidence")])
    response = client.post(reverse("portal:submit"), data)
    assert response.status_code == 400
    assert not Report.objects.exists()
