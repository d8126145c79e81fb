"""The six case ledger pages and their Excel exports (the same filters, the same visible rows)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from saohei.cases.imports.columns import REGISTERS
from saohei.cases.ledgers import (
    ASSET_LEDGER,
    CASE_LEDGER,
    FUGITIVE_LEDGER,
    REVIEW_LEDGER,
    SUSPECT_LEDGER,
    UMBRELLA_LEDGER,
    CaseLedger,
)
from saohei.cases.selectors import may_see_umbrellas
from saohei.cases.views.imports import import_url

MAX_PER_PAGE = 500

View = Callable[[HttpRequest], HttpResponse]


def _clamp_per_page(request: HttpRequest) -> None:
    raw = request.GET.get("per_page", "")
    if raw and (not raw.isdigit() or not 1 <= int(raw) <= MAX_PER_PAGE):
        query = request.GET.copy()
        if raw.isdigit():
            query["per_page"] = str(MAX_PER_PAGE)
        else:
            del query["per_page"]
        request.GET = query  # type: ignore[assignment]


def _umbrellas_or_404(request: HttpRequest) -> None:
    if not may_see_umbrellas(request.user):
        raise Http404(_("No such page."))


def _pages(ledger: CaseLedger, *, umbrellas: bool = False) -> tuple[View, View]:
    @login_required
    @require_GET
    def ledger_view(request: HttpRequest) -> HttpResponse:
        if umbrellas:
            _umbrellas_or_404(request)
        _clamp_per_page(request)
        extra: dict[str, Any] = {
            "nav": "cases", "subnav": ledger.name, "may_see_umbrellas": umbrellas or may_see_umbrellas(request.user),
            "import_url": import_url(request.user, ledger.name) if ledger.name in REGISTERS else "",
        }
        return ledger.list_view(request, extra=extra)

    @login_required
    @require_GET
    def export_view(request: HttpRequest) -> HttpResponse:
        if umbrellas:
            _umbrellas_or_404(request)
        return ledger.export_view(request)

    return ledger_view, export_view


case_ledger, case_export = _pages(CASE_LEDGER)
suspect_ledger, suspect_export = _pages(SUSPECT_LEDGER)
umbrella_ledger, umbrella_export = _pages(UMBRELLA_LEDGER, umbrellas=True)
asset_ledger, asset_export = _pages(ASSET_LEDGER)
fugitive_ledger, fugitive_export = _pages(FUGITIVE_LEDGER)
review_ledger, review_export = _pages(REVIEW_LEDGER)
