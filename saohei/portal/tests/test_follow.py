"""Following up with the receipt: status and feedback, messages both ways, wrong receipts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from saohei.clues import services
from saohei.clues.models import Clue
from saohei.clues.tests import helpers
from saohei.intake.messages import message_to_reporter
from saohei.intake.models import Attachment, PortalMessage, Report
from saohei.intake.receipts import receipt_generate
from saohei.intake.services import report_void
from saohei.portal.tests import files
from saohei.portal.tests.conftest import form_data, open_form, receipt_in

pytestmark = pytest.mark.django_db


def submit(client: Client, lang: str = "en") -> tuple[str, Report]:
    _html, key = open_form(client, lang)
    response = client.post(reverse("portal:submit"), form_data(key))
    code = receipt_in(response.content.decode())
    assert code
    return code, Report.objects.select_related("clue").get(idempotency_key=f"portal:{key}")


def follow(client: Client, code: str, **extra: Any) -> Any:
    return client.post(reverse("portal:follow"), {"receipt": code, **extra})


def error_of(response: Any) -> str:
    match = re.search(r'<p class="error" role="alert">(.*?)</p>', response.content.decode())
    assert match is not None
    return match.group(1)


def test_the_follow_up_form_never_puts_the_receipt_in_a_url(org: Any, client: Client) -> None:
    page = client.get(reverse("portal:follow"))
    html = page.content.decode()
    assert page.status_code == 200 and 'method="post"' in html and 'name="receipt"' in html


def test_status_and_feedback_follow_the_clue(org: Any, client: Client, clerk: Any) -> None:
    client.cookies["django_language"] = "en"
    code, report = submit(client)
    page = follow(client, code)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert '<strong class="status status-received" id="report-status">received</strong>' in html
    assert 'id="feedback-text"' not in html
    # Typed in lower case without dashes, it still opens.
    assert follow(client, code.replace("-", "").lower()).status_code == 200

    clue = Clue.objects.get(pk=report.clue_id)
    helpers.to_concluded(org, clue)
    assert 'id="report-status">concluded<' in follow(client, code).content.decode()
    for username in helpers.FIVE_CHIEFS:
        services.clue_sign(clue=Clue.objects.get(pk=clue.pk), actor=org.users[username])
    services.clue_feedback(clue=Clue.objects.get(pk=clue.pk), actor=clerk,
                           text="经核查，您反映的问题已查实，万某已被刑事拘留。")
    html = follow(client, code).content.decode()
    assert "status-concluded" in html and "万某已被刑事拘留" in html


def test_a_code_in_the_reporters_language(org: Any, client: Client) -> None:
    code, _report = submit(client, "zh-hant")
    html = follow(client, code).content.decode()
    with translation.override("zh-hant"):
        assert f'id="report-status">{translation.gettext("received")}<' in html
    assert '<html lang="zh-hant">' in html


def test_a_duplicate_shows_the_state_of_the_clue_it_duplicates(org: Any, client: Client, clerk: Any) -> None:
    client.cookies["django_language"] = "en"
    code, report = submit(client)
    original = helpers.receive(org, subject="原线索")
    helpers.triage_valid(org, original)
    services.clue_assign(clue=original, unit=org.units["jh_minzu"], actor=clerk)
    services.clue_triage(clue=Clue.objects.get(pk=report.clue_id), actor=clerk, decision="duplicate",
                         duplicate_of=original)
    assert 'id="report-status">under verification<' in follow(client, code).content.decode()


def test_messages_both_ways_with_files(org: Any, client: Client, clerk: Any, verifier: Any) -> None:
    client.cookies["django_language"] = "en"
    code, report = submit(client)
    page = follow(client, code, action="reply", text="补充：万某的车牌是鄂A12345。",
                  files=[files.upload("receipt.jpg", files.jpeg_with_gps())])
    html = page.content.decode()
    assert page.status_code == 200 and "Your message was sent" in html and "鄂A12345" in html
    # The reply form carries the receipt onward in a hidden field; nothing else holds it.
    assert f'name="receipt" value="{code}"' in html
    assert not page.cookies.get("sessionid")
    message = PortalMessage.objects.get()
    assert message.direction == "from_reporter" and message.author is None
    assert Attachment.objects.get().message == message
    # Sending the same text twice (a refreshed page) stores it once.
    follow(client, code, action="reply", text="补充：万某的车牌是鄂A12345。")
    assert PortalMessage.objects.count() == 1

    message_to_reporter(report=report, text="请问您能否提供转账记录截图？", actor=clerk)
    html = follow(client, code).content.decode()
    assert "请问您能否提供转账记录截图" in html and html.index("鄂A12345") < html.index("转账记录截图")
    assert PortalMessage.objects.get(pk=message.pk).read_at is not None


def test_a_wrong_receipt_gets_one_generic_answer(org: Any, client: Client, clerk: Any) -> None:
    client.cookies["django_language"] = "en"
    code, report = submit(client)
    never = follow(client, receipt_generate())
    report_void(report=report, actor=clerk, reason="测试作废")
    voided = follow(client, code)
    junk = follow(client, "<script>alert(1)</script>")
    for response in (never, voided):
        assert response.status_code == 400
        assert "No report matches this receipt" in response.content.decode()
    assert error_of(never) == error_of(voided)
    assert junk.status_code == 400 and "<script>alert(1)" not in junk.content.decode()


def test_wrong_receipts_are_limited(org: Any, client: Client, settings: Any) -> None:
    settings.SAOHEI_PORTAL_RECEIPT_FAILURES_PER_CLIENT = 2
    client.cookies["django_language"] = "en"
    code, _report = submit(client)
    follow(client, receipt_generate())
    follow(client, receipt_generate())
    blocked = follow(client, code)  # even the right one waits now
    assert blocked.status_code == 429 and "Too many attempts" in blocked.content.decode()
