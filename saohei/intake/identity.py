"""Reading a reporter's identity with a second person's approval, where the office asks for it.

When the report's office has ``identity_needs_second_person``, an identity reader asks with a reason
(``identity_request_create``); a *different* user holding the identity-reader or office-director role
in an office covering the report approves or refuses (``identity_request_decide``); the requester then
reads the identity once (``identity_read_with_request``), through
``saohei.intake.services.reporter_identity_read``, which records the IdentityAccess and its audit
event. Each step writes its own audit event. Offices without the setting read directly, as before.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from saohei.audit.services import audit_record
from saohei.intake.choices import IdentityRequestState
from saohei.intake.models import IdentityAccessRequest, Report
from saohei.intake.services import ReporterIdentity, reporter_identity_read
from saohei.orgs.choices import Role
from saohei.orgs.policies import standing_for

SUBJECT = "identity_request"
#: Who decides a request: in an office covering the report.
DECIDERS = (Role.IDENTITY_READER, Role.OFFICE_DIRECTOR)

AnyUser = AbstractBaseUser | AnonymousUser


def needs_second_person(report: Report) -> bool:
    return bool(report.office.identity_needs_second_person)


def may_decide(user: AnyUser, request: IdentityAccessRequest) -> bool:
    if not user.is_authenticated or request.requested_by_id == user.pk:
        return False
    return standing_for(user).covers_path(request.report.jurisdiction.path, *DECIDERS)


def identity_requests_visible_to(user: AnyUser) -> QuerySet[IdentityAccessRequest]:
    """Requests on reports in the subtree of an office where the user directs or reads identities,
    and the user's own requests."""
    standing = standing_for(user)
    qs = IdentityAccessRequest.objects.select_related("report__jurisdiction", "requested_by", "decided_by")
    if standing.is_superuser:
        return qs
    q = Q(requested_by_id=standing.user_id) if standing.user_id else Q(pk__in=[])
    for path in standing.office_paths_with(*DECIDERS):
        q |= Q(report__jurisdiction__path__startswith=path)
    return qs.filter(q)


def may_read_request_ledger(user: AnyUser) -> bool:
    standing = standing_for(user)
    return standing.is_superuser or bool(standing.office_ids_with(*DECIDERS)) or standing.can_read_identity


def identity_request_create(*, report: Report, reason: str, actor: User) -> IdentityAccessRequest:
    """Ask to read the identity of the report's reporter; a second person must approve."""
    if not standing_for(actor).can_read_identity:
        raise PermissionDenied(_("You may not read reporter identities."))
    if report.reporter is None:
        raise ValidationError(_("This report has no reporter on record."))
    if not needs_second_person(report):
        raise ValidationError(_("This office does not ask for a second person: read the identity on the report page."))
    if len(reason.strip()) < 4:
        raise ValidationError(_("State the reason for reading the reporter's identity."))
    with transaction.atomic():
        pending = IdentityAccessRequest.objects.select_for_update(of=("self",)).filter(
            report=report, requested_by=actor, state__in=[IdentityRequestState.PENDING, IdentityRequestState.APPROVED]
        )
        if pending.exists():
            raise ValidationError(_("You already have a request for this report awaiting a decision or use."))
        request = IdentityAccessRequest.objects.create(reporter=report.reporter, report=report, requested_by=actor,
                                                       reason=reason.strip())
        audit_record(actor=actor, action="identity_request.create", object_type=SUBJECT, object_id=request.pk,
                     after={"report": report.pk, "reporter": report.reporter_id}, reason=reason.strip())
    return request


def identity_request_decide(*, request: IdentityAccessRequest, approve: bool, actor: User,
                            note: str = "") -> IdentityAccessRequest:
    """Approve or refuse a pending request: never one's own, only from an office covering the report."""
    with transaction.atomic():
        locked = IdentityAccessRequest.objects.select_for_update(of=("self",))
        request = locked.select_related("report__jurisdiction").get(pk=request.pk)
        if request.requested_by_id == actor.pk:
            raise PermissionDenied(_("A second person decides: you cannot decide your own request."))
        if not standing_for(actor).covers_path(request.report.jurisdiction.path, *DECIDERS):
            raise PermissionDenied(
                _("Only an identity reader or the director of an office covering the report decides.")
            )
        if request.state != IdentityRequestState.PENDING:
            raise ValidationError(_("This request has already been decided."))
        if not approve and len(note.strip()) < 2:
            raise ValidationError(_("Say why the request is refused."))
        request.state = IdentityRequestState.APPROVED if approve else IdentityRequestState.REFUSED
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.decision_note = note.strip()
        request.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
        audit_record(actor=actor, action="identity_request.approve" if approve else "identity_request.refuse",
                     object_type=SUBJECT, object_id=request.pk, before={"state": IdentityRequestState.PENDING},
                     after={"state": request.state, "report": request.report_id}, reason=note.strip())
    return request


def identity_read_with_request(*, request: IdentityAccessRequest, actor: User) -> ReporterIdentity:
    """The requester reads the identity once with an approved request; the request is then used."""
    with transaction.atomic():
        locked = IdentityAccessRequest.objects.select_for_update(of=("self",))
        request = locked.select_related("reporter", "report").get(pk=request.pk)
        if request.requested_by_id != actor.pk:
            raise PermissionDenied(_("Only the person who asked reads the identity with this request."))
        if request.state == IdentityRequestState.USED:
            raise ValidationError(_("This request has already been used; ask again."))
        if request.state != IdentityRequestState.APPROVED:
            raise ValidationError(_("This request has not been approved."))
        identity = reporter_identity_read(reporter=request.reporter, actor=actor, reason=request.reason,
                                          report=request.report, approved_request_id=request.pk)
        request.state = IdentityRequestState.USED
        request.save(update_fields=["state"])
        audit_record(actor=actor, action="identity_request.use", object_type=SUBJECT, object_id=request.pk,
                     before={"state": IdentityRequestState.APPROVED}, after={"state": IdentityRequestState.USED})
    return identity
