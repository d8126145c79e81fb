"""Protective umbrellas (保护伞): officials the discipline commission investigates for protecting a gang.

An umbrella belongs to a case, or comes from the discipline track of a dual-assigned clue, or both.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from saohei.cases.choices import UmbrellaOutcome, UmbrellaState
from saohei.cases.models import Case, Umbrella
from saohei.cases.policies import may_handle_umbrellas
from saohei.cases.services.common import (
    audit,
    case_lock,
    check_not_voided,
    choice,
    not_before,
    past_day,
    refuse,
    text,
)
from saohei.clues.choices import Track
from saohei.clues.models import Clue
from saohei.orgs.choices import UnitKind
from saohei.orgs.models import Unit


def umbrella_snapshot(u: Umbrella) -> dict[str, Any]:
    return {"case": u.case_id, "clue": u.clue_id, "name": u.name, "position": u.position, "employer": u.employer,
            "party_member": u.party_member, "handling_unit": u.handling_unit_id, "opened_on": u.opened_on,
            "state": u.state, "outcome": u.outcome, "outcome_on": u.outcome_on, "handling": u.handling}


def umbrella_open(
    *,
    actor: User,
    name: str,
    position: str,
    handling_unit: Unit,
    opened_on: dt.date,
    case: Case | None = None,
    clue: Clue | None = None,
    employer: str = "",
    party_member: bool = True,
) -> Umbrella:
    name = text(name, label=_("Official"), required=True, max_length=100)
    position = text(position, label=_("Position"), required=True, max_length=200)
    employer = text(employer, label=_("Unit of the official"), max_length=200)
    day = past_day(opened_on, label=_("Investigation opened on"))
    if case is None and clue is None:
        raise ValidationError(_("An umbrella is opened on a case or on the clue that named the official."))
    if handling_unit.kind != UnitKind.DISCIPLINE_COMMISSION:
        raise ValidationError(_("Protective umbrellas are handled by the discipline inspection and supervision "
                                "commission, not by %(unit)s.") % {"unit": handling_unit.name})
    if not handling_unit.active:
        raise ValidationError(_("%(unit)s is no longer active.") % {"unit": handling_unit.name})
    with transaction.atomic():
        if case is not None:
            case = case_lock(case.pk)
            check_not_voided(case, label=_("This case"))
        if clue is not None:
            clue = Clue.objects.select_related("office").get(pk=clue.pk)
        office = case.office if case is not None else clue.office  # type: ignore[union-attr]
        path = case.jurisdiction_path if case is not None else clue.jurisdiction_path  # type: ignore[union-attr]
        refuse(may_handle_umbrellas(actor, path), _("You may not open protection cases here."))
        if clue is not None and not clue.assignments.filter(track=Track.DISCIPLINE).exists():
            raise ValidationError(
                _("Clue %(number)s was not assigned to the discipline commission (dual assignment): an "
                  "umbrella comes from a clue's discipline track.") % {"number": clue.number or clue.pk}
            )
        if not path.startswith(handling_unit.jurisdiction.path):
            raise ValidationError(_("%(unit)s does not cover the jurisdiction of this case.")
                                  % {"unit": handling_unit.name})
        umbrella = Umbrella.objects.create(
            case=case, clue=clue, office=office, jurisdiction_path=path, name=name, position=position,
            employer=employer, party_member=bool(party_member), handling_unit=handling_unit, opened_on=day,
            created_by=actor,
        )
        audit(actor=actor, action="umbrella.open", object_type="umbrella", object_id=umbrella.pk, before=None,
              after={**umbrella_snapshot(umbrella), "case_number": case.number if case else None,
                     "clue_number": clue.number if clue else None})
    return umbrella


def umbrella_conclude(*, actor: User, umbrella: Umbrella, outcome: str, outcome_on: dt.date,
                      handling: str = "") -> Umbrella:
    """The discipline commission's outcome: party discipline, sanction, transfer to judicial organs, or none."""
    outcome = choice(outcome, values=[o for o in UmbrellaOutcome.values if o], label=_("Outcome"))
    day = past_day(outcome_on, label=_("Outcome on"))
    handling = text(handling, label=_("Handling by the discipline commission"))
    with transaction.atomic():
        umbrella = Umbrella.objects.select_for_update(of=("self",)).get(pk=umbrella.pk)
        refuse(may_handle_umbrellas(actor, umbrella.jurisdiction_path),
               _("You may not conclude this protection case."))
        check_not_voided(umbrella, label=_("This umbrella"))
        if umbrella.state == UmbrellaState.CONCLUDED:
            raise ValidationError(_("This protection case was already concluded."))
        not_before(day, umbrella.opened_on, label=_("Outcome on"), earlier_label=_("the opening"))
        before = umbrella_snapshot(umbrella)
        umbrella.state, umbrella.outcome, umbrella.outcome_on = UmbrellaState.CONCLUDED, outcome, day
        umbrella.handling = handling or umbrella.handling
        umbrella.save()
        after = umbrella_snapshot(umbrella)
        audit(actor=actor, action="umbrella.conclude", object_type="umbrella", object_id=umbrella.pk,
              before={k: v for k, v in before.items() if after[k] != v},
              after={k: v for k, v in after.items() if before[k] != v})
    return umbrella
