"""Submitting from the public portal: guided form in three languages, receipt once, files cleaned."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image

from saohei.clues.models import Clue
from saohei.intake.attachments import attachment_path
from saohei.intake.crypto import unseal
from saohei.intake.models import Attachment, Report, Reporter
from saohei.intake.receipts import receipt_hash, receipt_normalise
from saohei.intake.services import report_find_by_receipt
from saohei.portal.tests import files
from saohei.portal.tests.conftest import form_data, open_form, receipt_in

pytestmark = pytest.mark.django_db


def test_home_and_place_steps_work_without_javascript(org: Any, client: Client) -> None:
    home = client.get(reverse("portal:home"))
    assert home.status_code == 200
    html = home.content.decode()
    assert "<script" not in html and "http://" not in html and "https://" not in html
    step1 = client.get(reverse("portal:submit"))
    assert 'name="at"' in step1.content.decode() and "湖北省" in step1.content.decode()
    step2 = client.get(reverse("portal:submit"), {"at": "420000"})
    assert "武汉市" in step2.content.decode()
    step3 = client.get(reverse("portal:submit"), {"at": "420100"})
    assert "江汉区" in step3.content.decode() and "江岸区" in step3.content.decode()
    final = client.get(reverse("portal:submit"), {"at": "420103"})
    assert 'name="idempotency_key"' in final.content.decode() and "湖北省 · 武汉市 · 江汉区" in final.content.decode()
    assert "<script" not in final.content.decode()


@pytest.mark.parametrize("lang", ["zh-hans", "zh-hant", "en"])
def test_a_language_chosen_by_link_is_kept_in_a_cookie(org: Any, client: Client, lang: str) -> None:
    page = client.get(reverse("portal:home"), {"lang": lang})
    assert f'<html lang="{lang}">' in page.content.decode()
    assert page.cookies["django_language"].value == lang
    later = client.get(reverse("portal:follow"))  # no ?lang=: the cookie speaks
    assert f'<html lang="{lang}">' in later.content.decode()
    assert later["Content-Language"] == lang
    with translation.override(lang):
        assert translation.gettext("Follow up with your receipt") in later.content.decode()


@pytest.mark.parametrize(("lang", "named"), [("zh-hans", False), ("zh-hant", True), ("en", False), ("en", True)])
def test_a_report_lands_in_intake_as_a_received_clue_with_the_receipt_shown_once(
        org: Any, client: Client, lang: str, named: bool) -> None:
    html, key = open_form(client, lang)
    assert f'<html lang="{lang}">' in html
    with translation.override(lang):
        assert translation.gettext("Send the report") in html
    extra = {"identity": "named", "name": "欧阳明远", "contact": "13912345678"} if named else {"contact": ""}
    response = client.post(reverse("portal:submit"), form_data(key, **extra))
    assert response.status_code == 200, response.content.decode()[:3000]
    page = response.content.decode()
    assert f'<html lang="{lang}">' in page
    code = receipt_in(page)
    assert len(receipt_normalise(code)) == 24
    assert "no-store" in response["Cache-Control"]
    assert code not in response.get("Location", "") and all(code not in c.value for c in response.cookies.values())
    report = Report.objects.select_related("clue", "reporter").get()
    assert report.channel == "portal" and report.office == org.offices["jianghan"]
    assert report.jurisdiction == org.places["jianghan"] and report.recorded_by is None
    assert report.subject.startswith("民族街的万某团伙")
    assert "万老大" in report.content and "派出所某副所长" in report.content
    assert report.receipt_hash == receipt_hash(code) and report_find_by_receipt(code=code) == report
    assert report.clue is not None and report.clue.state == "received"
    assert report.client_address is None  # the office did not ask for client addresses
    reporter = report.reporter
    assert reporter is not None and reporter.anonymous is (not named) and reporter.reachable is named
    if named:
        assert "欧阳" not in reporter.name_sealed
        assert unseal(reporter.name_sealed, context=f"reporter:{reporter.pk}:name") == "欧阳明远"
        assert unseal(reporter.contact_sealed, context=f"reporter:{reporter.pk}:contact") == "13912345678"
    # The receipt, name and contact are nowhere in clear in the intake and clue tables.
    normalised = receipt_normalise(code)
    for table in [Report._meta.db_table, Reporter._meta.db_table, Clue._meta.db_table, "audit_auditevent"]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - table names from models
            dump = repr(cursor.fetchall())
        assert code not in dump and normalised not in dump and "欧阳明远" not in dump and "13912345678" not in dump


def test_the_clue_appears_as_received_in_the_workbench(org: Any, client: Client, clerk: Any) -> None:
    _html, key = open_form(client)
    client.post(reverse("portal:submit"), form_data(key, subject="万某强迫交易（网上举报）"))
    staff = Client()
    staff.force_login(clerk)
    inbox = staff.get(reverse("inbox"))
    assert "万某强迫交易（网上举报）" in inbox.content.decode()
    clue = Clue.objects.get()
    detail = staff.get(reverse("clue-detail", kwargs={"pk": clue.pk}))
    assert detail.status_code == 200 and clue.state == "received"


def test_a_double_submit_stores_one_report_and_shows_no_second_receipt(org: Any, client: Client) -> None:
    _html, key = open_form(client)
    data = form_data(key)
    first = client.post(reverse("portal:submit"), data)
    second = client.post(reverse("portal:submit"), data)
    assert receipt_in(first.content.decode())
    assert second.status_code == 200 and not receipt_in(second.content.decode())
    assert 'id="already-received"' in second.content.decode()
    assert Report.objects.count() == 1 and Reporter.objects.count() == 1 and Clue.objects.count() == 1


def test_the_form_page_never_shows_a_receipt_before_the_report_is_stored(org: Any, client: Client) -> None:
    html, _key = open_form(client)
    assert not receipt_in(html) and not Report.objects.exists()


def test_a_photo_with_gps_is_stored_without_exif(org: Any, client: Client) -> None:
    _html, key = open_form(client, "en")
    data = form_data(key, files=[files.upload("IMG_0001.jpg", files.jpeg_with_gps()),
                                 files.upload("notes.txt", "账本在仓库".encode(), "text/plain")])
    response = client.post(reverse("portal:submit"), data)
    assert receipt_in(response.content.decode())
    stored = Attachment.objects.order_by("pk")
    assert [a.kind for a in stored] == ["image", "document"]
    with Image.open(io.BytesIO(attachment_path(stored[0]).read_bytes())) as im:
        assert not im.getexif() and "exif" not in im.info
    assert b"SpyCam" not in attachment_path(stored[0]).read_bytes()


def test_the_report_goes_to_the_nearest_office_at_or_above_the_place(org: Any, client: Client) -> None:
    _html, key = open_form(client, place="420100")
    client.post(reverse("portal:submit"), form_data(key, place="420100"))
    assert Report.objects.get().office == org.offices["wuhan"]


def test_an_office_that_asks_for_it_keeps_the_client_address(org: Any, client: Client) -> None:
    office = org.offices["jianghan"]
    office.portal_stores_client_address = True
    office.save()
    _html, key = open_form(client)
    client.post(reverse("portal:submit"), form_data(key), REMOTE_ADDR="10.1.2.3")
    assert Report.objects.get().client_address == "10.1.2.3"


def test_injected_spam_is_flagged_for_staff_and_the_report_kept(org: Any, client: Client) -> None:
    _html, key = open_form(client)
    content = "[ad_1]\n民族街有人强迫商户买酒，不买就砸店。Sky bet 老板说 Sky bet 的人天天来。\n[ad_1]"
    response = client.post(reverse("portal:submit"), form_data(key, content=content))
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.spam_flags  # flagged, not dropped
    staff = Client()
    staff.force_login(org.users["clerk.jianghan"])
    page = staff.get(reverse("report-detail", args=[report.pk])).content.decode()
    assert 'id="spam-flags"' in page
    clue_page = staff.get(reverse("clue-detail", args=[report.clue_id]))
    assert clue_page.status_code == 200 and report.number in clue_page.content.decode()
