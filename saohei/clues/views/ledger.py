"""The clue ledger page and its Excel export (the same filters, the same visible rows)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from saohei.clues.ledgers import CLUE_LEDGER

MAX_PER_PAGE = 500


@login_required
@require_GET
def clue_ledger(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("per_page", "")
    if raw and (not raw.isdigit() or not 1 <= int(raw) <= MAX_PER_PAGE):
        query = request.GET.copy()
        query["per_page"] = str(MAX_PER_PAGE) if raw.isdigit() else ""
        if not query["per_page"]:
            del query["per_page"]
        request.GET = query  # type: ignore[assignment]
    return CLUE_LEDGER.list_view(request, extra={"nav": "clues"})


@login_required
@require_GET
def clue_export(request: HttpRequest) -> HttpResponse:
    return CLUE_LEDGER.export_view(request)
