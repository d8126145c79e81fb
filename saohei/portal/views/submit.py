"""Submitting a report: choose the place step by step, fill in the guided form, get the receipt once."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from saohei.intake.attachments import attachments_check, max_file_bytes, max_files, max_total_bytes
from saohei.portal.abuse import challenge_context, challenge_error_message, challenge_passed, submission_allowed
from saohei.portal.forms import SubmitForm
from saohei.portal.inbox import submission_accept
from saohei.portal.places import place_for_code, place_label, place_step, place_unknown
from saohei.portal.services import Submission
from saohei.portal.tasks import inbox_wake
from saohei.portal.views.common import client_address, error_page, portal_page, portal_render

MB = 1024 * 1024


def _limits() -> dict[str, int]:
    return {"max_files": max_files(), "max_file_mb": max_file_bytes() // MB, "max_total_mb": max_total_bytes() // MB}


@require_GET
@portal_page
def home(request: HttpRequest) -> HttpResponse:
    return portal_render(request, "portal/home.html", {})


@require_GET
@portal_page
def done(request: HttpRequest) -> HttpResponse:
    return portal_render(request, "portal/done.html", {})


def _form_page(request: HttpRequest, form: SubmitForm, place_code: str, status: int = 200,
               force_challenge: bool = False) -> HttpResponse:
    place = place_for_code(place_code)
    return portal_render(request, "portal/submit.html", {
        "form": form,
        "place": place,
        "place_text": place_label(place) if place else "",
        **_limits(),
        **challenge_context(request, force=force_challenge),
    }, status=status)


def _place_page(request: HttpRequest) -> HttpResponse:
    step = place_step(request.GET.get("at"))
    unknown = place_unknown()
    return portal_render(request, "portal/place.html", {
        "step": step, "unknown": unknown,
        "node_text": place_label(step.node) if step.node is not None and step.node.parent_id else "",
    })


def _received(request: HttpRequest, code: str) -> HttpResponse:
    # The receipt exists in clear only in this response: not in a URL, a cookie, the session or the database.
    return portal_render(request, "portal/received.html", {"code": code, "repeat": not code})


@csrf_exempt
@portal_page
@csrf_protect
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        code = request.GET.get("place", "")
        if code and place_for_code(code) is not None:
            form = SubmitForm(initial={"place": code, "idempotency_key": secrets.token_hex(16)})
            return _form_page(request, form, code)
        step = place_step(request.GET.get("at"))
        if step.node is not None and step.choosable and not step.children and request.GET.get("at"):
            form = SubmitForm(initial={"place": step.node.code, "idempotency_key": secrets.token_hex(16)})
            return _form_page(request, form, step.node.code)
        return _place_page(request)

    form = SubmitForm(request.POST)
    place_code = request.POST.get("place", "")
    decision = submission_allowed(request)
    if not decision.allowed:
        response = error_page(request, decision.message, 429)
        if decision.retry_after:
            response["Retry-After"] = str(decision.retry_after)
        return response
    if decision.needs_challenge and not challenge_passed(request):
        form.is_valid()
        form.add_error(None, challenge_error_message())
        return _form_page(request, form, place_code, status=400, force_challenge=True)
    if not form.is_valid():
        return _form_page(request, form, place_code, status=400)
    data: dict[str, Any] = form.cleaned_data
    place = place_for_code(data["place"])
    if place is None:
        form.add_error(None, _("Choose the place again: no office receives reports for the place given."))
        return _form_page(request, form, "", status=400)
    try:
        files = attachments_check(request.FILES.getlist("files"))
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        form.add_error(None, _("Nothing was sent. Remove or replace the files named above and send again."))
        return _form_page(request, form, place_code, status=400)
    submission = Submission(
        place=place, content=data["content"], subject=data["subject"], persons=data["persons"],
        location_text=data["location_text"], when=data["when"], protection=data["protection"],
        protectors=data["protectors"], evidence=data["evidence"], name=data["name"], contact=data["contact"],
        idempotency_key=data["idempotency_key"],
    )
    try:
        accepted = submission_accept(submission=submission, files=files, client_address=client_address(request))
    finally:
        for checked in files:
            checked.discard()
    # The receipt is shown only now that the submission is committed; registering it is the worker's.
    inbox_wake()
    return _received(request, accepted.code)
