"""The clue ledger's filters: the list page, the API list, the export and figure drill-downs share them."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.expressions import Combinable
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saohei.clues.choices import OPEN_STATES, WORKING_STATES, Conclusion, Priority, State, SupervisionLevel
from saohei.clues.models import Assignment, Clue, OffenceCategory
from saohei.core.filters import LedgerFilterSet, day_start
from saohei.intake.choices import PUBLIC_CHANNELS, Channel
from saohei.orgs.policies import units_under
from saohei.orgs.selectors import jurisdiction_path_for_code

SORTS: dict[str, tuple[str | Combinable, ...]] = {
    "newest": ("-created_at", "-id"),
    "oldest": ("created_at", "id"),
    "deadline": ("deadline", "id"),
    "priority": ("priority", "-created_at"),
    # Highest analysed priority first (analytics.ClueScore through its reverse relation; unscored clues last).
    "analysed": (F("score__score").desc(nulls_last=True), "-created_at"),
    "reports": ("-report_count", "-id"),
    "number": ("number",),
}


class ClueFilterSet(LedgerFilterSet):
    q = django_filters.CharFilter(label=_("Text"), method="filter_text")
    state = django_filters.MultipleChoiceFilter(distinct=False, label=_("State"), choices=State.choices)
    jurisdiction = django_filters.CharFilter(label=_("Jurisdiction code (with its subtree)"),
                                             method="filter_jurisdiction")
    jurisdiction_exact = django_filters.CharFilter(label=_("Jurisdiction code (itself only)"),
                                                   method="filter_jurisdiction_exact")
    unit = django_filters.NumberFilter(label=_("Unit"), method="filter_unit")
    source = django_filters.MultipleChoiceFilter(distinct=False, label=_("Source"), choices=Channel.choices)
    public = django_filters.BooleanFilter(label=_("Public report"), method="filter_public")
    category = django_filters.ModelMultipleChoiceFilter(
        label=_("Category"), queryset=OffenceCategory.objects.filter(active=True), to_field_name="code", distinct=False,
        field_name="category__code",
    )
    priority = django_filters.MultipleChoiceFilter(distinct=False, label=_("Priority"), choices=Priority.choices)
    conclusion = django_filters.MultipleChoiceFilter(distinct=False, label=_("Conclusion"), choices=Conclusion.choices)
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")
    supervised = django_filters.BooleanFilter(label=_("Supervised"), method="filter_supervised")
    progress_overdue = django_filters.BooleanFilter(label=_("Progress report overdue"),
                                                    method="filter_progress_overdue")
    supervision_level = django_filters.ChoiceFilter(label=_("Supervision level"), empty_label=_("any"),
                                                    choices=SupervisionLevel.choices[1:])
    repeat = django_filters.BooleanFilter(label=_("Reported two or more times"), method="filter_repeat")
    review = django_filters.BooleanFilter(label=_("Awaiting review"), method="filter_review")
    on_time = django_filters.BooleanFilter(label=_("Concluded on time"), field_name="concluded_on_time")
    formed_case = django_filters.BooleanFilter(label=_("Formed a case"), method="filter_formed_case")
    created_from = django_filters.DateFilter(label=_("Received from"), field_name="created_at", method="filter_from")
    created_to = django_filters.DateFilter(label=_("Received until"), field_name="created_at", method="filter_to")
    triaged_from = django_filters.DateFilter(label=_("Triaged from"), field_name="triaged_at", method="filter_from")
    triaged_to = django_filters.DateFilter(label=_("Triaged until"), field_name="triaged_at", method="filter_to")
    assigned_from = django_filters.DateFilter(label=_("Assigned from"), field_name="assigned_at",
                                              method="filter_from")
    assigned_to = django_filters.DateFilter(label=_("Assigned until"), field_name="assigned_at", method="filter_to")
    signed_from = django_filters.DateFilter(label=_("Concluded (signed) from"), field_name="signed_at",
                                            method="filter_from")
    signed_to = django_filters.DateFilter(label=_("Concluded (signed) until"), field_name="signed_at",
                                          method="filter_to")
    sort = django_filters.ChoiceFilter(
        label=_("Sort"), method="filter_sort", empty_label=None,
        choices=[("newest", _("newest first")), ("oldest", _("oldest first")), ("deadline", _("deadline")),
                 ("priority", _("priority")), ("analysed", _("analysed priority, highest first")),
                 ("reports", _("most reports")), ("number", _("number"))],
    )

    analysed_level = django_filters.MultipleChoiceFilter(
        distinct=False, label=_("Analysed priority"), field_name="score__level",
        choices=[("high", _("high")), ("medium", _("medium")), ("low", _("low"))])

    class Meta:
        model = Clue
        fields: list[str] = []

    def filter_text(self, qs: QuerySet[Clue], name: str, value: str) -> QuerySet[Clue]:
        value = value.strip()[:100]
        if not value:
            return qs
        return qs.filter(Q(number__icontains=value) | Q(title__icontains=value) | Q(summary__icontains=value))

    def filter_jurisdiction(self, qs: QuerySet[Clue], name: str, value: str) -> QuerySet[Clue]:
        path = jurisdiction_path_for_code(value)
        return qs.filter(jurisdiction_path__startswith=path) if path else qs.none()

    def filter_jurisdiction_exact(self, qs: QuerySet[Clue], name: str, value: str) -> QuerySet[Clue]:
        path = jurisdiction_path_for_code(value)
        return qs.filter(jurisdiction_path=path) if path else qs.none()

    def filter_unit(self, qs: QuerySet[Clue], name: str, value: Any) -> QuerySet[Clue]:
        if value is None or not (0 < value < 2**62):
            return qs.none()
        units = units_under({int(value)})
        return qs.filter(Exists(Assignment.objects.filter(clue=OuterRef("pk"), active=True, unit_id__in=units)))

    def filter_public(self, qs: QuerySet[Clue], name: str, value: bool | None) -> QuerySet[Clue]:
        if value is None:
            return qs
        q = Q(source__in=list(PUBLIC_CHANNELS))
        return qs.filter(q) if value else qs.exclude(q)

    def filter_overdue(self, qs: QuerySet[Clue], name: str, value: bool | None) -> QuerySet[Clue]:
        if value is None:
            return qs
        q = Q(state__in=list(OPEN_STATES), deadline__lt=timezone.localdate())
        return qs.filter(q) if value else qs.exclude(q)

    def filter_supervised(self, qs: QuerySet[Clue], name: str, value: bool | None) -> QuerySet[Clue]:
        if value is None:
            return qs
        return qs.exclude(supervision_level="") if value else qs.filter(supervision_level="")

    def filter_progress_overdue(self, qs: QuerySet[Clue], name: str, value: bool | None) -> QuerySet[Clue]:
        """Supervised clues whose next progress report is past due (rule 8: overdue like a deadline)."""
        if value is None:
            return qs
        q = Q(supervision_next_due__lt=timezone.localdate(), state__in=list(WORKING_STATES)) & ~Q(supervision_level="")
        return qs.filter(q) if value else qs.exclude(q)

    def filter_repeat(self, qs: QuerySet[Clue], name: str, value: bool | None) -> QuerySet[Clue]:
        if value is None:
            return qs
        return qs.filter(report_count__gte=2) if value else qs.filter(report_count__lt=2)

    def filter_review(self, qs: QuerySet[Clue], name: str, value: bool | None) -> QuerySet[Clue]:
        if value is None:
            return qs
        q = Q(state=State.REVIEW) | Q(review_pending=True)
        return qs.filter(q) if value else qs.exclude(q)

    def filter_formed_case(self, qs: QuerySet[Clue], name: str, value: bool | None) -> QuerySet[Clue]:
        """Clues linked to a case that is not voided (成案). The link model is reached through the
        reverse relation: the cases app sits above this one and is not imported here."""
        if value is None:
            return qs
        links = Clue._meta.get_field("case_links").related_model
        formed = Exists(links._default_manager.filter(clue=OuterRef("pk"), case__voided_at__isnull=True))
        return qs.filter(formed) if value else qs.exclude(formed)

    def filter_from(self, qs: QuerySet[Clue], name: str, value: Any) -> QuerySet[Clue]:
        return qs.filter(**{f"{name}__gte": day_start(value)}) if value else qs

    def filter_to(self, qs: QuerySet[Clue], name: str, value: Any) -> QuerySet[Clue]:
        return qs.filter(**{f"{name}__lt": day_start(value, plus_days=1)}) if value else qs

    def filter_sort(self, qs: QuerySet[Clue], name: str, value: str) -> QuerySet[Clue]:
        return qs.order_by(*SORTS.get(value, SORTS["newest"]))
