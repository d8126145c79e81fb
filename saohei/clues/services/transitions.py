"""One entry point for every move by name, with parameters as they come from a form or the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from saohei.clues.models import Clue, OffenceCategory
from saohei.clues.services import assigning, closing, triage, verifying
from saohei.orgs.models import Jurisdiction, Unit


def _text(params: Mapping[str, Any], key: str, default: str = "") -> str:
    value = params.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise ValidationError(_("%(field)s must be text.") % {"field": key})
    if len(value) > 20000:
        raise ValidationError(_("%(field)s is too long.") % {"field": key})
    return value


def _int(params: Mapping[str, Any], key: str, *, required: bool = True) -> int | None:
    value = params.get(key)
    if value in (None, ""):
        if required:
            raise ValidationError(_("%(field)s is required.") % {"field": key})
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError(_("%(field)s must be a whole number.") % {"field": key}) from None
    if not -(2**62) < number < 2**62:
        raise ValidationError(_("%(field)s is out of range.") % {"field": key})
    return number


def _bool(params: Mapping[str, Any], key: str) -> bool:
    value = params.get(key, False)
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "on", "yes"}


def _date(params: Mapping[str, Any], key: str) -> dt.date | None:
    value = params.get(key)
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(_("%(field)s must be a date (YYYY-MM-DD).") % {"field": key}) from None


def _unit(params: Mapping[str, Any], key: str) -> Unit:
    unit_id = _int(params, key)
    unit = Unit.objects.select_related("jurisdiction", "office").filter(pk=unit_id).first()
    if unit is None:
        raise ValidationError(_("No such unit."))
    return unit


def _category(params: Mapping[str, Any]) -> OffenceCategory | None:
    code = _text(params, "category")
    if not code:
        return None
    category = OffenceCategory.objects.filter(code=code, active=True).first()
    if category is None:
        raise ValidationError(_("Unknown offence category: %(code)s") % {"code": code})
    return category


def _jurisdictions(params: Mapping[str, Any]) -> list[Jurisdiction] | None:
    raw = params.get("conflict_jurisdictions")
    if raw in (None, "", []):
        return None
    codes = [c.strip() for c in (raw.split(",") if isinstance(raw, str) else raw) if str(c).strip()]
    found = list(Jurisdiction.objects.filter(code__in=codes))
    if len(found) != len(set(codes)):
        raise ValidationError(_("Unknown jurisdiction code."))
    return found


def _clue_ref(params: Mapping[str, Any], key: str) -> Clue | None:
    ref = params.get(key)
    if ref in (None, ""):
        return None
    clue = Clue.objects.filter(number=str(ref)).first()
    if clue is None and str(ref).isdigit() and int(str(ref)) < 2**62:
        clue = Clue.objects.filter(pk=int(str(ref))).first()
    if clue is None:
        raise ValidationError(_("No such clue."))
    return clue


Handler = Callable[[Clue, User, Mapping[str, Any]], Any]


def _triage(decision: str) -> Handler:
    def run(clue: Clue, actor: User, p: Mapping[str, Any]) -> Any:
        return triage.clue_triage(
            clue=clue, actor=actor, decision=decision, note=_text(p, "note"), category=_category(p),
            priority=_int(p, "priority", required=False) or 3, names_officials=_bool(p, "names_officials"),
            conflict_jurisdictions=_jurisdictions(p), duplicate_of=_clue_ref(p, "duplicate_of"),
            referred_to=_text(p, "referred_to"),
        )

    return run


HANDLERS: dict[str, Handler] = {
    "triage_valid": _triage("valid"),
    "triage_duplicate": _triage("duplicate"),
    "triage_refer": _triage("referred"),
    "triage_invalid": _triage("invalid"),
    "assign": lambda c, a, p: assigning.clue_assign(
        clue=c, actor=a, unit=_unit(p, "unit"), deadline=_date(p, "deadline"), note=_text(p, "note")),
    "assign_dual": lambda c, a, p: assigning.clue_assign_dual(
        clue=c, actor=a, police_unit=_unit(p, "police_unit"), discipline_unit=_unit(p, "discipline_unit"),
        deadline=_date(p, "deadline"), note=_text(p, "note")),
    "start": lambda c, a, p: verifying.clue_start(
        clue=c, actor=a, assignment_id=_int(p, "assignment", required=False)),
    "record_musts": lambda c, a, p: verifying.clue_record_musts(
        clue=c, actor=a, reporter_met=_text(p, "reporter_met"), reporter_met_note=_text(p, "reporter_met_note"),
        content_rechecked=_bool(p, "content_rechecked"), content_recheck_note=_text(p, "content_recheck_note"),
        feedback_planned=_bool(p, "feedback_planned"), feedback_note=_text(p, "feedback_note"),
        assignment_id=_int(p, "assignment", required=False)),
    "conclude": lambda c, a, p: verifying.clue_conclude(
        clue=c, actor=a, conclusion=_text(p, "conclusion"), finding=_text(p, "finding"),
        assignment_id=_int(p, "assignment", required=False)),
    "amend_conclusion": lambda c, a, p: verifying.clue_amend_conclusion(
        clue=c, actor=a, conclusion=_text(p, "conclusion"), finding=_text(p, "finding"), reason=_text(p, "reason"),
        assignment_id=_int(p, "assignment", required=False)),
    "sign": lambda c, a, p: verifying.clue_sign(
        clue=c, actor=a, comment=_text(p, "comment"), assignment_id=_int(p, "assignment", required=False)),
    "return": lambda c, a, p: assigning.clue_return(
        clue=c, actor=a, reason=_text(p, "reason"), assignment_id=_int(p, "assignment", required=False),
        deadline=_date(p, "deadline")),
    "escalate": lambda c, a, p: assigning.clue_escalate(
        clue=c, actor=a, unit=_unit(p, "unit"), mode=_text(p, "mode"), reason=_text(p, "reason"),
        assignment_id=_int(p, "assignment", required=False), deadline=_date(p, "deadline")),
    "report_progress": lambda c, a, p: verifying.clue_report_progress(
        clue=c, actor=a, text=_text(p, "text"), assignment_id=_int(p, "assignment", required=False)),
    "feedback": lambda c, a, p: closing.clue_feedback(
        clue=c, actor=a, text=_text(p, "text"), impossible_reason=_text(p, "impossible_reason")),
    "reply": lambda c, a, p: closing.clue_reply(clue=c, actor=a, text=_text(p, "text")),
    "close": lambda c, a, p: closing.clue_close(clue=c, actor=a, note=_text(p, "note")),
    "acknowledge_repeat": lambda c, a, p: closing.clue_acknowledge_repeat(clue=c, actor=a, note=_text(p, "note")),
    "uphold": lambda c, a, p: closing.clue_uphold(clue=c, actor=a, note=_text(p, "note")),
    "reopen": lambda c, a, p: assigning.clue_reopen(
        clue=c, actor=a, unit=_unit(p, "unit"), reason=_text(p, "reason"), deadline=_date(p, "deadline")),
    "supervise": lambda c, a, p: closing.clue_supervise(
        clue=c, actor=a, level=_text(p, "level"), interval_days=_int(p, "interval_days") or 0,
        note=_text(p, "note")),
}


def clue_transition(*, clue: Clue, name: str, actor: User, params: Mapping[str, Any]) -> Clue:
    """Make the move `name` with `params`; returns the clue as it now stands."""
    handler = HANDLERS.get(name)
    if handler is None:
        raise ValidationError(_("Unknown move: %(name)s") % {"name": name})
    handler(clue, actor, params)
    return Clue.objects.get(pk=clue.pk)
