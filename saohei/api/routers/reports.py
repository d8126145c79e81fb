"""Reports as received: the ledger (same filters as the report ledger) and recording a new one."""

from __future__ import annotations

from typing import Annotated, Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Body, Header, Query, Router
from ninja.responses import Status
from pydantic.json_schema import SkipJsonSchema

from saohei.api.auth import caller
from saohei.api.errors import ApiError, errors
from saohei.api.filters import filtered, query_schema
from saohei.api.routers.common import EARLIEST, PageParams, jurisdiction_by_code, page
from saohei.api.schemas import ReportIn, ReportPage, ReportReceipt
from saohei.api.selectors import report_list_for_user
from saohei.clues.services import report_receive
from saohei.intake.filtersets import ReportFilterSet
from saohei.intake.models import Report
from saohei.intake.services import reporter_create
from saohei.orgs.models import Office
from saohei.orgs.policies import office_for_path

router = Router(tags=["reports"])

ReportFilters = query_schema(ReportFilterSet, "ReportFilters")
IDEMPOTENCY_PATTERN = r"^[A-Za-z0-9._:\-]{1,64}$"


@router.get("/reports", response={200: ReportPage, **errors(401, 403, 422)}, summary="List reports")
def report_list(request: HttpRequest, filters: Query[ReportFilters],  # type: ignore[valid-type]
                paging: Query[PageParams]) -> dict[str, Any]:
    """Reports whose clue the caller may see, newest first, filtered as the report ledger filters them.

    Reporter identities are never part of the API: only whether the reporter is anonymous and reachable.
    """
    qs = filtered(ReportFilterSet, filters, report_list_for_user(user=caller(request)), request)
    return page(qs.order_by("-received_at", "-id"), paging)


def _same_report(report: Report, payload: ReportIn, jurisdiction_code: str, office: Office) -> bool:
    return (report.subject, report.content, report.channel, report.jurisdiction.code, report.office_id) == (
        payload.subject.strip()[:200], payload.content.strip(), payload.channel, jurisdiction_code, office.pk)


@router.post("/reports", response={201: ReportReceipt, 200: ReportReceipt, **errors(400, 401, 403, 409, 422)},
             summary="Record a report")
def report_record(
    request: HttpRequest,
    payload: Body[ReportIn],
    idempotency_key: Annotated[str | SkipJsonSchema[None], Header(
        alias="Idempotency-Key", pattern=IDEMPOTENCY_PATTERN,
        description="Repeat a request safely: the same key returns the report already recorded (without its "
                    "receipt code).")] = None,
) -> Status[dict[str, Any]]:
    """Record a report received by an office; it opens a clue in `received`.

    The answer carries the receipt code for the reporter. It is shown once: store it nowhere,
    hand it to the reporter.
    """
    user = caller(request)
    jurisdiction = jurisdiction_by_code(payload.jurisdiction, field="jurisdiction")
    if payload.office is not None:
        office = Office.objects.select_related("jurisdiction").filter(pk=payload.office).first()
        if office is None:
            raise ApiError(422, _("No such office."), [{"loc": ["body", "payload", "office"],
                                                      "msg": _("No such office."), "type": "unknown"}])
    else:
        office = office_for_path(jurisdiction.path)
        if office is None:
            raise ApiError(422, _("No office covers %(place)s.") % {"place": jurisdiction.name})
    if idempotency_key:
        existing = Report.objects.select_related("jurisdiction").filter(idempotency_key=idempotency_key).first()
        if existing is not None and not _same_report(existing, payload, jurisdiction.code, office):
            raise ApiError(409, _("This Idempotency-Key was already used for a different report."))
    received_at = payload.received_at
    if received_at is not None:
        if received_at.date() < EARLIEST:
            raise ApiError(422, _("A report cannot be received before %(date)s.") % {"date": EARLIEST.isoformat()},
                           [{"loc": ["body", "payload", "received_at"], "msg": _("Too early."), "type": "range"}])
        if timezone.is_naive(received_at):
            received_at = timezone.make_aware(received_at)
    replayed = False
    with transaction.atomic():
        reporter = None
        existing_key = bool(idempotency_key) and Report.objects.filter(idempotency_key=idempotency_key).exists()
        if payload.reporter is not None and not existing_key:
            r = payload.reporter
            if r.name.strip() or r.contact.strip() or r.id_number.strip():
                reporter = reporter_create(name=r.name, contact=r.contact, id_number=r.id_number)
        report, clue, code = report_receive(
            office=office, jurisdiction=jurisdiction, channel=payload.channel, subject=payload.subject,
            content=payload.content, actor=user, received_at=received_at, reporter=reporter,
            location_text=payload.location_text, source_reference=payload.source_reference,
            idempotency_key=idempotency_key or None,
        )
        replayed = existing_key
    report = Report.objects.select_related("office", "jurisdiction", "clue", "reporter").get(pk=report.pk)
    body = {"report": report, "clue_id": clue.pk, "clue_number": clue.number, "receipt_code": code,
            "replayed": replayed}
    return Status(200 if replayed else 201, body)
