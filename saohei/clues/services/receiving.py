"""Receiving a report: it is stored as received and opens a clue in `received`."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saohei.clues.choices import State
from saohei.clues.models import Clue
from saohei.clues.services.common import record_move
from saohei.clues.signals import clue_text_changed, report_received
from saohei.intake.models import Report, Reporter
from saohei.intake.services import report_create
from saohei.orgs.choices import Role
from saohei.orgs.models import Jurisdiction, Office
from saohei.orgs.policies import standing_for

INTAKE_ROLES = (Role.INTAKE_CLERK, Role.TRIAGE_ANALYST, Role.OFFICE_DIRECTOR)


def may_record_reports(user: User | AnonymousUser, office: Office) -> bool:
    standing = standing_for(user)
    return standing.is_superuser or office.pk in standing.office_ids_with(*INTAKE_ROLES)


def report_receive(
    *,
    office: Office,
    jurisdiction: Jurisdiction,
    channel: str,
    subject: str,
    content: str,
    actor: User | None,
    received_at: dt.datetime | None = None,
    reporter: Reporter | None = None,
    location_text: str = "",
    source_reference: str = "",
    idempotency_key: str | None = None,
    import_batch_id: int | None = None,
    check_permission: bool = True,
    receipt_digest: str = "",
) -> tuple[Report, Clue, str]:
    """Store the report, open its clue, and return both with the receipt code (shown once).

    A retried call with the same idempotency key returns the stored report and
    clue with an empty receipt: the code was shown the first time.
    """
    if check_permission and (actor is None or not may_record_reports(actor, office)):
        raise PermissionDenied(_("You may not record reports for %(office)s.") % {"office": office.name})
    if idempotency_key:
        existing = Report.objects.filter(idempotency_key=idempotency_key).select_related("clue").first()
        if existing is not None and existing.clue is not None:
            return existing, existing.clue, ""
    with transaction.atomic():
        report, code = report_create(
            office=office,
            jurisdiction=jurisdiction,
            channel=channel,
            subject=subject,
            content=content,
            actor=actor,
            received_at=received_at,
            reporter=reporter,
            location_text=location_text,
            source_reference=source_reference,
            idempotency_key=idempotency_key,
            import_batch_id=import_batch_id,
            receipt_digest=receipt_digest,
        )
        clue = Clue.objects.create(
            title=report.subject,
            summary=report.content[:2000],
            source=channel,
            state=State.RECEIVED,
            office=office,
            jurisdiction=jurisdiction,
            jurisdiction_path=jurisdiction.path,
            report_count=1,
        )
        clue.number = f"XS{jurisdiction.code}{timezone.localdate():%Y}{clue.pk:06d}"
        clue.save(update_fields=["number"])
        Report.objects.filter(pk=report.pk).update(clue=clue)
        report.clue = clue
        record_move(clue=clue, actor=actor, action="receive", before={"state": ""},
                    data={"report": report.number, "channel": channel})
        transaction.on_commit(partial(report_received.send, sender=Report, report_id=report.pk))
        transaction.on_commit(partial(clue_text_changed.send, sender=Clue, clue_id=clue.pk))
    return report, clue, code
