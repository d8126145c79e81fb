"""The reporter messages panel on the workbench's clue page: `{% clue_reporter_messages clue %}`."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest

from saohei.clues.models import Clue
from saohei.intake.messages import messages_for_report

register = template.Library()


def messages_panel_context(request: HttpRequest, clue: Clue) -> dict[str, Any]:
    from saohei.portal.staff_views import may_answer

    reports = list(
        clue.reports.filter(voided_at__isnull=True).prefetch_related("attachments").order_by("received_at", "pk")
    )
    threads = []
    for report in reports:
        threads.append({
            "report": report,
            "messages": list(messages_for_report(report=report)),
            "files": [a for a in report.attachments.all() if a.message_id is None],
        })
    answerable = [r for r in reports if r.receipt_hash]
    return {
        "clue": clue,
        "threads": threads,
        "answerable": answerable,
        "may_answer": bool(answerable) and may_answer(request.user, clue),
        "message_error": "",
        "message_sent": False,
        "request": request,
    }


@register.inclusion_tag("portal/staff_messages.html", takes_context=True)
def clue_reporter_messages(context: dict[str, Any], clue: Clue) -> dict[str, Any]:
    request = context["request"]
    out = messages_panel_context(request, clue)
    out["csrf_token"] = context.get("csrf_token")
    return out
