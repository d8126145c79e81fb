"""What analysts read: repeat candidates, restricted to what the user may see."""

from __future__ import annotations

from django.contrib.auth.models import User

from saohei.analytics.models import RepeatMatch
from saohei.clues.models import Clue


def repeat_candidates_for_clue(*, clue: Clue, user: User) -> list[RepeatMatch]:
    """The candidates of the clue's reports whose earlier report's clue the user may see."""
    visible = Clue.objects.visible_to(user).values("pk")
    return list(RepeatMatch.objects.filter(report__clue=clue, earlier__clue__in=visible)
                .select_related("earlier__clue", "report", "decided_by").order_by("-similarity", "pk"))
