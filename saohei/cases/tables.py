"""The tables of the six case ledgers: one row per record, sortable, paginated, linked to the case page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from saohei.cases.models import AccountabilityReview, Asset, Case, Fugitive, Suspect, Umbrella

TEMPLATE = "core/table.html"


def case_label(case: Case) -> str:
    return case.number or f"#{case.pk}"


def case_link(case: Case | None, text: str | None = None) -> SafeString | str:
    if case is None:
        return "—"
    return format_html('<a href="{}">{}</a>', reverse("case-detail", kwargs={"pk": case.pk}), text or case_label(case))


def yuan(amount: Decimal | int | None) -> str:
    """An amount in CNY as the ledgers show it: 1,234,567.89."""
    return f"{Decimal(amount or 0):,.2f}"


def display(record: Any, field: str) -> Any:
    value = getattr(record, field)
    return getattr(record, f"get_{field}_display")() if value else "—"


class CaseTable(tables.Table):  # type: ignore[misc]
    number = tables.Column(verbose_name=_("Number"), order_by=("number", "id"))
    title = tables.Column(verbose_name=_("Title"))
    jurisdiction = tables.Column(verbose_name=_("Jurisdiction"), order_by=("jurisdiction_path", "id"))
    organization_type = tables.Column(verbose_name=_("Organisation type"))
    organization_name = tables.Column(verbose_name=_("Criminal organisation"), default="—")
    stage = tables.Column(verbose_name=_("Stage"))
    stage_unit = tables.Column(verbose_name=_("Handling unit"), order_by=("stage_unit__name", "id"), default="—")
    filed_on = tables.DateColumn(verbose_name=_("Filed"), format="Y-m-d", default="—")
    solved_on = tables.DateColumn(verbose_name=_("Solved"), format="Y-m-d", default="—")
    destroyed_on = tables.DateColumn(verbose_name=_("Destroyed"), format="Y-m-d", default="—")
    supervision_level = tables.Column(verbose_name=_("Supervision"), default="—")

    class Meta:
        model = Case
        fields = ("number", "title", "jurisdiction", "organization_type", "organization_name", "stage", "stage_unit",
                  "filed_on", "solved_on", "destroyed_on", "supervision_level")
        order_by_field = "order"
        template_name = TEMPLATE
        attrs = {"id": "case-table"}
        row_attrs = {"data-case": lambda record: record.pk}

    def render_number(self, record: Case) -> SafeString | str:
        return case_link(record)

    def render_title(self, record: Case, value: str) -> SafeString | str:
        return case_link(record, value)

    def render_jurisdiction(self, record: Case) -> str:
        return record.jurisdiction.name

    def render_organization_type(self, record: Case) -> Any:
        return record.get_organization_type_display()

    def render_stage(self, record: Case) -> Any:
        return record.get_stage_display()

    def render_stage_unit(self, record: Case) -> str:
        return record.stage_unit.name if record.stage_unit else "—"

    def render_supervision_level(self, record: Case) -> Any:
        return display(record, "supervision_level")


class SuspectTable(tables.Table):  # type: ignore[misc]
    name = tables.Column(verbose_name=_("Name"))
    alias = tables.Column(verbose_name=_("Alias"), default="—")
    case = tables.Column(verbose_name=_("Case"), order_by=("case__number", "case_id", "id"))
    role = tables.Column(verbose_name=_("Role in the organisation"))
    custody = tables.Column(verbose_name=_("Custody"))
    detained_on = tables.DateColumn(verbose_name=_("Detained"), format="Y-m-d", default="—")
    arrested_on = tables.DateColumn(verbose_name=_("Arrested"), format="Y-m-d", default="—")
    surrendered = tables.BooleanColumn(verbose_name=_("Surrendered"))
    outcome = tables.Column(verbose_name=_("Outcome"))
    sentence = tables.Column(verbose_name=_("Sentence"), default="—")

    class Meta:
        model = Suspect
        fields = ("name", "alias", "case", "role", "custody", "detained_on", "arrested_on", "surrendered", "outcome",
                  "sentence")
        order_by_field = "order"
        template_name = TEMPLATE
        attrs = {"id": "suspect-table"}
        row_attrs = {"data-suspect": lambda record: record.pk}

    def render_name(self, record: Suspect, value: str) -> SafeString | str:
        return case_link(record.case, value)

    def render_case(self, record: Suspect) -> SafeString | str:
        return case_link(record.case)

    def render_role(self, record: Suspect) -> Any:
        return record.get_role_display()

    def render_custody(self, record: Suspect) -> Any:
        return record.get_custody_display()

    def render_outcome(self, record: Suspect) -> Any:
        return record.get_outcome_display()


class UmbrellaTable(tables.Table):  # type: ignore[misc]
    name = tables.Column(verbose_name=_("Official"))
    position = tables.Column(verbose_name=_("Position"))
    employer = tables.Column(verbose_name=_("Unit of the official"), default="—")
    case = tables.Column(verbose_name=_("Case"), order_by=("case__number", "id"), default="—")
    handling_unit = tables.Column(verbose_name=_("Handling discipline commission"),
                                  order_by=("handling_unit__name", "id"))
    opened_on = tables.DateColumn(verbose_name=_("Opened"), format="Y-m-d")
    state = tables.Column(verbose_name=_("State"))
    outcome = tables.Column(verbose_name=_("Outcome"))
    outcome_on = tables.DateColumn(verbose_name=_("Outcome on"), format="Y-m-d", default="—")

    class Meta:
        model = Umbrella
        fields = ("name", "position", "employer", "case", "handling_unit", "opened_on", "state", "outcome",
                  "outcome_on")
        order_by_field = "order"
        template_name = TEMPLATE
        attrs = {"id": "umbrella-table"}
        row_attrs = {"data-umbrella": lambda record: record.pk}

    def render_name(self, record: Umbrella, value: str) -> SafeString | str:
        return case_link(record.case, value) if record.case_id else value

    def render_case(self, record: Umbrella) -> SafeString | str:
        return case_link(record.case)

    def render_handling_unit(self, record: Umbrella) -> str:
        return record.handling_unit.name

    def render_state(self, record: Umbrella) -> Any:
        return record.get_state_display()

    def render_outcome(self, record: Umbrella) -> Any:
        return record.get_outcome_display()


class AssetTable(tables.Table):  # type: ignore[misc]
    description = tables.Column(verbose_name=_("Description"))
    kind = tables.Column(verbose_name=_("Kind"))
    holder = tables.Column(verbose_name=_("Holder"), default="—")
    amount = tables.Column(verbose_name=_("Amount (CNY)"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    state = tables.Column(verbose_name=_("State"))
    secured_on = tables.DateColumn(verbose_name=_("Secured"), format="Y-m-d")
    state_on = tables.DateColumn(verbose_name=_("State since"), format="Y-m-d")
    case = tables.Column(verbose_name=_("Case"), order_by=("case__number", "case_id", "id"))

    class Meta:
        model = Asset
        fields = ("description", "kind", "holder", "amount", "state", "secured_on", "state_on", "case")
        order_by_field = "order"
        template_name = TEMPLATE
        attrs = {"id": "asset-table"}
        row_attrs = {"data-asset": lambda record: record.pk}

    def render_description(self, record: Asset, value: str) -> SafeString | str:
        return case_link(record.case, value)

    def render_kind(self, record: Asset) -> Any:
        return record.get_kind_display()

    def render_amount(self, value: Decimal) -> str:
        return yuan(value)

    def render_state(self, record: Asset) -> Any:
        return record.get_state_display()

    def render_case(self, record: Asset) -> SafeString | str:
        return case_link(record.case)


class FugitiveTable(tables.Table):  # type: ignore[misc]
    name = tables.Column(verbose_name=_("Name"))
    alias = tables.Column(verbose_name=_("Alias"), default="—")
    listed_on = tables.DateColumn(verbose_name=_("Listed"), format="Y-m-d")
    pursuit_team = tables.Column(verbose_name=_("Pursuit team"), order_by=("pursuit_team__name", "id"), default="—")
    location = tables.Column(verbose_name=_("Where"))
    outcome = tables.Column(verbose_name=_("Outcome"))
    outcome_on = tables.DateColumn(verbose_name=_("Outcome on"), format="Y-m-d", default="—")
    case = tables.Column(verbose_name=_("Case"), order_by=("case__number", "id"), default="—")

    class Meta:
        model = Fugitive
        fields = ("name", "alias", "listed_on", "pursuit_team", "location", "outcome", "outcome_on", "case")
        order_by_field = "order"
        template_name = TEMPLATE
        attrs = {"id": "fugitive-table"}
        row_attrs = {"data-fugitive": lambda record: record.pk}

    def render_name(self, record: Fugitive, value: str) -> SafeString | str:
        return case_link(record.case, value) if record.case_id else value

    def render_pursuit_team(self, record: Fugitive) -> str:
        return record.pursuit_team.name if record.pursuit_team else "—"

    def render_location(self, record: Fugitive) -> Any:
        return record.get_location_display()

    def render_outcome(self, record: Fugitive) -> Any:
        return record.get_outcome_display()

    def render_case(self, record: Fugitive) -> SafeString | str:
        return case_link(record.case)


class ReviewTable(tables.Table):  # type: ignore[misc]
    clue = tables.Column(verbose_name=_("Clue"), order_by=("clue__number", "id"))
    case = tables.Column(verbose_name=_("Case"), order_by=("case__number", "id"))
    reason = tables.Column(verbose_name=_("Why the conclusion is questioned"), orderable=False)
    opened_at = tables.DateTimeColumn(verbose_name=_("Opened"), format="Y-m-d H:i")
    state = tables.Column(verbose_name=_("State"))
    finding = tables.Column(verbose_name=_("Review finding"), default="—")

    class Meta:
        model = AccountabilityReview
        fields = ("clue", "case", "reason", "opened_at", "state", "finding")
        order_by_field = "order"
        template_name = TEMPLATE
        attrs = {"id": "review-table"}
        row_attrs = {"data-review": lambda record: record.pk}

    def render_clue(self, record: AccountabilityReview) -> SafeString:
        return format_html('<a href="{}">{}</a>', reverse("review-detail", kwargs={"pk": record.pk}),
                           record.clue.number or f"#{record.clue_id}")

    def render_case(self, record: AccountabilityReview) -> SafeString | str:
        return case_link(record.case)

    def render_reason(self, value: str) -> str:
        return value if len(value) <= 80 else value[:79] + "…"

    def render_state(self, record: AccountabilityReview) -> Any:
        return record.get_state_display()

    def render_finding(self, record: AccountabilityReview) -> Any:
        return display(record, "finding")
