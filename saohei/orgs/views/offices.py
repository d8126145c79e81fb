"""Offices: the list of the user's subtree, one office with its units, groups, people and chains."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from saohei.orgs.forms import OfficeSettingsForm
from saohei.orgs.models import Jurisdiction, Office, Unit
from saohei.orgs.selectors import may_create_office, may_manage_office, memberships_with_places, office_list_for_user
from saohei.orgs.services import office_create, office_update
from saohei.orgs.views.common import acting_user, add_service_errors, org_view, require_manage, require_read
from saohei.signoff.models import SignoffPolicy


@org_view
def office_list(request: HttpRequest) -> HttpResponse:
    offices = office_list_for_user(request.user)
    return render(request, "orgs/office_list.html", {"nav": "orgs", "offices": offices})


def unit_tree(units: list[Unit]) -> list[tuple[Unit, int]]:
    """Units in tree order with their depth (a bureau, then its brigade and stations)."""
    children: dict[int | None, list[Unit]] = {}
    ids = {u.pk for u in units}
    for u in units:
        parent = u.parent_id if u.parent_id in ids else None
        children.setdefault(parent, []).append(u)
    out: list[tuple[Unit, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for u in sorted(children.get(parent, []), key=lambda x: (x.kind, x.name)):
            out.append((u, depth))
            walk(u.pk, depth + 1)

    walk(None, 0)
    return out


@org_view
def office_detail(request: HttpRequest, pk: int) -> HttpResponse:
    office = get_object_or_404(Office.objects.select_related("jurisdiction"), pk=pk)
    require_read(request, office)
    units = list(Unit.objects.filter(office=office).select_related("parent"))
    members = (
        memberships_with_places()
        .filter(Q(office=office) | Q(unit__office=office) | Q(working_group__office=office), active=True)
        .order_by("user__username", "role")
    )
    context = {
        "nav": "orgs",
        "office": office,
        "units": unit_tree(units),
        "working_groups": office.working_groups.all(),
        "members": members,
        "policies": SignoffPolicy.objects.filter(office=office).prefetch_related("steps"),
        "suboffices": Office.objects.filter(jurisdiction__path__startswith=office.jurisdiction.path)
        .exclude(pk=office.pk)
        .select_related("jurisdiction"),
        "may_manage": may_manage_office(request.user, office),
    }
    return render(request, "orgs/office_detail.html", context)


@org_view
def office_edit(request: HttpRequest, pk: int) -> HttpResponse:
    office = get_object_or_404(Office.objects.select_related("jurisdiction"), pk=pk)
    require_manage(request, office)
    initial = {
        "name": office.name,
        "default_deadline_days": office.default_deadline_days,
        "due_soon_days": office.due_soon_days,
    }
    form = OfficeSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            office_update(office=office, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The office settings are saved."))
            return redirect("office-detail", pk=office.pk)
    return render(
        request,
        "orgs/form.html",
        {
            "nav": "orgs",
            "form": form,
            "title": _("Settings of %(office)s") % {"office": office.name},
            "back_url": reverse("office-detail", args=[office.pk]),
            "submit": _("Save"),
        },
    )


@org_view
def office_create_view(request: HttpRequest, code: str) -> HttpResponse:
    """Set up the office of a jurisdiction that has none (a director above it, or an administrator)."""
    node = get_object_or_404(Jurisdiction, code=code)
    if node.level == "national" or not may_create_office(request.user, node):
        raise PermissionDenied(_("Only the director of an office above %(place)s, or a system administrator, "
                                 "may set up its office.") % {"place": node.name})
    initial = {"name": _("%(place)s anti-gang office") % {"place": node.name}, "default_deadline_days": 30,
               "due_soon_days": 3}
    form = OfficeSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            office = office_create(jurisdiction=node, name=form.cleaned_data["name"], actor=acting_user(request),
                                   default_deadline_days=form.cleaned_data["default_deadline_days"])
            office_update(office=office, actor=acting_user(request), due_soon_days=form.cleaned_data["due_soon_days"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The office of %(place)s is set up.") % {"place": node.name})
            return redirect("office-detail", pk=office.pk)
    return render(request, "orgs/form.html", {
        "nav": "orgs", "form": form, "title": _("Set up the office of %(place)s") % {"place": node.name},
        "back_url": reverse("jurisdiction-detail", args=[node.code]), "submit": _("Set up"),
    })
