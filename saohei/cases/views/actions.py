"""The actions on a case page, as one table: name, label, form, the record it acts on, who and when, and what
it does (through the services)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saohei.cases import forms as f
from saohei.cases import services
from saohei.cases.choices import AssetState, FugitiveOutcome, Stage, UmbrellaState
from saohei.cases.models import Asset, Case, Fugitive, Suspect, Umbrella
from saohei.cases.policies import (
    may_advance_stage,
    may_handle_fugitives,
    may_handle_umbrellas,
    may_open_review_on_case,
    may_void_case,
    may_work_on_case,
)
from saohei.cases.services.cases import next_stages
from saohei.cases.services.suspects import NEXT_OUTCOMES
from saohei.clues.models import Clue

User = AbstractBaseUser | AnonymousUser
Target = Suspect | Asset | Fugitive | Umbrella | None


@dataclass(frozen=True)
class CasePerms:
    """What the user may do on this case, asked once per page."""

    work: bool = False
    advance: bool = False
    void: bool = False
    umbrellas: bool = False  # see and handle its protection cases (others never learn whether any exist)
    fugitives: bool = False
    reviews: bool = False

    @classmethod
    def of(cls, user: User, case: Case) -> CasePerms:
        return cls(
            work=may_work_on_case(user, case),
            advance=may_advance_stage(user, case),
            void=may_void_case(user, case),
            umbrellas=may_handle_umbrellas(user, case.jurisdiction_path),
            fugitives=may_handle_fugitives(user, case.jurisdiction_path, case),
            reviews=may_open_review_on_case(user, case),
        )


Allowed = Callable[[CasePerms, Case, Any], bool]
Run = Callable[[Any, Case, Any, dict[str, Any], Any], str]


@dataclass(frozen=True)
class Action:
    name: str
    label: str | Promise
    form: type[f.ActionForm]
    allowed: Allowed
    run: Run
    target: type[Suspect] | type[Asset] | type[Fugitive] | type[Umbrella] | None = None
    secondary: bool = False


def _clue_by_number(number: str) -> Clue:
    ref = number.strip()
    clue: Clue | None = Clue.objects.filter(number=ref).first()
    if clue is None and ref.isdigit() and int(ref) < 2**62:
        clue = Clue.objects.filter(pk=int(ref)).first()
    if clue is None:
        raise ValidationError(_("No such clue."))
    return clue


def _edit(actor: Any, case: Case, _t: Any, d: dict[str, Any], _form: Any) -> str:
    services.case_update(actor=actor, case=case, **d)
    return _("The case's facts were saved.")


def _solve(actor: Any, case: Case, _t: Any, d: dict[str, Any], _form: Any) -> str:
    services.case_solve(actor=actor, case=case, solved_on=d["solved_on"])
    return _("The case is recorded solved.")


def _destroyed(actor: Any, case: Case, _t: Any, d: dict[str, Any], _form: Any) -> str:
    services.case_destroyed_record(actor=actor, case=case, destroyed_on=d["destroyed_on"])
    return _("The organisation is recorded destroyed.")


def _advance(actor: Any, case: Case, _t: Any, d: dict[str, Any], _form: Any) -> str:
    entry = services.case_stage_advance(actor=actor, case=case, stage=d["stage"], unit=d["unit"],
                                        started_on=d["started_on"], note=d["note"])
    return _("The case is now at the stage “%(stage)s”, handled by %(unit)s.") % {
        "stage": Stage(entry.stage).label, "unit": entry.unit.name}


def _consultation(actor: Any, case: Case, _t: Any, d: dict[str, Any], _form: Any) -> str:
    services.consultation_record(actor=actor, case=case, held_on=d["held_on"], topic=d["topic"],
                                 decisions=d["decisions"], participants=d["participants"])
    return _("The consultation is recorded.")


def _link_clue(actor: Any, case: Case, _t: Any, d: dict[str, Any], _form: Any) -> str:
    link = services.case_clue_link(actor=actor, case=case, clue=_clue_by_number(d["clue"]))
    return _("Clue %(number)s is linked to the case.") % {"number": link.clue.number}


def _suspect_add(actor: Any, case: Case, _t: Any, d: dict[str, Any], _form: Any) -> str:
    s = services.suspect_add(actor=actor, case=case, **d)
    return _("Suspect %(name)s is recorded.") % {"name": s.name}


def _custody(actor: Any, case: Case, t: Suspect, d: dict[str, Any], _form: Any) -> str:
    services.suspect_custody_change(actor=actor, suspect=t, **d)
    return _("The custody of %(name)s is recorded.") % {"name": t.name}


def _outcome(actor: Any, case: Case, t: Suspect, d: dict[str, Any], _form: Any) -> str:
    services.suspect_outcome_record(actor=actor, suspect=t, **d)
    return _("The outcome for %(name)s is recorded.") % {"name": t.name}


def _asset_add(actor: Any, case: Case, _t: Any, d: dict[str, Any], _form: Any) -> str:
    services.asset_record(actor=actor, case=case, **d)
    return _("The asset is recorded.")


def _asset_state(actor: Any, case: Case, t: Asset, d: dict[str, Any], _form: Any) -> str:
    services.asset_state_change(actor=actor, asset=t, **d)
    return _("The asset is now %(state)s.") % {"state": AssetState(d["state"]).label}


def _fugitive_add(actor: Any, case: Case, _t: Any, d: dict[str, Any], _form: Any) -> str:
    fugitive = services.fugitive_add(actor=actor, office=case.office, jurisdiction=case.jurisdiction, case=case, **d)
    return _("%(name)s is on the list of target fugitives.") % {"name": fugitive.name}


def _fugitive_outcome(actor: Any, case: Case, t: Fugitive, d: dict[str, Any], _form: Any) -> str:
    services.fugitive_outcome_record(actor=actor, fugitive=t, outcome=d["outcome"], on=d["on"],
                                     location=d["location"] or None, note=d["note"])
    return _("The outcome for %(name)s is recorded.") % {"name": t.name}


def _umbrella_open(actor: Any, case: Case, _t: Any, d: dict[str, Any], _form: Any) -> str:
    services.umbrella_open(actor=actor, case=case, **d)
    return _("The protection case is opened.")


def _umbrella_conclude(actor: Any, case: Case, t: Umbrella, d: dict[str, Any], _form: Any) -> str:
    services.umbrella_conclude(actor=actor, umbrella=t, **d)
    return _("The protection case is concluded.")


def _review_open(actor: Any, case: Case, _t: Any, d: dict[str, Any], _form: Any) -> str:
    review = services.accountability_review_open(actor=actor, clue=_clue_by_number(d["clue"]), case=case,
                                                 reason=d["reason"])
    return _("Clue %(number)s and its signers are under accountability review.") % {"number": review.clue.number}


def _void(actor: Any, case: Case, t: Any, d: dict[str, Any], _form: Any) -> str:
    services.record_void(actor=actor, record=t if t is not None else case, reason=d["reason"])
    return _("Voided.")


def _open(case: Case) -> bool:
    return case.voided_at is None


def _live(target: Any) -> bool:
    return target is not None and target.voided_at is None


ACTIONS: tuple[Action, ...] = (
    Action("advance", gettext_lazy("move to the next stage"), f.AdvanceForm,
           lambda p, c, t: p.advance and _open(c) and bool(next_stages(c)), _advance),
    Action("suspect_add", gettext_lazy("add a suspect"), f.SuspectForm,
           lambda p, c, t: p.work and _open(c), _suspect_add),
    Action("asset_add", gettext_lazy("record an asset"), f.AssetForm,
           lambda p, c, t: p.work and _open(c), _asset_add),
    Action("consultation", gettext_lazy("record a consultation"), f.ConsultationForm,
           lambda p, c, t: p.work and _open(c), _consultation),
    Action("solve", gettext_lazy("record the case solved"), f.SolveForm,
           lambda p, c, t: p.work and _open(c) and c.solved_on is None, _solve),
    Action("destroyed", gettext_lazy("record the organisation destroyed"), f.DestroyedForm,
           lambda p, c, t: p.work and _open(c) and bool(c.organization_type) and not c.destroyed, _destroyed),
    Action("fugitive_add", gettext_lazy("list a target fugitive"), f.FugitiveForm,
           lambda p, c, t: p.fugitives and _open(c), _fugitive_add),
    Action("umbrella_open", gettext_lazy("open a protection case"), f.UmbrellaForm,
           lambda p, c, t: p.umbrellas and _open(c), _umbrella_open),
    Action("edit", gettext_lazy("edit the facts"), f.CaseEditForm,
           lambda p, c, t: p.work and _open(c), _edit, secondary=True),
    Action("link_clue", gettext_lazy("link a clue"), f.LinkClueForm,
           lambda p, c, t: p.work and _open(c), _link_clue, secondary=True),
    Action("review_open", gettext_lazy("open an accountability review"), f.ReviewOpenForm,
           lambda p, c, t: p.reviews and _open(c), _review_open, secondary=True),
    Action("void", gettext_lazy("void the case"), f.VoidForm,
           lambda p, c, t: p.void and _open(c), _void, secondary=True),
    # Actions on one record of the case.
    Action("custody", gettext_lazy("change custody"), f.CustodyForm,
           lambda p, c, t: p.work and _open(c) and _live(t), _custody, Suspect),
    Action("outcome", gettext_lazy("record the outcome"), f.OutcomeForm,
           lambda p, c, t: p.work and _open(c) and _live(t) and bool(NEXT_OUTCOMES[t.outcome]), _outcome, Suspect),
    Action("void_suspect", gettext_lazy("void"), f.VoidForm,
           lambda p, c, t: p.work and _open(c) and _live(t), _void, Suspect, secondary=True),
    Action("asset_state", gettext_lazy("change the state"), f.AssetStateForm,
           lambda p, c, t: p.work and _open(c) and _live(t) and t.state not in (
               AssetState.CONFISCATED, AssetState.RETURNED), _asset_state, Asset),
    Action("void_asset", gettext_lazy("void"), f.VoidForm,
           lambda p, c, t: p.work and _open(c) and _live(t), _void, Asset, secondary=True),
    Action("fugitive_outcome", gettext_lazy("record the outcome"), f.FugitiveOutcomeForm,
           lambda p, c, t: p.fugitives and _live(t) and t.outcome == FugitiveOutcome.AT_LARGE, _fugitive_outcome,
           Fugitive),
    Action("void_fugitive", gettext_lazy("void"), f.VoidForm,
           lambda p, c, t: p.fugitives and _live(t), _void, Fugitive, secondary=True),
    Action("umbrella_conclude", gettext_lazy("conclude the protection case"), f.UmbrellaConcludeForm,
           lambda p, c, t: p.umbrellas and _live(t) and t.state == UmbrellaState.UNDER_INVESTIGATION,
           _umbrella_conclude, Umbrella),
    Action("void_umbrella", gettext_lazy("void"), f.VoidForm,
           lambda p, c, t: p.umbrellas and _live(t), _void, Umbrella, secondary=True),
)

ACTIONS_BY_NAME: dict[str, Action] = {a.name: a for a in ACTIONS}
CASE_ACTIONS = tuple(a for a in ACTIONS if a.target is None)


def actions_for(perms: CasePerms, case: Case, target: Target = None) -> list[Action]:
    """The actions the user may take now on the case (target None) or on one of its records."""
    kind = type(target) if target is not None else None
    return [a for a in ACTIONS if a.target is kind and a.allowed(perms, case, target)]
