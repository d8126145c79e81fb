"""Per-office, per-category default verification deadlines."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from saohei.audit.services import audit_record
from saohei.clues.models import DeadlineDefault, OffenceCategory
from saohei.orgs.choices import Role
from saohei.orgs.models import Office
from saohei.orgs.policies import standing_for

MAX_DAYS = 365


def may_set_deadlines(user: User, office: Office) -> bool:
    standing = standing_for(user)
    if standing.is_superuser or standing.has_role(Role.SYSADMIN):
        return True
    return office.pk in standing.office_ids_with(Role.OFFICE_DIRECTOR)


def deadline_default_set(*, office: Office, category: OffenceCategory | None, days: int | None, actor: User) -> None:
    """Set (or, with days=None, drop back to the office default) the deadline for one category.

    A dropped rule is not deleted: its row keeps the audit trail and is marked by days=0.
    """
    if not may_set_deadlines(actor, office):
        raise PermissionDenied(_("Only the office director sets the office's deadlines."))
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise ValidationError(_("A deadline is between 1 and %(max)s days.") % {"max": MAX_DAYS})
    with transaction.atomic():
        rule = DeadlineDefault.objects.select_for_update(of=("self",)).filter(office=office, category=category).first()
        before = rule.days if rule is not None else None
        if rule is None:
            rule = DeadlineDefault.objects.create(office=office, category=category, days=days or 0)
        else:
            rule.days = days or 0
            rule.save(update_fields=["days"])
        audit_record(actor=actor, action="deadline_default.set", object_type="office", object_id=office.pk,
                     before={"category": category.code if category else None, "days": before},
                     after={"category": category.code if category else None, "days": days})
