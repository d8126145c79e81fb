from __future__ import annotations

from typing import Any

from django import template

from saohei.analytics.selectors import repeat_candidates_for_clue
from saohei.analytics.services import may_decide_repeat
from saohei.clues.choices import State

register = template.Library()

REASON_KINDS = ("similar-text", "same-phone", "same-id-number", "same-plate", "same-bank-account", "same-company")


@register.inclusion_tag("analytics/_repeats.html", takes_context=True)
def clue_repeats(context: dict[str, Any], clue: Any) -> dict[str, Any]:
    """On a clue's page: earlier reports its reports may repeat, with the similarity and the reasons."""
    user = context["request"].user
    matches = repeat_candidates_for_clue(clue=clue, user=user)
    return {
        "clue": clue,
        "matches": matches,
        "may_decide": bool(matches) and may_decide_repeat(user, matches[0]),
        "may_confirm": clue.state == State.RECEIVED,
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def reason_label(reason: Any) -> str:
    """A reason as the analyst reads it: 'same phone 13812345678', 'similar text'."""
    from saohei.analytics.labels import reason_text

    return reason_text(reason)
