"""Bad input on the portal: each gets a clear refusal, nothing is half-stored, nothing reaches a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from saohei.intake.models import Attachment, Report, Reporter
from saohei.portal.tests import files
from saohei.portal.tests.conftest import form_data, open_form, receipt_in

pytestmark = pytest.mark.django_db


def _english_client() -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.parametrize(("upload", "needle"), [
    (lambda: files.upload("photo.jpg", files.ELF), "not accepted"),
    (lambda: files.upload("photo.jpg", files.PE), "not accepted"),
    (lambda: files.upload("photo.jpg", files.HTML), "scripts are not accepted"),
    (lambda: files.upload("photo.jpg", files.SCRIPT), "scripts are not accepted"),
    (lambda: files.upload("photo.jpg", files.jpeg_with_gps()[:400]), "damaged"),
    (lambda: files.upload("bomb.zip", files.zip_bomb(200), "application/zip"), "archive bomb"),
    (lambda: files.upload("nested.zip", files.zip_of({"in.zip": files.zip_of({"a": b"a"})})), "inside archives"),
    (lambda: files.upload("huge.png", files.png_bomb()), "too many pixels"),
], ids=["elf", "pe", "html", "script", "truncated-jpeg", "zip-bomb", "nested-zip", "png-bomb"])
def test_a_bad_file_refuses_the_whole_submission_and_stores_nothing(org: Any, upload: Any, needle: str) -> None:
    client = _english_client()
    _html, key = open_form(client, "en")
    good = files.upload("ok.jpg", files.jpeg_with_gps())
    response = client.post(reverse("portal:submit"), form_data(key, files=[good, upload()]))
    assert response.status_code == 400
    page = response.content.decode()
    assert needle in page and "Nothing was sent" in page and not receipt_in(page)
    assert not Report.objects.exists() and not Reporter.objects.exists() and not Attachment.objects.exists()
    # What the reporter wrote is still in the form, to send again without the file.
    assert "万老大" in page


def test_too_many_and_too_large_files_are_refused(org: Any, settings: Any) -> None:
    client = _english_client()
    settings.SAOHEI_PORTAL_MAX_FILES = 2
    _html, key = open_form(client, "en")
    many = [files.upload(f"{i}.txt", b"evidence", "text/plain") for i in range(3)]
    response = client.post(reverse("portal:submit"), form_data(key, files=many))
    assert response.status_code == 400 and "Send at most 2 files" in response.content.decode()
    settings.SAOHEI_PORTAL_MAX_FILE_BYTES = 1000
    response = client.post(reverse("portal:submit"), form_data(key, files=[files.upload("a.txt", b"a" * 2000)]))
    assert response.status_code == 400 and "larger than" in response.content.decode()
    settings.SAOHEI_PORTAL_MAX_TOTAL_BYTES = 100
    response = client.post(reverse("portal:submit"), form_data(key), CONTENT_LENGTH=10 * 1024 * 1024)
    assert response.status_code == 413 and "too large" in response.content.decode()
    assert not Report.objects.exists()


def test_scripts_in_every_text_field_are_shown_as_text(org: Any) -> None:
    client = _english_client()
    _html, key = open_form(client, "en")
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    data = form_data(key, content="内容" + evil, subject="标题" + evil, persons=evil, location_text=evil[:100],
                     when=evil, protectors=evil, evidence=evil, identity="named", name=evil[:90], contact=evil[:100])
    response = client.post(reverse("portal:submit"), data)
    code = receipt_in(response.content.decode())
    assert code
    page = client.post(reverse("portal:follow"), {"receipt": code}).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_invalid_utf8_is_a_clear_400(org: Any) -> None:
    client = _english_client()
    _html, key = open_form(client, "en")
    body = ("place=420103&identity=anonymous&protection=unknown&idempotency_key=" + key).encode() + \
        b"&content=%E4%B8%AD%FF%FE%80"
    response = client.post(reverse("portal:submit"), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "not valid UTF-8" in response.content.decode()
    assert not Report.objects.exists()


def test_a_form_without_its_key_or_place_is_refused_clearly(org: Any) -> None:
    client = _english_client()
    response = client.post(reverse("portal:submit"), {"content": "x", "place": "999999", "identity": "anonymous",
                                                      "protection": "unknown", "idempotency_key": "nothex"})
    assert response.status_code == 400
    with translation.override("en"):
        assert gettext("The form has expired; open it again.") in response.content.decode()


def test_named_without_a_name_asks_for_it(org: Any) -> None:
    client = _english_client()
    _html, key = open_form(client, "en")
    response = client.post(reverse("portal:submit"), form_data(key, identity="named", name=""))
    assert response.status_code == 400
    assert "Give your name, or choose to report anonymously." in response.content.decode()
    assert not Report.objects.exists()


def test_reports_accepted_before_bad_input_are_still_there(org: Any) -> None:
    client = _english_client()
    _html, key = open_form(client, "en")
    client.post(reverse("portal:submit"), form_data(key))
    _html, key2 = open_form(client, "en")
    client.post(reverse("portal:submit"), form_data(key2, files=[files.upload("x.jpg", files.ELF)]))
    client.post(reverse("portal:submit"), b"\xff\xfe", content_type="application/x-www-form-urlencoded")
    assert Report.objects.count() == 1


def test_under_load_the_form_asks_for_the_offline_check(org: Any, settings: Any) -> None:
    settings.SAOHEI_PORTAL_CHALLENGE_AT = 0  # always
    client = _english_client()
    html, key = open_form(client, "en")
    assert 'class="challenge"' in html
    response = client.post(reverse("portal:submit"), form_data(key))
    assert response.status_code == 400 and 'class="challenge"' in response.content.decode()
    assert "万老大" in response.content.decode() and not Report.objects.exists()


def test_one_client_sending_too_many_reports_is_told_to_wait(org: Any, settings: Any) -> None:
    settings.SAOHEI_PORTAL_SUBMIT_PER_CLIENT = 1
    client = _english_client()
    _html, key = open_form(client, "en")
    assert receipt_in(client.post(reverse("portal:submit"), form_data(key)).content.decode())
    _html, key2 = open_form(client, "en")
    refused = client.post(reverse("portal:submit"), form_data(key2))
    assert refused.status_code == 429 and refused["Retry-After"]
    assert Report.objects.count() == 1
