"""Reward pages of the workbench: the ledger and its export, proposing, and the reward page
(approve, pay, check a claim code, void)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from saohei.clues.selectors import report_list_for_user
from saohei.core.filters import day_start
from saohei.core.ledger import ExportColumn, Ledger
from saohei.intake import rewards as reward_services
from saohei.intake.choices import RewardState
from saohei.intake.forms import ReasonForm
from saohei.intake.models import Report, Reward
from saohei.intake.views.access import report_get_for_user
from saohei.orgs.models import Office
from saohei.orgs.selectors import jurisdiction_path_for_code

User = AbstractBaseUser | AnonymousUser


# --- visibility ----------------------------------------------------------------------------------


def rewards_visible_to(user: User) -> QuerySet[Reward]:
    """Rewards of reports whose clue the user may see."""
    return Reward.objects.filter(report__in=report_list_for_user(user=user).values("pk"))


def reward_get_for_user(*, user: User, reward_id: int) -> Reward:
    reward = (
        rewards_visible_to(user)
        .select_related("report__jurisdiction", "report__clue", "report__reporter", "office__jurisdiction",
                        "policy", "proposed_by", "paid_by")
        .filter(pk=reward_id)
        .first()
    )
    if reward is None:
        raise Http404(_("No such reward."))
    return reward


# --- the ledger ----------------------------------------------------------------------------------


class RewardFilterSet(django_filters.FilterSet):  # type: ignore[misc,unused-ignore]
    q = django_filters.CharFilter(label=gettext_lazy("Report number"), method="filter_text")
    state = django_filters.MultipleChoiceFilter(label=gettext_lazy("State"), choices=RewardState.choices)
    jurisdiction = django_filters.CharFilter(
        label=gettext_lazy("Jurisdiction code (with its subtree)"), method="filter_jurisdiction"
    )
    office = django_filters.ModelChoiceFilter(label=gettext_lazy("Office"), queryset=Office.objects.all())
    proposed_from = django_filters.DateFilter(label=gettext_lazy("Proposed from"), method="filter_proposed_from")
    proposed_to = django_filters.DateFilter(label=gettext_lazy("Proposed until"), method="filter_proposed_to")
    paid_from = django_filters.DateFilter(label=gettext_lazy("Paid from"), field_name="paid_at", lookup_expr="gte")
    paid_to = django_filters.DateFilter(label=gettext_lazy("Paid until"), field_name="paid_at", lookup_expr="lte")
    amount_min = django_filters.NumberFilter(label=gettext_lazy("Amount at least"), field_name="amount",
                                             lookup_expr="gte")
    amount_max = django_filters.NumberFilter(label=gettext_lazy("Amount at most"), field_name="amount",
                                             lookup_expr="lte")

    class Meta:
        model = Reward
        fields: list[str] = []

    def filter_text(self, qs: QuerySet[Reward], name: str, value: str) -> QuerySet[Reward]:
        value = value.strip()[:100]
        if not value:
            return qs
        return qs.filter(Q(report__number__icontains=value) | Q(report__clue__number__icontains=value))

    def filter_jurisdiction(self, qs: QuerySet[Reward], name: str, value: str) -> QuerySet[Reward]:
        if not value.strip():
            return qs
        path = jurisdiction_path_for_code(value)
        return qs.filter(report__jurisdiction__path__startswith=path) if path else qs.none()

    def filter_proposed_from(self, qs: QuerySet[Reward], name: str, value: dt.date | None) -> QuerySet[Reward]:
        return qs.filter(proposed_at__gte=day_start(value)) if value else qs

    def filter_proposed_to(self, qs: QuerySet[Reward], name: str, value: dt.date | None) -> QuerySet[Reward]:
        return qs.filter(proposed_at__lt=day_start(value, plus_days=1)) if value else qs


class RewardTable(tables.Table):  # type: ignore[misc,unused-ignore]
    report = tables.Column(verbose_name=gettext_lazy("Report"), accessor="report__number",
                           order_by=("report__number",), linkify=("reward-detail", {"reward_id": tables.A("pk")}))
    jurisdiction = tables.Column(verbose_name=gettext_lazy("Jurisdiction"), accessor="report__jurisdiction__name",
                                 order_by=("report__jurisdiction__path",))
    office = tables.Column(verbose_name=gettext_lazy("Office"), accessor="office__name")
    state = tables.Column(verbose_name=gettext_lazy("State"))
    amount = tables.Column(verbose_name=gettext_lazy("Amount (CNY)"), attrs={"td": {"class": "num"}})
    proposed_at = tables.DateTimeColumn(verbose_name=gettext_lazy("Proposed at"), format="Y-m-d")
    approved_at = tables.DateTimeColumn(verbose_name=gettext_lazy("Approved at"), format="Y-m-d")
    paid_at = tables.DateColumn(verbose_name=gettext_lazy("Paid on"), format="Y-m-d")
    claimed_at = tables.DateTimeColumn(verbose_name=gettext_lazy("Claimed at"), format="Y-m-d")

    class Meta:
        model = Reward
        fields = ("report", "jurisdiction", "office", "state", "amount", "proposed_at", "approved_at", "paid_at",
                  "claimed_at")
        attrs = {"class": "ledger", "id": "reward-table"}

    def render_state(self, value: str, record: Reward) -> SafeString:
        return format_html('<span class="badge reward-{}">{}</span>', record.state, record.get_state_display())


REWARD_EXPORT_COLUMNS = [
    ExportColumn(gettext_lazy("Report"), lambda r: r.report.number),
    ExportColumn(gettext_lazy("Clue"), lambda r: r.report.clue.number if r.report.clue else ""),
    ExportColumn(gettext_lazy("Office"), lambda r: r.office.name),
    ExportColumn(gettext_lazy("Jurisdiction code"), lambda r: r.report.jurisdiction.code),
    ExportColumn(gettext_lazy("Jurisdiction"), lambda r: r.report.jurisdiction.name),
    ExportColumn(gettext_lazy("State"), lambda r: r.get_state_display()),
    ExportColumn(gettext_lazy("Amount (CNY)"), lambda r: float(r.amount)),
    ExportColumn(gettext_lazy("Reason"), lambda r: r.reason),
    ExportColumn(gettext_lazy("Proposed at"), lambda r: r.proposed_at),
    ExportColumn(gettext_lazy("Approved at"), lambda r: r.approved_at),
    ExportColumn(gettext_lazy("Paid on"), lambda r: r.paid_at),
    ExportColumn(gettext_lazy("Payment method"), lambda r: r.payment_method),
    ExportColumn(gettext_lazy("Claimed at"), lambda r: r.claimed_at),
    ExportColumn(gettext_lazy("Voided at"), lambda r: r.voided_at),
    ExportColumn(gettext_lazy("Void reason"), lambda r: r.void_reason),
]


def _rows(request: HttpRequest) -> QuerySet[Reward]:
    return rewards_visible_to(request.user).select_related("report__jurisdiction", "report__clue", "office")


REWARDS = Ledger(
    name="rewards",
    title=gettext_lazy("Reward ledger"),
    queryset=_rows,
    filterset_class=RewardFilterSet,
    table_class=RewardTable,
    export_columns=REWARD_EXPORT_COLUMNS,
    template="intake/reward_ledger.html",
    export_url_name="reward-export",
    primary_filters=("q", "state", "jurisdiction", "paid_from", "paid_to"),
)


@login_required
@require_GET
def reward_ledger_view(request: HttpRequest) -> HttpResponse:
    return REWARDS.list_view(request, {"nav": "reports"})


@login_required
@require_GET
def reward_export(request: HttpRequest) -> HttpResponse:
    return REWARDS.export_view(request)


# --- forms ---------------------------------------------------------------------------------------


class RewardProposeForm(forms.Form):
    amount = forms.DecimalField(label=gettext_lazy("Amount (CNY)"), min_value=Decimal("0.01"),
                                max_value=reward_services.MAX_AMOUNT, max_digits=12, decimal_places=2)
    reason = forms.CharField(label=gettext_lazy("Reason"), min_length=4, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class RewardApproveForm(forms.Form):
    comment = forms.CharField(label=gettext_lazy("Comment"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class RewardPayForm(forms.Form):
    paid_on = forms.DateField(label=gettext_lazy("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.CharField(label=gettext_lazy("Payment method"), max_length=80,
                             help_text=gettext_lazy("For example: cash at the office, bank transfer."))
    claim_code = forms.CharField(label=gettext_lazy("Claim code presented"), max_length=40, required=False,
                                 widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))


class ClaimCheckForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Claim code presented"), max_length=40,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))


# --- proposing -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def reward_propose_view(request: HttpRequest, report_id: int) -> HttpResponse:
    report: Report = report_get_for_user(user=request.user, report_id=report_id)
    if not reward_services.may_propose(request.user, report):
        raise PermissionDenied(_("Only the staff of an office covering this report propose rewards."))
    form = RewardProposeForm(request.POST or None)
    context: dict[str, Any] = {"report": report, "form": form, "nav": "reports"}
    if request.method == "POST" and form.is_valid():
        try:
            reward = reward_services.reward_propose(report=report, amount=form.cleaned_data["amount"],
                                                    reason=form.cleaned_data["reason"],
                                                    actor=request.user)  # type: ignore[arg-type]
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The reward is proposed; it now awaits approval."))
            return redirect("reward-detail", reward_id=reward.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "intake/reward_propose.html", context, status=status)


# --- the reward page -----------------------------------------------------------------------------


def _detail_context(request: HttpRequest, reward: Reward, **extra: Any) -> dict[str, Any]:
    user = request.user
    live = reward.state in (RewardState.PROPOSED, RewardState.APPROVED)
    context: dict[str, Any] = {
        "reward": reward,
        "report": reward.report,
        "nav": "reports",
        "endorsements": list(reward_services.reward_endorsements(reward=reward)),
        "steps": list(reward.policy.steps.order_by("order")) if reward.policy else [],
        "next_step": reward_services.reward_next_step(reward=reward),
        "may_approve": reward_services.may_approve(user, reward),
        "may_pay": reward.state == RewardState.APPROVED and reward_services.may_pay(user, reward),
        "may_check": reward.state in reward_services.CLAIMABLE and bool(reward.claim_code_hash)
        and reward_services.may_pay(user, reward),
        "may_void": live and reward_services.may_void(user, reward),
        "approve_form": RewardApproveForm(),
        "pay_form": RewardPayForm(initial={"paid_on": timezone.localdate()}),
        "check_form": ClaimCheckForm(),
        "void_form": ReasonForm(),
        "claim_code": "",
        "check_result": None,
    }
    context.update(extra)
    return context


@login_required
@require_GET
def reward_detail(request: HttpRequest, reward_id: int) -> HttpResponse:
    reward = reward_get_for_user(user=request.user, reward_id=reward_id)
    return render(request, "intake/reward_detail.html", _detail_context(request, reward))


def _refused(request: HttpRequest, reward: Reward, exc: ValidationError | PermissionDenied,
             **extra: Any) -> HttpResponse:
    messages_ = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
    context = _detail_context(request, reward, errors=messages_, **extra)
    return render(request, "intake/reward_detail.html", context, status=403 if isinstance(exc, PermissionDenied)
                  else 400)


@login_required
@require_POST
def reward_approve_view(request: HttpRequest, reward_id: int) -> HttpResponse:
    reward = reward_get_for_user(user=request.user, reward_id=reward_id)
    form = RewardApproveForm(request.POST)
    if not form.is_valid():
        return render(request, "intake/reward_detail.html", _detail_context(request, reward, approve_form=form),
                      status=400)
    try:
        reward = reward_services.reward_approve(reward=reward, actor=request.user,  # type: ignore[arg-type]
                                                comment=form.cleaned_data["comment"])
    except (ValidationError, PermissionDenied) as exc:
        return _refused(request, reward, exc, approve_form=form)
    if reward.state == RewardState.APPROVED:
        messages.success(request, _("The reward is approved."))
    else:
        messages.success(request, _("Your signature is recorded; the reward awaits the next signature."))
    return redirect("reward-detail", reward_id=reward.pk)


@login_required
@require_POST
def reward_pay_view(request: HttpRequest, reward_id: int) -> HttpResponse:
    reward = reward_get_for_user(user=request.user, reward_id=reward_id)
    form = RewardPayForm(request.POST)
    if not form.is_valid():
        return render(request, "intake/reward_detail.html", _detail_context(request, reward, pay_form=form),
                      status=400)
    try:
        payment = reward_services.reward_pay(
            reward=reward, paid_on=form.cleaned_data["paid_on"], method=form.cleaned_data["method"],
            actor=request.user, claim_code=form.cleaned_data["claim_code"],  # type: ignore[arg-type]
        )
    except (ValidationError, PermissionDenied) as exc:
        return _refused(request, reward, exc, pay_form=form)
    reward = reward_get_for_user(user=request.user, reward_id=reward.pk)
    # The claim code (named reporter) is shown in this response only, never again, never cached.
    response = render(request, "intake/reward_detail.html",
                      _detail_context(request, reward, claim_code=payment.claim_code, paid_now=True))
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def reward_check_claim_view(request: HttpRequest, reward_id: int) -> HttpResponse:
    reward = reward_get_for_user(user=request.user, reward_id=reward_id)
    if not reward_services.may_pay(request.user, reward):
        raise PermissionDenied(_("Only the staff of an office covering this report record payments."))
    form = ClaimCheckForm(request.POST)
    if not form.is_valid():
        return render(request, "intake/reward_detail.html", _detail_context(request, reward, check_form=form),
                      status=400)
    ok = reward_services.reward_verify_claim(reward=reward, code=form.cleaned_data["code"],
                                             actor=request.user)  # type: ignore[arg-type]
    response = render(request, "intake/reward_detail.html", _detail_context(request, reward, check_result=ok))
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def reward_void_view(request: HttpRequest, reward_id: int) -> HttpResponse:
    reward = reward_get_for_user(user=request.user, reward_id=reward_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return render(request, "intake/reward_detail.html",
                      _detail_context(request, reward, void_form=form, show_void=True), status=400)
    try:
        reward_services.reward_void(reward=reward, reason=form.cleaned_data["reason"],
                                    actor=request.user)  # type: ignore[arg-type]
    except (ValidationError, PermissionDenied) as exc:
        return _refused(request, reward, exc, void_form=form, show_void=True)
    messages.success(request, _("The reward is void."))
    return redirect("reward-detail", reward_id=reward.pk)
