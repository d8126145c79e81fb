"""Figures of a jurisdiction subtree over a period: the clue KPIs (saohei.figures.kpis) and the outcome
figures with their bulletin (saohei.figures.outcomes, saohei.figures.bulletin)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from saohei.api.auth import caller
from saohei.api.errors import ApiError, errors
from saohei.api.filters import IsoDate
from saohei.api.routers.common import EARLIEST, LATEST, jurisdiction_by_code
from saohei.api.schemas import ClueFiguresOut, FigureOut, RateOut
from saohei.figures.bulletin import amount_text, bulletin_text, normalise_language
from saohei.figures.kpis import ClueFigures, Figure, FigureSet, Rate, clue_figures
from saohei.figures.outcomes import COUNT_NAMES, Amount, OutcomeFigures, OutcomeSet, outcome_figures

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


def _period(params: FigureParams) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    end = params.end or today
    start = params.start or end.replace(month=1, day=1)
    if end < start:
        raise ApiError(422, _("The period ends before it starts."),
                       [{"loc": ["query", "end"], "msg": _("The period ends before it starts."), "type": "range"}])
    if (end - start).days > MAX_DAYS:
        raise ApiError(422, _("The period is longer than %(days)s days.") % {"days": MAX_DAYS},
                       [{"loc": ["query", "start"], "msg": _("The period is too long."), "type": "range"}])
    return start, end


@router.get("/figures/clues", response={200: ClueFiguresOut, **errors(401, 403, 422)}, summary="Clue figures")
def figures_clues(request: HttpRequest, params: Query[FigureParams]) -> dict[str, Any]:
    """Reports received, valid clues, verification, on-time, overdue, repeat and feedback figures of the
    jurisdiction's subtree over `[start, end]`, counting only what the caller may see (see kpis.md)."""
    jurisdiction = jurisdiction_by_code(params.jurisdiction, field="jurisdiction")
    start, end = _period(params)
    return figures_data(clue_figures(user=caller(request), jurisdiction=jurisdiction, start=start, end=end))


# --- outcomes ------------------------------------------------------------------------------------


class AmountOut(Schema):
    amount: str = Field(description="Sum in yuan (CNY), two decimals, e.g. \"27160000.00\".")
    count: int = Field(description="Number of records summed.")
    text: str = Field(description="The sum as a bulletin writes it in the answer's language: 2716万元, "
                                  "27.16 million yuan.")
    url: str = Field(description="The ledger listing exactly the rows summed.")


class ProtectionOut(Schema):
    opened: FigureOut = Field(description="Officials investigated as protective umbrellas in the period.")
    sanctioned: FigureOut = Field(description="Officials sanctioned in the period.")
    transferred: FigureOut = Field(description="Officials transferred to judicial organs in the period.")


class OutcomeSetOut(Schema):
    filed_mafia_type: FigureOut
    filed_evil_force_gang: FigureOut
    filed_evil_force_group: FigureOut
    destroyed_mafia_type: FigureOut
    destroyed_evil_force_gang: FigureOut
    destroyed_evil_force_group: FigureOut
    destroyed: FigureOut = Field(description="Organisations of the three types destroyed.")
    cases_solved: FigureOut
    suspects_detained: FigureOut
    suspects_arrested: FigureOut
    suspects_captured: FigureOut
    suspects_surrendered: FigureOut
    assets_secured: AmountOut
    cases_indicted: FigureOut
    persons_indicted: FigureOut
    cases_first_judgment: FigureOut
    cases_effective_judgment: FigureOut
    persons_judged: FigureOut
    fugitives_listed: FigureOut = Field(description="Target fugitives listed up to the end of the period.")
    fugitives_listed_earlier: FigureOut
    fugitives_listed_new: FigureOut
    fugitives_caught: FigureOut
    clues_concluded: FigureOut
    clues_formed_case: FigureOut
    clues_referred: FigureOut
    clues_referred_verified: FigureOut
    fugitive_arrest_rate: RateOut
    case_rate: RateOut
    referred_verified_rate: RateOut
    protection: ProtectionOut | None = Field(
        description="Protective umbrellas; null for callers who may not see protection cases."
    )


class OutcomeChildOut(Schema):
    code: str
    name: str
    own_level: bool
    figures: OutcomeSetOut


class OutcomeFiguresOut(Schema):
    jurisdiction: str
    jurisdiction_name: str
    start: dt.date
    end: dt.date
    today: dt.date
    language: str = Field(description="The language of the bulletin and of the amounts' text.")
    bulletin: str = Field(description="The figures as a bulletin paragraph (通报), zero figures left out.")
    totals: OutcomeSetOut
    by_child: list[OutcomeChildOut]
    earlier_listing_years: list[int] | None = Field(
        description="First and last year in which the fugitives listed before the period were listed."
    )
    secured_states: list[str] = Field(description="States (sealed, seized, frozen) the assets counted are in.")


def _amount(a: Amount, language: str) -> dict[str, Any]:
    try:
        url = a.url
    except NoReverseMatch:
        url = ""
    return {"amount": f"{a.value:.2f}", "count": a.count, "text": amount_text(a.value, language), "url": url}


def _outcome_set(t: OutcomeSet, language: str) -> dict[str, Any]:
    out: dict[str, Any] = {name: _figure(getattr(t, name)) for name in COUNT_NAMES}
    out["assets_secured"] = _amount(t.assets_secured, language)
    for name in ("fugitive_arrest_rate", "case_rate", "referred_verified_rate"):
        out[name] = _rate(getattr(t, name))
    p = t.protection
    out["protection"] = None if p is None else {
        "opened": _figure(p.opened), "sanctioned": _figure(p.sanctioned), "transferred": _figure(p.transferred)
    }
    return out


def outcomes_data(figures: OutcomeFigures, language: str) -> dict[str, Any]:
    return {
        "jurisdiction": figures.jurisdiction.code,
        "jurisdiction_name": figures.jurisdiction.name,
        "start": figures.start,
        "end": figures.end,
        "today": figures.today,
        "language": language,
        "bulletin": bulletin_text(figures, language=language),
        "totals": _outcome_set(figures.totals, language),
        "by_child": [{"code": c.code, "name": c.name, "own_level": c.own_level,
                      "figures": _outcome_set(c.figures, language)} for c in figures.by_child],
        "earlier_listing_years": list(figures.earlier_listing_years) if figures.earlier_listing_years else None,
        "secured_states": list(figures.secured_states),
    }


@router.get("/figures/outcomes", response={200: OutcomeFiguresOut, **errors(401, 403, 422)},
            summary="Outcome figures and bulletin")
def figures_outcomes(request: HttpRequest, params: Query[FigureParams]) -> dict[str, Any]:
    """Organisations destroyed by type, suspects detained, arrested and captured, cases solved, assets
    sealed, seized or frozen, prosecution and trial, protection cases (only for callers who may see
    them), target fugitives and their arrest rate, the case rate of clues and the referred clues, of the
    jurisdiction's subtree over `[start, end]`, counting only what the caller may see; and the bulletin
    paragraph written from them in the answer's language (`?lang=` or `Accept-Language`)."""
    jurisdiction = jurisdiction_by_code(params.jurisdiction, field="jurisdiction")
    start, end = _period(params)
    language = normalise_language(get_language())
    figures = outcome_figures(user=caller(request), jurisdiction=jurisdiction, start=start, end=end)
    return outcomes_data(figures, language)
