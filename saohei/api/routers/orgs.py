"""The organisation: jurisdictions (the national code list) and units."""

from __future__ import annotations

from typing import Any, Literal

from django.db.models import Q
from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from saohei.api.auth import caller
from saohei.api.errors import errors
from saohei.api.routers.common import MAX_ID, PageParams, jurisdiction_by_code, page
from saohei.api.schemas import JurisdictionPage, UnitPage
from saohei.orgs.choices import Level, UnitKind
from saohei.orgs.models import Jurisdiction
from saohei.orgs.selectors import unit_list_for_user

router = Router(tags=["organisation"])

LevelCode = Literal[tuple(Level.values)]  # type: ignore[valid-type]
UnitKindCode = Literal[tuple(UnitKind.values)]  # type: ignore[valid-type]


class JurisdictionFilters(Schema):
    parent: str | SkipJsonSchema[None] = Field(None, max_length=12, description="Only the children of this code.")
    within: str | SkipJsonSchema[None] = Field(None, max_length=12,
                                               description="Only this code's subtree (itself included).")
    level: LevelCode | SkipJsonSchema[None] = Field(None)  # type: ignore[valid-type]
    q: str | SkipJsonSchema[None] = Field(None, max_length=100, description="Name contains, or code starts with.")


@router.get("/jurisdictions", response={200: JurisdictionPage, **errors(401, 403, 422)},
            summary="List jurisdictions")
def jurisdiction_list(request: HttpRequest, filters: Query[JurisdictionFilters],
                      paging: Query[PageParams]) -> dict[str, Any]:
    """The administrative divisions (GB/T 2260), ordered by their place in the tree."""
    qs = Jurisdiction.objects.order_by("path")
    if filters.parent:
        qs = qs.filter(parent=jurisdiction_by_code(filters.parent, field="parent"))
    if filters.within:
        qs = qs.filter(path__startswith=jurisdiction_by_code(filters.within, field="within").path)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.q and filters.q.strip():
        term = filters.q.strip()
        qs = qs.filter(Q(name__icontains=term) | Q(code__startswith=term))
    return page(qs, paging)


class UnitFilters(Schema):
    office: int | SkipJsonSchema[None] = Field(None, ge=1, le=MAX_ID, description="Only units of this office (id).")
    jurisdiction: str | SkipJsonSchema[None] = Field(None, max_length=12,
                                                     description="Only units of this code's subtree.")
    kind: UnitKindCode | SkipJsonSchema[None] = Field(None)  # type: ignore[valid-type]
    active: bool | SkipJsonSchema[None] = Field(None, description="Active units only (true) or inactive only (false).")
    q: str | SkipJsonSchema[None] = Field(None, max_length=100, description="Name contains.")


@router.get("/units", response={200: UnitPage, **errors(401, 403, 422)}, summary="List units")
def unit_list(request: HttpRequest, filters: Query[UnitFilters],
              paging: Query[PageParams]) -> dict[str, Any]:
    """Member units of the offices whose organisation the caller may read."""
    qs = unit_list_for_user(caller(request)).order_by("jurisdiction__path", "kind", "name", "pk")
    if filters.office:
        qs = qs.filter(office_id=filters.office)
    if filters.jurisdiction:
        qs = qs.filter(jurisdiction__path__startswith=jurisdiction_by_code(filters.jurisdiction,
                                                                           field="jurisdiction").path)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.active is not None:
        qs = qs.filter(active=filters.active)
    if filters.q and filters.q.strip():
        qs = qs.filter(name__icontains=filters.q.strip())
    return page(qs, paging)
