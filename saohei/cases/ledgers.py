"""The six case ledgers (cases, suspects, protective umbrellas, assets, target fugitives, accountability
reviews): each a FilterSet, a Table and the columns of its Excel export over the rows the user may see."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_tables2 import RequestConfig

from saohei.cases.filtersets import (
    AssetFilterSet,
    CaseFilterSet,
    FugitiveFilterSet,
    ReviewFilterSet,
    SuspectFilterSet,
    UmbrellaFilterSet,
)
from saohei.cases.models import AccountabilityReview, Asset, Case, Fugitive, Suspect, Umbrella
from saohei.cases.selectors import (
    asset_list_for_user,
    case_list_for_user,
    fugitive_list_for_user,
    review_list_for_user,
    suspect_list_for_user,
    umbrella_list_for_user,
)
from saohei.cases.tables import AssetTable, CaseTable, FugitiveTable, ReviewTable, SuspectTable, UmbrellaTable
from saohei.core.ledger import ExportColumn, Ledger

YUAN_PER_WAN = Decimal(10_000)
YUAN_PER_YI = Decimal(100_000_000)
CENT = Decimal("0.01")


@dataclass
class CaseLedger(Ledger):
    """A ledger whose page shows figures over the filtered rows above the table (the asset total)."""

    partial_template: str = "core/ledger_table.html"
    summary: Callable[[QuerySet[Any]], dict[str, Any]] | None = None

    def list_view(self, request: HttpRequest, extra: dict[str, Any] | None = None) -> HttpResponse:
        filterset = self.filtered(request)
        valid = not filterset.is_bound or filterset.is_valid()
        qs = filterset.qs if valid else filterset.queryset.none()
        table = self.table_class(qs)
        RequestConfig(request, paginate={"per_page": settings.SAOHEI_PAGE_SIZE}).configure(table)
        template = self.template
        if getattr(request, "htmx", False) and request.GET.get("partial") == "table":
            template = self.partial_template
        context = {
            "ledger": self, "filter": filterset, "table": table, "query": request.GET.urlencode(), **(extra or {}),
        }
        if self.summary is not None:
            context.update(self.summary(qs))
        return render(request, template, context)


def _code(record: Any) -> str:
    """The jurisdiction code, read from the denormalised path (…/420103/ → 420103)."""
    return str(record.jurisdiction_path).strip("/").rsplit("/", 1)[-1]


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return str(_("yes") if value else _("no"))


def _label(record: Any, field: str) -> str:
    return str(getattr(record, f"get_{field}_display")()) if getattr(record, field) else ""


def _case_number(record: Any) -> str:
    case = record.case
    return (case.number or f"#{case.pk}") if case is not None else ""


def _money(value: Decimal | None) -> float:
    return float(value or 0)


def asset_total(qs: QuerySet[Asset]) -> dict[str, Any]:
    """The total amount of the filtered assets in 元, 万元 and 亿元, as the seeds write them."""
    total = Decimal(qs.order_by().aggregate(total=Sum("amount"))["total"] or 0).quantize(CENT)
    return {
        "asset_total": total,
        "asset_total_yuan": f"{total:,.2f}",
        "asset_total_wan": f"{total / YUAN_PER_WAN:,.2f}",
        "asset_total_yi": f"{total / YUAN_PER_YI:,.4f}" if total >= YUAN_PER_YI else "",
    }


def _cases(request: HttpRequest) -> QuerySet[Case]:
    return case_list_for_user(user=request.user).prefetch_related("offences")


def _suspects(request: HttpRequest) -> QuerySet[Suspect]:
    return suspect_list_for_user(user=request.user)


def _umbrellas(request: HttpRequest) -> QuerySet[Umbrella]:
    return umbrella_list_for_user(user=request.user)


def _assets(request: HttpRequest) -> QuerySet[Asset]:
    return asset_list_for_user(user=request.user)


def _fugitives(request: HttpRequest) -> QuerySet[Fugitive]:
    return fugitive_list_for_user(user=request.user)


def _reviews(request: HttpRequest) -> QuerySet[AccountabilityReview]:
    return review_list_for_user(user=request.user)


CASE_COLUMNS = [
    ExportColumn(_("Number"), lambda c: c.number or ""),
    ExportColumn(_("Title"), lambda c: c.title),
    ExportColumn(_("Kind"), lambda c: _label(c, "kind")),
    ExportColumn(_("Origin"), lambda c: _label(c, "origin")),
    ExportColumn(_("Jurisdiction"), lambda c: c.jurisdiction.name),
    ExportColumn(_("Jurisdiction code"), lambda c: c.jurisdiction.code),
    ExportColumn(_("Office"), lambda c: c.office.name),
    ExportColumn(_("Organisation type"), lambda c: _label(c, "organization_type")),
    ExportColumn(_("Criminal organisation"), lambda c: c.organization_name),
    ExportColumn(_("Organisation leader"), lambda c: c.organization_leader),
    ExportColumn(_("Offences"), lambda c: "、".join(str(o) for o in c.offences.all())),
    ExportColumn(_("Stage"), lambda c: _label(c, "stage")),
    ExportColumn(_("Handling unit"), lambda c: c.stage_unit.name if c.stage_unit else ""),
    ExportColumn(_("Filed"), lambda c: c.filed_on),
    ExportColumn(_("Solved"), lambda c: c.solved_on),
    ExportColumn(_("Indicted"), lambda c: c.indicted_on),
    ExportColumn(_("First-instance judgment"), lambda c: c.first_judgment_on),
    ExportColumn(_("Effective judgment"), lambda c: c.effective_judgment_on),
    ExportColumn(_("Supervision level"), lambda c: _label(c, "supervision_level")),
    ExportColumn(_("Lead official"), lambda c: c.lead_official),
    ExportColumn(_("Lead official's position"), lambda c: c.lead_official_position),
    ExportColumn(_("Organisation destroyed"), lambda c: _yes_no(c.destroyed)),
    ExportColumn(_("Destroyed"), lambda c: c.destroyed_on),
]

SUSPECT_COLUMNS = [
    ExportColumn(_("Name"), lambda s: s.name),
    ExportColumn(_("Alias"), lambda s: s.alias),
    ExportColumn(_("Case"), _case_number),
    ExportColumn(_("Jurisdiction code"), _code),
    ExportColumn(_("Year of birth"), lambda s: s.birth_year),
    ExportColumn(_("Role in the organisation"), lambda s: _label(s, "role")),
    ExportColumn(_("Custody"), lambda s: _label(s, "custody")),
    ExportColumn(_("Detained"), lambda s: s.detained_on),
    ExportColumn(_("Arrested"), lambda s: s.arrested_on),
    ExportColumn(_("Surrendered"), lambda s: _yes_no(s.surrendered)),
    ExportColumn(_("Outcome"), lambda s: _label(s, "outcome")),
    ExportColumn(_("Indicted"), lambda s: s.indicted_on),
    ExportColumn(_("Judged"), lambda s: s.judged_on),
    ExportColumn(_("Sentence"), lambda s: s.sentence),
    ExportColumn(_("Sentence in months"), lambda s: s.sentence_months),
]

UMBRELLA_COLUMNS = [
    ExportColumn(_("Official"), lambda u: u.name),
    ExportColumn(_("Position"), lambda u: u.position),
    ExportColumn(_("Unit of the official"), lambda u: u.employer),
    ExportColumn(_("Party member"), lambda u: _yes_no(u.party_member)),
    ExportColumn(_("Case"), _case_number),
    ExportColumn(_("Clue"), lambda u: (u.clue.number or f"#{u.clue_id}") if u.clue_id else ""),
    ExportColumn(_("Jurisdiction code"), _code),
    ExportColumn(_("Handling discipline commission"), lambda u: u.handling_unit.name),
    ExportColumn(_("Opened"), lambda u: u.opened_on),
    ExportColumn(_("State"), lambda u: _label(u, "state")),
    ExportColumn(_("Outcome"), lambda u: _label(u, "outcome")),
    ExportColumn(_("Outcome on"), lambda u: u.outcome_on),
    ExportColumn(_("Handling by the discipline commission"), lambda u: u.handling),
]

ASSET_COLUMNS = [
    ExportColumn(_("Description"), lambda a: a.description),
    ExportColumn(_("Kind"), lambda a: _label(a, "kind")),
    ExportColumn(_("Holder"), lambda a: a.holder),
    ExportColumn(_("Amount (CNY)"), lambda a: _money(a.amount)),
    ExportColumn(_("State"), lambda a: _label(a, "state")),
    ExportColumn(_("Secured"), lambda a: a.secured_on),
    ExportColumn(_("State since"), lambda a: a.state_on),
    ExportColumn(_("Case"), _case_number),
    ExportColumn(_("Jurisdiction code"), _code),
]

FUGITIVE_COLUMNS = [
    ExportColumn(_("Name"), lambda f: f.name),
    ExportColumn(_("Alias"), lambda f: f.alias),
    ExportColumn(_("Listed"), lambda f: f.listed_on),
    ExportColumn(_("Year listed"), lambda f: f.listed_on.year),
    ExportColumn(_("Pursuit team"), lambda f: f.pursuit_team.name if f.pursuit_team else ""),
    ExportColumn(_("Where"), lambda f: _label(f, "location")),
    ExportColumn(_("Outcome"), lambda f: _label(f, "outcome")),
    ExportColumn(_("Outcome on"), lambda f: f.outcome_on),
    ExportColumn(_("Case"), _case_number),
    ExportColumn(_("Jurisdiction code"), _code),
]

REVIEW_COLUMNS = [
    ExportColumn(_("Clue"), lambda r: r.clue.number or f"#{r.clue_id}"),
    ExportColumn(_("Case"), _case_number),
    ExportColumn(_("Jurisdiction code"), _code),
    ExportColumn(_("Why the conclusion is questioned"), lambda r: r.reason),
    ExportColumn(_("Opened"), lambda r: r.opened_at),
    ExportColumn(_("State"), lambda r: _label(r, "state")),
    ExportColumn(_("Review finding"), lambda r: _label(r, "finding")),
    ExportColumn(_("Finding in detail"), lambda r: r.finding_text),
    ExportColumn(_("Decided"), lambda r: r.decided_at),
]

CASE_LEDGER = CaseLedger(
    name="cases",
    title=_("Case ledger"),
    queryset=_cases,
    filterset_class=CaseFilterSet,
    table_class=CaseTable,
    export_columns=CASE_COLUMNS,
    template="cases/ledger.html",
    export_url_name="case-export",
    primary_filters=("q", "jurisdiction", "stage", "organization_type", "destroyed", "solved_from", "solved_to"),
)

SUSPECT_LEDGER = CaseLedger(
    name="suspects",
    title=_("Suspect ledger"),
    queryset=_suspects,
    filterset_class=SuspectFilterSet,
    table_class=SuspectTable,
    export_columns=SUSPECT_COLUMNS,
    template="cases/ledger.html",
    export_url_name="suspect-export",
    primary_filters=("q", "jurisdiction", "role", "custody", "outcome", "captured_from", "captured_to"),
)

UMBRELLA_LEDGER = CaseLedger(
    name="umbrellas",
    title=_("Protective umbrella ledger"),
    queryset=_umbrellas,
    filterset_class=UmbrellaFilterSet,
    table_class=UmbrellaTable,
    export_columns=UMBRELLA_COLUMNS,
    template="cases/ledger.html",
    export_url_name="umbrella-export",
    primary_filters=("q", "jurisdiction", "state", "outcome", "sanctioned", "opened_from", "opened_to"),
)

ASSET_LEDGER = CaseLedger(
    name="assets",
    title=_("Asset ledger"),
    queryset=_assets,
    filterset_class=AssetFilterSet,
    table_class=AssetTable,
    export_columns=ASSET_COLUMNS,
    template="cases/ledger_assets.html",
    partial_template="cases/ledger_assets_table.html",
    summary=asset_total,
    export_url_name="asset-export",
    primary_filters=("q", "jurisdiction", "kind", "state", "secured_from", "secured_to"),
)

FUGITIVE_LEDGER = CaseLedger(
    name="fugitives",
    title=_("Target fugitive ledger"),
    queryset=_fugitives,
    filterset_class=FugitiveFilterSet,
    table_class=FugitiveTable,
    export_columns=FUGITIVE_COLUMNS,
    template="cases/ledger.html",
    export_url_name="fugitive-export",
    primary_filters=("q", "jurisdiction", "outcome", "caught", "location", "listed_from", "listed_to"),
)

REVIEW_LEDGER = CaseLedger(
    name="reviews",
    title=_("Accountability review ledger"),
    queryset=_reviews,
    filterset_class=ReviewFilterSet,
    table_class=ReviewTable,
    export_columns=REVIEW_COLUMNS,
    template="cases/ledger.html",
    export_url_name="review-export",
)

LEDGERS = [CASE_LEDGER, SUSPECT_LEDGER, UMBRELLA_LEDGER, ASSET_LEDGER, FUGITIVE_LEDGER, REVIEW_LEDGER]
