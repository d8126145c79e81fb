"""Recording a report received through any staff channel; the receipt is shown once."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from saohei.clues.services import report_receive
from saohei.intake.forms import SOURCE_REFERENCE_HELP, STAFF_CHANNELS, ReportForm
from saohei.intake.models import Report
from saohei.intake.services import reporter_create
from saohei.intake.views.access import intake_offices
from saohei.orgs.models import Jurisdiction


def _scoped_key(user_id: str, key: str) -> str:
    """Keys are per user, so one person's form can never return another person's report."""
    return f"u{user_id}:{key}"


def _form_context(form: ReportForm, offices: Any) -> dict[str, Any]:
    paths = [o.jurisdiction.path for o in offices]
    places = Jurisdiction.objects.none()
    for path in paths:
        places = places | Jurisdiction.objects.filter(path__startswith=path)
    channel = form["channel"].value() or ""
    return {
        "form": form,
        "nav": "reports",
        "channels": STAFF_CHANNELS,
        "current_channel": channel,
        "source_help": {str(k): str(v) for k, v in SOURCE_REFERENCE_HELP.items()},
        "places": places.order_by("path")[:500],
    }


def _already_recorded(request: HttpRequest, report: Report) -> HttpResponse:
    response = render(
        request,
        "intake/report_received.html",
        {"report": report, "clue": report.clue, "code": "", "repeat": True, "nav": "reports"},
    )
    add_never_cache_headers(response)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest) -> HttpResponse:
    offices = intake_offices(request.user)
    if not offices.exists():
        raise PermissionDenied(_("You may not record reports."))
    if request.method != "POST":
        initial = {}
        if request.GET.get("channel") in {c for c, _label in STAFF_CHANNELS}:
            initial["channel"] = request.GET["channel"]
        form = ReportForm(initial=initial, offices=offices)
        return render(request, "intake/report_form.html", _form_context(form, offices))

    form = ReportForm(request.POST, offices=offices)
    if not form.is_valid():
        return render(request, "intake/report_form.html", _form_context(form, offices), status=400)
    data = form.cleaned_data
    key = _scoped_key(str(request.user.pk), data["idempotency_key"])
    existing = Report.objects.filter(idempotency_key=key).select_related("clue").first()
    if existing is not None:
        return _already_recorded(request, existing)
    try:
        with transaction.atomic():
            reporter = None
            if data["reporter_name"] or data["reporter_contact"] or data["reporter_id_number"]:
                reporter = reporter_create(
                    name=data["reporter_name"],
                    contact=data["reporter_contact"],
                    id_number=data["reporter_id_number"],
                )
            report, clue, code = report_receive(
                office=data["office"],
                jurisdiction=data["jurisdiction_obj"],
                channel=data["channel"],
                subject=data["subject"],
                content=data["content"],
                actor=request.user,  # type: ignore[arg-type]
                received_at=data["received_at"],
                reporter=reporter,
                location_text=data["location_text"],
                source_reference=data["source_reference"],
                idempotency_key=key,
            )
    except IntegrityError:
        # The same form was submitted twice at once: the other request stored it.
        existing = Report.objects.filter(idempotency_key=key).select_related("clue").first()
        if existing is None:
            raise
        return _already_recorded(request, existing)
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return render(request, "intake/report_form.html", _form_context(form, offices), status=400)
    if not code:
        return _already_recorded(request, report)
    # The receipt code exists in clear only in this response: not in the URL, the session or the database.
    response = render(
        request,
        "intake/report_received.html",
        {"report": report, "clue": clue, "code": code, "repeat": False, "nav": "reports"},
    )
    add_never_cache_headers(response)
    return response
