"""Schedules analytics work when the lower layers report events; decides nothing itself."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from saohei.cases.signals import case_text_changed
from saohei.clues.signals import clue_reports_attached, clue_text_changed, report_received


@receiver(report_received, dispatch_uid="analytics-report-match")
def report_received_match(sender: Any, report_id: int, **kwargs: Any) -> None:
    from saohei.analytics.entity_tasks import record_entities_task
    from saohei.analytics.tasks import report_match_task

    report_match_task.enqueue(report_id)
    record_entities_task.enqueue("report", report_id)


@receiver(clue_text_changed, dispatch_uid="analytics-clue-entities")
def clue_text_changed_extract(sender: Any, clue_id: int, **kwargs: Any) -> None:
    from saohei.analytics.entity_tasks import record_entities_task

    record_entities_task.enqueue("clue", clue_id)


@receiver(case_text_changed, dispatch_uid="analytics-case-entities")
def case_text_changed_extract(sender: Any, case_id: int, **kwargs: Any) -> None:
    from saohei.analytics.entity_tasks import record_entities_task

    record_entities_task.enqueue("case", case_id)


@receiver(clue_reports_attached, dispatch_uid="analytics-clue-score")
def clue_reports_attached_score(sender: Any, clue_id: int, **kwargs: Any) -> None:
    from saohei.analytics.scoring_tasks import clue_score_task

    clue_score_task.enqueue(clue_id)
