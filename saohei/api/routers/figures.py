"""Figures: the clue KPIs of a jurisdiction subtree over a period (saohei.figures.kpis)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from saohei.api.auth import caller
from saohei.api.errors import ApiError, errors
from saohei.api.filters import IsoDate
from saohei.api.routers.common import EARLIEST, LATEST, jurisdiction_by_code
from saohei.api.schemas import ClueFiguresOut
from saohei.figures.kpis import ClueFigures, Figure, FigureSet, Rate, clue_figures

router = Router(tags=["figures"])

MAX_DAYS = 3660
COUNTS = ("reports_received", "triaged", "valid", "assigned", "concluded", "due", "on_time", "overdue", "created",
          "repeat", "public_reachable", "feedback_given")
RATES = ("valid_rate", "verification_rate", "on_time_rate", "repeat_rate", "feedback_rate")


class FigureParams(Schema):
    jurisdiction: str = Field(min_length=1, max_length=12, description="Code of the subtree's root.")
    start: IsoDate | SkipJsonSchema[None] = Field(None, ge=EARLIEST, le=LATEST,
                                                  description="First day (default: 1 January).")
    end: IsoDate | SkipJsonSchema[None] = Field(None, ge=EARLIEST, le=LATEST,
                                                description="Last day, included (default: today).")


def _figure(f: Figure) -> dict[str, Any]:
    try:
        url = f.url
    except NoReverseMatch:
        url = ""
    return {"value": f.value, "url": url}


def _rate(r: Rate) -> dict[str, Any]:
    return {"numerator": r.numerator.value, "denominator": r.denominator.value, "value": r.value,
            "percent": r.percent}


def _set(fs: FigureSet) -> dict[str, Any]:
    return {**{n: _figure(getattr(fs, n)) for n in COUNTS}, **{n: _rate(getattr(fs, n)) for n in RATES}}


def figures_data(figures: ClueFigures) -> dict[str, Any]:
    return {
        "jurisdiction": figures.jurisdiction.code,
        "jurisdiction_name": figures.jurisdiction.name,
        "start": figures.start,
        "end": figures.end,
        "today": figures.today,
        "totals": _set(figures.totals),
        "by_child": [{"code": c.code, "name": c.name, "own_level": c.own_level, "figures": _set(c.figures)}
                     for c in figures.by_child],
        "overdue_by_unit": [{"unit_id": u.unit_id, "unit_name": u.unit_name, "parent_name": u.parent_name,
                             "count": _figure(u.count)} for u in figures.overdue_by_unit],
        "trend": [{"label": w.label, "start": w.start, "end": w.end,
                   "reports_received": _figure(w.reports_received), "valid": _figure(w.valid),
                   "concluded": _figure(w.concluded)} for w in figures.trend],
    }


@router.get("/figures/clues", response={200: ClueFiguresOut, **errors(401, 403, 422)}, summary="Clue figures")
def figures_clues(request: HttpRequest, params: Query[FigureParams]) -> dict[str, Any]:
    """Reports received, valid clues, verification, on-time, overdue, repeat and feedback figures of the
    jurisdiction's subtree over `[start, end]`, counting only what the caller may see (see kpis.md)."""
    jurisdiction = jurisdiction_by_code(params.jurisdiction, field="jurisdiction")
    today = timezone.localdate()
    end = params.end or today
    start = params.start or end.replace(month=1, day=1)
    if end < start:
        raise ApiError(422, _("The period ends before it starts."),
                       [{"loc": ["query", "end"], "msg": _("The period ends before it starts."), "type": "range"}])
    if (end - start).days > MAX_DAYS:
        raise ApiError(422, _("The period is longer than %(days)s days.") % {"days": MAX_DAYS},
                       [{"loc": ["query", "start"], "msg": _("The period is too long."), "type": "range"}])
    return figures_data(clue_figures(user=caller(request), jurisdiction=jurisdiction, start=start, end=end))
