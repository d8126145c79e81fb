"""Importing a case register from Excel or CSV: the upload form, the template to fill in, the progress."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from saohei.cases.imports import (
    COLUMNS,
    REGISTERS,
    ImportFileError,
    batch_register,
    case_import_batch_create,
    file_check,
    import_template_xlsx,
)
from saohei.cases.imports.columns import UMBRELLAS
from saohei.cases.imports.tasks import import_case_register
from saohei.cases.selectors import may_see_umbrellas
from saohei.core.export import XLSX
from saohei.intake.choices import ImportState
from saohei.intake.models import ImportBatch
from saohei.orgs.models import Office
from saohei.orgs.policies import standing_for

FINISHED = {ImportState.DONE, ImportState.FAILED}
REGISTER_TITLES = {
    "cases": gettext_lazy("cases"),
    "suspects": gettext_lazy("suspects"),
    "assets": gettext_lazy("assets"),
    "fugitives": gettext_lazy("target fugitives"),
    "umbrellas": gettext_lazy("protective umbrellas"),
}
LEDGER_URLS = {
    "cases": "case-ledger", "suspects": "suspect-ledger", "assets": "asset-ledger", "fugitives": "fugitive-ledger",
    "umbrellas": "umbrella-ledger",
}


def import_offices(user: Any) -> QuerySet[Office]:
    """The offices a user records case registers for: their offices, and the offices of their units.

    Whether each row may be written is the services' to say (a row refused is an error of the file).
    """
    standing = standing_for(user)
    offices = Office.objects.select_related("jurisdiction").order_by("jurisdiction__path")
    if standing.is_superuser:
        return offices.all()
    if standing.user_id is None:
        return offices.none()
    return offices.filter(Q(pk__in=set(standing.office_roles)) | Q(units__pk__in=standing.unit_ids)).distinct()


def may_import(user: Any, register: str) -> bool:
    if register not in REGISTERS or (register == UMBRELLAS and not may_see_umbrellas(user)):
        return False
    return import_offices(user).exists()


def import_url(user: Any, register: str) -> str:
    """The import page of a register for the ledger's button; empty when the user may not import it."""
    return reverse("case-import", kwargs={"register": register}) if may_import(user, register) else ""


def _register_or_404(user: Any, register: str) -> None:
    if register not in REGISTERS or (register == UMBRELLAS and not may_see_umbrellas(user)):
        raise Http404(_("No such register."))


class ImportUploadForm(forms.Form):
    office = forms.ModelChoiceField(label=gettext_lazy("Office"), queryset=Office.objects.none(), empty_label=None)
    file = forms.FileField(label=gettext_lazy("File (.xlsx or .csv)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}))

    def __init__(self, *args: Any, register: str, offices: QuerySet[Office], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.register = register
        office_field = self.fields["office"]
        assert isinstance(office_field, forms.ModelChoiceField)
        office_field.queryset = offices

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.SAOHEI_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB; split it into smaller files.")
                % {"mb": settings.SAOHEI_IMPORT_MAX_BYTES // (1024 * 1024) or 1}
            )
        try:
            upload.seek(0)
            data = upload.read()
            upload.seek(0)
            file_check(register=self.register, name=upload.name or "", data=data)
        except ImportFileError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, register: str) -> HttpResponse:
    _register_or_404(request.user, register)
    offices = import_offices(request.user)
    if not offices.exists():
        raise Http404(_("No such register."))
    form = ImportUploadForm(request.POST or None, request.FILES or None, register=register, offices=offices)
    context = {
        "form": form, "nav": "cases", "register": register, "register_title": REGISTER_TITLES[register],
        "columns": COLUMNS[register], "ledger_url": LEDGER_URLS[register],
        "max_rows": settings.SAOHEI_IMPORT_MAX_ROWS, "max_mb": settings.SAOHEI_IMPORT_MAX_BYTES // (1024 * 1024),
    }
    if request.method != "POST":
        return render(request, "cases/import_upload.html", context)
    if not form.is_valid():
        return render(request, "cases/import_upload.html", context, status=400)
    upload = form.cleaned_data["file"]
    upload.seek(0)
    batch = case_import_batch_create(
        register=register, office=form.cleaned_data["office"], actor=request.user,  # type: ignore[arg-type]
        filename=upload.name or "import", data=upload.read(),
        language=translation.get_language() or settings.LANGUAGE_CODE, offices=offices,
    )
    import_case_register.enqueue(batch.pk)
    return redirect("case-import-status", pk=batch.pk)


@login_required
@require_GET
def import_template(request: HttpRequest, register: str) -> HttpResponse:
    _register_or_404(request.user, register)
    office = import_offices(request.user).first()
    code = office.jurisdiction.code if office is not None else "420103"
    response = HttpResponse(import_template_xlsx(register=register, jurisdiction_code=code), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{register}-import-template.xlsx"'
    return response


def _batch_for_user(user: Any, pk: int) -> ImportBatch:
    """The uploader (and a superuser) sees a case import batch; everyone else gets 404."""
    batch: ImportBatch | None = ImportBatch.objects.select_related("office", "uploaded_by").filter(pk=pk).first()
    if batch is None or not batch_register(batch):
        raise Http404(_("No such import."))
    if not (user.is_superuser or batch.uploaded_by_id == user.pk):
        raise Http404(_("No such import."))
    return batch


@login_required
@require_GET
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch_for_user(request.user, pk)
    register = batch_register(batch)
    context = {
        "batch": batch, "finished": batch.state in FINISHED, "nav": "cases", "register": register,
        "register_title": REGISTER_TITLES[register], "ledger_url": LEDGER_URLS[register],
    }
    if getattr(request, "htmx", False):
        return render(request, "cases/import_progress.html", context)
    return render(request, "cases/import_status.html", context)
