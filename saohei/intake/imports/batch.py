"""The import batch: bulk import of reports from Excel (.xlsx) or CSV: checked whole, then written whole or not at all.

Phase 1 reads every row and collects every error (row, column, message) in the uploader's
language while advancing `ImportBatch.processed_rows`; phase 2 writes all rows in one
transaction through `report_receive`. A file with any error writes nothing.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from saohei.audit.services import audit_record
from saohei.clues.services import report_receive
from saohei.clues.services.receiving import may_record_reports
from saohei.intake.choices import ImportState
from saohei.intake.imports.checking import RowChecker, RowData
from saohei.intake.imports.columns import MAX_STORED_ERRORS, ImportFileError
from saohei.intake.imports.reading import file_kind, sheet_open
from saohei.intake.models import ImportBatch
from saohei.intake.services import reporter_create
from saohei.orgs.models import Office


def import_batch_create(
    *, office: Office, actor: User, filename: str, data: bytes, language: str
) -> ImportBatch:
    """Store the uploaded file under MEDIA_ROOT/imports and queue its batch."""
    if not may_record_reports(actor, office):
        raise PermissionDenied(_("You may not record reports for %(office)s.") % {"office": office.name})
    kind = file_kind(filename)
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"imports/{timezone.localdate():%Y%m%d}-{uuid.uuid4().hex}.{kind}"
    (Path(settings.MEDIA_ROOT) / stored).write_bytes(data)
    with transaction.atomic():
        batch: ImportBatch = ImportBatch.objects.create(
            office=office,
            uploaded_by=actor,
            filename=Path(filename).name[:200],
            file_path=stored,
            language=language or settings.LANGUAGE_CODE,
        )
        audit_record(
            actor=actor,
            action="import.upload",
            object_type="import_batch",
            object_id=batch.pk,
            after={"office": office.pk, "filename": batch.filename, "bytes": len(data)},
        )
    return batch


def _fail(batch: ImportBatch, errors: list[dict[str, Any]]) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(
        state=ImportState.FAILED, errors=errors[:MAX_STORED_ERRORS], finished_at=timezone.now()
    )
    audit_record(
        actor=batch.uploaded_by,
        action="import.refuse",
        object_type="import_batch",
        object_id=batch.pk,
        after={"errors": len(errors)},
    )


def _file_error(message: str) -> list[dict[str, Any]]:
    return [{"row": None, "column": "", "message": message}]


def import_batch_run(*, batch_id: int) -> ImportBatch:
    """Check every row, then write every row in one transaction, or nothing."""
    claimed = ImportBatch.objects.filter(pk=batch_id, state=ImportState.QUEUED).update(
        state=ImportState.CHECKING
    )
    batch: ImportBatch = ImportBatch.objects.select_related("office__jurisdiction", "uploaded_by").get(
        pk=batch_id
    )
    if not claimed:
        return batch
    with translation.override(batch.language):
        try:
            _run(batch)
        except Exception:
            _fail(
                batch, _file_error(_("The import stopped because of an internal error; nothing was saved."))
            )
            raise
    batch.refresh_from_db()
    return batch


def _run(batch: ImportBatch) -> None:
    office = batch.office
    if not may_record_reports(batch.uploaded_by, office):
        _fail(batch, _file_error(_("You may not record reports for %(office)s.") % {"office": office.name}))
        return
    try:
        data = (Path(settings.MEDIA_ROOT) / batch.file_path).read_bytes()
        if len(data) > settings.SAOHEI_IMPORT_MAX_BYTES:
            raise ImportFileError(_("The file is too large."))
        sheet = sheet_open(name=batch.file_path, data=data)
        rows = list(sheet.rows)
    except FileNotFoundError:
        _fail(batch, _file_error(_("The uploaded file is no longer there; upload it again.")))
        return
    except ImportFileError as exc:
        _fail(batch, _file_error(str(exc)))
        return
    limit = settings.SAOHEI_IMPORT_MAX_ROWS
    if not rows:
        _fail(batch, _file_error(_("The file has a header row but no reports.")))
        return
    if len(rows) > limit:
        _fail(
            batch,
            _file_error(
                _("The file has %(rows)s rows; at most %(limit)s can be imported at once.")
                % {"rows": len(rows), "limit": limit}
            ),
        )
        return
    total = len(rows)
    ImportBatch.objects.filter(pk=batch.pk).update(total_rows=total, processed_rows=0)
    checker = RowChecker(office=office, labels=sheet.labels, language=batch.language)
    errors: list[dict[str, Any]] = []
    checked: list[RowData] = []
    step = max(1, total // 50)
    for index, (number, values) in enumerate(rows, start=1):
        mapped = {key: values[i] if i < len(values) else None for i, key in sheet.headers.items()}
        row = checker.check(number, mapped, errors)
        if row is not None:
            checked.append(row)
        if index % step == 0 or index == total:
            ImportBatch.objects.filter(pk=batch.pk).update(processed_rows=index)
    if errors:
        _fail(batch, errors)
        return
    ImportBatch.objects.filter(pk=batch.pk).update(state=ImportState.WRITING)
    try:
        with transaction.atomic():
            for row in checked:
                reporter = None
                if row.reporter_name or row.reporter_contact or row.reporter_id_number:
                    reporter = reporter_create(
                        name=row.reporter_name, contact=row.reporter_contact, id_number=row.reporter_id_number
                    )
                report_receive(
                    office=office,
                    jurisdiction=row.jurisdiction,
                    channel=row.channel,
                    subject=row.subject,
                    content=row.content,
                    actor=batch.uploaded_by,
                    received_at=row.received_at,
                    reporter=reporter,
                    location_text=row.place,
                    source_reference=row.source_reference,
                    idempotency_key=f"import:{batch.pk}:{row.number}",
                    import_batch_id=batch.pk,
                    check_permission=False,
                )
            ImportBatch.objects.filter(pk=batch.pk).update(
                state=ImportState.DONE,
                created_reports=len(checked),
                processed_rows=total,
                finished_at=timezone.now(),
            )
            audit_record(
                actor=batch.uploaded_by,
                action="import.done",
                object_type="import_batch",
                object_id=batch.pk,
                after={"reports": len(checked)},
            )
    except (ValidationError, PermissionDenied) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        _fail(batch, _file_error(" ".join(messages) + " " + _("Nothing was saved.")))
