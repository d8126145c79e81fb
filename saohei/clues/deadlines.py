"""Deadlines and overdue warning levels."""

from __future__ import annotations

import datetime as dt
from enum import IntEnum

from django.utils.translation import gettext_lazy as _

from saohei.clues.models import DeadlineDefault, OffenceCategory
from saohei.orgs.models import Office


class OverdueLevel(IntEnum):
    ON_TIME = 0
    DUE_SOON = 1
    YELLOW = 2  # 1–7 days overdue
    ORANGE = 3  # 8–30 days overdue
    RED = 4  # more than 30 days overdue


OVERDUE_LABELS = {
    OverdueLevel.ON_TIME: _("on time"),
    OverdueLevel.DUE_SOON: _("due soon"),
    OverdueLevel.YELLOW: _("overdue (yellow)"),
    OverdueLevel.ORANGE: _("overdue (orange)"),
    OverdueLevel.RED: _("overdue (red)"),
}


def overdue_level(deadline: dt.date | None, today: dt.date, due_soon_days: int = 3) -> OverdueLevel:
    if deadline is None:
        return OverdueLevel.ON_TIME
    late = (today - deadline).days
    if late <= 0:
        return OverdueLevel.DUE_SOON if -late <= due_soon_days else OverdueLevel.ON_TIME
    if late <= 7:
        return OverdueLevel.YELLOW
    if late <= 30:
        return OverdueLevel.ORANGE
    return OverdueLevel.RED


def default_deadline(*, office: Office, category: OffenceCategory | None, start: dt.date) -> dt.date:
    """The office's default for this category, else its general default."""
    # days=0 marks a rule dropped back to the office default (rules are never deleted).
    rules = {d.category_id: d.days for d in DeadlineDefault.objects.filter(office=office, days__gt=0)}
    days = rules.get(category.pk if category else None) or rules.get(None) or office.default_deadline_days
    return start + dt.timedelta(days=days)
