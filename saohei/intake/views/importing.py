"""Uploading a spreadsheet of reports, the template to fill in, and the import's progress."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from saohei.core.export import XLSX
from saohei.intake.choices import ImportState
from saohei.intake.forms import ImportUploadForm
from saohei.intake.imports import COLUMNS, import_batch_create, import_template_xlsx
from saohei.intake.tasks import import_reports
from saohei.intake.views.access import import_batch_get_for_user, intake_offices

FINISHED = {ImportState.DONE, ImportState.FAILED}


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    offices = intake_offices(request.user)
    if not offices.exists():
        raise PermissionDenied(_("You may not record reports."))
    form = ImportUploadForm(request.POST or None, request.FILES or None, offices=offices)
    context = {
        "form": form,
        "nav": "reports",
        "columns": COLUMNS,
        "max_rows": settings.SAOHEI_IMPORT_MAX_ROWS,
        "max_mb": settings.SAOHEI_IMPORT_MAX_BYTES // (1024 * 1024),
    }
    if request.method != "POST":
        return render(request, "intake/import_upload.html", context)
    if not form.is_valid():
        return render(request, "intake/import_upload.html", context, status=400)
    upload = form.cleaned_data["file"]
    upload.seek(0)
    batch = import_batch_create(
        office=form.cleaned_data["office"],
        actor=request.user,  # type: ignore[arg-type]
        filename=upload.name or "import",
        data=upload.read(),
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    import_reports.enqueue(batch.pk)
    return redirect("report-import-status", pk=batch.pk)


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    office = intake_offices(request.user).first()
    code = office.jurisdiction.code if office is not None else "420103"
    response = HttpResponse(import_template_xlsx(jurisdiction_code=code), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="report-import-template.xlsx"'
    return response


@login_required
@require_GET
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    batch = import_batch_get_for_user(user=request.user, batch_id=pk)
    context = {"batch": batch, "finished": batch.state in FINISHED, "nav": "reports"}
    if getattr(request, "htmx", False):
        return render(request, "intake/import_progress.html", context)
    return render(request, "intake/import_status.html", context)
