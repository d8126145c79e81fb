"""The report page: everything but the reporter's identity; the audited identity read; voiding."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from saohei.intake import services as intake_services
from saohei.intake.forms import IdentityReadForm, VoidForm
from saohei.intake.models import Report
from saohei.intake.spam import SPAM_FLAG_LABELS
from saohei.intake.views.access import may_void, report_get_for_user
from saohei.orgs.policies import standing_for


def _context(request: HttpRequest, report: Report, **extra: Any) -> dict[str, Any]:
    may_read = standing_for(request.user).can_read_identity and report.reporter is not None
    # Where the office asks for two people, the direct form is replaced by a request (identity panel).
    can_read = may_read and not report.office.identity_needs_second_person
    context: dict[str, Any] = {
        "report": report,
        "nav": "reports",
        "can_read_identity": may_read,
        "can_read_directly": can_read,
        "spam_labels": [str(SPAM_FLAG_LABELS.get(flag, flag)) for flag in report.spam_flags or []],
        "identity_form": IdentityReadForm() if can_read else None,
        "may_void": may_void(request.user, report) and report.voided_at is None,
        "void_form": VoidForm(),
        "identity": None,
    }
    context.update(extra)
    return context


@login_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_get_for_user(user=request.user, report_id=pk)
    return render(request, "intake/report_detail.html", _context(request, report))


@login_required
@require_POST
def report_identity(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_get_for_user(user=request.user, report_id=pk)
    if not standing_for(request.user).can_read_identity:
        raise PermissionDenied(_("You may not read reporter identities."))
    if report.reporter is None:
        messages.info(request, _("This report has no reporter on record."))
        return redirect("report-detail", pk=report.pk)
    form = IdentityReadForm(request.POST)
    if not form.is_valid():
        return render(
            request, "intake/report_detail.html", _context(request, report, identity_form=form), status=400
        )
    try:
        identity = intake_services.reporter_identity_read(
            reporter=report.reporter,
            actor=request.user,  # type: ignore[arg-type]
            reason=form.cleaned_data["reason"],
            report=report,
        )
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error("reason", message)
        return render(
            request, "intake/report_detail.html", _context(request, report, identity_form=form), status=400
        )
    # Shown in this response only; never cached.
    response = render(
        request, "intake/report_detail.html", _context(request, report, identity=identity, identity_form=None)
    )
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def report_void(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_get_for_user(user=request.user, report_id=pk)
    if not may_void(request.user, report):
        raise PermissionDenied(_("Only the office director may void a report."))
    form = VoidForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "intake/report_detail.html",
            _context(request, report, void_form=form, show_void=True),
            status=400,
        )
    try:
        intake_services.report_void(report=report, actor=request.user, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("report-detail", pk=report.pk)
    messages.success(request, _("The report is void."))
    return redirect("report-detail", pk=report.pk)
