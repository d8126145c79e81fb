"""Staff answering a reporter from the clue page, and downloading the files reporters sent."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from saohei.clues.models import Clue
from saohei.clues.policies import may_move
from saohei.clues.selectors import clue_get_for_user
from saohei.clues.workflow import move_get
from saohei.intake.attachments import EXTENSIONS, attachment_open, attachment_path
from saohei.intake.messages import message_to_reporter
from saohei.intake.models import Attachment
from saohei.portal.templatetags.portal_staff import messages_panel_context


def _workbench_only() -> None:
    if "workbench" not in settings.SAOHEI_SERVE:
        raise Http404


def may_answer(user: object, clue: Clue) -> bool:
    """Office staff covering the clue, or the unit verifying it."""
    return may_move(user, move_get("feedback"), clue) or may_move(user, move_get("report_progress"), clue)  # type: ignore[arg-type]


@login_required
@require_POST
def clue_message_send(request: HttpRequest, clue_pk: int) -> HttpResponse:
    _workbench_only()
    clue = clue_get_for_user(user=request.user, clue_id=clue_pk)
    if not may_answer(request.user, clue):
        raise PermissionDenied(_("You may not write to the reporters of this clue."))
    report = clue.reports.filter(pk=request.POST.get("report") or 0).first() if (
        (request.POST.get("report") or "").isdigit()) else None
    error = ""
    if report is None:
        error = _("Choose the report whose reporter you answer.")
    else:
        try:
            message_to_reporter(report=report, text=request.POST.get("text", ""), actor=request.user)  # type: ignore[arg-type]
        except ValidationError as exc:
            error = " ".join(exc.messages)
    if request.headers.get("HX-Request"):
        context = messages_panel_context(request, clue)
        context["message_error"] = error
        context["message_sent"] = not error
        return render(request, "portal/staff_messages.html", context, status=400 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Your message to the reporter was sent."))
    return HttpResponseRedirect(reverse("clue-detail", kwargs={"pk": clue.pk}) + "#reporter-messages")


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    _workbench_only()
    attachment = Attachment.objects.select_related("report").filter(pk=pk).first()
    if attachment is None or attachment.report.clue_id is None:
        raise Http404(_("No such file."))
    clue_get_for_user(user=request.user, clue_id=attachment.report.clue_id)  # 404 when not visible
    if not attachment_path(attachment).is_file():
        raise Http404(_("No such file."))
    extension = EXTENSIONS.get(attachment.content_type, "bin")
    name = f"{attachment.report.number or attachment.report.pk}-{attachment.pk}.{extension}"
    response = FileResponse(attachment_open(attachment=attachment, actor=request.user), as_attachment=True,
                            filename=name, content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
