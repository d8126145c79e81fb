"""Pagination and path parameters shared by the routers."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Path, Query, Schema
from pydantic import Field

from saohei.api.errors import ApiError
from saohei.orgs.models import Jurisdiction

MAX_ID = 2**62
MAX_LIMIT = 500
EARLIEST = dt.date(1949, 10, 1)
LATEST = dt.date(2999, 12, 31)

Id = Annotated[int, Path(ge=1, le=MAX_ID, description="Record id.")]


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description="Rows per page.")
    offset: int = Field(0, ge=0, le=10**9, description="Rows to skip.")


PageQuery = Query[PageParams]


def page(qs: QuerySet[Any], params: PageParams) -> dict[str, Any]:
    """One page and the total count: two queries whatever the page size."""
    return {
        "count": qs.count(),
        "limit": params.limit,
        "offset": params.offset,
        "items": list(qs[params.offset : params.offset + params.limit]),
    }


def jurisdiction_by_code(code: str, *, field: str) -> Jurisdiction:
    node = Jurisdiction.objects.filter(code=code.strip()).first()
    if node is None:
        raise ApiError(422, _("Unknown jurisdiction code: %(code)s") % {"code": code[:20]},
                       [{"loc": ["query", field], "msg": _("Unknown jurisdiction code."), "type": "unknown"}])
    return node
