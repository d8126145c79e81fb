"""Filters of the unit register (list page and its Excel export)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from saohei.orgs.choices import Sector, UnitKind
from saohei.orgs.models import Jurisdiction, Office, Unit
from saohei.orgs.selectors import office_list_for_user


class UnitFilterSet(django_filters.FilterSet):  # type: ignore[misc]
    q = django_filters.CharFilter(label=_("Name"), method="filter_text")
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=UnitKind.choices)
    sector = django_filters.ChoiceFilter(label=_("Sector"), choices=Sector.choices[1:])
    office = django_filters.ModelChoiceFilter(label=_("Office"), queryset=Office.objects.none())
    jurisdiction = django_filters.CharFilter(
        label=_("Jurisdiction code (with its subtree)"), method="filter_jurisdiction"
    )
    active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Unit
        fields = ["q", "kind", "sector", "office", "jurisdiction", "active"]

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["office"].queryset = office_list_for_user(request.user)

    def filter_text(self, queryset: QuerySet[Unit], name: str, value: str) -> QuerySet[Unit]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(parent__name__icontains=value))

    def filter_jurisdiction(self, queryset: QuerySet[Unit], name: str, value: str) -> QuerySet[Unit]:
        value = value.strip()
        if not value:
            return queryset
        node = Jurisdiction.objects.filter(code=value).first()
        if node is None:
            return queryset.none()
        return queryset.filter(jurisdiction__path__startswith=node.path)
