"""Background work of case imports: running an uploaded batch."""

from __future__ import annotations

from django_tasks import task

from saohei.cases.imports.batch import case_import_batch_run


@task()
def import_case_register(batch_id: int) -> int:
    """Check and write one case import batch; returns the number of records created."""
    batch = case_import_batch_run(batch_id=batch_id)
    return batch.created_reports
