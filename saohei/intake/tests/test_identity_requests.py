"""Two-person identity reads: asking, deciding (never one's own), the one read, the ledger."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from saohei.audit.models import AuditEvent
from saohei.intake import identity
from saohei.intake.choices import IdentityRequestState
from saohei.intake.models import IdentityAccess, IdentityAccessRequest, Report
from saohei.intake.tests.conftest import make_report
from saohei.orgs.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_person(org: Any) -> Any:
    office = org.offices["jianghan"]
    office.identity_needs_second_person = True
    office.save(update_fields=["identity_needs_second_person"])
    return org


@pytest.fixture
def second_reader(org: Any) -> Any:
    """A second identity reader in the 江汉 office."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("custodian2.jianghan", password="x")
    Membership.objects.create(user=user, role="identity_reader", office=org.offices["jianghan"])
    return user


def _report(org: Any) -> Report:
    return Report.objects.select_related("office", "jurisdiction", "reporter").get(pk=make_report(org).pk)


def test_a_request_is_approved_by_another_person_and_used_once(two_person: Any, second_reader: Any) -> None:
    org = two_person
    report = _report(org)
    custodian = org.users["custodian.jianghan"]
    request = identity.identity_request_create(report=report, reason="核查民警需当面询问举报人", actor=custodian)
    assert request.state == IdentityRequestState.PENDING
    with pytest.raises(ValidationError):  # not yet approved
        identity.identity_read_with_request(request=request, actor=custodian)
    with pytest.raises(PermissionDenied):  # never one's own
        identity.identity_request_decide(request=request, approve=True, actor=custodian)
    with pytest.raises(PermissionDenied):  # a verifier is no second person
        identity.identity_request_decide(request=request, approve=True, actor=org.users["verifier.jianghan"])
    with pytest.raises(PermissionDenied):  # nor another county's director
        identity.identity_request_decide(request=request, approve=True, actor=org.users["director.jiangan"])
    request = identity.identity_request_decide(request=request, approve=True, actor=second_reader, note="同意")
    assert request.state == IdentityRequestState.APPROVED and request.decided_by == second_reader
    with pytest.raises(PermissionDenied):  # only the requester uses it
        identity.identity_read_with_request(request=request, actor=second_reader)
    shown = identity.identity_read_with_request(request=request, actor=custodian)
    assert shown.name == "欧阳明远" and shown.contact == "13912345678"
    assert IdentityAccessRequest.objects.get(pk=request.pk).state == IdentityRequestState.USED
    access = IdentityAccess.objects.get()
    assert access.user == custodian and access.report == report and access.reason == "核查民警需当面询问举报人"
    with pytest.raises(ValidationError):  # used once
        identity.identity_read_with_request(request=request, actor=custodian)
    assert IdentityAccess.objects.count() == 1
    actions = list(AuditEvent.objects.filter(object_type__in=["identity_request", "reporter"])
                   .order_by("seq").values_list("action", flat=True))
    assert actions == ["identity_request.create", "identity_request.approve", "reporter.identity_read",
                       "identity_request.use"]


def test_a_refused_request_cannot_be_used(two_person: Any) -> None:
    org = two_person
    report = _report(org)
    custodian = org.users["custodian.jianghan"]
    request = identity.identity_request_create(report=report, reason="需要回访举报人", actor=custodian)
    with pytest.raises(ValidationError):  # a refusal says why
        identity.identity_request_decide(request=request, approve=False, actor=org.users["director.jianghan"])
    request = identity.identity_request_decide(request=request, approve=False, actor=org.users["director.jianghan"],
                                               note="理由不充分")
    assert request.state == IdentityRequestState.REFUSED
    with pytest.raises(ValidationError):
        identity.identity_read_with_request(request=request, actor=custodian)
    with pytest.raises(ValidationError):  # decided once
        identity.identity_request_decide(request=request, approve=True, actor=org.users["director.wuhan"])
    assert not IdentityAccess.objects.exists()
    assert AuditEvent.objects.filter(action="identity_request.refuse", object_id=str(request.pk)).exists()


def test_asking_needs_the_role_a_reason_and_the_office_setting(org: Any) -> None:
    report = _report(org)
    custodian = org.users["custodian.jianghan"]
    with pytest.raises(ValidationError):  # the office reads directly
        identity.identity_request_create(report=report, reason="需要回访举报人", actor=custodian)
    report.office.identity_needs_second_person = True
    report.office.save()
    with pytest.raises(PermissionDenied):
        identity.identity_request_create(report=report, reason="需要回访举报人", actor=org.users["clerk.jianghan"])
    with pytest.raises(ValidationError):
        identity.identity_request_create(report=report, reason=" ", actor=custodian)
    identity.identity_request_create(report=report, reason="需要回访举报人", actor=custodian)
    with pytest.raises(ValidationError):  # one open request at a time
        identity.identity_request_create(report=report, reason="需要回访举报人", actor=custodian)


def test_pages_ask_decide_read_and_the_directors_ledger(two_person: Any, login: Any, client: Any,
                                                        settings: Any) -> None:
    settings.ROOT_URLCONF = "saohei.intake.tests.test_rewards"
    org = two_person
    report = _report(org)
    from django.template.loader import render_to_string

    panel = render_to_string("intake/identity_request_panel.html", {"report": report, "can_read_identity": True})
    assert reverse("identity-request-create", kwargs={"report_id": report.pk}) in panel
    custodian = login(org.users["custodian.jianghan"])
    page = custodian.get(reverse("identity-request-create", kwargs={"report_id": report.pk}))
    assert page.status_code == 200
    response = custodian.post(reverse("identity-request-create", kwargs={"report_id": report.pk}),
                              {"reason": "核查民警需当面询问举报人"})
    request = IdentityAccessRequest.objects.get()
    assert response.status_code == 302
    detail = reverse("identity-request-detail", kwargs={"request_id": request.pk})
    assert response["Location"] == detail
    mine = custodian.get(detail).content.decode()
    assert "identity-decide-form" not in mine and "identity-read-form" not in mine
    assert custodian.post(reverse("identity-request-decide", kwargs={"request_id": request.pk}),
                          {"decision": "approve"}).status_code == 403

    director = login(org.users["director.jianghan"])
    ledger = director.get(reverse("identity-request-ledger")).content.decode()
    assert report.number in ledger and "核查民警需当面询问举报人" in ledger
    assert "identity-decide-form" in director.get(detail).content.decode()
    assert director.post(reverse("identity-request-decide", kwargs={"request_id": request.pk}),
                         {"decision": "approve"}).status_code == 302

    custodian = login(org.users["custodian.jianghan"])
    shown = custodian.post(reverse("identity-request-read", kwargs={"request_id": request.pk}))
    body = shown.content.decode()
    assert shown.status_code == 200 and "欧阳明远" in body and "no-cache" in shown["Cache-Control"]
    again = custodian.post(reverse("identity-request-read", kwargs={"request_id": request.pk}))
    assert again.status_code == 400 and "欧阳明远" not in again.content.decode()

    # Another county sees neither the ledger rows nor the request.
    other = login(org.users["director.jiangan"])
    assert report.number not in other.get(reverse("identity-request-ledger")).content.decode()
    assert other.get(detail).status_code == 404
    assert login(org.users["verifier.jianghan"]).get(reverse("identity-request-ledger")).status_code == 403
