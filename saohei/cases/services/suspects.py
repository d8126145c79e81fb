"""Suspects: their role, custody over time (the first detention and arrest dates kept for the figures),
surrender, and what the prosecution and the courts made of them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saohei.cases.choices import Custody, SuspectOutcome, SuspectRole
from saohei.cases.models import Case, CustodyChange, Suspect
from saohei.cases.policies import may_work_on_case
from saohei.cases.services.common import (
    audit,
    case_lock,
    check_not_voided,
    choice,
    not_before,
    outcomes_stale,
    past_date,
    past_day,
    refuse,
    text,
    whole,
)
from saohei.orgs.models import Unit

# Outcomes each outcome may be followed by: an indictment before a judgment; an appeal may turn a
# conviction into an acquittal or change the sentence, and the reverse.
NEXT_OUTCOMES: dict[str, frozenset[str]] = {
    SuspectOutcome.PENDING: frozenset({SuspectOutcome.INDICTED, SuspectOutcome.NOT_PROSECUTED}),
    SuspectOutcome.INDICTED: frozenset({SuspectOutcome.CONVICTED, SuspectOutcome.ACQUITTED}),
    SuspectOutcome.CONVICTED: frozenset({SuspectOutcome.CONVICTED, SuspectOutcome.ACQUITTED}),
    SuspectOutcome.ACQUITTED: frozenset({SuspectOutcome.CONVICTED}),
    SuspectOutcome.NOT_PROSECUTED: frozenset(),
}


def suspect_snapshot(s: Suspect) -> dict[str, Any]:
    return {
        "case": s.case_id, "name": s.name, "alias": s.alias, "role": s.role, "custody": s.custody,
        "detained_on": s.detained_on, "arrested_on": s.arrested_on, "surrendered": s.surrendered,
        "outcome": s.outcome, "indicted_on": s.indicted_on, "judged_on": s.judged_on, "sentence": s.sentence,
        "sentence_months": s.sentence_months, "birth_year": s.birth_year,
    }


def _first_dates(s: Suspect, custody: str, on: dt.date) -> None:
    """Detained and arrested dates are the first ones; an arrest alone also counts as captured."""
    if custody == Custody.DETAINED and s.detained_on is None:
        s.detained_on = on
    if custody == Custody.ARRESTED and s.arrested_on is None:
        s.arrested_on = on


def _suspect_lock(suspect_id: int) -> Suspect:
    return Suspect.objects.select_for_update(of=("self",)).select_related("case").get(pk=suspect_id)


def suspect_add(
    *,
    actor: User,
    case: Case,
    name: str,
    role: str,
    alias: str = "",
    id_number: str = "",
    birth_year: int | None = None,
    custody: str = Custody.AT_LARGE,
    custody_on: dt.date | None = None,
    surrendered: bool = False,
) -> Suspect:
    fields = {
        "name": text(name, label=_("Name"), required=True, max_length=100),
        "alias": text(alias, label=_("Alias or nickname"), max_length=100),
        "id_number": text(id_number, label=_("ID number"), max_length=18).upper(),
        "role": choice(role, values=SuspectRole.values, label=_("Role in the organisation")),
    }
    custody = choice(custody, values=Custody.values, label=_("Custody"))
    day = past_date(custody_on, label=_("Custody since"), required=custody != Custody.AT_LARGE)
    birth_year = whole(birth_year, label=_("Year of birth"), low=1900, high=timezone.localdate().year)
    if surrendered and custody == Custody.AT_LARGE:
        raise ValidationError(_("A suspect who surrendered is not at large: give the custody since the surrender."))
    with transaction.atomic():
        case = case_lock(case.pk)
        refuse(may_work_on_case(actor, case), _("You may not add suspects to this case."))
        check_not_voided(case, label=_("This case"))
        suspect = Suspect(case=case, jurisdiction_path=case.jurisdiction_path, birth_year=birth_year,
                          custody=custody, surrendered=bool(surrendered), **fields)
        if day is not None:
            _first_dates(suspect, custody, day)
        suspect.save()
        if day is not None:
            CustodyChange.objects.create(suspect=suspect, custody=custody, on=day, recorded_by=actor)
        outcomes_stale(suspect)
        audit(actor=actor, action="suspect.add", object_type="suspect", object_id=suspect.pk, before=None,
              after={**suspect_snapshot(suspect), "case_number": case.number})
    return suspect


def suspect_custody_change(*, actor: User, suspect: Suspect, custody: str, on: dt.date, unit: Unit | None = None,
                           note: str = "") -> CustodyChange:
    custody = choice(custody, values=Custody.values, label=_("Custody"))
    day = past_day(on, label=_("On"))
    note = text(note, label=_("Note"))
    with transaction.atomic():
        suspect = _suspect_lock(suspect.pk)
        refuse(may_work_on_case(actor, suspect.case), _("You may not change this suspect's custody."))
        check_not_voided(suspect, label=_("This suspect"))
        check_not_voided(suspect.case, label=_("This case"))
        if custody == suspect.custody:
            raise ValidationError(_("The suspect is already %(custody)s.") % {"custody": Custody(custody).label})
        last = suspect.custody_changes.order_by("-on", "-pk").first()
        if last is not None:
            not_before(day, last.on, label=_("The change"), earlier_label=_("the previous change of custody"))
        if unit is not None and not unit.active:
            raise ValidationError(_("%(unit)s is no longer active.") % {"unit": unit.name})
        before = suspect_snapshot(suspect)
        change = CustodyChange.objects.create(suspect=suspect, custody=custody, on=day, unit=unit, note=note,
                                              recorded_by=actor)
        suspect.custody = custody
        _first_dates(suspect, custody, day)
        suspect.save()
        outcomes_stale(suspect)
        after = suspect_snapshot(suspect)
        audit(actor=actor, action="suspect.custody", object_type="suspect", object_id=suspect.pk,
              before={k: v for k, v in before.items() if after[k] != v},
              after={**{k: v for k, v in after.items() if before[k] != v}, "on": day,
                     "unit": unit.name if unit else None}, reason=note)
    return change


def suspect_outcome_record(*, actor: User, suspect: Suspect, outcome: str, on: dt.date, sentence: str = "",
                           sentence_months: int | None = None) -> Suspect:
    """Not prosecuted, indicted, convicted (with the sentence) or acquitted."""
    outcome = choice(outcome, values=[o for o in SuspectOutcome.values if o != SuspectOutcome.PENDING],
                     label=_("Outcome"))
    day = past_day(on, label=_("On"))
    sentence = text(sentence, label=_("Sentence"), max_length=200)
    sentence_months = whole(sentence_months, label=_("Sentence in months"), low=0, high=1200)
    if outcome == SuspectOutcome.CONVICTED:
        if not sentence and sentence_months is None:
            raise ValidationError(_("Give the sentence of the conviction."))
    elif sentence or sentence_months is not None:
        raise ValidationError(_("Only a conviction carries a sentence."))
    with transaction.atomic():
        suspect = _suspect_lock(suspect.pk)
        refuse(may_work_on_case(actor, suspect.case), _("You may not record this suspect's outcome."))
        check_not_voided(suspect, label=_("This suspect"))
        check_not_voided(suspect.case, label=_("This case"))
        if outcome not in NEXT_OUTCOMES[suspect.outcome]:
            if outcome in (SuspectOutcome.CONVICTED, SuspectOutcome.ACQUITTED):
                raise ValidationError(_("Record the indictment first: a court judges only an indicted suspect."))
            raise ValidationError(
                _("A suspect who is %(current)s cannot become %(outcome)s.")
                % {"current": SuspectOutcome(suspect.outcome).label, "outcome": SuspectOutcome(outcome).label}
            )
        before = suspect_snapshot(suspect)
        if outcome == SuspectOutcome.INDICTED:
            suspect.indicted_on = suspect.indicted_on or day
        if outcome in (SuspectOutcome.CONVICTED, SuspectOutcome.ACQUITTED):
            not_before(day, suspect.indicted_on, label=_("The judgment"), earlier_label=_("the indictment"))
            suspect.judged_on = suspect.judged_on or day
        suspect.outcome = outcome
        suspect.sentence = sentence
        suspect.sentence_months = sentence_months
        suspect.save()
        outcomes_stale(suspect)
        after = suspect_snapshot(suspect)
        audit(actor=actor, action="suspect.outcome", object_type="suspect", object_id=suspect.pk,
              before={k: v for k, v in before.items() if after[k] != v},
              after={**{k: v for k, v in after.items() if before[k] != v}, "on": day})
    return suspect
