"""Thin tasks around the clue scores: computed off the request, after the clue's entities are read."""

from __future__ import annotations

from django_tasks import task

from saohei.analytics.scoring import clue_score_update


@task()
def clue_score_task(clue_id: int) -> int | None:
    """Score one clue again; returns its score (None for a clue that no longer exists)."""
    score = clue_score_update(clue_id=clue_id)
    return score.score if score is not None else None
