"""Forming a case (成案): from a clue's page, or opened directly by the police."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from saohei.cases import services
from saohei.cases.choices import CaseOrigin
from saohei.cases.forms import CaseCreateForm
from saohei.cases.views.moves import form_response
from saohei.clues.models import Clue
from saohei.clues.selectors import clue_get_for_user
from saohei.orgs.models import Jurisdiction


def _clue(request: HttpRequest) -> Clue | None:
    raw = request.POST.get("clue", "") or request.GET.get("clue", "")
    if not raw:
        return None
    if not raw.isdigit() or int(raw) >= 2**62:
        raise Http404(_("No such clue."))
    return clue_get_for_user(user=request.user, clue_id=int(raw))


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    clue = _clue(request)
    title = _("Form a case from clue %(number)s") % {"number": clue.number} if clue else _("Open a case")
    back = reverse("clue-detail", kwargs={"pk": clue.pk}) if clue else reverse("case-ledger")
    context = {"title": title, "subject": f"{clue.number} {clue.title}" if clue else "", "back_url": back,
               "action_url": reverse("case-create"), "submit_label": _("Open the case"), "hx_target": ""}
    form = CaseCreateForm(request.POST if request.method == "POST" else None, user=request.user, clue=clue)
    if request.method == "GET" or not form.is_valid():
        if request.method == "GET" and not form.fields["office"].queryset.exists():  # type: ignore[attr-defined]
            return form_response(request, {**context, "form": None,
                                           "errors": [_("You may not open cases.")]}, status=403)
        errors = [str(e) for e in form.non_field_errors()] if request.method == "POST" else []
        return form_response(request, {**context, "form": form, "errors": errors},
                             status=422 if request.method == "POST" else 200)
    d = form.cleaned_data
    try:
        jurisdiction = Jurisdiction.objects.filter(code=d["jurisdiction"].strip()).first()
        if jurisdiction is None:
            raise ValidationError(_("Unknown jurisdiction code."))
        case = services.case_create(
            actor=request.user, office=d["office"], jurisdiction=jurisdiction, title=d["title"], unit=d["unit"],  # type: ignore[arg-type]
            summary=d["summary"], kind=d["kind"], origin=CaseOrigin.CLUES if clue else CaseOrigin.POLICE,
            clues=[clue] if clue else [], organization_type=d["organization_type"],
            organization_name=d["organization_name"], organization_leader=d["organization_leader"],
            offences=d["offences"], filed_on=d["filed_on"], supervision_level=d["supervision_level"],
            lead_official=d["lead_official"], lead_official_position=d["lead_official_position"],
        )
    except ValidationError as exc:
        return form_response(request, {**context, "form": form, "errors": exc.messages}, status=422)
    except PermissionDenied as exc:
        return form_response(request, {**context, "form": form, "errors": [str(exc)]}, status=403)
    messages.success(request, _("Case %(number)s is opened.") % {"number": case.number})
    return redirect("case-detail", pk=case.pk)
