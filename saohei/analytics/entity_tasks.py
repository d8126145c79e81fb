"""Thin tasks around the entity services: extraction runs off the request, after a record is received or edited."""

from __future__ import annotations

from django_tasks import task

from saohei.analytics.entity_services import record_entities_extract


@task()
def record_entities_task(record_kind: str, record_id: int) -> int:
    """Extract the entities of one report, clue or case (corrections re-applied); returns how many were kept."""
    return len(record_entities_extract(record_kind=record_kind, record_id=record_id))
