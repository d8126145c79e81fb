"""People and their roles: create a user, grant a role in a place, change its title, revoke it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from saohei.orgs.forms import (
    ADMIN_ONLY_ROLES,
    MembershipGrantForm,
    MembershipTitleForm,
    ProfileForm,
    ReasonForm,
    UserCreateForm,
    place_choices,
    place_key,
    resolve_place,
)
from saohei.orgs.models import Membership, Profile
from saohei.orgs.selectors import (
    is_sysadmin,
    may_manage_anything,
    may_manage_place,
    may_manage_user,
    may_read_user,
    memberships_with_places,
    offices_managed_by,
    units_managed_by,
    user_list_for_user,
    working_groups_managed_by,
)
from saohei.orgs.services import (
    membership_grant,
    membership_revoke,
    membership_update,
    profile_update,
    user_create,
)
from saohei.orgs.views.common import add_service_errors, org_view, require_manage


@org_view
def user_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    page = Paginator(user_list_for_user(request.user, q), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "orgs/user_list.html",
        {
            "nav": "orgs",
            "page": page,
            "q": q,
            "may_manage": may_manage_anything(request.user),
        },
    )


def _get_person(request: HttpRequest, pk: int) -> Any:
    person = get_object_or_404(get_user_model(), pk=pk)
    if not may_read_user(request.user, person):
        raise PermissionDenied(_("This person works outside the part of the organisation you work in."))
    return person


@org_view
def user_create_view(request: HttpRequest) -> HttpResponse:
    if not may_manage_anything(request.user):
        raise PermissionDenied(_("Only an office director or a system administrator may create users."))
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = user_create(
                username=data["username"],
                password=data["password"],
                display_name=data["display_name"],
                language=data["language"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("User %(name)s created; now grant a role.") % {"name": person.get_username()}
            )
            return redirect(f"{reverse('membership-grant')}?user={person.pk}")
    return render(
        request,
        "orgs/form.html",
        {
            "nav": "orgs",
            "form": form,
            "title": _("New user"),
            "back_url": reverse("user-list"),
            "submit": _("Create"),
        },
    )


@org_view
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _get_person(request, pk)
    memberships = list(memberships_with_places().filter(user=person).order_by("-active", "-created_at"))
    rows = [(m, may_manage_place(request.user, m.place)) for m in memberships]
    return render(
        request,
        "orgs/user_detail.html",
        {
            "nav": "orgs",
            "person": person,
            "profile": Profile.objects.filter(user=person).first(),
            "rows": rows,
            "may_manage": may_manage_user(request.user, person),
        },
    )


@org_view
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _get_person(request, pk)
    if not (person.pk == request.user.pk or may_manage_user(request.user, person)):
        raise PermissionDenied(
            _("Only the person, their office director or a system administrator may change this.")
        )
    profile = Profile.objects.filter(user=person).first()
    initial = {
        "display_name": profile.display_name if profile else "",
        "language": profile.language if profile else "zh-hans",
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            profile_update(user=person, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("user-detail", pk=person.pk)
    return render(
        request,
        "orgs/form.html",
        {
            "nav": "orgs",
            "form": form,
            "title": _("Edit %(name)s") % {"name": person.get_username()},
            "back_url": reverse("user-detail", args=[person.pk]),
            "submit": _("Save"),
        },
    )


@org_view
def membership_grant_view(request: HttpRequest) -> HttpResponse:
    if not may_manage_anything(request.user):
        raise PermissionDenied(_("Only an office director or a system administrator may grant roles."))
    raw_place = request.POST.get("place") or request.GET.get("place") or ""
    requested = resolve_place(raw_place) if raw_place else None
    if requested is not None:
        require_manage(request, requested)
    choices = place_choices(
        offices_managed_by(request.user),
        units_managed_by(request.user),
        working_groups_managed_by(request.user),
    )
    initial: dict[str, Any] = {"place": place_key(requested) if requested else None}
    user_id = request.GET.get("user", "")
    if user_id.isdigit():
        person = get_user_model().objects.filter(pk=int(user_id)).first()
        if person is not None:
            initial["username"] = person.get_username()
    form = MembershipGrantForm(
        request.POST or None, initial=initial, choices=choices, may_grant_admin=is_sysadmin(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        place = data["place"]
        require_manage(request, place)
        if data["role"] in ADMIN_ONLY_ROLES and not is_sysadmin(request.user):
            raise PermissionDenied(_("Only a system administrator may grant the system-administrator role."))
        kind = place_key(place).split(":")[0]
        target = {"office": "office", "unit": "unit", "group": "working_group"}[kind]
        try:
            membership = membership_grant(
                user=data["username"],
                role=data["role"],
                actor=request.user,
                title=data["title"].strip(),
                **{target: place},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Granted: %(membership)s") % {"membership": membership})
            return redirect("user-detail", pk=membership.user_id)
    return render(
        request,
        "orgs/form.html",
        {
            "nav": "orgs",
            "form": form,
            "title": _("Grant a role"),
            "back_url": reverse("user-list"),
            "submit": _("Grant"),
        },
    )


def _get_membership(request: HttpRequest, pk: int) -> Membership:
    membership = get_object_or_404(memberships_with_places(), pk=pk)
    require_manage(request, membership.place)
    return membership


@org_view
def membership_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _get_membership(request, pk)
    if not membership.active:
        messages.info(request, _("This role has already been revoked."))
        return redirect("user-detail", pk=membership.user_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership_revoke(membership=membership, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Revoked: %(membership)s") % {"membership": membership})
            return redirect("user-detail", pk=membership.user_id)
    return render(
        request,
        "orgs/form.html",
        {
            "nav": "orgs",
            "form": form,
            "title": _("Revoke %(membership)s") % {"membership": membership},
            "intro": _("The role ends now; the record of it is kept. Say why."),
            "back_url": reverse("user-detail", args=[membership.user_id]),
            "submit": _("Revoke"),
        },
        status=400 if request.method == "POST" else 200,
    )


@org_view
def membership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _get_membership(request, pk)
    form = MembershipTitleForm(request.POST or None, initial={"title": membership.title})
    if request.method == "POST" and form.is_valid():
        try:
            membership_update(membership=membership, actor=request.user, title=form.cleaned_data["title"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("user-detail", pk=membership.user_id)
    return render(
        request,
        "orgs/form.html",
        {
            "nav": "orgs",
            "form": form,
            "title": _("Position title of %(membership)s") % {"membership": membership},
            "back_url": reverse("user-detail", args=[membership.user_id]),
            "submit": _("Save"),
        },
    )
