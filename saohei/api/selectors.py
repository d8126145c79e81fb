"""What the API reads, beyond the apps' own selectors."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from saohei.clues.models import Clue
from saohei.intake.models import Report


def report_list_for_user(*, user: Any) -> QuerySet[Report]:
    """Reports whose clue the user may see (the rule of the figures' report counts); all for a superuser."""
    qs = Report.objects.select_related("office", "jurisdiction", "clue", "reporter")
    if not getattr(user, "is_superuser", False):
        qs = qs.filter(clue__in=Clue.objects.visible_to(user).values("pk"))
    return qs
