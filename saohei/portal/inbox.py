"""The portal's inbox: accept a submission in one insert, register it in intake afterwards.

Accepting is what the reporter waits for, so it does the least that makes the report safe: the files
are checked and moved into storage, everything sent is sealed, one row is inserted and committed, and
only then is the receipt shown. Registering — the reporter, the report, its clue, its attachments, their
audit events under the audit chain's lock — is done by the worker in batches (``portal_inbox_drain``),
or at once when the reporter follows up before the worker came by. See docs/adr/0006-portal-inbox.md.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import asdict, dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from saohei.intake.attachments import CheckedFile, attachment_place, attachment_record, attachments_dir
from saohei.intake.crypto import seal, unseal
from saohei.intake.models import Report
from saohei.intake.receipts import receipt_generate, receipt_hash
from saohei.portal.models import PortalSubmission
from saohei.portal.services import Submission, portal_key, portal_report_register

log = logging.getLogger("saohei.portal")

CONTEXT = "portal-submission:{key}"
BATCH = 25
FIELDS = ("content", "subject", "persons", "location_text", "when", "protection", "protectors", "evidence",
          "name", "contact")


@dataclass(frozen=True)
class StoredFile:
    storage_name: str
    kind: str
    content_type: str
    size: int
    sha256: str
    original_name: str
    metadata_removed: bool


@dataclass(frozen=True)
class Accepted:
    """What the reporter is shown: the receipt (empty when this form was sent before)."""

    code: str


def _payload(submission: Submission, files: list[StoredFile], client_address: str | None) -> str:
    data: dict[str, Any] = {name: getattr(submission, name) for name in FIELDS}
    data["place"] = submission.place.code
    data["client_address"] = client_address or ""
    data["files"] = [asdict(f) for f in files]
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def submission_accept(*, submission: Submission, files: list[CheckedFile],
                      client_address: str | None = None) -> Accepted:
    """Store the submission durably and return its receipt; the files were checked before."""
    key = portal_key(submission.idempotency_key)
    stored: list[StoredFile] = []
    try:
        for checked in files:
            name = attachment_place(checked)
            stored.append(StoredFile(storage_name=name, kind=checked.kind, content_type=checked.content_type,
                                     size=checked.size, sha256=checked.sha256, original_name=checked.original_name,
                                     metadata_removed=checked.metadata_removed))
        code = receipt_generate()
        sealed = seal(_payload(submission, stored, client_address), context=CONTEXT.format(key=key))
        with transaction.atomic():
            PortalSubmission.objects.create(idempotency_key=key, receipt_hash=receipt_hash(code), sealed=sealed,
                                            received_at=timezone.now())
    except IntegrityError:
        # The same form was sent before (a double click, a retry): that submission holds the report.
        _remove(stored)
        return Accepted(code="")
    except BaseException:
        _remove(stored)
        raise
    return Accepted(code=code)


def _remove(stored: list[StoredFile]) -> None:
    for f in stored:
        (attachments_dir() / f.storage_name).unlink(missing_ok=True)


def submission_register(*, submission: PortalSubmission) -> Report:
    """Register one accepted submission in intake (idempotent: a registered one returns its report)."""
    from saohei.portal.places import place_for_code

    with transaction.atomic():
        locked = PortalSubmission.objects.select_for_update(of=("self",)).get(pk=submission.pk)
        if locked.report_id is not None:
            return Report.objects.get(pk=locked.report_id)
        data = json.loads(unseal(locked.sealed, context=CONTEXT.format(key=locked.idempotency_key)))
        place = place_for_code(data["place"])
        if place is None:
            raise ValueError("the place of an accepted submission no longer receives reports")
        values = {name: data.get(name, "") for name in FIELDS}
        sub = Submission(place=place, idempotency_key=locked.idempotency_key.removeprefix("portal:"), **values)
        report = portal_report_register(submission=sub, receipt_digest=locked.receipt_hash,
                                        received_at=locked.received_at,
                                        client_address=data.get("client_address") or None)
        for f in data.get("files", []):
            attachment_record(report=report, **f)
        locked.report = report
        locked.registered_at = timezone.now()
        locked.save(update_fields=["report", "registered_at"])
    return report


def _pending(limit: int) -> list[PortalSubmission]:
    qs = PortalSubmission.objects.filter(registered_at__isnull=True).order_by("received_at", "pk")
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            return list(qs.select_for_update(skip_locked=True, of=("self",))[:limit])
    return list(qs[:limit])


def inbox_drain(*, limit: int = 500) -> int:
    """Register up to `limit` waiting submissions, oldest first; returns how many were registered.

    A submission that cannot be registered keeps its place in the inbox with the error noted (nothing is
    dropped) and is tried again on the next run.
    """
    done = 0
    pending = _pending(limit)
    # A batch shares one commit; each submission is its own savepoint, so one failure spoils no other.
    for start in range(0, len(pending), BATCH):
        failed: list[tuple[PortalSubmission, str]] = []
        with transaction.atomic():
            for submission in pending[start:start + BATCH]:
                try:
                    submission_register(submission=submission)
                    done += 1
                except Exception as exc:  # one bad row must not stop the others; it stays for a retry
                    failed.append((submission, type(exc).__name__))
        for submission, error in failed:
            # The error's name only: a message could quote what the reporter wrote.
            log.error("portal submission %s could not be registered: %s", submission.pk, error)
            PortalSubmission.objects.filter(pk=submission.pk).update(attempts=submission.attempts + 1,
                                                                     last_error=error)
    return done


def report_for_receipt(*, code: str) -> Report | None:
    """The report of a receipt; a submission not yet registered is registered now (the reporter is here)."""
    from saohei.intake.services import report_find_by_receipt

    report = report_find_by_receipt(code=code)
    if report is not None:
        return report
    waiting = PortalSubmission.objects.filter(receipt_hash=receipt_hash(code), registered_at__isnull=True).first()
    if waiting is None:
        return None
    report = submission_register(submission=waiting)
    return report if report.voided_at is None else None


def inbox_waiting(*, older_than: dt.timedelta | None = None) -> int:
    """How many accepted submissions wait to be registered (for the operator's health check)."""
    qs = PortalSubmission.objects.filter(registered_at__isnull=True)
    if older_than is not None:
        qs = qs.filter(received_at__lt=timezone.now() - older_than)
    return qs.count()

