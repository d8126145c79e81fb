"""Thin tasks around the analytics services."""

from __future__ import annotations

from django_tasks import task

from saohei.analytics.services import repeat_index_rebuild, report_match


@task()
def report_match_task(report_id: int) -> int:
    """Match a newly received report against every stored report; returns the number of candidates."""
    return len(report_match(report_id=report_id))


@task()
def repeat_index_rebuild_task() -> int:
    """Recompute every report fingerprint (the index of each process reloads on its next match)."""
    return repeat_index_rebuild()
