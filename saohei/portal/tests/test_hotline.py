"""Hotline mode: the operator takes a call through the public form and reads the receipt to the caller."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import reverse

from saohei.audit.models import AuditEvent
from saohei.intake.crypto import unseal
from saohei.intake.models import Report
from saohei.intake.receipts import receipt_hash
from saohei.portal.tests.conftest import form_data, receipt_in


def _operator(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _key(html: str) -> str:
    match = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', html)
    assert match is not None, html[:2000]
    return match.group(1)


def test_an_operator_records_a_call_and_reads_out_the_receipt(org: Any, clerk: Any) -> None:
    operator = _operator(clerk)
    page = operator.get(reverse("report-hotline"))
    assert page.status_code == 200 and 'name="protection"' in page.content.decode()
    data = form_data(_key(page.content.decode()), identity="named", name="欧阳明远", contact="13912345678")
    response = operator.post(reverse("report-hotline"), data)
    assert response.status_code == 200, response.content.decode()[:2000]
    code = receipt_in(response.content.decode())
    assert code
    report = Report.objects.select_related("clue", "reporter").get()
    assert report.channel == "hotline" and report.recorded_by == clerk
    assert report.receipt_hash == receipt_hash(code) and report.clue is not None
    assert "万老大" in report.content and "派出所某副所长" in report.content
    assert report.reporter is not None and "欧阳" not in report.reporter.name_sealed
    assert unseal(report.reporter.contact_sealed, context=f"reporter:{report.reporter.pk}:contact") == "13912345678"
    assert AuditEvent.objects.filter(action="report.receive", actor=clerk).exists()
    # The caller can follow up on the portal with what the operator read out.
    follow = Client().post(reverse("portal:follow"), {"receipt": code})
    assert follow.status_code == 200 and "No report matches" not in follow.content.decode()


def test_a_second_click_records_one_report(org: Any, clerk: Any) -> None:
    operator = _operator(clerk)
    data = form_data(_key(operator.get(reverse("report-hotline")).content.decode()))
    first = operator.post(reverse("report-hotline"), data)
    second = operator.post(reverse("report-hotline"), data)
    assert receipt_in(first.content.decode()) and not receipt_in(second.content.decode())
    assert Report.objects.count() == 1


def test_a_place_outside_the_operators_office_is_refused(org: Any, clerk: Any) -> None:
    operator = _operator(clerk)
    data = form_data(_key(operator.get(reverse("report-hotline")).content.decode()), place="420102")
    response = operator.post(reverse("report-hotline"), data)
    assert response.status_code == 400 and not Report.objects.exists()


def test_staff_without_intake_roles_cannot_take_calls(org: Any, verifier: Any) -> None:
    assert _operator(verifier).get(reverse("report-hotline")).status_code == 403
