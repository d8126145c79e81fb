"""Receiving a report from the public portal: the reporter, the report and its clue, the checked files."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from saohei.clues.services import report_receive
from saohei.intake.choices import Channel
from saohei.intake.models import Report
from saohei.intake.services import reporter_create
from saohei.intake.spam import spam_flags
from saohei.orgs.models import Jurisdiction
from saohei.orgs.policies import office_for_path

SUBJECT_CHARS = 60


@dataclass(frozen=True)
class Submission:
    place: Jurisdiction
    content: str
    subject: str = ""
    persons: str = ""
    location_text: str = ""
    when: str = ""
    protection: str = "unknown"
    protectors: str = ""
    evidence: str = ""
    name: str = ""
    contact: str = ""
    idempotency_key: str = ""


def subject_from(content: str) -> str:
    """A title from the first line of the description."""
    first = next((line.strip() for line in content.splitlines() if line.strip()), "")
    return first if len(first) <= SUBJECT_CHARS else first[: SUBJECT_CHARS - 1] + "…"


def compose_content(sub: Submission) -> str:
    """The guided answers as one text, headed in the office's language (the staff read it)."""
    with translation.override(settings.LANGUAGE_CODE):
        protection = {"yes": _("yes"), "no": _("no")}.get(sub.protection, _("not known"))
        parts = [sub.content.strip()]
        # No f-strings around gettext: the message extractor cannot read them.
        if sub.persons.strip():
            parts.append(_("Persons involved: %(text)s") % {"text": sub.persons.strip()})
        if sub.when.strip():
            parts.append(_("When: %(text)s") % {"text": sub.when.strip()})
        if sub.protectors.strip():
            parts.append(_("Officials protecting them (保护伞): %(answer)s — %(who)s")
                         % {"answer": protection, "who": sub.protectors.strip()})
        else:
            parts.append(_("Officials protecting them (保护伞): %(answer)s") % {"answer": protection})
        if sub.evidence.strip():
            parts.append(_("Evidence: %(text)s") % {"text": sub.evidence.strip()})
    return "\n\n".join(parts)


def portal_key(key: str) -> str:
    """Portal keys live apart from the workbench's per-user keys."""
    return f"portal:{key}"


def portal_report_register(*, submission: Submission, receipt_digest: str, received_at: dt.datetime,
                           client_address: str | None = None, channel: str = Channel.PORTAL,
                           actor: User | None = None) -> Report:
    """Register a guided-form submission as a report with its reporter and clue.

    From the portal (saohei.portal.inbox, inside its transaction; no actor) or from a hotline operator
    taking a call through the same form (`channel` hotline, the operator as actor, their office's
    intake permission checked). A key registered before returns that report.
    """
    office = office_for_path(submission.place.path)
    if office is None:
        raise ValueError("no office receives reports for this place")
    with transaction.atomic():
        reporter = reporter_create(name=submission.name, contact=submission.contact)
        report, _clue, _code = report_receive(
            office=office, jurisdiction=submission.place, channel=channel,
            subject=(submission.subject.strip() or subject_from(submission.content)),
            content=compose_content(submission), actor=actor, reporter=reporter, received_at=received_at,
            location_text=submission.location_text, idempotency_key=portal_key(submission.idempotency_key),
            check_permission=actor is not None, receipt_digest=receipt_digest,
        )
        if report.reporter_id != reporter.pk:
            # Registered before under this key; the reporter row just made rolls back with this block.
            transaction.set_rollback(True)
            return report
        updates: dict[str, object] = {}
        # Flagged, never dropped: staff see the signs and decide.
        flags = spam_flags(f"{report.subject}\n{report.content}")
        if flags:
            updates["spam_flags"] = flags
        if client_address and office.portal_stores_client_address:
            updates["client_address"] = client_address
        if updates:
            Report.objects.filter(pk=report.pk).update(**updates)
    return report
