"""Writing reports and reporters; reading a reporter's identity (audited)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saohei.audit.services import audit_record
from saohei.intake.choices import Channel
from saohei.intake.crypto import seal, unseal
from saohei.intake.models import IdentityAccess, Report, Reporter
from saohei.intake.receipts import receipt_generate, receipt_hash
from saohei.orgs.models import Jurisdiction, Office
from saohei.orgs.policies import standing_for

Actor = User | AnonymousUser | None


@dataclass(frozen=True)
class ReporterIdentity:
    name: str
    contact: str
    id_number: str


def reporter_create(*, name: str = "", contact: str = "", id_number: str = "") -> Reporter:
    """A reporter; anonymous when no name is given, reachable when a contact is given."""
    reporter = Reporter(anonymous=not name.strip(), reachable=bool(contact.strip()))
    reporter.save()
    reporter.name_sealed = seal(name.strip(), context=f"reporter:{reporter.pk}:name")
    reporter.contact_sealed = seal(contact.strip(), context=f"reporter:{reporter.pk}:contact")
    reporter.id_number_sealed = seal(id_number.strip(), context=f"reporter:{reporter.pk}:id_number")
    reporter.save(update_fields=["name_sealed", "contact_sealed", "id_number_sealed"])
    return reporter


def reporter_identity_read(*, reporter: Reporter, actor: User, reason: str,
                           report: Report | None = None, approved_request_id: int | None = None) -> ReporterIdentity:
    """Decrypt a reporter's identity for a user who holds the permission and states why.

    Where the office asks for two people, only a read through an approved request
    (saohei.intake.identity.identity_read_with_request) passes.
    """
    if not standing_for(actor).can_read_identity:
        raise PermissionDenied(_("You may not read reporter identities."))
    offices = {r.office for r in ([report] if report is not None else reporter.reports.select_related("office"))}
    if approved_request_id is None and any(o.identity_needs_second_person for o in offices):
        raise PermissionDenied(_("This office reads a reporter's identity only after a second person approves."))
    if len(reason.strip()) < 4:
        raise ValidationError(_("State the reason for reading the reporter's identity."))
    with transaction.atomic():
        IdentityAccess.objects.create(reporter=reporter, report=report, user=actor, reason=reason.strip())
        audit_record(actor=actor, action="reporter.identity_read", object_type="reporter", object_id=reporter.pk,
                     reason=reason.strip(), after={"report": report.pk if report else None})
    return ReporterIdentity(
        name=unseal(reporter.name_sealed, context=f"reporter:{reporter.pk}:name"),
        contact=unseal(reporter.contact_sealed, context=f"reporter:{reporter.pk}:contact"),
        id_number=unseal(reporter.id_number_sealed, context=f"reporter:{reporter.pk}:id_number"),
    )


def report_create(
    *,
    office: Office,
    jurisdiction: Jurisdiction,
    channel: str,
    subject: str,
    content: str,
    actor: Actor,
    received_at: dt.datetime | None = None,
    reporter: Reporter | None = None,
    location_text: str = "",
    source_reference: str = "",
    idempotency_key: str | None = None,
    import_batch_id: int | None = None,
    with_receipt: bool = True,
    receipt_digest: str = "",
) -> tuple[Report, str]:
    """Store a report as received; returns it with its receipt code (shown once, stored hashed).

    A `receipt_digest` is the keyed hash of a receipt already shown (the portal shows it when it accepts
    the submission); the report takes it and no new code is made. Called by
    clues.services.report_receive, which also opens the clue; never alone.
    """
    if channel not in Channel.values:
        raise ValidationError(_("Unknown channel: %(channel)s") % {"channel": channel})
    if not subject.strip() or not content.strip():
        raise ValidationError(_("A report needs a subject and its content."))
    if not jurisdiction.is_within(office.jurisdiction):
        raise ValidationError(_("The place of the report lies outside this office's jurisdiction."))
    received_at = received_at or timezone.now()
    if received_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError(_("A report cannot be received in the future."))
    code = receipt_generate() if with_receipt and not receipt_digest else ""
    report = Report.objects.create(
        channel=channel,
        received_at=received_at,
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
        office=office,
        jurisdiction=jurisdiction,
        subject=subject.strip()[:200],
        content=content.strip(),
        location_text=location_text.strip()[:200],
        source_reference=source_reference.strip()[:80],
        reporter=reporter,
        receipt_hash=receipt_digest or (receipt_hash(code) if code else ""),
        idempotency_key=idempotency_key,
        import_batch_id=import_batch_id,
    )
    report.number = f"JB{received_at:%Y}{report.pk:07d}"
    report.save(update_fields=["number"])
    audit_record(actor=actor, action="report.receive", object_type="report", object_id=report.pk,
                 after={"number": report.number, "channel": channel, "office": office.pk,
                        "jurisdiction": jurisdiction.code, "subject": report.subject})
    return report, code


def report_void(*, report: Report, actor: User, reason: str) -> Report:
    if not reason.strip():
        raise ValidationError(_("Give a reason for voiding the report."))
    with transaction.atomic():
        report = Report.objects.select_for_update(of=("self",)).get(pk=report.pk)
        if report.voided_at is not None:
            raise ValidationError(_("This report is already void."))
        report.voided_at = timezone.now()
        report.void_reason = reason.strip()
        report.save(update_fields=["voided_at", "void_reason"])
        audit_record(actor=actor, action="report.void", object_type="report", object_id=report.pk,
                     reason=reason.strip(), after={"voided_at": report.voided_at})
    return report


def report_find_by_receipt(*, code: str) -> Report | None:
    return Report.objects.filter(receipt_hash=receipt_hash(code), voided_at__isnull=True).first()
