"""Sign-off chains per office: list, the ordered steps with who may sign each, create, deactivate."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from saohei.orgs.forms import ReasonForm
from saohei.orgs.models import Office, Unit
from saohei.orgs.selectors import (
    may_manage_anything,
    may_manage_office,
    office_list_for_user,
    offices_managed_by,
    unit_list_for_user,
)
from saohei.orgs.views.common import acting_user, add_service_errors, org_view, require_manage, require_read
from saohei.signoff.forms import PolicyForm, StepForm, StepFormSet
from saohei.signoff.models import SignoffPolicy
from saohei.signoff.services import policy_create, policy_deactivate, policy_for, signers_for, step_add


@org_view
def policy_list(request: HttpRequest) -> HttpResponse:
    offices = office_list_for_user(request.user)
    policies = (
        SignoffPolicy.objects.filter(office__in=offices)
        .select_related("office__jurisdiction")
        .prefetch_related("steps")
        .order_by("office__jurisdiction__path", "-active", "name")
    )
    office: Office | None = None
    raw = request.GET.get("office", "")
    if raw.isdigit():
        office = get_object_or_404(Office.objects.select_related("jurisdiction"), pk=int(raw))
        require_read(request, office)
        policies = policies.filter(office=office)
    return render(
        request,
        "signoff/policy_list.html",
        {
            "nav": "orgs",
            "policies": policies,
            "office": office,
            "offices": offices,
            "may_create": may_manage_office(request.user, office)
            if office
            else may_manage_anything(request.user),
        },
    )


def _units_for_policy(request: HttpRequest, policy: SignoffPolicy) -> Any:
    """Units a conclusion under this policy may come from: the office's subtree, as far as the user sees."""
    return (
        unit_list_for_user(request.user)
        .filter(office__jurisdiction__path__startswith=policy.office.jurisdiction.path, active=True)
        .order_by("office__jurisdiction__path", "kind", "name")
    )


@org_view
def policy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    policy = get_object_or_404(SignoffPolicy.objects.select_related("office__jurisdiction"), pk=pk)
    require_read(request, policy.office)
    units = _units_for_policy(request, policy)
    unit: Unit | None = None
    raw = request.GET.get("unit", "")
    if raw.isdigit():
        unit = units.filter(pk=int(raw)).first()
    rows: list[tuple[Any, list[Any]]] = []
    for step in policy.steps.order_by("order"):
        signers = list(signers_for(step=step, assigned_unit=unit).select_related("profile")) if unit else []
        rows.append((step, signers))
    in_force = None
    if unit is not None:
        in_force = policy_for(
            unit=unit,
            subject_type=policy.subject_type,
            track=policy.track,
            category_code=policy.category_code,
        )
    return render(
        request,
        "signoff/policy_detail.html",
        {
            "nav": "orgs",
            "policy": policy,
            "rows": rows,
            "units": units,
            "unit": unit,
            "in_force": in_force,
            "may_manage": may_manage_office(request.user, policy.office),
            "reason_form": ReasonForm(),
        },
    )


@org_view
def policy_create_view(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("office") or request.GET.get("office") or ""
    office = (
        get_object_or_404(Office.objects.select_related("jurisdiction"), pk=int(raw))
        if raw.isdigit()
        else None
    )
    if office is None:
        managed = list(offices_managed_by(request.user)[:2])
        if not managed:
            raise PermissionDenied(
                _("Only an office director or a system administrator may configure sign-off chains.")
            )
        if len(managed) == 1:
            office = managed[0]
        else:
            return render(
                request,
                "signoff/choose_office.html",
                {
                    "nav": "orgs",
                    "offices": offices_managed_by(request.user),
                },
            )
    require_manage(request, office)
    form = PolicyForm(request.POST or None)
    formset = StepFormSet(request.POST or None, prefix="steps")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        steps = [
            f.step_data() for f in formset.forms if isinstance(f, StepForm) and f.cleaned_data.get("filled")
        ]
        try:
            policy = policy_create(
                office=office,
                name=form.cleaned_data["name"],
                actor=acting_user(request),
                steps=steps,
                track=form.cleaned_data["track"] or "",
                category_code=form.cleaned_data["category_code"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Sign-off policy %(name)s created.") % {"name": policy.name})
            return redirect("signoff-policy-detail", pk=policy.pk)
    return render(
        request,
        "signoff/policy_form.html",
        {
            "nav": "orgs",
            "office": office,
            "form": form,
            "formset": formset,
        },
        status=400 if request.method == "POST" else 200,
    )


@org_view
def step_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    policy = get_object_or_404(SignoffPolicy.objects.select_related("office__jurisdiction"), pk=pk)
    require_manage(request, policy.office)
    form = StepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not form.cleaned_data.get("filled"):
            form.add_error(None, _("Give the step a title and a role."))
        else:
            try:
                step_add(policy=policy, actor=acting_user(request), **form.step_data())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Step added."))
                return redirect("signoff-policy-detail", pk=policy.pk)
    return render(
        request,
        "orgs/form.html",
        {
            "nav": "orgs",
            "form": form,
            "title": _("Add a step to %(name)s") % {"name": policy.name},
            "intro": _("The new step is signed after every step the chain has now."),
            "back_url": reverse("signoff-policy-detail", args=[policy.pk]),
            "submit": _("Add"),
        },
    )


@org_view
def policy_deactivate_view(request: HttpRequest, pk: int) -> HttpResponse:
    policy = get_object_or_404(SignoffPolicy.objects.select_related("office__jurisdiction"), pk=pk)
    require_manage(request, policy.office)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            policy_deactivate(policy=policy, actor=acting_user(request), reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is no longer in force; past signatures are kept.") % {"name": policy.name},
            )
            return redirect("signoff-policy-detail", pk=policy.pk)
    return render(
        request,
        "orgs/form.html",
        {
            "nav": "orgs",
            "form": form,
            "title": _("Deactivate %(name)s") % {"name": policy.name},
            "intro": _(
                "Conclusions already signed keep their signatures; new conclusions use the next policy "
                "in force."
            ),
            "back_url": reverse("signoff-policy-detail", args=[policy.pk]),
            "submit": _("Deactivate"),
        },
        status=400 if request.method == "POST" else 200,
    )
