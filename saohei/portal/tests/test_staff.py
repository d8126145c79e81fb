"""The workbench side: the clue page's reporter messages, the staff reply, file downloads."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse

from saohei.audit.models import AuditEvent
from saohei.clues import services
from saohei.clues.models import Clue
from saohei.clues.tests import helpers
from saohei.intake.attachments import attachment_path
from saohei.intake.messages import message_from_reporter, message_to_reporter
from saohei.intake.models import Attachment, PortalMessage, Report
from saohei.portal.tests import files
from saohei.portal.tests.conftest import form_data, open_form, receipt_in

pytestmark = pytest.mark.django_db
EVIL = '<script>alert("staff")</script>'


def portal_report(org: Any, **extra: Any) -> tuple[str, Report]:
    client = Client()
    _html, key = open_form(client, "en")
    response = client.post(reverse("portal:submit"), form_data(key, **extra))
    code = receipt_in(response.content.decode())
    assert code
    return code, Report.objects.select_related("clue").get(idempotency_key=f"portal:{key}")


def staff(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session["saohei_language"] = "en"
    session.save()
    return client


def panel(user: Any, clue: Clue) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return Template('{% include "clues/_messages.html" %}').render(Context({"request": request, "clue": clue}))


def test_the_partial_lists_messages_and_files_escaped_with_a_reply_form(org: Any, clerk: Any) -> None:
    code, report = portal_report(org, content="举报内容" + EVIL,
                                 files=[files.upload("a.jpg", files.jpeg_with_gps())])
    message_from_reporter(report=report, text="补充" + EVIL)
    html = panel(clerk, report.clue)
    assert "补充" in html and "<script>alert" not in html and "&lt;script&gt;" in html
    assert reverse("clue-message-send", kwargs={"clue_pk": report.clue_id}) in html
    attachment = Attachment.objects.get()
    assert reverse("attachment-download", kwargs={"pk": attachment.pk}) in html
    assert code not in html


def test_staff_answer_without_javascript_and_with_htmx(org: Any, clerk: Any) -> None:
    code, report = portal_report(org)
    client = staff(clerk)
    url = reverse("clue-message-send", kwargs={"clue_pk": report.clue_id})
    response = client.post(url, {"report": report.pk, "text": "感谢举报，请补充时间。" + EVIL})
    assert response.status_code == 302 and response["Location"].endswith(
        reverse("clue-detail", kwargs={"pk": report.clue_id}) + "#reporter-messages")
    htmx = client.post(url, {"report": report.pk, "text": "第二条"}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200 and 'id="reporter-messages"' in htmx.content.decode()
    assert "第二条" in htmx.content.decode() and "<script>alert" not in htmx.content.decode()
    sent = PortalMessage.objects.filter(direction="to_reporter").order_by("pk")
    assert [m.author for m in sent] == [clerk, clerk]
    assert AuditEvent.objects.filter(action="message.to_reporter").count() == 2
    # The reporter reads them with the receipt, escaped.
    page = Client().post(reverse("portal:follow"), {"receipt": code}).content.decode()
    assert "感谢举报" in page and "第二条" in page and "<script>alert" not in page
    empty = client.post(url, {"report": report.pk, "text": "  "}, HTTP_HX_REQUEST="true")
    assert empty.status_code == 400 and PortalMessage.objects.count() == 2


def test_only_staff_who_may_act_on_the_clue_may_answer(org: Any, clerk: Any, verifier: Any,
                                                       other_verifier: Any) -> None:
    _code, report = portal_report(org)
    url = reverse("clue-message-send", kwargs={"clue_pk": report.clue_id})
    # Another county's verifier does not even see the clue.
    assert staff(other_verifier).post(url, {"report": report.pk, "text": "x"}).status_code == 404
    # The station's verifier sees nothing until the clue is assigned to the station.
    assert staff(verifier).post(url, {"report": report.pk, "text": "x"}).status_code == 404
    with pytest.raises(PermissionDenied):
        message_to_reporter(report=report, text="x", actor=verifier)
    clue = Clue.objects.get(pk=report.clue_id)
    helpers.triage_valid(org, clue)
    services.clue_assign(clue=clue, unit=org.units["jh_minzu"], actor=clerk)
    assert staff(verifier).post(url, {"report": report.pk, "text": "民警回复"}).status_code == 302
    assert PortalMessage.objects.get().author == verifier
    # A city supervisor sees the clue but is not one who answers the reporter.
    supervisor = org.users["supervisor.wuhan"]
    assert staff(supervisor).post(url, {"report": report.pk, "text": "x"}).status_code == 403
    assert "clue-message-send" not in panel(supervisor, clue) and "<textarea" not in panel(supervisor, clue)


def test_attachment_download_is_for_staff_who_see_the_clue(org: Any, clerk: Any, other_verifier: Any) -> None:
    portal_report(org, files=[files.upload("照片.jpg", files.jpeg_with_gps())])
    attachment = Attachment.objects.get()
    url = reverse("attachment-download", kwargs={"pk": attachment.pk})
    response = staff(clerk).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == attachment_path(attachment).read_bytes()  # type: ignore[attr-defined]
    assert response["Content-Disposition"].startswith("attachment;") and "照片" not in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff" and response["Content-Type"] == "image/jpeg"
    assert AuditEvent.objects.filter(action="attachment.download").count() == 1
    assert staff(other_verifier).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page
    assert staff(clerk).get(reverse("attachment-download", kwargs={"pk": attachment.pk + 99})).status_code == 404
