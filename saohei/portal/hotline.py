"""Hotline mode: an operator takes a 12337 call through the public guided form, on the workbench side,
and reads the receipt to the caller. The report is registered at once (the operator needs its clue)."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from saohei.intake.attachments import attachment_save, attachments_check, max_file_bytes, max_files
from saohei.intake.choices import Channel
from saohei.intake.models import Report
from saohei.intake.receipts import receipt_generate, receipt_hash
from saohei.intake.views.access import intake_offices
from saohei.orgs.models import Jurisdiction, Office
from saohei.portal.forms import SubmitForm
from saohei.portal.services import Submission, portal_key, portal_report_register

MB = 1024 * 1024
HOTLINE_PREFIX = "hotline-u{user}-"


def _places(offices: list[Office]) -> list[Jurisdiction]:
    q = Q(pk__in=[])
    for office in offices:
        q |= Q(path__startswith=office.jurisdiction.path)
    return list(Jurisdiction.objects.filter(q).order_by("path")[:2000])


def _page(request: HttpRequest, form: SubmitForm, offices: list[Office], status: int = 200) -> HttpResponse:
    return render(request, "portal/hotline.html", {
        "form": form, "places": _places(offices), "nav": "reports", "chosen": form["place"].value() or "",
        "max_files": max_files(), "max_file_mb": max_file_bytes() // MB,
    }, status=status)


def _shown(request: HttpRequest, report: Report, code: str) -> HttpResponse:
    response = render(request, "intake/report_received.html",
                      {"report": report, "clue": report.clue, "code": code, "repeat": not code, "nav": "reports"})
    add_never_cache_headers(response)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def hotline_report(request: HttpRequest) -> HttpResponse:
    offices = list(intake_offices(request.user).select_related("jurisdiction"))
    if not offices:
        raise PermissionDenied(_("You may not record reports."))
    if request.method != "POST":
        return _page(request, SubmitForm(initial={"idempotency_key": secrets.token_hex(16)}), offices)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        return _page(request, form, offices, status=400)
    data: dict[str, Any] = form.cleaned_data
    place = Jurisdiction.objects.filter(code=data["place"]).first()
    if place is None or not any(place.is_within(o.jurisdiction) for o in offices):
        form.add_error(None, _("Choose a place within your office's jurisdiction."))
        return _page(request, form, offices, status=400)
    # Keys are per operator, so one person's form can never return another person's report.
    key = HOTLINE_PREFIX.format(user=request.user.pk) + data["idempotency_key"]
    existing = Report.objects.filter(idempotency_key=portal_key(key)).select_related("clue").first()
    if existing is not None:
        return _shown(request, existing, "")
    try:
        files = attachments_check(request.FILES.getlist("files"))
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return _page(request, form, offices, status=400)
    submission = Submission(
        place=place, content=data["content"], subject=data["subject"], persons=data["persons"],
        location_text=data["location_text"], when=data["when"], protection=data["protection"],
        protectors=data["protectors"], evidence=data["evidence"], name=data["name"], contact=data["contact"],
        idempotency_key=key,
    )
    code = receipt_generate()
    try:
        with transaction.atomic():
            report = portal_report_register(submission=submission, receipt_digest=receipt_hash(code),
                                            received_at=timezone.now(), channel=Channel.HOTLINE,
                                            actor=request.user)  # type: ignore[arg-type]
            for checked in files:
                attachment_save(report=report, checked=checked)
    except IntegrityError:
        existing = Report.objects.filter(idempotency_key=portal_key(key)).select_related("clue").first()
        if existing is None:
            raise
        return _shown(request, existing, "")
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return _page(request, form, offices, status=400)
    finally:
        for checked in files:
            checked.discard()
    report = Report.objects.select_related("clue").get(pk=report.pk)
    # Read aloud to the caller once; it is in clear only in this response.
    return _shown(request, report, code)
