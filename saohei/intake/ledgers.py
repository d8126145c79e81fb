"""The report ledger and the identity-access ledger.

Visibility comes from the caller (the views know clue visibility; this module may not
import the clues app), so `report_ledger` takes the queryset function.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from saohei.core.ledger import ExportColumn, Ledger
from saohei.intake.filtersets import IdentityAccessFilterSet, ReportFilterSet
from saohei.intake.models import IdentityAccess, Report
from saohei.intake.tables import IdentityAccessTable, ReportTable


def _yes_no(value: bool) -> str:
    return str(_("yes")) if value else str(_("no"))


def _clue_state(report: Report) -> str:
    return str(report.clue.get_state_display()) if report.clue is not None else ""


# Reporter identity (name, contact, ID number) is never among these columns.
REPORT_EXPORT_COLUMNS = [
    ExportColumn(_("Number"), lambda r: r.number),
    ExportColumn(_("Received at"), lambda r: r.received_at),
    ExportColumn(_("Channel"), lambda r: r.get_channel_display()),
    ExportColumn(_("Public report"), lambda r: _yes_no(r.is_public)),
    ExportColumn(_("Office"), lambda r: r.office.name),
    ExportColumn(_("Jurisdiction code"), lambda r: r.jurisdiction.code),
    ExportColumn(_("Jurisdiction"), lambda r: r.jurisdiction.name),
    ExportColumn(_("Subject"), lambda r: r.subject),
    ExportColumn(_("Content"), lambda r: r.content),
    ExportColumn(_("Place"), lambda r: r.location_text),
    ExportColumn(_("Source reference"), lambda r: r.source_reference),
    ExportColumn(_("Anonymous"), lambda r: _yes_no(r.reporter is None or r.reporter.anonymous)),
    ExportColumn(
        _("Reporter can be reached"), lambda r: _yes_no(r.reporter is not None and r.reporter.reachable)
    ),
    ExportColumn(_("Feedback given at"), lambda r: r.feedback_at),
    ExportColumn(_("Clue"), lambda r: r.clue.number if r.clue is not None else ""),
    ExportColumn(_("Clue state"), _clue_state),
    ExportColumn(_("Voided at"), lambda r: r.voided_at),
    ExportColumn(_("Void reason"), lambda r: r.void_reason),
]


def report_ledger(queryset: Callable[[HttpRequest], QuerySet[Report]]) -> Ledger:
    def rows(request: HttpRequest) -> QuerySet[Report]:
        return queryset(request).select_related("jurisdiction", "office", "clue", "reporter")

    return Ledger(
        name="reports",
        title=_("Report ledger"),
        queryset=rows,
        filterset_class=ReportFilterSet,
        table_class=ReportTable,
        export_columns=REPORT_EXPORT_COLUMNS,
        template="intake/report_ledger.html",
        export_url_name="report-export",
    )


def identity_access_ledger(queryset: Callable[[HttpRequest], QuerySet[IdentityAccess]]) -> Ledger:
    def rows(request: HttpRequest) -> QuerySet[Any]:
        return queryset(request).select_related("user__profile", "report")

    return Ledger(
        name="identity-accesses",
        title=_("Reporter identity access ledger"),
        queryset=rows,
        filterset_class=IdentityAccessFilterSet,
        table_class=IdentityAccessTable,
        export_columns=[],
        template="intake/identity_access_ledger.html",
    )
