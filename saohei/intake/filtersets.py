"""The report ledger's filters: the list page and its Excel export share them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from saohei.core.filters import day_start
from saohei.intake.choices import PUBLIC_CHANNELS, Channel
from saohei.intake.models import IdentityAccess, Report
from saohei.orgs.models import Office
from saohei.orgs.selectors import jurisdiction_path_for_code

YES_NO = [("yes", _("yes")), ("no", _("no"))]


def clue_state_choices() -> list[tuple[str, str]]:
    """The clue states, read from the clue model without importing the clues app."""
    clue_model: Any = Report._meta.get_field("clue").related_model
    choices: Any = clue_model._meta.get_field("state").choices or []
    return [(str(value), str(label)) for value, label in choices]



def _yes_no(qs: QuerySet[Any], value: str, q: Q) -> QuerySet[Any]:
    if value == "yes":
        return qs.filter(q)
    if value == "no":
        return qs.exclude(q)
    return qs


class ReportFilterSet(django_filters.FilterSet):  # type: ignore[misc,unused-ignore]
    q = django_filters.CharFilter(label=_("Text"), method="filter_text")
    channel = django_filters.MultipleChoiceFilter(label=_("Channel"), choices=Channel.choices)
    jurisdiction = django_filters.CharFilter(
        label=_("Jurisdiction code (with its subtree)"), method="filter_jurisdiction"
    )
    office = django_filters.ModelChoiceFilter(label=_("Office"), queryset=Office.objects.all())
    received_from = django_filters.DateFilter(label=_("Received from"), method="filter_from")
    received_to = django_filters.DateFilter(label=_("Received until"), method="filter_to")
    public = django_filters.ChoiceFilter(label=_("Public report"), choices=YES_NO, method="filter_public")
    reachable = django_filters.ChoiceFilter(
        label=_("Reporter can be reached"), choices=YES_NO, method="filter_reachable"
    )
    feedback = django_filters.ChoiceFilter(
        label=_("Feedback given"), choices=YES_NO, method="filter_feedback"
    )
    voided = django_filters.ChoiceFilter(label=_("Voided"), choices=YES_NO, method="filter_voided")
    clue_state = django_filters.MultipleChoiceFilter(
        label=_("Clue state"), field_name="clue__state", choices=clue_state_choices
    )

    class Meta:
        model = Report
        fields: list[str] = []

    def filter_text(self, qs: QuerySet[Report], name: str, value: str) -> QuerySet[Report]:
        value = value.strip()[:100]
        if not value:
            return qs
        return qs.filter(
            Q(number__icontains=value)
            | Q(subject__icontains=value)
            | Q(content__icontains=value)
            | Q(location_text__icontains=value)
            | Q(source_reference__icontains=value)
            | Q(clue__number__icontains=value)
        )

    def filter_jurisdiction(self, qs: QuerySet[Report], name: str, value: str) -> QuerySet[Report]:
        if not value.strip():
            return qs
        path = jurisdiction_path_for_code(value)
        return qs.filter(jurisdiction__path__startswith=path) if path else qs.none()

    def filter_from(self, qs: QuerySet[Report], name: str, value: dt.date | None) -> QuerySet[Report]:
        return qs.filter(received_at__gte=day_start(value)) if value else qs

    def filter_to(self, qs: QuerySet[Report], name: str, value: dt.date | None) -> QuerySet[Report]:
        return qs.filter(received_at__lt=day_start(value, plus_days=1)) if value else qs

    def filter_public(self, qs: QuerySet[Report], name: str, value: str) -> QuerySet[Report]:
        return _yes_no(qs, value, Q(channel__in=[str(c) for c in PUBLIC_CHANNELS]))

    def filter_reachable(self, qs: QuerySet[Report], name: str, value: str) -> QuerySet[Report]:
        return _yes_no(qs, value, Q(reporter__reachable=True))

    def filter_feedback(self, qs: QuerySet[Report], name: str, value: str) -> QuerySet[Report]:
        return _yes_no(qs, value, Q(feedback_at__isnull=False))

    def filter_voided(self, qs: QuerySet[Report], name: str, value: str) -> QuerySet[Report]:
        return _yes_no(qs, value, Q(voided_at__isnull=False))


class IdentityAccessFilterSet(django_filters.FilterSet):  # type: ignore[misc,unused-ignore]
    report = django_filters.CharFilter(
        label=_("Report number"), field_name="report__number", lookup_expr="icontains"
    )
    user = django_filters.CharFilter(label=_("User"), field_name="user__username", lookup_expr="icontains")
    accessed_from = django_filters.DateFilter(label=_("From"), method="filter_from")
    accessed_to = django_filters.DateFilter(label=_("Until"), method="filter_to")

    class Meta:
        model = IdentityAccess
        fields: list[str] = []

    def filter_from(
        self, qs: QuerySet[IdentityAccess], name: str, value: dt.date | None
    ) -> QuerySet[IdentityAccess]:
        return qs.filter(accessed_at__gte=day_start(value)) if value else qs

    def filter_to(
        self, qs: QuerySet[IdentityAccess], name: str, value: dt.date | None
    ) -> QuerySet[IdentityAccess]:
        return qs.filter(accessed_at__lt=day_start(value, plus_days=1)) if value else qs
