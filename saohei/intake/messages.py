"""Messages between a reporter (who holds only the receipt) and the staff handling the report's clue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from saohei.audit.services import audit_record
from saohei.intake.attachments import CheckedFile, attachment_save
from saohei.intake.choices import MessageDirection
from saohei.intake.models import PortalMessage, Report
from saohei.orgs.choices import Role
from saohei.orgs.policies import standing_for, units_under

MAX_MESSAGE_CHARS = 10_000
# Who answers a reporter: office staff covering the clue, and the members of the unit verifying it.
OFFICE_ROLES = frozenset({Role.INTAKE_CLERK, Role.TRIAGE_ANALYST, Role.OFFICE_DIRECTOR})
UNIT_ROLES = frozenset({Role.VERIFIER, Role.UNIT_CHIEF, Role.DEPUTY_CHIEF})
# A reporter pressing "send" twice stores one message.
REPEAT_WINDOW = dt.timedelta(minutes=10)


def may_message_reporter(user: AbstractBaseUser | AnonymousUser, report: Report) -> bool:
    """Office staff whose jurisdiction covers the report's clue, or members of a unit it is assigned to."""
    standing = standing_for(user)
    if standing.user_id is None or report.clue_id is None:
        return False
    if standing.is_superuser:
        return True
    clue = report.clue
    assert clue is not None
    if standing.covers_path(clue.jurisdiction_path, *OFFICE_ROLES):
        return True
    units = standing.unit_ids_with(*UNIT_ROLES)
    if not units:
        return False
    family = units_under(units)
    return clue.assignments.filter(active=True, unit_id__in=family).exists()


def _clean(text: str) -> str:
    text = text.replace("\x00", "").strip()
    if len(text) > MAX_MESSAGE_CHARS:
        raise ValidationError(_("A message holds at most %(n)s characters.") % {"n": MAX_MESSAGE_CHARS})
    return text


def message_from_reporter(*, report: Report, text: str, files: Sequence[CheckedFile] = ()) -> PortalMessage:
    """The reporter adds information (and checked files) to their report; audited without the text."""
    text = _clean(text)
    if not text and not files:
        raise ValidationError(_("Write a message or add a file."))
    if report.voided_at is not None:
        raise ValidationError(_("This report can no longer receive messages."))
    with transaction.atomic():
        if text and not files:
            repeat = PortalMessage.objects.filter(
                report=report, direction=MessageDirection.FROM_REPORTER, text=text,
                created_at__gte=timezone.now() - REPEAT_WINDOW,
            ).first()
            if repeat is not None:
                return repeat  # type: ignore[no-any-return]
        message = PortalMessage.objects.create(report=report, direction=MessageDirection.FROM_REPORTER, text=text)
        for checked in files:
            attachment_save(report=report, checked=checked, message=message)
        audit_record(actor=None, action="message.from_reporter", object_type="portal_message", object_id=message.pk,
                     after={"report": report.pk, "chars": len(text), "files": len(files)})
    return message


def message_to_reporter(*, report: Report, text: str, actor: User) -> PortalMessage:
    """Staff handling the clue answer the reporter; earlier messages from the reporter count as read."""
    if not may_message_reporter(actor, report):
        raise PermissionDenied(_("You may not write to the reporter of this report."))
    text = _clean(text)
    if not text:
        raise ValidationError(_("Write a message."))
    if report.voided_at is not None:
        raise ValidationError(_("This report is void; its reporter cannot be written to."))
    with transaction.atomic():
        message = PortalMessage.objects.create(report=report, direction=MessageDirection.TO_REPORTER, text=text,
                                               author=actor)
        PortalMessage.objects.filter(report=report, direction=MessageDirection.FROM_REPORTER,
                                     read_at__isnull=True).update(read_at=timezone.now())
        audit_record(actor=actor, action="message.to_reporter", object_type="portal_message", object_id=message.pk,
                     after={"report": report.pk, "chars": len(text)})
    return message


def messages_for_report(*, report: Report) -> QuerySet[PortalMessage]:
    return PortalMessage.objects.filter(report=report).prefetch_related("attachments").select_related("author")
