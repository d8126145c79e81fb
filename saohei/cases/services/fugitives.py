"""Target fugitives (目标逃犯): listed with a pursuit team ("one fugitive, one team"), and their outcome."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from saohei.cases.choices import FugitiveLocation, FugitiveOutcome
from saohei.cases.models import Case, Fugitive, Suspect
from saohei.cases.policies import may_handle_fugitives
from saohei.cases.services.common import (
    audit,
    check_not_voided,
    choice,
    not_before,
    past_day,
    refuse,
    text,
)
from saohei.orgs.choices import WorkingGroupKind
from saohei.orgs.models import Jurisdiction, Office, WorkingGroup


def fugitive_snapshot(f: Fugitive) -> dict[str, Any]:
    return {"office": f.office_id, "jurisdiction_path": f.jurisdiction_path, "case": f.case_id,
            "suspect": f.suspect_id, "name": f.name, "alias": f.alias, "listed_on": f.listed_on,
            "pursuit_team": f.pursuit_team_id, "location": f.location, "outcome": f.outcome,
            "outcome_on": f.outcome_on}


def fugitive_add(
    *,
    actor: User,
    office: Office,
    jurisdiction: Jurisdiction,
    name: str,
    listed_on: dt.date,
    alias: str = "",
    id_number: str = "",
    case: Case | None = None,
    suspect: Suspect | None = None,
    pursuit_team: WorkingGroup | None = None,
    location: str = FugitiveLocation.UNKNOWN,
) -> Fugitive:
    """Put a fugitive on the pursuit list; with a case, the fugitive takes the case's jurisdiction."""
    name = text(name, label=_("Name"), required=True, max_length=100)
    alias = text(alias, label=_("Alias or nickname"), max_length=100)
    id_number = text(id_number, label=_("ID number"), max_length=18).upper()
    day = past_day(listed_on, label=_("Listed on"))
    location = choice(location, values=FugitiveLocation.values, label=_("Where"))
    if suspect is not None:
        if case is not None and suspect.case_id != case.pk:
            raise ValidationError(_("%(name)s is not a suspect of this case.") % {"name": suspect.name})
        case = suspect.case
        check_not_voided(suspect, label=_("This suspect"))
    path = jurisdiction.path
    if case is not None:
        check_not_voided(case, label=_("This case"))
        path = case.jurisdiction_path
    if not path.startswith(office.jurisdiction.path):
        raise ValidationError(_("%(place)s lies outside the jurisdiction of %(office)s.")
                              % {"place": case.number if case else jurisdiction.name, "office": office.name})
    if pursuit_team is not None:
        if pursuit_team.kind != WorkingGroupKind.PURSUIT_TEAM or not pursuit_team.active:
            raise ValidationError(_("%(group)s is not an active pursuit team.") % {"group": pursuit_team.name})
        if not path.startswith(pursuit_team.office.jurisdiction.path):
            raise ValidationError(_("%(group)s works for another jurisdiction.") % {"group": pursuit_team.name})
    refuse(may_handle_fugitives(actor, path, case), _("You may not list fugitives here."))
    with transaction.atomic():
        fugitive = Fugitive.objects.create(
            office=office, jurisdiction_path=path, case=case, suspect=suspect, name=name, alias=alias,
            id_number=id_number, listed_on=day, pursuit_team=pursuit_team, location=location, created_by=actor,
        )
        audit(actor=actor, action="fugitive.add", object_type="fugitive", object_id=fugitive.pk, before=None,
              after={**fugitive_snapshot(fugitive), "case_number": case.number if case else None})
    return fugitive


def fugitive_outcome_record(*, actor: User, fugitive: Fugitive, outcome: str, on: dt.date,
                            location: str | None = None, note: str = "") -> Fugitive:
    """Arrested, surrendered, persuaded to return, extradited or repatriated, or died: once, and final."""
    outcome = choice(outcome, values=[o for o in FugitiveOutcome.values if o != FugitiveOutcome.AT_LARGE],
                     label=_("Outcome"))
    day = past_day(on, label=_("Outcome on"))
    if location not in (None, ""):
        location = choice(location, values=FugitiveLocation.values, label=_("Where"))
    note = text(note, label=_("Note"))
    with transaction.atomic():
        fugitive = Fugitive.objects.select_for_update(of=("self",)).select_related("case").get(pk=fugitive.pk)
        refuse(may_handle_fugitives(actor, fugitive.jurisdiction_path, fugitive.case),
               _("You may not record what became of this fugitive."))
        check_not_voided(fugitive, label=_("This fugitive"))
        if fugitive.outcome != FugitiveOutcome.AT_LARGE:
            raise ValidationError(_("This fugitive's outcome was already recorded: %(outcome)s on %(date)s.")
                                  % {"outcome": FugitiveOutcome(fugitive.outcome).label,
                                     "date": fugitive.outcome_on.isoformat() if fugitive.outcome_on else "—"})
        not_before(day, fugitive.listed_on, label=_("Outcome on"), earlier_label=_("listed on"))
        before = fugitive_snapshot(fugitive)
        fugitive.outcome, fugitive.outcome_on = outcome, day
        if location:
            fugitive.location = location
        if note:
            fugitive.note = f"{fugitive.note}\n{note}".strip()
        fugitive.save()
        after = fugitive_snapshot(fugitive)
        audit(actor=actor, action="fugitive.outcome", object_type="fugitive", object_id=fugitive.pk,
              before={k: v for k, v in before.items() if after[k] != v},
              after={k: v for k, v in after.items() if before[k] != v}, reason=note)
    return fugitive
