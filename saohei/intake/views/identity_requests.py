"""Two-person identity reads: asking, the ledger of requests, deciding, and the one read."""

from __future__ import annotations

from typing import Any

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saohei.core.ledger import Ledger
from saohei.intake import identity as identity_services
from saohei.intake.choices import IdentityRequestState
from saohei.intake.forms import ReasonForm
from saohei.intake.models import IdentityAccessRequest
from saohei.intake.views.access import report_get_for_user, reports_visible_to
from saohei.orgs.policies import standing_for

User = AbstractBaseUser | AnonymousUser


def requests_visible_to(user: User) -> QuerySet[IdentityAccessRequest]:
    """Requests the user may see (see ``identity_requests_visible_to``) on reports they may see."""
    return identity_services.identity_requests_visible_to(user).filter(report__in=reports_visible_to(user))


def request_get_for_user(*, user: User, request_id: int) -> IdentityAccessRequest:
    found = requests_visible_to(user).select_related("report__office", "reporter").filter(pk=request_id).first()
    if found is None:
        raise Http404(_("No such request."))
    return found


class IdentityRequestFilterSet(django_filters.FilterSet):  # type: ignore[misc,unused-ignore]
    state = django_filters.MultipleChoiceFilter(label=gettext_lazy("State"), choices=IdentityRequestState.choices)
    report = django_filters.CharFilter(label=gettext_lazy("Report number"), field_name="report__number",
                                       lookup_expr="icontains")
    user = django_filters.CharFilter(label=gettext_lazy("Asked by"), field_name="requested_by__username",
                                     lookup_expr="icontains")

    class Meta:
        model = IdentityAccessRequest
        fields: list[str] = []


class IdentityRequestTable(tables.Table):  # type: ignore[misc,unused-ignore]
    created_at = tables.DateTimeColumn(verbose_name=gettext_lazy("Asked at"), format="Y-m-d H:i",
                                       linkify=("identity-request-detail", {"request_id": tables.A("pk")}))
    report = tables.Column(verbose_name=gettext_lazy("Report"), accessor="report__number")
    requested_by = tables.Column(verbose_name=gettext_lazy("Asked by"), accessor="requested_by__username")
    reason = tables.Column(verbose_name=gettext_lazy("Reason"))
    state = tables.Column(verbose_name=gettext_lazy("State"))
    decided_by = tables.Column(verbose_name=gettext_lazy("Decided by"), accessor="decided_by__username",
                               default="—")
    decided_at = tables.DateTimeColumn(verbose_name=gettext_lazy("Decided at"), format="Y-m-d H:i")

    class Meta:
        model = IdentityAccessRequest
        fields = ("created_at", "report", "requested_by", "reason", "state", "decided_by", "decided_at")
        attrs = {"class": "ledger", "id": "identity-request-table"}


REQUESTS = Ledger(
    name="identity-requests",
    title=gettext_lazy("Requests to read reporter identities"),
    queryset=lambda request: requests_visible_to(request.user),
    filterset_class=IdentityRequestFilterSet,
    table_class=IdentityRequestTable,
    export_columns=[],
    template="intake/identity_request_ledger.html",
)


class DecisionForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=gettext_lazy("Required when refusing."))


@login_required
@require_GET
def identity_request_ledger_view(request: HttpRequest) -> HttpResponse:
    if not identity_services.may_read_request_ledger(request.user):
        raise PermissionDenied(_("Only office directors and identity readers see identity requests."))
    return REQUESTS.list_view(request, {"nav": "reports"})


@login_required
@require_http_methods(["GET", "POST"])
def identity_request_create_view(request: HttpRequest, report_id: int) -> HttpResponse:
    report = report_get_for_user(user=request.user, report_id=report_id)
    if not standing_for(request.user).can_read_identity:
        raise PermissionDenied(_("You may not read reporter identities."))
    form = ReasonForm(request.POST or None)
    context: dict[str, Any] = {"report": report, "form": form, "nav": "reports",
                               "needs_second_person": identity_services.needs_second_person(report)}
    if request.method == "POST" and form.is_valid():
        try:
            created = identity_services.identity_request_create(report=report, reason=form.cleaned_data["reason"],
                                                                actor=request.user)  # type: ignore[arg-type]
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your request is recorded; a second person must approve it."))
            return redirect("identity-request-detail", request_id=created.pk)
    return render(request, "intake/identity_request_form.html", context,
                  status=400 if request.method == "POST" else 200)


def _detail_context(request: HttpRequest, found: IdentityAccessRequest, **extra: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "req": found,
        "report": found.report,
        "nav": "reports",
        "may_decide": found.state == IdentityRequestState.PENDING
        and identity_services.may_decide(request.user, found),
        "may_use": found.state == IdentityRequestState.APPROVED and found.requested_by_id == request.user.pk,
        "decision_form": DecisionForm(),
        "identity": None,
    }
    context.update(extra)
    return context


@login_required
@require_GET
def identity_request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    found = request_get_for_user(user=request.user, request_id=request_id)
    return render(request, "intake/identity_request_detail.html", _detail_context(request, found))


@login_required
@require_POST
def identity_request_decide_view(request: HttpRequest, request_id: int) -> HttpResponse:
    found = request_get_for_user(user=request.user, request_id=request_id)
    form = DecisionForm(request.POST)
    approve = request.POST.get("decision") == "approve"
    if not form.is_valid() or request.POST.get("decision") not in ("approve", "refuse"):
        return render(request, "intake/identity_request_detail.html",
                      _detail_context(request, found, decision_form=form), status=400)
    try:
        identity_services.identity_request_decide(request=found, approve=approve, actor=request.user,  # type: ignore[arg-type]
                                                  note=form.cleaned_data["note"])
    except (ValidationError, PermissionDenied) as exc:
        errors = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        return render(request, "intake/identity_request_detail.html",
                      _detail_context(request, found, decision_form=form, errors=errors),
                      status=403 if isinstance(exc, PermissionDenied) else 400)
    messages.success(request, _("The request is approved.") if approve else _("The request is refused."))
    return redirect("identity-request-detail", request_id=found.pk)


@login_required
@require_POST
def identity_request_read_view(request: HttpRequest, request_id: int) -> HttpResponse:
    found = request_get_for_user(user=request.user, request_id=request_id)
    try:
        identity = identity_services.identity_read_with_request(request=found,
                                                                actor=request.user)  # type: ignore[arg-type]
    except (ValidationError, PermissionDenied) as exc:
        errors = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        return render(request, "intake/identity_request_detail.html",
                      _detail_context(request, found, errors=errors),
                      status=403 if isinstance(exc, PermissionDenied) else 400)
    found.refresh_from_db()
    # Shown in this response only; never cached.
    response = render(request, "intake/identity_request_detail.html",
                      _detail_context(request, found, identity=identity))
    add_never_cache_headers(response)
    return response
