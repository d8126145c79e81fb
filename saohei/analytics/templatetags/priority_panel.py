"""The priority panel of a clue page (`{% clue_priority clue %}`): score, level, reasons and proposed category."""

from __future__ import annotations

from typing import Any

from django import template

from saohei.analytics.models import ClueScore
from saohei.analytics.priority_labels import categories_shown, offence_names, reasons_shown
from saohei.clues.choices import Priority, State

register = template.Library()

# The triage priority (clues.choices.Priority) an analysed level suggests.
SUGGESTED = {"high": Priority.HIGH, "medium": Priority.NORMAL, "low": Priority.LOW}


@register.inclusion_tag("analytics/_priority.html", takes_context=True)
def clue_priority(context: dict[str, Any], clue: Any) -> dict[str, Any]:
    """Why this clue should (or need not) be verified first, as the analysed score and its reasons."""
    score = ClueScore.objects.filter(clue=clue).select_related("model").first()
    suggested = SUGGESTED.get(score.level) if score is not None else None
    names = offence_names() if score is not None else {}
    return {
        "clue": clue,
        "score": score,
        "reasons": reasons_shown(score.reasons, names=names) if score is not None else [],
        "categories": categories_shown(score.routing_reasons, names=names) if score is not None else [],
        "suggested_priority": Priority(suggested).label if suggested is not None else "",
        "at_triage": clue.state == State.RECEIVED,
        "csrf_token": context.get("csrf_token"),
    }
