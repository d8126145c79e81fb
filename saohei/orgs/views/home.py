"""The organisation overview: the user's own offices and units."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from saohei.orgs.models import Office
from saohei.orgs.selectors import is_sysadmin, managed_paths, office_list_for_user, own_places
from saohei.orgs.views.common import org_view


@org_view
def orgs_home(request: HttpRequest) -> HttpResponse:
    places = own_places(request.user)
    offices: dict[int, Office] = {}
    for m in places:
        office = (
            m.office
            or (m.unit.office if m.unit else None)
            or (m.working_group.office if m.working_group else None)
        )
        if office is not None:
            offices.setdefault(office.pk, office)
    manages = managed_paths(request.user)
    context = {
        "nav": "orgs",
        "memberships": places,
        "offices": list(offices.values()),
        "is_sysadmin": is_sysadmin(request.user),
        "may_manage": manages is None or bool(manages),
        "visible_office_count": office_list_for_user(request.user).count(),
    }
    return render(request, "orgs/home.html", context)
