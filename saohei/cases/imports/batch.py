"""The import batch of a case register: checked whole, then written whole or not at all.

The batch is recorded as an intake ImportBatch (the house's one record of an uploaded spreadsheet:
office, uploader, register, file, language, state, progress, errors); `created_reports` counts the
records it created.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from saohei.audit.services import audit_record
from saohei.cases.imports.checking import Plan, RowChecker
from saohei.cases.imports.columns import MAX_STORED_ERRORS, REGISTERS, ImportFileError
from saohei.cases.imports.reading import file_kind, sheet_open
from saohei.cases.imports.writing import write_all
from saohei.intake.choices import ImportState
from saohei.intake.models import ImportBatch
from saohei.orgs.models import Office

FOLDER = "imports/cases"


def batch_register(batch: ImportBatch) -> str:
    """The register of a case import batch; "" for a batch that is not one."""
    return batch.register if batch.register in REGISTERS else ""


def case_import_batch_create(*, register: str, office: Office, actor: User, filename: str, data: bytes,
                             language: str, offices: Any) -> ImportBatch:
    """Store the uploaded file under MEDIA_ROOT/imports/cases/<register>/ and queue its batch."""
    if register not in REGISTERS:
        raise ImportFileError(_("No such register."))
    if not offices.filter(pk=office.pk).exists():
        raise PermissionDenied(_("You may not import records for %(office)s.") % {"office": office.name})
    kind = file_kind(filename)
    folder = Path(settings.MEDIA_ROOT) / FOLDER / register
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{FOLDER}/{register}/{timezone.localdate():%Y%m%d}-{uuid.uuid4().hex}.{kind}"
    (Path(settings.MEDIA_ROOT) / stored).write_bytes(data)
    with transaction.atomic():
        batch: ImportBatch = ImportBatch.objects.create(
            office=office, uploaded_by=actor, register=register, filename=Path(filename).name[:200], file_path=stored,
            language=language or settings.LANGUAGE_CODE,
        )
        audit_record(actor=actor, action="case_import.upload", object_type="import_batch", object_id=batch.pk,
                     after={"register": register, "office": office.pk, "filename": batch.filename,
                            "bytes": len(data)})
    return batch


def _fail(batch: ImportBatch, errors: list[dict[str, Any]]) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(
        state=ImportState.FAILED, errors=errors[:MAX_STORED_ERRORS], finished_at=timezone.now()
    )
    audit_record(actor=batch.uploaded_by, action="case_import.refuse", object_type="import_batch",
                 object_id=batch.pk, after={"register": batch_register(batch), "errors": len(errors)})


def _file_error(message: str) -> list[dict[str, Any]]:
    return [{"row": None, "column": "", "message": message}]


def case_import_batch_run(*, batch_id: int) -> ImportBatch:
    """Check every row, then write every row in one transaction, or nothing."""
    claimed = ImportBatch.objects.filter(pk=batch_id, state=ImportState.QUEUED).update(state=ImportState.CHECKING)
    batch: ImportBatch = ImportBatch.objects.select_related("office__jurisdiction", "uploaded_by").get(pk=batch_id)
    if not claimed or not batch_register(batch):
        return batch
    with translation.override(batch.language):
        try:
            _run(batch)
        except Exception:
            _fail(batch, _file_error(_("The import stopped because of an internal error; nothing was saved.")))
            raise
    batch.refresh_from_db()
    return batch


def _run(batch: ImportBatch) -> None:
    register = batch_register(batch)
    try:
        data = (Path(settings.MEDIA_ROOT) / batch.file_path).read_bytes()
        sheet = sheet_open(register=register, name=batch.file_path, data=data)
        rows = list(sheet.rows)
    except FileNotFoundError:
        _fail(batch, _file_error(_("The uploaded file is no longer there; upload it again.")))
        return
    except ImportFileError as exc:
        _fail(batch, _file_error(str(exc)))
        return
    limit = settings.SAOHEI_IMPORT_MAX_ROWS
    if not rows:
        _fail(batch, _file_error(_("The file has a header row but no rows to import.")))
        return
    if len(rows) > limit:
        _fail(batch, _file_error(_("The file has %(rows)s rows; at most %(limit)s can be imported at once.")
                                 % {"rows": len(rows), "limit": limit}))
        return
    total = len(rows)
    ImportBatch.objects.filter(pk=batch.pk).update(total_rows=total, processed_rows=0)
    checker = RowChecker(register=register, office=batch.office, actor=batch.uploaded_by, language=batch.language)
    errors: list[dict[str, Any]] = []
    plans: list[Plan] = []
    step = max(1, total // 50)
    for index, (number, values) in enumerate(rows, start=1):
        plan = checker.check(number, sheet.mapped(values), errors)
        if plan is not None:
            plans.append(plan)
        if index % step == 0 or index == total:
            ImportBatch.objects.filter(pk=batch.pk).update(processed_rows=index)
    if errors:
        _fail(batch, errors)
        return
    ImportBatch.objects.filter(pk=batch.pk).update(state=ImportState.WRITING)

    def finish() -> None:
        ImportBatch.objects.filter(pk=batch.pk).update(
            state=ImportState.DONE, created_reports=len(plans), processed_rows=total, finished_at=timezone.now()
        )
        audit_record(actor=batch.uploaded_by, action="case_import.done", object_type="import_batch",
                     object_id=batch.pk, after={"register": register, "records": len(plans)})

    errors = write_all(register=register, actor=batch.uploaded_by, office=batch.office, plans=plans, finish=finish)
    if errors:
        _fail(batch, errors)
