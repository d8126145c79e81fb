"""An action on a case: its form (in the modal, or a page without JavaScript) and its submission."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_htmx.http import reswap, retarget

from saohei.cases.models import Case, Umbrella
from saohei.cases.selectors import case_get_for_user, umbrella_visibility_filter
from saohei.cases.views.actions import ACTIONS_BY_NAME, Action, CasePerms, Target
from saohei.cases.views.detail import page_context


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _target(request: HttpRequest, case: Case, action: Action) -> Target:
    """The record the action acts on: one of this case's, and for umbrellas one the user may see."""
    if action.target is None:
        return None
    raw = (request.POST if request.method == "POST" else request.GET).get("target", "")
    if not raw.isdigit() or int(raw) >= 2**62:
        raise Http404(_("No such record."))
    qs = action.target.objects.filter(case=case, pk=int(raw))
    if action.target is Umbrella:
        qs = qs.filter(umbrella_visibility_filter(request.user))
    found: Target = qs.first()
    if found is None:
        raise Http404(_("No such record."))
    return found


def form_response(request: HttpRequest, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    """The form in the modal (htmx) or on a page of its own; a refused submission goes back into the modal."""
    context = {"nav": "cases", "in_modal": is_htmx(request), **context}
    if is_htmx(request):
        response = render(request, "cases/move_modal.html", context, status=status)
        if request.method == "POST":
            retarget(response, "#modal")
            reswap(response, "innerHTML")
        return response
    return render(request, "cases/move_page.html", context, status=status)


def _action_url(case: Case, action: Action, target: Target) -> str:
    url = reverse("case-action", kwargs={"pk": case.pk, "name": action.name})
    return f"{url}?target={target.pk}" if target is not None else url


def _context(case: Case, action: Action, target: Target, form: Any, errors: list[str]) -> dict[str, Any]:
    return {
        "case": case, "action": action, "target": target, "form": form, "errors": errors,
        "title": action.label, "subject": f"{case.number} {case.title}",
        "action_url": _action_url(case, action, target), "hx_target": "#case-panel",
        "back_url": reverse("case-detail", kwargs={"pk": case.pk}), "submit_label": action.label,
    }


@login_required
@require_http_methods(["GET", "POST"])
def case_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    case = case_get_for_user(user=request.user, case_id=pk)
    action = ACTIONS_BY_NAME.get(name)
    if action is None:
        raise Http404(_("No such action."))
    perms = CasePerms.of(request.user, case)
    if (action.name.startswith("umbrella") or action.target is Umbrella) and not perms.umbrellas:
        raise Http404(_("No such action."))
    target = _target(request, case, action)
    if not action.allowed(perms, case, target):
        message = _("You may not “%(action)s” on this case now.") % {"action": action.label}
        return form_response(request, _context(case, action, target, None, [message]), status=403)
    if request.method == "GET":
        form = action.form(case=case, user=request.user, target=target)
        return form_response(request, _context(case, action, target, form, []))
    form = action.form(request.POST, case=case, user=request.user, target=target)
    if not form.is_valid():
        return form_response(request, _context(case, action, target, form, [str(e) for e in form.non_field_errors()]),
                             status=422)
    try:
        notice = action.run(request.user, case, target, dict(form.cleaned_data), form)
    except ValidationError as exc:
        return form_response(request, _context(case, action, target, form, exc.messages), status=422)
    except PermissionDenied as exc:
        return form_response(request, _context(case, action, target, form, [str(exc)]), status=403)
    case = case_get_for_user(user=request.user, case_id=case.pk)
    if is_htmx(request):
        return render(request, "cases/move_done.html", page_context(request, case, notice=notice))
    messages.success(request, notice)
    return redirect("case-detail", pk=case.pk)
