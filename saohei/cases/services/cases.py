"""The case itself: creation from clues (成案), its facts, solving, the organisation destroyed, the
stages from investigation to execution, consultations, and voiding any case record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import partial
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saohei.cases.choices import STAGE_ORDER, STAGE_UNIT_KINDS, CaseKind, CaseOrigin, OrganizationType, Stage
from saohei.cases.models import Asset, Case, CaseClue, CaseStage, Consultation, Fugitive, Suspect, Umbrella
from saohei.cases.policies import (
    may_advance_stage,
    may_create_case,
    may_handle_fugitives,
    may_handle_umbrellas,
    may_void_case,
    may_work_on_case,
)
from saohei.cases.services.common import (
    audit,
    case_lock,
    case_snapshot,
    check_not_voided,
    check_unit_for_case,
    choice,
    not_before,
    outcomes_stale,
    past_date,
    past_day,
    refuse,
    text,
)
from saohei.cases.signals import case_text_changed
from saohei.clues.choices import Conclusion, State, SupervisionLevel
from saohei.clues.models import Clue, OffenceCategory
from saohei.clues.services.common import clue_outcomes_stale
from saohei.orgs.models import Jurisdiction, Office, Unit

FOUNDED = frozenset({Conclusion.SUBSTANTIATED, Conclusion.PARTLY})
UNFOUNDED = frozenset({Conclusion.UNSUBSTANTIATED, Conclusion.UNVERIFIABLE})
SIGNED_STATES = frozenset({State.SIGNED, State.CLOSED})
# The date each stage sets on the case the first time the case reaches it.
STAGE_DATE_FIELDS: dict[str, str] = {
    Stage.INDICTED: "indicted_on",
    Stage.FIRST_INSTANCE: "first_judgment_on",
    Stage.EFFECTIVE_JUDGMENT: "effective_judgment_on",
}
UPDATABLE = frozenset({
    "title", "summary", "organization_type", "organization_name", "organization_leader", "offences",
    "supervision_level", "lead_official", "lead_official_position", "regulator_negligence", "filed_on",
})


def _offences(values: Iterable[OffenceCategory | str]) -> list[OffenceCategory]:
    found: list[OffenceCategory] = []
    codes = [v for v in values if isinstance(v, str)]
    by_code = {c.code: c for c in OffenceCategory.objects.filter(code__in=codes)}
    for value in values:
        if isinstance(value, OffenceCategory):
            found.append(value)
        elif value in by_code:
            found.append(by_code[value])
        else:
            raise ValidationError(_("Unknown offence category: %(code)s") % {"code": value})
    return found


def clue_check_forms_case(clue: Clue) -> None:
    """A case is formed only from a clue whose substantiated conclusion has been signed."""
    number = clue.number or str(clue.pk)
    if clue.conclusion in UNFOUNDED and clue.state in SIGNED_STATES:
        raise ValidationError(
            _("Clue %(number)s was concluded “%(conclusion)s”: it cannot form a case. If this case shows that "
              "the conclusion was wrong, open an accountability review of the clue instead.")
            % {"number": number, "conclusion": Conclusion(clue.conclusion).label}
        )
    if clue.state not in SIGNED_STATES or clue.conclusion not in FOUNDED:
        raise ValidationError(
            _("Clue %(number)s cannot form a case yet: only a clue concluded substantiated or partly "
              "substantiated, with the conclusion signed, can.") % {"number": number}
        )


def _link(*, actor: User, case: Case, clue: Clue) -> CaseClue:
    if not Clue.objects.visible_to(actor).filter(pk=clue.pk).exists():
        raise ValidationError(_("No such clue."))
    clue = Clue.objects.get(pk=clue.pk)
    clue_check_forms_case(clue)
    if CaseClue.objects.filter(case=case, clue=clue).exists():
        raise ValidationError(
            _("Clue %(number)s is already linked to this case.") % {"number": clue.number or clue.pk}
        )
    link = CaseClue.objects.create(case=case, clue=clue, linked_by=actor)
    clue_outcomes_stale(clue)
    return link


def _clue_numbers(case: Case) -> list[str]:
    return sorted(str(n) for n in case.clue_links.values_list("clue__number", flat=True))


def case_create(
    *,
    actor: User,
    office: Office,
    jurisdiction: Jurisdiction,
    title: str,
    unit: Unit,
    summary: str = "",
    kind: str = CaseKind.CRIMINAL,
    origin: str = CaseOrigin.CLUES,
    clues: Iterable[Clue] = (),
    organization_type: str = "",
    organization_name: str = "",
    organization_leader: str = "",
    offences: Iterable[OffenceCategory | str] = (),
    filed_on: dt.date | None = None,
    supervision_level: str = "",
    lead_official: str = "",
    lead_official_position: str = "",
) -> Case:
    """Open a case (立案) with `unit` as the investigating police unit; link the clues it was formed from."""
    refuse(may_create_case(actor, office, unit),
           _("You may not open a case for %(office)s with %(unit)s investigating.")
           % {"office": office.name, "unit": unit.name})
    clues = list(clues)
    fields: dict[str, Any] = {
        "title": text(title, label=_("Title"), required=True, max_length=200),
        "summary": text(summary, label=_("Summary")),
        "kind": choice(kind, values=CaseKind.values, label=_("Kind")),
        "origin": choice(origin, values=CaseOrigin.values, label=_("Origin")),
        "organization_type": choice(organization_type or "", values=OrganizationType.values,
                                    label=_("Organisation type")),
        "organization_name": text(organization_name, label=_("Criminal organisation"), max_length=200),
        "organization_leader": text(organization_leader, label=_("Organisation leader"), max_length=100),
        "supervision_level": choice(supervision_level or "", values=SupervisionLevel.values,
                                    label=_("Listed supervision level")),
        "lead_official": text(lead_official, label=_("Lead official"), max_length=100),
        "lead_official_position": text(lead_official_position, label=_("Lead official's position"),
                                       max_length=100),
        "filed_on": past_date(filed_on, label=_("Filed on"), required=False),
    }
    if fields["origin"] == CaseOrigin.CLUES and not clues:
        raise ValidationError(_("A case formed from clues needs at least one clue; a case the police opened "
                                "without a clue has the origin “opened directly by the police”."))
    if not jurisdiction.path.startswith(office.jurisdiction.path):
        raise ValidationError(_("%(place)s lies outside the jurisdiction of %(office)s.")
                              % {"place": jurisdiction.name, "office": office.name})
    check_unit_for_case(unit=unit, kinds=STAGE_UNIT_KINDS[Stage.INVESTIGATION], case_path=jurisdiction.path,
                        office=office, label=_("The investigating unit"))
    categories = _offences(offences)
    with transaction.atomic():
        case = Case.objects.create(
            office=office, jurisdiction=jurisdiction, jurisdiction_path=jurisdiction.path, stage=Stage.INVESTIGATION,
            stage_unit=unit, created_by=actor, **fields,
        )
        case.number = f"AJ{(fields['filed_on'] or timezone.localdate()).year}{case.pk:07d}"
        case.save(update_fields=["number"])
        case.offences.set(categories)
        CaseStage.objects.create(case=case, stage=Stage.INVESTIGATION, unit=unit,
                                 started_on=fields["filed_on"] or timezone.localdate(), recorded_by=actor)
        for clue in clues:
            _link(actor=actor, case=case, clue=clue)
        outcomes_stale(case)
        audit(actor=actor, action="case.create", object_type="case", object_id=case.pk, before=None,
               after={**case_snapshot(case), "clues": _clue_numbers(case), "unit": unit.name})
        transaction.on_commit(partial(case_text_changed.send, sender=Case, case_id=case.pk))
    return case


def case_update(*, actor: User, case: Case, **changes: Any) -> Case:
    """Change the case's facts (not its stage, dates of stages, solving or destruction: they have their own)."""
    unknown = sorted(set(changes) - UPDATABLE)
    if unknown:
        raise ValidationError(_("These facts cannot be changed here: %(fields)s") % {"fields": ", ".join(unknown)})
    with transaction.atomic():
        case = case_lock(case.pk)
        refuse(may_work_on_case(actor, case), _("You may not change this case."))
        check_not_voided(case, label=_("This case"))
        before = case_snapshot(case)
        outcomes_stale(case)
        labels = {"title": (_("Title"), 200), "summary": (_("Summary"), 20000),
                  "organization_name": (_("Criminal organisation"), 200),
                  "organization_leader": (_("Organisation leader"), 100),
                  "lead_official": (_("Lead official"), 100),
                  "lead_official_position": (_("Lead official's position"), 100),
                  "regulator_negligence": (_("Regulator's negligence"), 20000)}
        for name, (label, limit) in labels.items():
            if name in changes:
                setattr(case, name, text(changes[name], label=label, required=name == "title", max_length=limit))
        if "organization_type" in changes:
            case.organization_type = choice(changes["organization_type"] or "", values=OrganizationType.values,
                                            label=_("Organisation type"))
            if case.destroyed and not case.organization_type:
                raise ValidationError(_("The organisation of this case was destroyed: its type cannot be removed."))
        if "supervision_level" in changes:
            case.supervision_level = choice(changes["supervision_level"] or "", values=SupervisionLevel.values,
                                            label=_("Listed supervision level"))
        if "filed_on" in changes:
            case.filed_on = past_date(changes["filed_on"], label=_("Filed on"), required=False)
            if case.filed_on is not None:
                later = [(case.solved_on, _("solved on")), (case.destroyed_on, _("destroyed on"))]
                later += [(s.started_on, s.get_stage_display())
                          for s in case.stages.exclude(stage=Stage.INVESTIGATION)]
                for day, label in later:
                    if day is not None and day < case.filed_on:
                        raise ValidationError(
                            _("Filed on (%(date)s) cannot be after %(other)s (%(other_date)s).")
                            % {"date": case.filed_on.isoformat(), "other": label, "other_date": day.isoformat()}
                        )
        case.save()
        if "offences" in changes:
            case.offences.set(_offences(changes["offences"] or ()))
        outcomes_stale(case)
        after = case_snapshot(case)
        audit(actor=actor, action="case.update", object_type="case", object_id=case.pk,
               before={k: v for k, v in before.items() if after[k] != v},
               after={k: v for k, v in after.items() if before[k] != v})
        if any(before[k] != after[k] for k in ("title", "summary")):
            transaction.on_commit(partial(case_text_changed.send, sender=Case, case_id=case.pk))
    return case


def case_solve(*, actor: User, case: Case, solved_on: dt.date) -> Case:
    """The case is solved (破案)."""
    day = past_day(solved_on, label=_("Solved on"))
    with transaction.atomic():
        case = case_lock(case.pk)
        refuse(may_work_on_case(actor, case), _("You may not record that this case is solved."))
        check_not_voided(case, label=_("This case"))
        if case.solved_on is not None:
            raise ValidationError(_("This case was already recorded solved on %(date)s.")
                                  % {"date": case.solved_on.isoformat()})
        not_before(day, case.filed_on, label=_("Solved on"), earlier_label=_("filed on"))
        before = case_snapshot(case)
        case.solved_on = day
        case.save(update_fields=["solved_on", "updated_at"])
        outcomes_stale(case)
        audit(actor=actor, action="case.solve", object_type="case", object_id=case.pk,
               before={"solved_on": before["solved_on"]}, after={"solved_on": day})
    return case


def case_destroyed_record(*, actor: User, case: Case, destroyed_on: dt.date) -> Case:
    """The case's organisation is destroyed (打掉)."""
    day = past_day(destroyed_on, label=_("Destroyed on"))
    with transaction.atomic():
        case = case_lock(case.pk)
        refuse(may_work_on_case(actor, case), _("You may not record that this organisation is destroyed."))
        check_not_voided(case, label=_("This case"))
        if not case.organization_type:
            raise ValidationError(_("Record the organisation type first: only a mafia-type organisation, an "
                                    "evil-force group or an evil-force gang can be destroyed."))
        if case.destroyed:
            raise ValidationError(_("This organisation was already recorded destroyed on %(date)s.")
                                  % {"date": case.destroyed_on.isoformat() if case.destroyed_on else "—"})
        not_before(day, case.filed_on, label=_("Destroyed on"), earlier_label=_("filed on"))
        case.destroyed, case.destroyed_on = True, day
        case.save(update_fields=["destroyed", "destroyed_on", "updated_at"])
        outcomes_stale(case)
        audit(actor=actor, action="case.destroyed", object_type="case", object_id=case.pk,
               before={"destroyed": False, "destroyed_on": None},
               after={"destroyed": True, "destroyed_on": day, "organization_type": case.organization_type})
    return case


def case_clue_link(*, actor: User, case: Case, clue: Clue) -> CaseClue:
    """A further clue this case was formed from (what the case rate counts)."""
    with transaction.atomic():
        case = case_lock(case.pk)
        refuse(may_work_on_case(actor, case), _("You may not link clues to this case."))
        check_not_voided(case, label=_("This case"))
        before = _clue_numbers(case)
        link = _link(actor=actor, case=case, clue=clue)
        audit(actor=actor, action="case.clue_link", object_type="case", object_id=case.pk,
               before={"clues": before}, after={"clues": _clue_numbers(case)})
    return link


def next_stages(case: Case) -> list[str]:
    """The stages the case may move on to: the next one; after the first instance also straight to the
    effective judgment (no appeal)."""
    i = STAGE_ORDER.index(case.stage)
    if i + 1 >= len(STAGE_ORDER):
        return []
    options = [STAGE_ORDER[i + 1]]
    if case.stage == Stage.FIRST_INSTANCE:
        options.append(Stage.EFFECTIVE_JUDGMENT)
    return options


def case_stage_advance(*, actor: User, case: Case, stage: str, unit: Unit, started_on: dt.date,
                       note: str = "") -> CaseStage:
    """The case moves on to `stage`, handled by `unit` from `started_on`."""
    stage = choice(stage, values=STAGE_ORDER, label=_("Stage"))
    day = past_day(started_on, label=_("From"))
    note = text(note, label=_("Note"))
    with transaction.atomic():
        case = case_lock(case.pk)
        refuse(may_advance_stage(actor, case), _("You may not move this case to another stage."))
        check_not_voided(case, label=_("This case"))
        allowed = next_stages(case)
        if stage not in allowed:
            if stage == Stage.EXECUTION:
                raise ValidationError(_("Execution follows the effective judgment only."))
            raise ValidationError(
                _("From %(current)s the case moves on to %(allowed)s only, never back or past a stage.")
                % {"current": Stage(case.stage).label,
                   "allowed": " / ".join(str(Stage(s).label) for s in allowed) or "—"}
            )
        check_unit_for_case(unit=unit, kinds=STAGE_UNIT_KINDS[stage], case_path=case.jurisdiction_path,
                            office=case.office, label=_("The unit of this stage"))
        previous = case.stages.order_by("-started_on", "-pk").first()
        if previous is not None:
            not_before(day, previous.started_on, label=_("The start of %(stage)s") % {"stage": Stage(stage).label},
                       earlier_label=_("the start of %(stage)s") % {"stage": Stage(previous.stage).label})
        before = case_snapshot(case)
        entry = CaseStage.objects.create(case=case, stage=stage, unit=unit, started_on=day, note=note,
                                         recorded_by=actor)
        case.stage, case.stage_unit = stage, unit
        field = STAGE_DATE_FIELDS.get(stage)
        if field is not None and getattr(case, field) is None:
            setattr(case, field, day)
        case.save()
        outcomes_stale(case)
        after = case_snapshot(case)
        audit(actor=actor, action="case.stage_advance", object_type="case", object_id=case.pk,
               before={k: v for k, v in before.items() if after[k] != v},
               after={**{k: v for k, v in after.items() if before[k] != v}, "unit": unit.name, "started_on": day},
               reason=note)
    return entry


def consultation_record(*, actor: User, case: Case, held_on: dt.date, topic: str, decisions: str,
                        participants: Iterable[Unit] = ()) -> Consultation:
    """A joint meeting (会商) on the case and what it decided."""
    day = past_day(held_on, label=_("Held on"))
    topic = text(topic, label=_("Topic"), required=True)
    decisions = text(decisions, label=_("Decisions"), required=True)
    units = list(participants)
    with transaction.atomic():
        case = case_lock(case.pk)
        refuse(may_work_on_case(actor, case), _("You may not record consultations on this case."))
        check_not_voided(case, label=_("This case"))
        consultation = Consultation.objects.create(case=case, held_on=day, topic=topic, decisions=decisions,
                                                   recorded_by=actor)
        consultation.participants.set(units)
        audit(actor=actor, action="case.consultation", object_type="case", object_id=case.pk, before=None,
               after={"consultation": consultation.pk, "held_on": day, "topic": topic, "decisions": decisions,
                      "units": [u.name for u in units]})
    return consultation


Voidable = TypeVar("Voidable", Case, Suspect, Asset, Umbrella, Fugitive)


def _void_one(obj: Case | Suspect | Asset | Umbrella | Fugitive, *, actor: User, reason: str, kind: str) -> None:
    before = {"voided_at": None, "void_reason": ""}
    obj.voided_at, obj.void_reason = timezone.now(), reason
    obj.save(update_fields=["voided_at", "void_reason"])
    if isinstance(obj, Case | Suspect | Asset):
        outcomes_stale(obj)
    if isinstance(obj, Case):  # its clues no longer formed a case through it
        for clue in Clue.objects.filter(case_links__case=obj):
            clue_outcomes_stale(clue)
    audit(actor=actor, action=f"{kind}.void", object_type=kind, object_id=obj.pk, before=before,
           after={"voided_at": obj.voided_at, "void_reason": reason, "name": str(obj)}, reason=reason)


def _may_void(actor: User, obj: Case | Suspect | Asset | Umbrella | Fugitive) -> bool:
    if isinstance(obj, Case):
        return may_void_case(actor, obj)
    if isinstance(obj, Suspect | Asset):
        return may_work_on_case(actor, obj.case)
    if isinstance(obj, Umbrella):
        return may_handle_umbrellas(actor, obj.jurisdiction_path)
    return may_handle_fugitives(actor, obj.jurisdiction_path, obj.case)


def record_void(*, actor: User, record: Voidable, reason: str) -> Voidable:
    """Void a case, suspect, asset, umbrella or fugitive recorded by mistake; a case takes its records with it."""
    kinds: dict[type, str] = {Case: "case", Suspect: "suspect", Asset: "asset", Umbrella: "umbrella",
                              Fugitive: "fugitive"}
    kind = kinds.get(type(record))
    if kind is None:
        raise ValidationError(_("Only cases, suspects, assets, umbrellas and fugitives can be voided here."))
    why = text(reason, label=_("Reason"), required=True)
    with transaction.atomic():
        obj: Case | Suspect | Asset | Umbrella | Fugitive = (
            type(record).objects.select_for_update(of=("self",)).get(pk=record.pk)
        )
        refuse(_may_void(actor, obj), _("You may not void this record."))
        if obj.voided_at is not None:
            raise ValidationError(_("This record was already voided."))
        _void_one(obj, actor=actor, reason=why, kind=kind)
        if isinstance(obj, Case):
            cascade = _("Voided with case %(number)s: %(reason)s") % {"number": obj.number, "reason": why}
            children: list[Suspect | Asset | Umbrella | Fugitive] = [
                *Suspect.objects.select_for_update(of=("self",)).filter(case=obj, voided_at__isnull=True),
                *Asset.objects.select_for_update(of=("self",)).filter(case=obj, voided_at__isnull=True),
                *Umbrella.objects.select_for_update(of=("self",)).filter(case=obj, voided_at__isnull=True),
                *Fugitive.objects.select_for_update(of=("self",)).filter(case=obj, voided_at__isnull=True),
            ]
            for child in children:
                _void_one(child, actor=actor, reason=cascade, kind=kinds[type(child)])
    return obj  # type: ignore[return-value]  # the same model as `record`

