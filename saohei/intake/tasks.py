"""Background work of intake: running an uploaded import batch."""

from __future__ import annotations

from django_tasks import task

from saohei.intake.imports import import_batch_run


@task()
def import_reports(batch_id: int) -> int:
    """Check and write one import batch; returns the number of reports created."""
    batch = import_batch_run(batch_id=batch_id)
    return batch.created_reports
