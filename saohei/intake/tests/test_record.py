"""Recording a report: one receipt, shown once; a clue in `received`; nothing secret in clear."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from saohei.audit.models import AuditEvent
from saohei.intake.models import Report, Reporter
from saohei.intake.receipts import receipt_normalise
from saohei.intake.services import report_find_by_receipt
from saohei.intake.tests.conftest import clue_model, receipt_in

pytestmark = pytest.mark.django_db


def form_data(client: Any, **overrides: Any) -> dict[str, Any]:
    page = client.get(reverse("report-create"))
    assert page.status_code == 200
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', page.content.decode()).group(1)
    data = {
        "channel": "hotline",
        "office": page.context["form"]["office"].value(),
        "jurisdiction": "",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "subject": "民族街某KTV强迫交易",
        "content": "来电人称万某纠集多人强迫商户购买酒水，拒绝者遭殴打。",
        "location_text": "江汉区民族街",
        "source_reference": "",
        "reporter_name": "欧阳明远",
        "reporter_contact": "13912345678",
        "reporter_id_number": "42010319800101123X",
        "idempotency_key": key,
    }
    data.update(overrides)
    return data


def raw_rows(model: Any) -> list[tuple[Any, ...]]:
    """Every column of every row, as stored, read with plain SQL."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {model._meta.db_table}")  # noqa: S608 - table name from the model
        return cursor.fetchall()


def test_recording_shows_the_receipt_once_and_opens_a_received_clue(org: Any, clerk: Any, login: Any) -> None:
    client = login(clerk)
    data = form_data(client)
    response = client.post(reverse("report-create"), data)
    assert response.status_code == 200
    code = receipt_in(response.content.decode())
    assert len(receipt_normalise(code)) == 24
    assert "no-store" in response["Cache-Control"]
    report = Report.objects.get(subject="民族街某KTV强迫交易")
    assert report.clue is not None and report.clue.state == "received"
    assert report.office == org.offices["jianghan"] and report.jurisdiction == org.places["jianghan"]
    assert report.reporter is not None and not report.reporter.anonymous and report.reporter.reachable
    assert reverse("clue-detail", kwargs={"pk": report.clue.pk}) in response.content.decode()
    assert report_find_by_receipt(code=code) == report
    # Not in the session, nor shown again anywhere.
    assert code not in str(dict(client.session.items()))
    detail = client.get(reverse("report-detail", kwargs={"pk": report.pk}))
    assert detail.status_code == 200 and code not in detail.content.decode()
    again = client.post(reverse("report-create"), data)
    assert again.status_code == 200 and receipt_in(again.content.decode()) == ""
    assert code not in again.content.decode()


def test_database_never_holds_the_receipt_or_identity_in_clear(org: Any, clerk: Any, login: Any) -> None:
    client = login(clerk)
    response = client.post(reverse("report-create"), form_data(client))
    code = receipt_in(response.content.decode())
    assert code
    secrets = [code, receipt_normalise(code), "欧阳明远", "13912345678", "42010319800101123X"]
    for model in (Report, Reporter, AuditEvent):
        rows = raw_rows(model)
        assert rows
        for row in rows:
            for value in row:
                for secret in secrets:
                    assert secret not in str(value), f"{secret} stored in clear in {model.__name__}"


def test_double_submit_with_the_same_key_creates_one_report(org: Any, clerk: Any, login: Any) -> None:
    client = login(clerk)
    data = form_data(client, reporter_name="", reporter_contact="", reporter_id_number="")
    first = client.post(reverse("report-create"), data)
    second = client.post(reverse("report-create"), data)
    assert first.status_code == second.status_code == 200
    assert Report.objects.count() == 1 and clue_model().objects.count() == 1
    assert "already recorded" in second.content.decode() or "已" in second.content.decode()
    # A fresh form (new key) records a second report.
    client.post(reverse("report-create"), form_data(client))
    assert Report.objects.count() == 2


def test_blank_identity_is_an_anonymous_report(org: Any, clerk: Any, login: Any) -> None:
    client = login(clerk)
    data = form_data(
        client,
        channel="incident_110",
        source_reference="JQ20240301000123",
        reporter_name="",
        reporter_contact="",
        reporter_id_number="",
    )
    assert client.post(reverse("report-create"), data).status_code == 200
    report = Report.objects.get()
    assert report.reporter is None and report.channel == "incident_110"
    assert report.source_reference == "JQ20240301000123"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"jurisdiction": "420102"}, "jurisdiction"),  # 江岸 lies outside the 江汉 office
        ({"jurisdiction": "999999"}, "jurisdiction"),
        ({"content": ""}, "content"),
        ({"channel": "portal"}, "channel"),
        ({"received_at": "2999-01-01T10:00"}, "received_at"),
        ({"reporter_id_number": "12345"}, "reporter_id_number"),
        ({"idempotency_key": "not-a-key"}, "idempotency_key"),
    ],
)
def test_bad_input_is_refused_with_a_message(
    org: Any, clerk: Any, login: Any, overrides: dict[str, str], field: str
) -> None:
    client = login(clerk, "en")
    response = client.post(reverse("report-create"), form_data(client, **overrides))
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert Report.objects.count() == 0


def test_people_without_an_intake_role_cannot_record(org: Any, verifier: Any, login: Any) -> None:
    client = login(verifier)
    assert client.get(reverse("report-create")).status_code == 403


def test_clerk_cannot_record_for_another_office(org: Any, clerk: Any, login: Any) -> None:
    client = login(clerk)
    data = form_data(client, office=org.offices["jiangan"].pk)
    assert client.post(reverse("report-create"), data).status_code == 400
    assert Report.objects.count() == 0
