"""Following up with the receipt: status, feedback, the message thread, adding information and files.

The receipt never appears in a URL, a cookie or the session: it is posted with each request, and the
reply form carries it back in a hidden field of a page that is never cached.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from saohei.intake.attachments import attachments_check, max_file_bytes, max_files, max_total_bytes
from saohei.intake.messages import message_from_reporter, messages_for_report
from saohei.intake.models import Report
from saohei.intake.receipts import LENGTH
from saohei.portal.forms import FollowForm, ReplyForm
from saohei.portal.inbox import report_for_receipt
from saohei.portal.status import reporter_status
from saohei.portal.views.common import portal_page, portal_render, receipt_limits, receipt_typed

MB = 1024 * 1024


def _ask(request: HttpRequest, form: FollowForm, status: int = 200) -> HttpResponse:
    return portal_render(request, "portal/follow_ask.html", {"form": form}, status=status)


def _thread(request: HttpRequest, report: Report, receipt: str, reply: ReplyForm, notice: str = "",
            status: int = 200) -> HttpResponse:
    return portal_render(request, "portal/follow.html", {
        "report": report,
        "status": reporter_status(report.clue),
        "messages_list": list(messages_for_report(report=report)),
        "receipt": receipt,
        "reply": reply,
        "notice": notice,
        "max_files": max_files(), "max_file_mb": max_file_bytes() // MB, "max_total_mb": max_total_bytes() // MB,
    }, status=status)


@csrf_exempt
@portal_page
@csrf_protect
@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _ask(request, FollowForm())
    form = FollowForm(request.POST)
    code, status = receipt_typed(request, form)
    if not code:
        return _ask(request, form, status=status)
    failed = receipt_limits()[1]
    report = report_for_receipt(code=code) if len(code) == LENGTH else None
    if report is None:
        failed(request)
        # One answer for a receipt that never existed and one whose report was voided.
        form.add_error("receipt", _("No report matches this receipt. Check each character and try again."))
        return _ask(request, form, status=400)
    receipt = form.cleaned_data["receipt"].strip()
    if request.POST.get("action") != "reply":
        return _thread(request, report, receipt, ReplyForm())
    reply = ReplyForm(request.POST)
    if not reply.is_valid():
        return _thread(request, report, receipt, reply, status=400)
    try:
        files = attachments_check(request.FILES.getlist("files"))
    except ValidationError as exc:
        for message in exc.messages:
            reply.add_error(None, message)
        reply.add_error(None, _("Nothing was sent. Remove or replace the files named above and send again."))
        return _thread(request, report, receipt, reply, status=400)
    try:
        message_from_reporter(report=report, text=reply.cleaned_data["text"], files=files)
    except ValidationError as exc:
        for message in exc.messages:
            reply.add_error(None, message)
        return _thread(request, report, receipt, reply, status=400)
    finally:
        for checked in files:
            checked.discard()
    return _thread(request, report, receipt, ReplyForm(), notice=_("Your message was sent. Thank you."))
