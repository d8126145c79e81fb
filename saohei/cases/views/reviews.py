"""Accountability reviews: the review page, its finding, and opening one from the questioned clue's page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from saohei.cases import services
from saohei.cases.choices import ReviewState
from saohei.cases.forms import DecideForm, ReviewOpenPageForm
from saohei.cases.models import AccountabilityReview, Case
from saohei.cases.policies import may_decide_review, who_may_decide_review
from saohei.cases.selectors import case_visibility_filter, review_list_for_user
from saohei.cases.views.moves import form_response
from saohei.clues.models import Clue
from saohei.clues.selectors import clue_get_for_user


def _review(request: HttpRequest, pk: int) -> AccountabilityReview:
    review = (review_list_for_user(user=request.user).filter(pk=pk)
              .select_related("clue__office__jurisdiction", "case", "opened_by__profile", "decided_by__profile")
              .first())
    if review is None:
        raise Http404(_("No such review."))
    return review


def _page(request: HttpRequest, review: AccountabilityReview, notice: str = "") -> dict[str, Any]:
    may_decide = review.state == ReviewState.OPEN and may_decide_review(request.user, review)
    return {
        "nav": "cases", "review": review, "notice": notice, "may_decide": may_decide,
        "signers": list(review.signers.select_related("signer__profile").order_by("signed_at", "pk")),
        "deciders": list(who_may_decide_review(review)[:20])
        if review.state == ReviewState.OPEN else [],
        "clue_visible": Clue.objects.visible_to(request.user).filter(pk=review.clue_id).exists(),
    }


@login_required
@require_GET
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    return render(request, "cases/review_detail.html", _page(request, review))


@login_required
@require_http_methods(["GET", "POST"])
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    context: dict[str, Any] = {
        "title": _("Record the finding"), "subject": _("Accountability review of clue %(number)s")
        % {"number": review.clue.number},
        "action_url": reverse("review-decide", kwargs={"pk": review.pk}), "hx_target": "#review-panel",
        "back_url": reverse("review-detail", kwargs={"pk": review.pk}), "submit_label": _("Record the finding"),
    }
    if review.state != ReviewState.OPEN or not may_decide_review(request.user, review):
        message = (_("A finding was already recorded on this review.") if review.state != ReviewState.OPEN else
                   _("This review is decided by the director or a supervisor of the clue's office or an office above "
                     "it, and never by one who signed the conclusion."))
        return form_response(request, {**context, "form": None, "errors": [message]}, status=403)
    form = DecideForm(request.POST if request.method == "POST" else None, review=review)
    if request.method == "GET":
        return form_response(request, {**context, "form": form, "errors": []})
    if not form.is_valid():
        return form_response(request, {**context, "form": form, "errors": []}, status=422)
    try:
        services.accountability_review_decide(actor=request.user, review=review,  # type: ignore[arg-type]
                                              finding=form.cleaned_data["finding"],
                                              finding_text=form.cleaned_data["finding_text"],
                                              signer_findings=form.signer_findings())
    except ValidationError as exc:
        return form_response(request, {**context, "form": form, "errors": exc.messages}, status=422)
    except PermissionDenied as exc:
        return form_response(request, {**context, "form": form, "errors": [str(exc)]}, status=403)
    notice = _("The finding is recorded.")
    review = _review(request, pk)
    if getattr(request, "htmx", False):
        return render(request, "cases/move_done_review.html", _page(request, review, notice=notice))
    messages.success(request, notice)
    return redirect("review-detail", pk=review.pk)


@login_required
@require_http_methods(["GET", "POST"])
def review_open(request: HttpRequest) -> HttpResponse:
    """From the page of a clue concluded unsubstantiated: name the case that established its facts."""
    raw = request.POST.get("clue", "") or request.GET.get("clue", "")
    if not raw.isdigit() or int(raw) >= 2**62:
        raise Http404(_("No such clue."))
    clue = clue_get_for_user(user=request.user, clue_id=int(raw))
    context: dict[str, Any] = {
        "title": _("Open an accountability review"), "subject": f"{clue.number} {clue.title}",
        "action_url": f"{reverse('review-open')}?clue={clue.pk}", "hx_target": "",
        "back_url": reverse("clue-detail", kwargs={"pk": clue.pk}), "submit_label": _("Open the review"),
    }
    form = ReviewOpenPageForm(request.POST if request.method == "POST" else None,
                              initial={"case": request.GET.get("case", "")})
    if request.method == "GET" or not form.is_valid():
        return form_response(request, {**context, "form": form, "errors": []},
                             status=422 if request.method == "POST" else 200)
    ref = form.cleaned_data["case"].strip()
    case = Case.objects.filter(case_visibility_filter(request.user)).filter(number=ref).first()
    try:
        if case is None:
            raise ValidationError(_("No such case."))
        review = services.accountability_review_open(actor=request.user, clue=clue, case=case,  # type: ignore[arg-type]
                                                     reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        return form_response(request, {**context, "form": form, "errors": exc.messages}, status=422)
    except PermissionDenied as exc:
        return form_response(request, {**context, "form": form, "errors": [str(exc)]}, status=403)
    messages.success(request, _("Clue %(number)s and its signers are under accountability review.")
                     % {"number": clue.number})
    return redirect("review-detail", pk=review.pk)
