"""What every organisation page shares: login, a 403 page that says why, and error plumbing."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from saohei.orgs.models import Office, Unit, WorkingGroup
from saohei.orgs.selectors import may_manage_place, may_read_place

View = Callable[..., HttpResponse]


def org_view(view: View) -> View:
    """Logged-in only; a PermissionDenied becomes a 403 page that says what was refused."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            message = str(exc) or _("You may not do this.")
            return render(request, "orgs/forbidden.html", {"message": message, "nav": "orgs"}, status=403)

    return wrapper


def require_manage(request: HttpRequest, place: Office | Unit | WorkingGroup) -> None:
    if not may_manage_place(request.user, place):
        raise PermissionDenied(
            _(
                "Only the director of the office responsible for %(place)s, or a system administrator, "
                "may change it."
            )
            % {"place": place}
        )


def require_read(request: HttpRequest, place: Office | Unit | WorkingGroup) -> None:
    if not may_read_place(request.user, place):
        raise PermissionDenied(
            _("%(place)s lies outside the part of the organisation you work in.") % {"place": place}
        )


def acting_user(request: HttpRequest) -> User:
    """The logged-in user who acts (pages are behind `org_view`, so never anonymous)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied(_("Log in first."))
    return user


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's refusal on the form instead of a 500."""
    for message in exc.messages:
        form.add_error(None, message)
