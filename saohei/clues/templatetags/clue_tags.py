"""Small pieces of clue markup shared by the ledger, the inbox and the clue page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from saohei.clues.choices import State
from saohei.clues.deadlines import OVERDUE_LABELS, OverdueLevel, overdue_level
from saohei.clues.workflow import MOVES_BY_NAME

register = template.Library()

# Timeline actions that are not moves of the workflow table.
EXTRA_ACTIONS: dict[str, Any] = {
    "receive": _("received"),
    "attach_report": _("report attached"),
}


def deadline_level(
    deadline: dt.date | None, due_soon_days: int = 3, today: dt.date | None = None
) -> OverdueLevel:
    return overdue_level(deadline, today or timezone.localdate(), due_soon_days)


@register.simple_tag
def state_badge(state: str) -> SafeString:
    """The clue state as a coloured badge."""
    try:
        label: Any = State(state).label
    except ValueError:
        label = state
    return format_html('<span class="badge state-{}">{}</span>', state, label)


@register.simple_tag
def deadline_badge(deadline: dt.date | None, due_soon_days: int = 3) -> SafeString:
    """The deadline with its overdue warning level (CSS overdue-<n>)."""
    if deadline is None:
        return format_html('<span class="muted">{}</span>', "—")
    level = deadline_level(deadline, due_soon_days)
    return format_html(
        '<span class="badge overdue-{}" title="{}">{} · {}</span>',
        int(level),
        OVERDUE_LABELS[level],
        deadline.isoformat(),
        OVERDUE_LABELS[level],
    )


@register.filter
def action_label(action: str) -> Any:
    """The human name of a timeline action."""
    move = MOVES_BY_NAME.get(action)
    if move is not None:
        return move.label
    return EXTRA_ACTIONS.get(action, action)


@register.filter
def display_name(user: Any) -> str:
    """A person's display name (the profile's), else the username."""
    if user is None:
        return "—"
    profile = getattr(user, "profile", None)
    name = getattr(profile, "display_name", "") if profile is not None else ""
    return str(name or user.get_username())


@register.simple_tag
def move_url(clue: Any, move_name: str, assignment: Any = None) -> str:
    """The URL of a move's form, naming the track for track-level moves."""
    from django.urls import reverse

    url = reverse("clue-move", kwargs={"pk": clue.pk, "name": move_name})
    return f"{url}?assignment={assignment.pk}" if assignment is not None else url


@register.simple_tag
def clue_row(table: Any, record: Any) -> SafeString:
    from saohei.clues.tables import clue_ledger_row

    return clue_ledger_row(table, record)
