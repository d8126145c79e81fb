"""Thin tasks around the entity services: extraction runs off the request, after a record is received or edited."""

from __future__ import annotations

from django_tasks import task

from saohei.analytics.entity_services import record_entities_extract
from saohei.analytics.models import RecordKind
from saohei.analytics.scoring_tasks import clue_score_task
from saohei.analytics.tasks import network_warm_soon
from saohei.intake.models import Report


@task()
def record_entities_task(record_kind: str, record_id: int) -> int:
    """Extract the entities of one report, clue or case (corrections re-applied); returns how many were kept.
    The clue of a report, or the clue itself, is scored again afterwards: its priority counts these entities."""
    kept = len(record_entities_extract(record_kind=record_kind, record_id=record_id))
    clue_id = _clue_of(record_kind=record_kind, record_id=record_id)
    if clue_id is not None:
        clue_score_task.enqueue(clue_id)
    network_warm_soon(record_kind=record_kind, record_id=record_id)
    return kept


def _clue_of(*, record_kind: str, record_id: int) -> int | None:
    if record_kind == RecordKind.CLUE:
        return record_id
    if record_kind == RecordKind.REPORT:
        return Report.objects.filter(pk=record_id).values_list("clue_id", flat=True).first()
    return None
