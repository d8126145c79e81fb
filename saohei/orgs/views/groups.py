"""Working groups (专班, 督导组, 专案组…): list, create with units, detail with members, edit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from saohei.orgs.forms import WorkingGroupEditForm, WorkingGroupForm
from saohei.orgs.models import Office, WorkingGroup
from saohei.orgs.selectors import (
    may_manage_anything,
    may_manage_office,
    memberships_with_places,
    offices_managed_by,
    units_managed_by,
    working_group_list_for_user,
)
from saohei.orgs.services import working_group_create, working_group_update
from saohei.orgs.views.common import add_service_errors, org_view, require_manage, require_read


@org_view
def working_group_list(request: HttpRequest) -> HttpResponse:
    groups = working_group_list_for_user(request.user).order_by(
        "office__jurisdiction__path", "-active", "name"
    )
    office_id = request.GET.get("office", "")
    if office_id.isdigit():
        groups = groups.filter(office_id=int(office_id))
    return render(
        request,
        "orgs/working_group_list.html",
        {
            "nav": "orgs",
            "groups": groups,
            "may_manage": may_manage_anything(request.user),
        },
    )


@org_view
def working_group_create_view(request: HttpRequest) -> HttpResponse:
    if not may_manage_anything(request.user):
        raise PermissionDenied(
            _("Only an office director or a system administrator may set up working groups.")
        )
    raw = request.POST.get("office") or request.GET.get("office") or ""
    office = (
        Office.objects.select_related("jurisdiction").filter(pk=int(raw)).first() if raw.isdigit() else None
    )
    if office is not None:
        require_manage(request, office)
    units = units_managed_by(request.user)
    if office is not None:
        units = units.filter(office=office)
    form = WorkingGroupForm(
        request.POST or None,
        initial={"office": office.pk if office else None},
        offices=offices_managed_by(request.user),
        units=units,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group = working_group_create(
                office=data["office"],
                name=data["name"],
                kind=data["kind"],
                units=list(data["units"]),
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Working group %(name)s set up.") % {"name": group.name})
            return redirect("working-group-detail", pk=group.pk)
    return render(
        request,
        "orgs/form.html",
        {
            "nav": "orgs",
            "form": form,
            "title": _("New working group"),
            "back_url": reverse("working-group-list"),
            "submit": _("Create"),
        },
    )


@org_view
def working_group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(WorkingGroup.objects.select_related("office__jurisdiction"), pk=pk)
    require_read(request, group)
    return render(
        request,
        "orgs/working_group_detail.html",
        {
            "nav": "orgs",
            "group": group,
            "units": group.units.select_related("parent").order_by("kind", "name"),
            "members": memberships_with_places()
            .filter(working_group=group)
            .order_by("-active", "role", "user__username"),
            "may_manage": may_manage_office(request.user, group.office),
        },
    )


@org_view
def working_group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(WorkingGroup.objects.select_related("office__jurisdiction"), pk=pk)
    require_manage(request, group)
    initial = {
        "name": group.name,
        "kind": group.kind,
        "units": list(group.units.all()),
        "active": group.active,
    }
    form = WorkingGroupEditForm(request.POST or None, initial=initial, group=group)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            working_group_update(
                group=group,
                actor=request.user,
                name=data["name"],
                kind=data["kind"],
                units=list(data["units"]),
                active=data["active"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The working group is saved."))
            return redirect("working-group-detail", pk=group.pk)
    return render(
        request,
        "orgs/form.html",
        {
            "nav": "orgs",
            "form": form,
            "title": _("Edit %(name)s") % {"name": group.name},
            "back_url": reverse("working-group-detail", args=[group.pk]),
            "submit": _("Save"),
        },
    )
