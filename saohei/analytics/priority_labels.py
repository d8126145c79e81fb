"""A kept priority and routing in the reader's language: each reason code has a gettext template.

The pure module (priority.py) keeps English and Chinese templates for the benchmark and the command line; the
pages read these instead, so the three interface languages come from the catalogues like every other string.
Category names come from the offence categories (zh-hans, zh-hant, en) or the routing taxonomy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language, gettext, pgettext

from saohei.analytics.taxonomy import OTHER, taxonomy_load
from saohei.clues.models import OffenceCategory


def _templates() -> dict[str, str]:
    return {
        "category": gettext("Offence category: %(category)s (confidence %(confidence)s)"),
        "not_gang_related": gettext("Not gang-related by itself: transfer to the competent department"),
        "persons_named": gettext("%(count)s person(s) named"),
        "places": gettext("%(count)s place(s) given"),
        "dates": gettext("%(count)s date(s) or time(s) given"),
        "identifiers": gettext("%(count)s identifier(s): phone, ID number, plate or account"),
        "vague": gettext("No names, places, dates or identifiers to check"),
        "violence": gettext("Violence described: %(words)s"),
        "weapons": gettext("Weapons mentioned: %(words)s"),
        "minors": gettext("Minors involved: %(words)s"),
        "officials_named": gettext("%(count)s official(s) named %(words)s"),
        "protective_umbrella": gettext("Possible protective umbrella: %(words)s"),
        "corroborated": gettext("%(count)s entity(ies) already in other clues or cases"),
        "independent_repeats": gettext("Reported independently %(count)s more time(s)"),
        "reporter_reachable": gettext("The reporter can be reached for questioning"),
    }


def _language() -> str:
    lang = (get_language() or "zh-hans").lower()
    return "en" if lang.startswith("en") else "zh_hant" if lang in {"zh-hant", "zh-tw", "zh-hk"} else "zh_hans"


def offence_names() -> dict[str, str]:
    """Every offence category's name in the reader's language, by code (one query for a whole panel)."""
    return {category.code: str(category) for category in OffenceCategory.objects.all()}


def category_name(code: str, *, names: Mapping[str, str] | None = None) -> str:
    """An offence category (clues' codes) or one of the nine routing categories, in the reader's language;
    `names` from `offence_names` saves the query."""
    if not code:
        return "—"
    name = (names if names is not None else offence_names()).get(code)
    if name is not None:
        return name
    taxonomy = taxonomy_load()
    if code in taxonomy.coarse_codes:
        coarse = taxonomy.coarse(code)
        return {"en": coarse.en, "zh_hant": coarse.zh_hant}.get(_language(), coarse.zh_hans)
    return code


def _percent(value: Any) -> str:
    try:
        return f"{round(float(value) * 100)} %" if _language() == "en" else f"{round(float(value) * 100)}%"
    except (TypeError, ValueError):
        return "—"


def priority_reason_text(reason: Mapping[str, Any], *, names: Mapping[str, str] | None = None) -> str:
    """One kept reason ({"code", "weight", "params"}) as a sentence; an unknown code is shown as written."""
    code = str(reason.get("code", ""))
    params = dict(reason.get("params") or {})
    template = _templates().get(code)
    if template is None:
        return code
    if code == "category":
        params = {"category": category_name(str(params.get("category", "")), names=names),
                  "confidence": _percent(params.get("confidence"))}
    params.setdefault("words", "")
    params.setdefault("count", "")
    return (template % params).strip()


@dataclass(frozen=True)
class ShownReason:
    code: str
    text: str
    weight: float


@dataclass(frozen=True)
class ShownCategory:
    code: str
    name: str
    confidence: str
    source: str
    phrases: tuple[str, ...]


def reasons_shown(reasons: list[dict[str, Any]], *, names: Mapping[str, str] | None = None) -> list[ShownReason]:
    names = names if names is not None else offence_names()
    return [ShownReason(code=str(r.get("code", "")), text=priority_reason_text(r, names=names),
                        weight=float(r.get("weight", 0))) for r in reasons]


def source_label(source: str) -> str:
    return pgettext("routing source", "learned model") if source == "model" else pgettext("routing source", "rules")


def categories_shown(routing_reasons: list[dict[str, Any]], *,
                     names: Mapping[str, str] | None = None) -> list[ShownCategory]:
    """The proposed categories, best first, with the phrases that matched (what the analyst can argue with)."""
    names = names if names is not None else offence_names()
    shown = []
    for routed in routing_reasons:
        code = routed.get("offence") or routed.get("coarse") or OTHER
        phrases = tuple(dict.fromkeys(str(hit[1]) for hit in routed.get("hits", []) if hit))
        shown.append(ShownCategory(code=str(code), name=category_name(str(code), names=names),
                                   confidence=_percent(routed.get("confidence")),
                                   source=source_label(str(routed.get("source", "rules"))), phrases=phrases))
    return shown
