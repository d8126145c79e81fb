"""Member units: the register with filters, create, edit, deactivate (never delete)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from saohei.core.ledger import ExportColumn, Ledger
from saohei.orgs.filtersets import UnitFilterSet
from saohei.orgs.forms import ReasonForm, UnitEditForm, UnitForm
from saohei.orgs.models import Office, Unit
from saohei.orgs.selectors import (
    may_manage_anything,
    may_manage_office,
    memberships_with_places,
    offices_managed_by,
    unit_list_for_user,
    units_managed_by,
)
from saohei.orgs.services import unit_create, unit_deactivate, unit_reactivate, unit_update
from saohei.orgs.tables import UnitTable
from saohei.orgs.views.common import add_service_errors, org_view, require_manage, require_read
from saohei.signoff.models import SignoffPolicy

unit_ledger = Ledger(
    name="units",
    title=gettext_lazy("Member units"),
    queryset=lambda request: unit_list_for_user(request.user),
    filterset_class=UnitFilterSet,
    table_class=UnitTable,
    export_columns=[
        ExportColumn(gettext_lazy("Name"), lambda u: u.name),
        ExportColumn(gettext_lazy("Kind"), lambda u: u.get_kind_display()),
        ExportColumn(gettext_lazy("Under unit"), lambda u: u.parent.name if u.parent else ""),
        ExportColumn(gettext_lazy("Office"), lambda u: u.office.name),
        ExportColumn(gettext_lazy("Jurisdiction code"), lambda u: u.jurisdiction.code),
        ExportColumn(gettext_lazy("Jurisdiction"), lambda u: u.jurisdiction.name),
        ExportColumn(gettext_lazy("Sector"), lambda u: u.get_sector_display() if u.sector else ""),
        ExportColumn(gettext_lazy("Active"), lambda u: u.active),
    ],
    template="orgs/unit_list.html",
    export_url_name="unit-export",
)


@org_view
def unit_list(request: HttpRequest) -> HttpResponse:
    return unit_ledger.list_view(request, {"nav": "orgs", "may_manage": may_manage_anything(request.user)})


@org_view
def unit_export(request: HttpRequest) -> HttpResponse:
    return unit_ledger.export_view(request)


def _requested_office(request: HttpRequest) -> Office | None:
    raw = request.POST.get("office") or request.GET.get("office") or ""
    if not raw.isdigit():
        return None
    office = Office.objects.select_related("jurisdiction").filter(pk=int(raw)).first()
    if office is not None:
        require_manage(request, office)
    return office


@org_view
def unit_create_view(request: HttpRequest) -> HttpResponse:
    if not may_manage_anything(request.user):
        raise PermissionDenied(_("Only an office director or a system administrator may create units."))
    office = _requested_office(request)
    offices = offices_managed_by(request.user)
    units = units_managed_by(request.user)
    if office is not None:
        units = units.filter(office=office)
    initial = {"office": office.pk if office else None, "parent": request.GET.get("parent")}
    form = UnitForm(request.POST or None, initial=initial, offices=offices, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = unit_create(
                name=data["name"],
                kind=data["kind"],
                office=data["office"],
                actor=request.user,
                jurisdiction=data["jurisdiction"],
                parent=data["parent"],
                sector=data["sector"] or "",
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Unit %(unit)s created.") % {"unit": unit.name})
            return redirect("unit-detail", pk=unit.pk)
    back = reverse("office-detail", args=[office.pk]) if office else reverse("unit-list")
    return render(
        request,
        "orgs/form.html",
        {
            "nav": "orgs",
            "form": form,
            "title": _("New member unit"),
            "back_url": back,
            "submit": _("Create"),
        },
    )


@org_view
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(
        Unit.objects.select_related("office__jurisdiction", "jurisdiction", "parent"), pk=pk
    )
    require_read(request, unit)
    lineage: list[Unit] = []
    node = unit.parent
    while node is not None:
        lineage.insert(0, node)
        node = node.parent
    context = {
        "nav": "orgs",
        "unit": unit,
        "lineage": lineage,
        "children": unit.children.order_by("kind", "name"),
        "members": memberships_with_places().filter(unit=unit).order_by("-active", "role", "user__username"),
        "working_groups": unit.working_groups.all(),
        "policies": SignoffPolicy.objects.filter(office=unit.office, active=True),
        "may_manage": may_manage_office(request.user, unit.office),
        "reason_form": ReasonForm(),
    }
    return render(request, "orgs/unit_detail.html", context)


@org_view
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.select_related("office__jurisdiction"), pk=pk)
    require_manage(request, unit)
    form = UnitEditForm(request.POST or None, initial={"name": unit.name, "sector": unit.sector})
    if request.method == "POST" and form.is_valid():
        try:
            unit_update(
                unit=unit,
                actor=request.user,
                name=form.cleaned_data["name"],
                active=unit.active,
                sector=form.cleaned_data["sector"] or "",
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The unit is saved."))
            return redirect("unit-detail", pk=unit.pk)
    return render(
        request,
        "orgs/form.html",
        {
            "nav": "orgs",
            "form": form,
            "title": _("Edit %(unit)s") % {"unit": unit.name},
            "back_url": reverse("unit-detail", args=[unit.pk]),
            "submit": _("Save"),
        },
    )


@org_view
def unit_deactivate_view(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.select_related("office__jurisdiction"), pk=pk)
    require_manage(request, unit)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit_deactivate(unit=unit, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("%(unit)s is deactivated; its records are kept.") % {"unit": unit.name}
            )
            return redirect("unit-detail", pk=unit.pk)
    return render(
        request,
        "orgs/form.html",
        {
            "nav": "orgs",
            "form": form,
            "title": _("Deactivate %(unit)s") % {"unit": unit.name},
            "intro": _(
                "A unit is never deleted. Deactivated, it keeps its history but receives no new work."
            ),
            "back_url": reverse("unit-detail", args=[unit.pk]),
            "submit": _("Deactivate"),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@org_view
def unit_reactivate_view(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.select_related("office__jurisdiction"), pk=pk)
    require_manage(request, unit)
    try:
        unit_reactivate(unit=unit, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(unit)s is active again.") % {"unit": unit.name})
    return redirect("unit-detail", pk=unit.pk)
