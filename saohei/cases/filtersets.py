"""The filters of the six case ledgers: the list pages, the API lists, the exports and the figure
drill-downs share them (briefing: the filter contract between the ledgers, the API and the figures)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.choices import CallableChoiceIterator
from django.utils.translation import gettext_lazy as _

from saohei.cases.choices import (
    CAUGHT_OUTCOMES,
    SANCTIONED_OUTCOMES,
    AssetKind,
    AssetState,
    CaseKind,
    CaseOrigin,
    Custody,
    FugitiveLocation,
    FugitiveOutcome,
    OrganizationType,
    ReviewFinding,
    ReviewState,
    Stage,
    SuspectOutcome,
    SuspectRole,
    UmbrellaOutcome,
    UmbrellaState,
)
from saohei.cases.models import AccountabilityReview, Asset, Case, CaseClue, CaseStage, Fugitive, Suspect, Umbrella
from saohei.clues.choices import SupervisionLevel
from saohei.clues.models import OffenceCategory
from saohei.core.filters import LedgerFilterSet, day_start
from saohei.orgs.policies import units_under
from saohei.orgs.selectors import jurisdiction_path_for_code

MAX_ID = 2**62
MAX_TEXT = 100
# "none" stands for "no organisation" (stored as ""), "pending" for an umbrella without outcome yet:
# a query parameter cannot be the empty string.
NO_ORGANIZATION = "none"
PENDING = "pending"

ORGANIZATION_CHOICES = [(NO_ORGANIZATION, _("no organisation"))] + [
    (value, label) for value, label in OrganizationType.choices if value
]
UMBRELLA_OUTCOME_CHOICES = [(PENDING, _("pending"))] + [
    (value, label) for value, label in UmbrellaOutcome.choices if value
]


def _offence_choices() -> list[tuple[str, str]]:
    return [("", str(_("any")))] + [
        (c.code, str(c)) for c in OffenceCategory.objects.filter(active=True).order_by("order", "code")
    ]


def _valid_id(value: Any) -> bool:
    return value is not None and 0 < value < MAX_ID


class CaseLedgerFilterSet(LedgerFilterSet):
    """What the six ledgers share: text, jurisdiction subtree, date ranges, ids."""

    text_fields: tuple[str, ...] = ()

    def filter_text(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()[:MAX_TEXT]
        if not value:
            return qs
        q = Q(pk__in=[])
        for field in self.text_fields:
            q |= Q(**{f"{field}__icontains": value})
        return qs.filter(q)

    def filter_jurisdiction(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        path = jurisdiction_path_for_code(value)
        return qs.filter(jurisdiction_path__startswith=path) if path else qs.none()

    def filter_date_from(self, qs: QuerySet[Any], name: str, value: dt.date | None) -> QuerySet[Any]:
        return qs.filter(**{f"{name}__gte": value}) if value else qs

    def filter_date_to(self, qs: QuerySet[Any], name: str, value: dt.date | None) -> QuerySet[Any]:
        return qs.filter(**{f"{name}__lte": value}) if value else qs

    def filter_moment_from(self, qs: QuerySet[Any], name: str, value: dt.date | None) -> QuerySet[Any]:
        return qs.filter(**{f"{name}__gte": day_start(value)}) if value else qs

    def filter_moment_to(self, qs: QuerySet[Any], name: str, value: dt.date | None) -> QuerySet[Any]:
        return qs.filter(**{f"{name}__lt": day_start(value, plus_days=1)}) if value else qs

    def filter_id(self, qs: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        if value is None:
            return qs
        return qs.filter(**{name: int(value)}) if _valid_id(value) else qs.none()


def _text() -> django_filters.CharFilter:
    return django_filters.CharFilter(label=_("Text"), method="filter_text")


def _jurisdiction() -> django_filters.CharFilter:
    return django_filters.CharFilter(label=_("Jurisdiction code (with its subtree)"), method="filter_jurisdiction")


def _dates(field: str, label_from: Any, label_to: Any, moment: bool = False) -> tuple[Any, Any]:
    kind = "moment" if moment else "date"
    return (
        django_filters.DateFilter(label=label_from, field_name=field, method=f"filter_{kind}_from"),
        django_filters.DateFilter(label=label_to, field_name=field, method=f"filter_{kind}_to"),
    )


def _case_id() -> django_filters.NumberFilter:
    return django_filters.NumberFilter(label=_("Case (id)"), field_name="case_id", method="filter_id")


def _multi(label: Any, choices: Any, field: str = "") -> django_filters.MultipleChoiceFilter:
    extra = {"field_name": field} if field else {}
    return django_filters.MultipleChoiceFilter(distinct=False, label=label, choices=choices, **extra)


def _choice(label: Any, choices: Any) -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(label=label, choices=choices, empty_label=_("any"))


class CaseFilterSet(CaseLedgerFilterSet):
    text_fields = ("number", "title", "organization_name", "organization_leader")

    q = _text()
    jurisdiction = _jurisdiction()
    stage = _multi(_("Stage"), Stage.choices)
    organization_type = django_filters.MultipleChoiceFilter(
        distinct=False, label=_("Organisation type"), choices=ORGANIZATION_CHOICES, method="filter_organization_type",
    )
    destroyed = django_filters.BooleanFilter(label=_("Organisation destroyed"), field_name="destroyed")
    destroyed_from, destroyed_to = _dates("destroyed_on", _("Destroyed from"), _("Destroyed until"))
    solved_from, solved_to = _dates("solved_on", _("Solved from"), _("Solved until"))
    filed_from, filed_to = _dates("filed_on", _("Filed from"), _("Filed until"))
    indicted_from, indicted_to = _dates("indicted_on", _("Indicted from"), _("Indicted until"))
    first_judgment_from, first_judgment_to = _dates(
        "first_judgment_on", _("First-instance judgment from"), _("First-instance judgment until"))
    effective_judgment_from, effective_judgment_to = _dates(
        "effective_judgment_on", _("Effective judgment from"), _("Effective judgment until"))
    origin = _choice(_("Origin"), CaseOrigin.choices)
    kind = _choice(_("Kind"), CaseKind.choices)
    supervision_level = _choice(_("Supervision level"), SupervisionLevel.choices[1:])
    # The offence categories are data: the choices are read when the form is drawn, not at import.
    offence = django_filters.CharFilter(label=_("Offence"), method="filter_offence",
                                        widget=forms.Select(choices=CallableChoiceIterator(_offence_choices)))
    clue = django_filters.NumberFilter(label=_("Clue (id)"), method="filter_clue")
    unit = django_filters.NumberFilter(label=_("Handling unit"), method="filter_unit")

    class Meta:
        model = Case
        fields: list[str] = []

    def filter_organization_type(self, qs: QuerySet[Case], name: str, value: list[str]) -> QuerySet[Case]:
        if not value:
            return qs
        types = ["" if v == NO_ORGANIZATION else v for v in value]
        return qs.filter(organization_type__in=types)

    def filter_offence(self, qs: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        code = value.strip()[:MAX_TEXT]
        if not code:
            return qs
        through = Case.offences.through
        return qs.filter(Exists(through.objects.filter(case_id=OuterRef("pk"), offencecategory__code=code)))

    def filter_clue(self, qs: QuerySet[Case], name: str, value: Any) -> QuerySet[Case]:
        if value is None:
            return qs
        if not _valid_id(value):
            return qs.none()
        return qs.filter(Exists(CaseClue.objects.filter(case_id=OuterRef("pk"), clue_id=int(value))))

    def filter_unit(self, qs: QuerySet[Case], name: str, value: Any) -> QuerySet[Case]:
        """Cases any of whose stages the unit (or a unit under it) handled."""
        if value is None:
            return qs
        if not _valid_id(value):
            return qs.none()
        units = units_under({int(value)})
        return qs.filter(Exists(CaseStage.objects.filter(case_id=OuterRef("pk"), unit_id__in=units)))


class SuspectFilterSet(CaseLedgerFilterSet):
    text_fields = ("name", "alias", "case__number")

    q = _text()
    jurisdiction = _jurisdiction()
    role = _multi(_("Role in the organisation"), SuspectRole.choices)
    custody = _multi(_("Custody"), Custody.choices)
    outcome = _multi(_("Outcome"), SuspectOutcome.choices)
    surrendered = django_filters.BooleanFilter(label=_("Surrendered"), field_name="surrendered")
    detained_from, detained_to = _dates("detained_on", _("Detained from"), _("Detained until"))
    arrested_from, arrested_to = _dates("arrested_on", _("Arrested from"), _("Arrested until"))
    captured_from = django_filters.DateFilter(label=_("Caught (detained or arrested) from"),
                                              method="filter_captured_from")
    captured_to = django_filters.DateFilter(label=_("Caught (detained or arrested) until"),
                                            method="filter_captured_to")
    indicted_from, indicted_to = _dates("indicted_on", _("Indicted from"), _("Indicted until"))
    judged_from, judged_to = _dates("judged_on", _("Judged from"), _("Judged until"))
    case = _case_id()

    class Meta:
        model = Suspect
        fields: list[str] = []

    # "Caught" is the earlier of the detention and the arrest dates.
    def filter_captured_from(self, qs: QuerySet[Suspect], name: str, value: dt.date | None) -> QuerySet[Suspect]:
        if not value:
            return qs
        return qs.filter(
            Q(detained_on__isnull=False) | Q(arrested_on__isnull=False),
            Q(detained_on__isnull=True) | Q(detained_on__gte=value),
            Q(arrested_on__isnull=True) | Q(arrested_on__gte=value),
        )

    def filter_captured_to(self, qs: QuerySet[Suspect], name: str, value: dt.date | None) -> QuerySet[Suspect]:
        if not value:
            return qs
        return qs.filter(Q(detained_on__lte=value) | Q(arrested_on__lte=value))


class UmbrellaFilterSet(CaseLedgerFilterSet):
    text_fields = ("name", "position", "employer", "case__number")

    q = _text()
    jurisdiction = _jurisdiction()
    state = _choice(_("State"), UmbrellaState.choices)
    outcome = django_filters.MultipleChoiceFilter(
        distinct=False, label=_("Outcome"), choices=UMBRELLA_OUTCOME_CHOICES, method="filter_outcome"
    )
    sanctioned = django_filters.BooleanFilter(label=_("Sanctioned"), method="filter_sanctioned")
    transferred = django_filters.BooleanFilter(label=_("Transferred to judicial organs"), method="filter_transferred")
    opened_from, opened_to = _dates("opened_on", _("Opened from"), _("Opened until"))
    outcome_from, outcome_to = _dates("outcome_on", _("Outcome from"), _("Outcome until"))
    case = _case_id()

    class Meta:
        model = Umbrella
        fields: list[str] = []

    def filter_outcome(self, qs: QuerySet[Umbrella], name: str, value: list[str]) -> QuerySet[Umbrella]:
        if not value:
            return qs
        return qs.filter(outcome__in=["" if v == PENDING else v for v in value])

    def filter_sanctioned(self, qs: QuerySet[Umbrella], name: str, value: bool | None) -> QuerySet[Umbrella]:
        if value is None:
            return qs
        q = Q(outcome__in=[str(o) for o in SANCTIONED_OUTCOMES])
        return qs.filter(q) if value else qs.exclude(q)

    def filter_transferred(self, qs: QuerySet[Umbrella], name: str, value: bool | None) -> QuerySet[Umbrella]:
        if value is None:
            return qs
        q = Q(outcome=UmbrellaOutcome.TRANSFERRED_JUDICIAL)
        return qs.filter(q) if value else qs.exclude(q)


class AssetFilterSet(CaseLedgerFilterSet):
    text_fields = ("description", "holder", "case__number")

    q = _text()
    jurisdiction = _jurisdiction()
    kind = _multi(_("Kind"), AssetKind.choices)
    state = _multi(_("State"), AssetState.choices)
    secured_from, secured_to = _dates("secured_on", _("Secured from"), _("Secured until"))
    case = _case_id()

    class Meta:
        model = Asset
        fields: list[str] = []


class FugitiveFilterSet(CaseLedgerFilterSet):
    text_fields = ("name", "alias", "case__number")

    q = _text()
    jurisdiction = _jurisdiction()
    outcome = _multi(_("Outcome"), FugitiveOutcome.choices)
    caught = django_filters.BooleanFilter(label=_("Caught"), method="filter_caught")
    location = _choice(_("Where"), FugitiveLocation.choices)
    listed_from, listed_to = _dates("listed_on", _("Listed from"), _("Listed until"))
    outcome_from, outcome_to = _dates("outcome_on", _("Outcome from"), _("Outcome until"))
    case = _case_id()

    class Meta:
        model = Fugitive
        fields: list[str] = []

    def filter_caught(self, qs: QuerySet[Fugitive], name: str, value: bool | None) -> QuerySet[Fugitive]:
        if value is None:
            return qs
        q = Q(outcome__in=[str(o) for o in CAUGHT_OUTCOMES])
        return qs.filter(q) if value else qs.exclude(q)


class ReviewFilterSet(CaseLedgerFilterSet):
    jurisdiction = _jurisdiction()
    state = _choice(_("State"), ReviewState.choices)
    finding = _choice(_("Review finding"), ReviewFinding.choices)
    opened_from, opened_to = _dates("opened_at", _("Opened from"), _("Opened until"), moment=True)
    clue = django_filters.NumberFilter(label=_("Clue (id)"), field_name="clue_id", method="filter_id")
    case = _case_id()

    class Meta:
        model = AccountabilityReview
        fields: list[str] = []
