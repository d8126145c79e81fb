"""Who sees which reports, who may record, void and read the identity-access ledger."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from saohei.clues.models import Clue
from saohei.clues.services.receiving import INTAKE_ROLES
from saohei.intake.models import IdentityAccess, ImportBatch, Report
from saohei.orgs.choices import Role
from saohei.orgs.models import Office
from saohei.orgs.policies import standing_for

User = AbstractBaseUser | AnonymousUser


def reports_visible_to(user: User) -> QuerySet[Report]:
    """A report is visible exactly when its clue is."""
    return Report.objects.filter(clue__in=Clue.objects.visible_to(user))


def report_get_for_user(*, user: User, report_id: int) -> Report:
    """The report, or 404 alike for missing and not visible."""
    report = (
        reports_visible_to(user)
        .select_related(
            "office__jurisdiction", "jurisdiction", "clue", "reporter", "recorded_by", "import_batch"
        )
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise Http404(_("No such report."))
    return report


def intake_offices(user: User) -> QuerySet[Office]:
    """Offices for which the user may record reports (intake clerk, triage analyst, director)."""
    standing = standing_for(user)
    offices = Office.objects.select_related("jurisdiction")
    if standing.is_superuser:
        return offices.all()
    return offices.filter(pk__in=standing.office_ids_with(*INTAKE_ROLES))


def may_void(user: User, report: Report) -> bool:
    standing = standing_for(user)
    return standing.is_superuser or standing.covers_path(report.jurisdiction.path, Role.OFFICE_DIRECTOR)


def may_read_identity_ledger(user: User) -> bool:
    standing = standing_for(user)
    return standing.is_superuser or bool(standing.office_ids_with(Role.OFFICE_DIRECTOR))


def identity_accesses_visible_to(user: User) -> QuerySet[IdentityAccess]:
    """Accesses to reports in the subtree of an office the user directs."""
    standing = standing_for(user)
    if standing.is_superuser:
        return IdentityAccess.objects.all()
    q = Q(pk__in=[])
    for path in standing.office_paths_with(Role.OFFICE_DIRECTOR):
        q |= Q(report__jurisdiction__path__startswith=path)
    return IdentityAccess.objects.filter(q)


def import_batch_get_for_user(*, user: User, batch_id: int) -> ImportBatch:
    """The uploader and the office's intake staff see a batch; others get 404."""
    batch: ImportBatch | None = (
        ImportBatch.objects.select_related("office", "uploaded_by").filter(pk=batch_id, register="reports").first()
    )
    if batch is None:
        raise Http404(_("No such import."))
    standing = standing_for(user)
    if not (
        standing.is_superuser
        or batch.uploaded_by_id == user.pk
        or batch.office_id in standing.office_ids_with(*INTAKE_ROLES)
    ):
        raise Http404(_("No such import."))
    return batch
