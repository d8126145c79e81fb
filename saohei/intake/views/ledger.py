"""The report ledger, its export, and the identity-access ledger."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from saohei.intake.ledgers import identity_access_ledger, report_ledger
from saohei.intake.views.access import (
    identity_accesses_visible_to,
    intake_offices,
    may_read_identity_ledger,
    reports_visible_to,
)

REPORTS = report_ledger(lambda request: reports_visible_to(request.user))
IDENTITY_ACCESSES = identity_access_ledger(lambda request: identity_accesses_visible_to(request.user))


@login_required
@require_GET
def report_ledger_view(request: HttpRequest) -> HttpResponse:
    extra = {
        "nav": "reports",
        "may_record": intake_offices(request.user).exists(),
        "may_read_accesses": may_read_identity_ledger(request.user),
    }
    return REPORTS.list_view(request, extra)


@login_required
@require_GET
def report_export(request: HttpRequest) -> HttpResponse:
    return REPORTS.export_view(request)


@login_required
@require_GET
def identity_access_ledger_view(request: HttpRequest) -> HttpResponse:
    if not may_read_identity_ledger(request.user):
        raise PermissionDenied(_("Only office directors read the identity access ledger."))
    return IDENTITY_ACCESSES.list_view(request, {"nav": "reports"})
