"""Browsing the jurisdiction tree (GB/T 2260): children of a node, its ancestors, search."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from saohei.orgs.models import Jurisdiction
from saohei.orgs.selectors import (
    jurisdiction_ancestors,
    jurisdiction_children,
    jurisdiction_level_counts,
    jurisdiction_root,
    jurisdiction_search,
    may_create_office,
    may_read_path,
)
from saohei.orgs.views.common import org_view


@org_view
def jurisdiction_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    root = jurisdiction_root()
    context = {
        "nav": "orgs",
        "q": q,
        "root": root,
        "results": list(jurisdiction_search(q)) if q else None,
        "children": list(jurisdiction_children(root)) if root is not None else [],
        "counts": jurisdiction_level_counts(),
    }
    return render(request, "orgs/jurisdiction_list.html", context)


@org_view
def jurisdiction_detail(request: HttpRequest, code: str) -> HttpResponse:
    node = get_object_or_404(Jurisdiction, code=code)
    office = getattr(node, "office", None)
    context = {
        "nav": "orgs",
        "node": node,
        "ancestors": jurisdiction_ancestors(node),
        "children": list(jurisdiction_children(node)),
        "counts": jurisdiction_level_counts(node),
        "office": office,
        "office_readable": office is not None and may_read_path(request.user, node.path),
        "may_create_office": office is None and node.level != "national" and may_create_office(request.user, node),
    }
    return render(request, "orgs/jurisdiction_detail.html", context)
