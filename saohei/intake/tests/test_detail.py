"""The report page: visibility, the audited identity read, voiding."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from saohei.audit.models import AuditEvent
from saohei.intake.models import IdentityAccess, Report
from saohei.intake.tests.conftest import make_report

pytestmark = pytest.mark.django_db


def test_report_page_shows_everything_but_identity(org: Any, clerk: Any, login: Any) -> None:
    report = make_report(org)
    page = login(clerk).get(reverse("report-detail", kwargs={"pk": report.pk})).content.decode()
    assert report.number in page and "江汉某商户被强迫交易" in page and report.clue.number in page
    assert "欧阳明远" not in page and "13912345678" not in page and "42010319800101123X" not in page
    assert (
        reverse("report-identity", kwargs={"pk": report.pk}) not in page
    )  # the clerk cannot read identities


def test_other_county_gets_404_and_sees_nothing_in_ledger_or_export(
    org: Any, other_verifier: Any, login: Any
) -> None:
    jianghan = make_report(org, subject="江汉的举报")
    client = login(other_verifier)
    assert client.get(reverse("report-detail", kwargs={"pk": jianghan.pk})).status_code == 404
    assert client.get(reverse("report-detail", kwargs={"pk": 999999})).status_code == 404
    assert (
        client.post(
            reverse("report-identity", kwargs={"pk": jianghan.pk}), {"reason": "核查需要"}
        ).status_code
        == 404
    )
    ledger = client.get(reverse("report-ledger"))
    assert ledger.status_code == 200 and jianghan.number not in ledger.content.decode()
    export = client.get(reverse("report-export"))
    assert export.status_code == 200 and jianghan.number.encode() not in export.content


def test_reading_identity_needs_the_role_and_a_reason_and_is_recorded(org: Any, login: Any) -> None:
    report = make_report(org)
    url = reverse("report-identity", kwargs={"pk": report.pk})
    clerk = login(org.users["clerk.jianghan"])
    assert clerk.post(url, {"reason": "需要回访举报人核实情况"}).status_code == 403
    assert IdentityAccess.objects.count() == 0

    custodian = login(org.users["custodian.jianghan"])
    page = custodian.get(reverse("report-detail", kwargs={"pk": report.pk})).content.decode()
    assert url in page and "欧阳明远" not in page
    refused = custodian.post(url, {"reason": ""})
    assert refused.status_code == 400 and "欧阳明远" not in refused.content.decode()
    assert IdentityAccess.objects.count() == 0

    shown = custodian.post(url, {"reason": "核查民警需当面询问举报人"})
    assert shown.status_code == 200
    html = shown.content.decode()
    assert "欧阳明远" in html and "13912345678" in html and "42010319800101123X" in html
    assert "no-store" in shown["Cache-Control"]
    access = IdentityAccess.objects.get()
    assert access.user == org.users["custodian.jianghan"] and access.report == report
    assert access.reason == "核查民警需当面询问举报人"
    event = AuditEvent.objects.filter(action="reporter.identity_read").get()
    assert event.reason == "核查民警需当面询问举报人" and event.actor == org.users["custodian.jianghan"]
    # The next page view shows no identity again.
    again = custodian.get(reverse("report-detail", kwargs={"pk": report.pk})).content.decode()
    assert "欧阳明远" not in again


def test_identity_access_ledger_is_for_directors_over_the_report(org: Any, login: Any) -> None:
    report = make_report(org)
    login(org.users["custodian.jianghan"]).post(
        reverse("report-identity", kwargs={"pk": report.pk}), {"reason": "核查民警需当面询问举报人"}
    )
    url = reverse("identity-access-ledger")
    for username in ("director.jianghan", "director.wuhan"):
        page = login(org.users[username]).get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert "custodian.jianghan" in html and report.number in html and "核查民警需当面询问举报人" in html
    other = login(org.users["director.jiangan"]).get(url)
    assert other.status_code == 200 and report.number not in other.content.decode()
    for username in ("clerk.jianghan", "custodian.jianghan", "verifier.jianghan"):
        assert login(org.users[username]).get(url).status_code == 403


def test_director_voids_with_a_reason_others_cannot(org: Any, login: Any) -> None:
    report = make_report(org)
    url = reverse("report-void", kwargs={"pk": report.pk})
    assert login(org.users["clerk.jianghan"]).post(url, {"reason": "重复录入"}).status_code == 403
    director = login(org.users["director.jianghan"])
    assert director.post(url, {"reason": ""}).status_code == 400
    assert Report.objects.get(pk=report.pk).voided_at is None
    assert director.post(url, {"reason": "录入错误，重复登记"}).status_code == 302
    report.refresh_from_db()
    assert report.voided_at is not None and report.void_reason == "录入错误，重复登记"
    assert AuditEvent.objects.filter(action="report.void", object_id=str(report.pk)).exists()
    voided = director.get(reverse("report-ledger"), {"voided": "yes"}).content.decode()
    assert report.number in voided
    assert report.number not in director.get(reverse("report-ledger"), {"voided": "no"}).content.decode()
