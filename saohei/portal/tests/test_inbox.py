"""The inbox path: the portal accepts with one insert and shows the receipt; registration follows."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from saohei.audit.models import AuditEvent
from saohei.clues.models import Clue
from saohei.intake.attachments import attachment_path
from saohei.intake.models import Attachment, Report
from saohei.intake.receipts import receipt_hash
from saohei.orgs.models import Jurisdiction
from saohei.portal.inbox import inbox_drain, inbox_waiting
from saohei.portal.models import PortalSubmission
from saohei.portal.tests import files
from saohei.portal.tests.conftest import form_data, open_form, receipt_in


@pytest.fixture
def no_worker(monkeypatch: Any) -> None:
    """The worker is busy or down: accepted submissions wait in the inbox."""
    monkeypatch.setattr(importlib.import_module("saohei.portal.views.submit"), "inbox_wake", lambda: None)


def _submit(client: Client, **overrides: Any) -> str:
    _html, key = open_form(client)
    response = client.post(reverse("portal:submit"), form_data(key, **overrides))
    assert response.status_code == 200, response.content.decode()[:2000]
    return receipt_in(response.content.decode())


def test_the_receipt_is_shown_once_the_submission_is_stored_sealed(org: Any, client: Client, no_worker: None) -> None:
    code = _submit(client, identity="named", name="欧阳明远", contact="13912345678")
    assert code and not Report.objects.exists()
    waiting = PortalSubmission.objects.get()
    assert waiting.receipt_hash == receipt_hash(code) and waiting.report is None
    assert "欧阳明远" not in waiting.sealed and "民族街" not in waiting.sealed and code not in waiting.sealed
    assert inbox_waiting() == 1


def test_the_worker_registers_the_report_with_its_clue_files_and_audit(org: Any, client: Client,
                                                                       no_worker: None) -> None:
    code = _submit(client, files=[files.upload("IMG_0001.jpg", files.jpeg_with_gps())])
    accepted_at = PortalSubmission.objects.get().received_at
    assert Attachment.objects.count() == 0
    assert inbox_drain() == 1
    report = Report.objects.select_related("clue").get()
    assert report.receipt_hash == receipt_hash(code) and report.received_at == accepted_at
    assert report.channel == "portal" and report.clue is not None and report.clue.state == "received"
    attachment = Attachment.objects.get()
    assert attachment.report == report and attachment_path(attachment).exists()
    assert AuditEvent.objects.filter(action="report.receive", object_id=str(report.pk)).exists()
    assert AuditEvent.objects.filter(action="attachment.store").count() == 1
    assert inbox_waiting() == 0 and inbox_drain() == 0  # registered once, never twice


def test_a_reporter_who_follows_up_before_the_worker_finds_the_report(org: Any, client: Client,
                                                                      no_worker: None) -> None:
    code = _submit(client)
    page = client.post(reverse("portal:follow"), {"receipt": code, "lang": "en"})
    assert page.status_code == 200
    assert Report.objects.count() == 1 and Clue.objects.count() == 1 and inbox_waiting() == 0


def test_a_double_submit_while_the_worker_is_away_is_one_submission(org: Any, client: Client,
                                                                    no_worker: None) -> None:
    _html, key = open_form(client)
    first = client.post(reverse("portal:submit"), form_data(key))
    second = client.post(reverse("portal:submit"), form_data(key))
    assert receipt_in(first.content.decode()) and not receipt_in(second.content.decode())
    assert 'id="already-received"' in second.content.decode()
    assert PortalSubmission.objects.count() == 1
    assert inbox_drain() == 1 and Report.objects.count() == 1


def test_a_submission_that_cannot_be_registered_stays_in_the_inbox(org: Any, client: Client, no_worker: None,
                                                                   caplog: Any) -> None:
    _submit(client)
    second = _submit(client, content="另一份举报：某村霸强占土地。")
    assert second
    broken = PortalSubmission.objects.order_by("pk").first()
    assert broken is not None
    PortalSubmission.objects.filter(pk=broken.pk).update(sealed="v1:damaged")
    assert inbox_drain() == 1  # the other one is registered
    broken.refresh_from_db()
    assert broken.report is None and broken.attempts == 1 and broken.last_error
    assert inbox_waiting() == 1 and Report.objects.count() == 1


def test_the_report_lands_where_the_place_pointed_when_it_was_accepted(org: Any, client: Client,
                                                                       no_worker: None) -> None:
    _submit(client, place="420102")
    inbox_drain()
    report = Report.objects.get()
    assert report.jurisdiction == Jurisdiction.objects.get(code="420102")
    assert report.office == org.offices["jiangan"]


def test_the_worker_is_woken_at_most_once_per_window(settings: Any, monkeypatch: Any) -> None:
    from saohei.portal import tasks

    settings.SAOHEI_PORTAL_DRAIN_EVERY = 5
    woken: list[int] = []

    class Drain:
        def enqueue(self) -> None:
            woken.append(1)

    monkeypatch.setattr(tasks, "portal_inbox_drain", Drain())
    for _ in range(20):
        tasks.inbox_wake()
    assert woken == [1]
    settings.SAOHEI_PORTAL_DRAIN_EVERY = 0
    tasks.inbox_wake()
    tasks.inbox_wake()
    assert len(woken) == 3
