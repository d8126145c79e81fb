"""One form per action on a case. The forms shape the input and offer sensible choices; the services decide
(and explain) what is allowed. Field names are the services' parameter names."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saohei.cases.choices import (
    SECURED_STATES,
    STAGE_UNIT_KINDS,
    AssetKind,
    AssetState,
    CaseKind,
    Custody,
    FugitiveLocation,
    FugitiveOutcome,
    OrganizationType,
    ReviewFinding,
    Stage,
    SuspectOutcome,
    SuspectRole,
    UmbrellaOutcome,
)
from saohei.cases.models import AccountabilityReview, Asset, Case, Fugitive, Suspect, Umbrella
from saohei.cases.policies import POLICE_KINDS, may_create_case
from saohei.cases.services.cases import next_stages
from saohei.clues.choices import SupervisionLevel, Track
from saohei.clues.models import Clue, OffenceCategory
from saohei.orgs.choices import UnitKind, WorkingGroupKind
from saohei.orgs.models import Office, Unit, WorkingGroup
from saohei.orgs.policies import standing_for

User = AbstractBaseUser | AnonymousUser
Target = Suspect | Asset | Fugitive | Umbrella | None


def _text(label: Any, *, required: bool = False, rows: int = 3, help_text: Any = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=20000, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}))


def _line(label: Any, *, required: bool = False, max_length: int = 200, help_text: Any = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=max_length, help_text=help_text)


def _date(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, help_text=help_text,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.jurisdiction.name}）"


class UnitsField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.jurisdiction.name}）"


def _codes(path: str) -> list[str]:
    return path.strip("/").split("/")


def units_for_case(case: Case, kinds: set[str] | frozenset[str] | None = None) -> QuerySet[Unit]:
    """Active units placed to handle the case: at or above its jurisdiction, or under the office above
    its office (designated jurisdiction)."""
    office_path = case.office.jurisdiction.path
    root = office_path.rsplit("/", 2)[0] + "/" if office_path.count("/") > 1 else office_path
    units = Unit.objects.filter(active=True).filter(
        Q(jurisdiction__code__in=_codes(case.jurisdiction_path)) | Q(jurisdiction__path__startswith=root)
    )
    if kinds:
        units = units.filter(kind__in=list(kinds))
    return units.select_related("jurisdiction").order_by("jurisdiction__path", "kind", "name")


def _offence_choices() -> list[tuple[str, str]]:
    return [(c.code, str(c)) for c in OffenceCategory.objects.filter(active=True).order_by("order", "code")]


class ActionForm(forms.Form):
    """A form acting on a case (and on one of its records, the target)."""

    def __init__(self, data: Any = None, *, case: Case, user: User, target: Target = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.case, self.user, self.target = case, user, target
        self.setup()

    def setup(self) -> None:
        """Fill choices and initial values from the case, the target and the user."""


class CaseFactsMixin(forms.Form):
    title = _line(_("Title"), required=True)
    summary = _text(_("Summary"), rows=4)
    organization_type = forms.ChoiceField(label=_("Organisation type"), choices=OrganizationType.choices,
                                          required=False)
    organization_name = _line(_("Criminal organisation"))
    organization_leader = _line(_("Organisation leader"), max_length=100)
    offences = forms.MultipleChoiceField(label=_("Offences"), required=False, widget=forms.CheckboxSelectMultiple)
    filed_on = _date(_("Filed (立案) on"), required=False)
    supervision_level = forms.ChoiceField(label=_("Listed supervision level"), choices=SupervisionLevel.choices,
                                          required=False)
    lead_official = _line(_("Lead official (领导包案)"), max_length=100)
    lead_official_position = _line(_("Lead official's position"), max_length=100)


class CaseEditForm(CaseFactsMixin, ActionForm):
    regulator_negligence = _text(
        _("Regulator's negligence (一案三查)"), rows=4,
        help_text=_("What the industry regulator failed to do that let the organisation grow."),
    )

    def setup(self) -> None:
        self.fields["offences"].choices = _offence_choices()  # type: ignore[attr-defined]
        c = self.case
        for name in ("title", "summary", "organization_type", "organization_name", "organization_leader",
                     "filed_on", "supervision_level", "lead_official", "lead_official_position",
                     "regulator_negligence"):
            self.fields[name].initial = getattr(c, name)
        self.fields["offences"].initial = list(c.offences.values_list("code", flat=True))


class SolveForm(ActionForm):
    solved_on = _date(_("Solved (破案) on"))

    def setup(self) -> None:
        self.fields["solved_on"].initial = timezone.localdate()


class DestroyedForm(ActionForm):
    destroyed_on = _date(_("Organisation destroyed (打掉) on"))

    def setup(self) -> None:
        self.fields["destroyed_on"].initial = timezone.localdate()


class AdvanceForm(ActionForm):
    stage = forms.ChoiceField(label=_("Next stage"))
    unit = UnitChoiceField(label=_("Handling unit"), queryset=Unit.objects.none())
    started_on = _date(_("From"))
    note = _text(_("Note"))

    def setup(self) -> None:
        stages = next_stages(self.case)
        self.fields["stage"].choices = [(s, Stage(s).label) for s in stages]  # type: ignore[attr-defined]
        kinds: set[str] = set()
        for s in stages:
            kinds |= STAGE_UNIT_KINDS[s]
        self.fields["unit"].queryset = units_for_case(self.case, kinds)  # type: ignore[attr-defined]
        self.fields["started_on"].initial = timezone.localdate()


class ConsultationForm(ActionForm):
    held_on = _date(_("Held on"))
    participants = UnitsField(label=_("Units taking part"), queryset=Unit.objects.none(), required=False)
    topic = _text(_("Topic"), required=True)
    decisions = _text(_("Decisions"), required=True, rows=4)

    def setup(self) -> None:
        kinds = {UnitKind.POLICE_BUREAU, UnitKind.CRIMINAL_BRIGADE, UnitKind.PROCURATORATE, UnitKind.COURT,
                 UnitKind.DISCIPLINE_COMMISSION, UnitKind.JUSTICE_BUREAU, UnitKind.REGULATOR}
        units = Unit.objects.filter(active=True, kind__in=list(kinds),
                                    jurisdiction__code__in=_codes(self.case.jurisdiction_path))
        self.fields["participants"].queryset = units.select_related(  # type: ignore[attr-defined]
            "jurisdiction").order_by("jurisdiction__path", "kind", "name")
        self.fields["held_on"].initial = timezone.localdate()


class LinkClueForm(ActionForm):
    clue = _line(_("Number of the clue"), required=True, max_length=40,
                 help_text=_("A clue concluded substantiated or partly substantiated, with its conclusion signed."))


class SuspectForm(ActionForm):
    name = _line(_("Name"), required=True, max_length=100)
    alias = _line(_("Alias or nickname"), max_length=100)
    id_number = _line(_("ID number"), max_length=18)
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False, min_value=1900, max_value=2100)
    role = forms.ChoiceField(label=_("Role in the organisation"), choices=SuspectRole.choices,
                             initial=SuspectRole.MEMBER)
    custody = forms.ChoiceField(label=_("Custody"), choices=Custody.choices, initial=Custody.AT_LARGE)
    custody_on = _date(_("Custody since"), required=False, help_text=_("Required unless the suspect is at large."))
    surrendered = forms.BooleanField(label=_("Surrendered (投案自首)"), required=False)


class CustodyForm(ActionForm):
    custody = forms.ChoiceField(label=_("Custody"))
    on = _date(_("On"))
    unit = UnitChoiceField(label=_("By"), queryset=Unit.objects.none(), required=False)
    note = _text(_("Note"))

    def setup(self) -> None:
        current = getattr(self.target, "custody", "")
        self.fields["custody"].choices = [c for c in Custody.choices if c[0] != current]  # type: ignore[attr-defined]
        kinds = set(POLICE_KINDS) | {UnitKind.PROCURATORATE, UnitKind.COURT}
        self.fields["unit"].queryset = units_for_case(self.case, kinds)  # type: ignore[attr-defined]
        self.fields["on"].initial = timezone.localdate()


class OutcomeForm(ActionForm):
    outcome = forms.ChoiceField(label=_("Outcome"),
                                choices=[c for c in SuspectOutcome.choices if c[0] != SuspectOutcome.PENDING])
    on = _date(_("On"))
    sentence = _line(_("Sentence"), help_text=_("For a conviction, e.g. 有期徒刑八年，并处罚金十万元."))
    sentence_months = forms.IntegerField(label=_("Sentence in months"), required=False, min_value=0, max_value=1200)


class AssetForm(ActionForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=AssetKind.choices)
    description = _line(_("Description"), required=True, max_length=300)
    holder = _line(_("Holder"))
    amount = _line(_("Amount (CNY)"), required=True, max_length=30, help_text=_("In yuan, e.g. 1250000.00."))
    state = forms.ChoiceField(label=_("State"), choices=[c for c in AssetState.choices if c[0] in SECURED_STATES])
    secured_on = _date(_("Sealed, seized or frozen on"))


class AssetStateForm(ActionForm):
    state = forms.ChoiceField(label=_("New state"))
    on = _date(_("On"))
    note = _text(_("Note"))

    def setup(self) -> None:
        current = getattr(self.target, "state", "")
        self.fields["state"].choices = [c for c in AssetState.choices if c[0] != current]  # type: ignore[attr-defined]
        self.fields["on"].initial = timezone.localdate()


class FugitiveForm(ActionForm):
    name = _line(_("Name"), required=True, max_length=100)
    alias = _line(_("Alias or nickname"), max_length=100)
    id_number = _line(_("ID number"), max_length=18)
    suspect = forms.ModelChoiceField(label=_("Suspect of this case"), queryset=Suspect.objects.none(),
                                     required=False)
    listed_on = _date(_("Listed on"))
    pursuit_team = forms.ModelChoiceField(label=_("Pursuit team"), queryset=WorkingGroup.objects.none(),
                                          required=False)
    location = forms.ChoiceField(label=_("Where"), choices=FugitiveLocation.choices,
                                 initial=FugitiveLocation.UNKNOWN)

    def setup(self) -> None:
        self.fields["suspect"].queryset = self.case.suspects.filter(voided_at__isnull=True)  # type: ignore[attr-defined]
        self.fields["pursuit_team"].queryset = WorkingGroup.objects.filter(  # type: ignore[attr-defined]
            active=True, kind=WorkingGroupKind.PURSUIT_TEAM,
            office__jurisdiction__code__in=_codes(self.case.jurisdiction_path))
        self.fields["listed_on"].initial = timezone.localdate()


class FugitiveOutcomeForm(ActionForm):
    outcome = forms.ChoiceField(label=_("Outcome"),
                                choices=[c for c in FugitiveOutcome.choices if c[0] != FugitiveOutcome.AT_LARGE])
    on = _date(_("On"))
    location = forms.ChoiceField(label=_("Where"), choices=[("", "—"), *FugitiveLocation.choices], required=False)
    note = _text(_("Note"))


class UmbrellaForm(ActionForm):
    name = _line(_("Official"), required=True, max_length=100)
    position = _line(_("Position"), required=True)
    employer = _line(_("Unit of the official"))
    party_member = forms.BooleanField(label=_("Party member"), required=False, initial=True)
    handling_unit = UnitChoiceField(label=_("Handling discipline commission"), queryset=Unit.objects.none())
    opened_on = _date(_("Investigation opened on"))
    clue = forms.ModelChoiceField(label=_("From the discipline track of clue"), queryset=Clue.objects.none(),
                                  required=False)

    def setup(self) -> None:
        self.fields["handling_unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            active=True, kind=UnitKind.DISCIPLINE_COMMISSION,
            jurisdiction__code__in=_codes(self.case.jurisdiction_path),
        ).select_related("jurisdiction").order_by("-jurisdiction__path")
        self.fields["clue"].queryset = self.case.clues.filter(  # type: ignore[attr-defined]
            assignments__track=Track.DISCIPLINE).distinct()
        self.fields["opened_on"].initial = timezone.localdate()


class UmbrellaConcludeForm(ActionForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[c for c in UmbrellaOutcome.choices if c[0]])
    outcome_on = _date(_("Outcome on"))
    handling = _text(_("Handling by the discipline commission"), rows=4)

    def setup(self) -> None:
        self.fields["handling"].initial = getattr(self.target, "handling", "")
        self.fields["outcome_on"].initial = timezone.localdate()


class ReviewOpenForm(ActionForm):
    clue = _line(_("Number of the clue concluded unsubstantiated"), required=True, max_length=40)
    reason = _text(_("Why the conclusion is questioned"), required=True, rows=4)


class VoidForm(ActionForm):
    reason = _text(_("Why it is voided"), required=True)


class CaseCreateForm(CaseFactsMixin, forms.Form):
    """Opening a case (from a clue, or directly by the police)."""

    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.none())
    jurisdiction = _line(_("Jurisdiction code"), required=True, max_length=6,
                         help_text=_("Six digits, e.g. 420103; it must lie within the office's jurisdiction."))
    unit = UnitChoiceField(label=_("Investigating police unit"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices, initial=CaseKind.CRIMINAL)
    clue = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**62)
    field_order = ["office", "jurisdiction", "unit", "kind", "title"]

    def __init__(self, data: Any = None, *, user: User, clue: Clue | None = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.user = user
        self.fields["offences"].choices = _offence_choices()  # type: ignore[attr-defined]
        standing = standing_for(user)
        offices = Office.objects.select_related("jurisdiction")
        units = Unit.objects.filter(active=True, kind__in=list(POLICE_KINDS)).select_related("jurisdiction")
        if not standing.is_superuser:
            paths = standing.all_office_paths + list(standing.unit_paths.values())
            near = Q(pk__in=[])
            for p in paths:
                near |= Q(jurisdiction__path__startswith=p) | Q(jurisdiction__code__in=_codes(p))
            offices = offices.filter(near)
            units = units.filter(near)
        allowed = [o.pk for o in offices if may_create_case(user, o)]
        self.fields["office"].queryset = Office.objects.filter(pk__in=allowed)  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units.order_by("jurisdiction__path", "kind", "name")  # type: ignore[attr-defined]
        if clue is not None:
            self.fields["clue"].initial = clue.pk
            self.fields["title"].initial = clue.title
            self.fields["summary"].initial = clue.summary
            self.fields["jurisdiction"].initial = clue.jurisdiction.code
            if clue.office_id in allowed:
                self.fields["office"].initial = clue.office_id
            if clue.category_id and clue.category:
                self.fields["offences"].initial = [clue.category.code]
        self.fields["filed_on"].initial = timezone.localdate()


class ReviewOpenPageForm(forms.Form):
    """Opening an accountability review from the clue's page: the case that showed the conclusion wrong."""

    case = _line(_("Number of the case that established the facts"), required=True, max_length=40)
    reason = _text(_("Why the conclusion is questioned"), required=True, rows=4)


class DecideForm(forms.Form):
    finding = forms.ChoiceField(label=_("Review finding"), choices=ReviewFinding.choices)
    finding_text = _text(_("Finding in detail"), required=True, rows=5)

    def __init__(self, data: Any = None, *, review: AccountabilityReview, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.review = review
        for signer in review.signers.select_related("signer__profile"):
            profile = getattr(signer.signer, "profile", None)
            who = getattr(profile, "display_name", "") or signer.signer.get_username()
            self.fields[f"signer_{signer.pk}"] = forms.ChoiceField(
                label=_("Finding for %(who)s (%(step)s)") % {"who": who, "step": signer.step_label},
                choices=[("", _("as the review's finding")), *ReviewFinding.choices], required=False,
            )

    def signer_findings(self) -> dict[int, str]:
        return {int(name.removeprefix("signer_")): value for name, value in self.cleaned_data.items()
                if name.startswith("signer_") and value}
