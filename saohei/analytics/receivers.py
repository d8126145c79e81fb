"""Schedules analytics work when the lower layers report events; decides nothing itself."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from saohei.clues.signals import report_received


@receiver(report_received, dispatch_uid="analytics-report-match")
def report_received_match(sender: Any, report_id: int, **kwargs: Any) -> None:
    from saohei.analytics.entity_tasks import record_entities_task
    from saohei.analytics.tasks import report_match_task

    report_match_task.enqueue(report_id)
    record_entities_task.enqueue("report", report_id)
