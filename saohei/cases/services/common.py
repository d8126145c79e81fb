"""What every case service shares: input checks in the user's language, locks, snapshots, the audit row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from saohei.audit.services import audit_record
from saohei.cases.models import Asset, Case, Suspect
from saohei.core.tallies import tally_stale_mark
from saohei.orgs.choices import UnitKind
from saohei.orgs.models import Office, Unit

TEXT_LIMIT = 20000
#: The dates by which the outcome figures count each record (``saohei.figures.outcome_counts``).
DATED_FIELDS: dict[type, tuple[str, ...]] = {
    Case: ("filed_on", "destroyed_on", "solved_on", "indicted_on", "first_judgment_on", "effective_judgment_on"),
    Suspect: ("detained_on", "arrested_on", "indicted_on", "judged_on"),
    Asset: ("secured_on",),
}


def outcomes_stale(record: Case | Suspect | Asset) -> None:
    """The months this record is counted in must be counted again: call it after every change of a
    counted fact (dates, type, state, voiding), and before one that may move or clear a date."""
    tally_stale_mark(path=record.jurisdiction_path,
                     moments=[getattr(record, name) for name in DATED_FIELDS[type(record)]])


def refuse(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def text(value: object, *, label: str, required: bool = False, max_length: int = TEXT_LIMIT) -> str:
    """A text input, stripped; refused when required and empty, too long, or holding a NUL."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(_("%(field)s must be text.") % {"field": label})
    value = value.strip()
    if required and not value:
        raise ValidationError(_("%(field)s is required.") % {"field": label})
    if len(value) > max_length:
        raise ValidationError(
            _("%(field)s is too long (at most %(max)s characters).") % {"field": label, "max": max_length}
        )
    if "\x00" in value:
        raise ValidationError(_("%(field)s contains a character that is not allowed.") % {"field": label})
    return value


def choice(value: object, *, values: Iterable[str], label: str) -> str:
    if not isinstance(value, str) or value not in set(values):
        raise ValidationError(_("%(field)s: “%(value)s” is not one of the choices.") % {"field": label, "value": value})
    return value


def past_date(value: object, *, label: str, required: bool = True) -> dt.date | None:
    """A date that is not in the future."""
    if value is None or value == "":
        if required:
            raise ValidationError(_("%(field)s is required.") % {"field": label})
        return None
    if isinstance(value, dt.datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise ValidationError(_("%(field)s must be a date (YYYY-MM-DD).") % {"field": label}) from None
    if not isinstance(value, dt.date):
        raise ValidationError(_("%(field)s must be a date (YYYY-MM-DD).") % {"field": label})
    if value > timezone.localdate():
        raise ValidationError(_("%(field)s cannot be in the future.") % {"field": label})
    return value


def past_day(value: object, *, label: str) -> dt.date:
    """A required date that is not in the future."""
    day = past_date(value, label=label)
    assert day is not None
    return day


def not_before(value: dt.date, earlier: dt.date | None, *, label: str, earlier_label: str) -> None:
    if earlier is not None and value < earlier:
        raise ValidationError(
            _("%(field)s (%(date)s) cannot be before %(other)s (%(other_date)s).")
            % {"field": label, "date": value.isoformat(), "other": earlier_label, "other_date": earlier.isoformat()}
        )


def amount_cny(value: object, *, label: str) -> Decimal:
    """An amount in yuan: a positive number with at most two decimals."""
    if isinstance(value, float):
        value = repr(value)
    try:
        amount = Decimal(str(value).strip().replace(",", "")) if value is not None else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationError(_("%(field)s must be an amount in yuan, e.g. 125000.00.") % {"field": label})
    if amount <= 0:
        raise ValidationError(_("%(field)s must be greater than zero.") % {"field": label})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(_("%(field)s has more than two decimals.") % {"field": label})
    if amount >= Decimal("1e14"):
        raise ValidationError(_("%(field)s is too large.") % {"field": label})
    return amount.quantize(Decimal("0.01"))


def whole(value: object, *, label: str, low: int, high: int) -> int | None:
    """An optional whole number between `low` and `high`."""
    if value is None or value == "":
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValidationError(_("%(field)s must be a whole number.") % {"field": label}) from None
    if not low <= number <= high:
        raise ValidationError(_("%(field)s must lie between %(low)s and %(high)s.")
                              % {"field": label, "low": low, "high": high})
    return number


def check_unit_for_case(*, unit: Unit, kinds: Iterable[str], case_path: str, office: Office, label: str) -> None:
    """The unit is active, of a fitting kind, and placed to handle a case at `case_path`.

    Units at or above the case's jurisdiction qualify, and so do units anywhere under the office
    above the case's office: gang cases are often tried elsewhere by designation (指定管辖).
    """
    kinds = set(kinds)
    if unit.kind not in kinds:
        raise ValidationError(
            _("%(unit)s cannot handle this: %(field)s must be a unit of kind %(kinds)s.")
            % {"unit": unit.name, "field": label, "kinds": "、".join(sorted(_kind_label(k) for k in kinds))}
        )
    if not unit.active:
        raise ValidationError(_("%(unit)s is no longer active.") % {"unit": unit.name})
    unit_path = unit.jurisdiction.path
    office_path = office.jurisdiction.path
    designation_root = office_path.rsplit("/", 2)[0] + "/" if office_path.count("/") > 1 else office_path
    if not (case_path.startswith(unit_path) or unit_path.startswith(designation_root)):
        raise ValidationError(
            _("%(unit)s lies outside the jurisdictions that may handle this case.") % {"unit": unit.name}
        )


def _kind_label(kind: str) -> str:
    try:
        return str(UnitKind(kind).label)
    except ValueError:
        return kind


def case_lock(case_id: int) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("office__jurisdiction", "jurisdiction", "stage_unit")
        .get(pk=case_id)
    )


def case_snapshot(case: Case) -> dict[str, Any]:
    return {
        "number": case.number,
        "title": case.title,
        "kind": case.kind,
        "origin": case.origin,
        "jurisdiction_path": case.jurisdiction_path,
        "organization_type": case.organization_type,
        "organization_name": case.organization_name,
        "organization_leader": case.organization_leader,
        "offences": sorted(case.offences.values_list("code", flat=True)) if case.pk else [],
        "stage": case.stage,
        "stage_unit": case.stage_unit_id,
        "filed_on": case.filed_on,
        "solved_on": case.solved_on,
        "indicted_on": case.indicted_on,
        "first_judgment_on": case.first_judgment_on,
        "effective_judgment_on": case.effective_judgment_on,
        "supervision_level": case.supervision_level,
        "lead_official": case.lead_official,
        "lead_official_position": case.lead_official_position,
        "destroyed": case.destroyed,
        "destroyed_on": case.destroyed_on,
        "regulator_negligence": case.regulator_negligence,
        "summary": case.summary,
        "voided_at": case.voided_at,
    }


def audit(
    *,
    actor: User,
    action: str,
    object_type: str,
    object_id: int,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    reason: str = "",
) -> None:
    """The audit row of a change, in the caller's transaction."""
    audit_record(actor=actor, action=action, object_type=object_type, object_id=object_id, before=before,
                 after=after, reason=reason)


def check_not_voided(obj: Any, *, label: str) -> None:
    if getattr(obj, "voided_at", None) is not None:
        raise ValidationError(_("%(what)s has been voided.") % {"what": label})
