"""The ledger framework: one FilterSet drives the list page, the API list, the Excel export
and the drill-down from a figure; one Table renders the page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import django_filters
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_tables2 import RequestConfig, Table

from saohei.core.export import xlsx_response


@dataclass(frozen=True)
class ExportColumn:
    header: Any
    value: Callable[[Any], Any]


@dataclass
class Ledger:
    """A register of one kind of record, restricted to what the user may see."""

    name: str
    title: Any
    queryset: Callable[[HttpRequest], QuerySet[Any]]
    filterset_class: type[django_filters.FilterSet]
    table_class: type[Table]
    export_columns: Sequence[ExportColumn]
    template: str = "core/ledger.html"
    export_url_name: str = ""
    # Filters shown at once; the others wait behind "more filters".
    primary_filters: Sequence[str] = ()

    def filtered(self, request: HttpRequest) -> django_filters.FilterSet:
        return self.filterset_class(request.GET or None, queryset=self.queryset(request), request=request)

    def list_view(self, request: HttpRequest, extra: dict[str, Any] | None = None) -> HttpResponse:
        filterset = self.filtered(request)
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
        if filterset.is_bound and not filterset.is_valid():
            qs = qs.none()
        table = self.table_class(qs)
        RequestConfig(request, paginate={"per_page": settings.SAOHEI_PAGE_SIZE}).configure(table)
        template = self.template
        if getattr(request, "htmx", False) and request.GET.get("partial") == "table":
            template = "core/ledger_table.html"
        context = {
            "ledger": self, "filter": filterset, "table": table, "query": request.GET.urlencode(), **(extra or {}),
        }
        return render(request, template, context)

    def export_view(self, request: HttpRequest) -> HttpResponse:
        filterset = self.filtered(request)
        qs = filterset.qs if not filterset.is_bound or filterset.is_valid() else filterset.queryset.none()
        # The table's column sort (?order=) applies to the export too: the file lists the rows as shown.
        table = self.table_class(qs)
        RequestConfig(request, paginate=False).configure(table)
        ordered = table.data.data
        limit = settings.SAOHEI_EXPORT_MAX_ROWS
        rows = ([col.value(obj) for col in self.export_columns] for obj in ordered[:limit].iterator(chunk_size=2000))
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return xlsx_response(
            filename=f"{self.name}-{stamp}.xlsx",
            title=str(self.title),
            headers=[str(c.header) for c in self.export_columns],
            rows=rows,
        )


def paginate(qs: QuerySet[Any], page: int, per_page: int) -> tuple[list[Any], int]:
    paginator = Paginator(qs, per_page)
    return list(paginator.get_page(page).object_list), paginator.count
