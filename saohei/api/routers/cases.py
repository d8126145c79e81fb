"""Cases and their outcomes: the six ledgers (the same filters as the ledger pages), one record of each,
and the moves that record a case's facts through the services of saohei.cases.services."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Count, DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Body, Query, Router
from ninja.responses import Status

from saohei.api.auth import caller
from saohei.api.errors import ApiError, errors
from saohei.api.filters import filtered, query_schema
from saohei.api.routers.common import Id, PageParams, jurisdiction_by_code, page
from saohei.api.schemas_cases import (
    AssetIn,
    AssetOut,
    AssetPage,
    AssetStateIn,
    CaseDetail,
    CaseIn,
    CasePage,
    ClueLinkIn,
    CustodyIn,
    DayIn,
    FugitiveIn,
    FugitiveOut,
    FugitiveOutcomeIn,
    FugitivePage,
    ReviewDetail,
    ReviewPage,
    StageIn,
    StageOut,
    SuspectIn,
    SuspectOut,
    SuspectOutcomeIn,
    SuspectPage,
    UmbrellaConclusionIn,
    UmbrellaIn,
    UmbrellaOut,
    UmbrellaPage,
)
from saohei.cases import services
from saohei.cases.filtersets import (
    AssetFilterSet,
    CaseFilterSet,
    FugitiveFilterSet,
    ReviewFilterSet,
    SuspectFilterSet,
    UmbrellaFilterSet,
)
from saohei.cases.models import AccountabilityReview, Asset, Case, CaseStage, Fugitive, Suspect, Umbrella
from saohei.cases.policies import may_handle_umbrellas
from saohei.cases.selectors import (
    asset_list_for_user,
    case_get_for_user,
    case_list_for_user,
    case_visibility_filter,
    fugitive_list_for_user,
    may_see_umbrellas,
    review_list_for_user,
    suspect_list_for_user,
    umbrella_list_for_user,
)
from saohei.clues.models import Clue
from saohei.orgs.models import Jurisdiction, Office, Unit, WorkingGroup
from saohei.orgs.policies import office_for_path

router = Router(tags=["cases"])

CaseFilters = query_schema(CaseFilterSet, "CaseFilters")
SuspectFilters = query_schema(SuspectFilterSet, "SuspectFilters")
UmbrellaFilters = query_schema(UmbrellaFilterSet, "UmbrellaFilters")
AssetFilters = query_schema(AssetFilterSet, "AssetFilters")
FugitiveFilters = query_schema(FugitiveFilterSet, "FugitiveFilters")
ReviewFilters = query_schema(ReviewFilterSet, "ReviewFilters")

LIST_ERRORS = errors(400, 401, 403, 422)
ONE_ERRORS = errors(400, 401, 403, 404, 422)


def _check_jurisdiction(filters: Any) -> None:
    code = getattr(filters, "jurisdiction", None)
    if code:
        jurisdiction_by_code(code, field="jurisdiction")


def with_figures(qs: QuerySet[Case]) -> QuerySet[Case]:
    """Each case with the number of its suspects and the total of its assets (voided ones left out)."""
    suspects = (
        Suspect.objects.filter(case=OuterRef("pk"), voided_at__isnull=True).order_by()
        .values("case").annotate(n=Count("pk")).values("n")
    )
    assets = (
        Asset.objects.filter(case=OuterRef("pk"), voided_at__isnull=True).order_by()
        .values("case").annotate(total=Sum("amount")).values("total")
    )
    money = DecimalField(max_digits=18, decimal_places=2)
    return qs.annotate(
        suspects_count=Coalesce(Subquery(suspects), Value(0)),
        assets_total=Coalesce(Subquery(assets, output_field=money), Value(0), output_field=money),
    )


def case_for_api(user: Any, case_id: int) -> Case:
    """The case with its figures; 404 when missing or not visible."""
    case = case_get_for_user(user=user, case_id=case_id)
    detailed = with_figures(Case.objects.filter(pk=case.pk)).select_related(
        "jurisdiction", "office", "stage_unit").prefetch_related("offences").get()
    if may_see_umbrellas(user):
        detailed._api_umbrellas_count = (  # type: ignore[attr-defined]
            umbrella_list_for_user(user=user).filter(case=detailed).count()
        )
    return detailed


def _one(qs: QuerySet[Any], pk: int, message: str) -> Any:
    record = qs.filter(pk=pk).first()
    if record is None:
        raise Http404(message)
    return record


def _umbrellas_or_404(user: Any) -> None:
    if not may_see_umbrellas(user):
        raise Http404(_("Not found."))


def suspect_for_api(user: Any, suspect_id: int) -> Suspect:
    return _one(suspect_list_for_user(user=user), suspect_id, _("No such suspect.")) # type: ignore[no-any-return]


def asset_for_api(user: Any, asset_id: int) -> Asset:
    return _one(asset_list_for_user(user=user), asset_id, _("No such asset."))  # type: ignore[no-any-return]


def umbrella_for_api(user: Any, umbrella_id: int) -> Umbrella:
    _umbrellas_or_404(user)
    return _one(umbrella_list_for_user(user=user), umbrella_id,  # type: ignore[no-any-return]
                _("No such protection case."))


def fugitive_for_api(user: Any, fugitive_id: int) -> Fugitive:
    return _one(fugitive_list_for_user(user=user), fugitive_id, _("No such fugitive."))  # type: ignore[no-any-return]


# --- reading ----------------------------------------------------------------------------------------


@router.get("/cases", response={200: CasePage, **LIST_ERRORS}, summary="List cases")
def case_list(request: HttpRequest, filters: Query[CaseFilters],  # type: ignore[valid-type]
              paging: Query[PageParams]) -> dict[str, Any]:
    """The cases the caller may see, filtered exactly as the case ledger filters them, newest first."""
    _check_jurisdiction(filters)
    qs = filtered(CaseFilterSet, filters, case_list_for_user(user=caller(request)), request)
    return page(with_figures(qs).prefetch_related("offences"), paging)


@router.get("/cases/{case_id}", response={200: CaseDetail, **ONE_ERRORS}, summary="One case")
def case_detail(request: HttpRequest, case_id: Id) -> Case:
    """The case with its stage history, its clues, the number of its suspects and the total of its assets."""
    return case_for_api(caller(request), case_id)


@router.get("/suspects", response={200: SuspectPage, **LIST_ERRORS}, summary="List suspects")
def suspect_list(request: HttpRequest, filters: Query[SuspectFilters],  # type: ignore[valid-type]
                 paging: Query[PageParams]) -> dict[str, Any]:
    """The suspects of the cases the caller may see, filtered as the suspect ledger filters them."""
    _check_jurisdiction(filters)
    return page(filtered(SuspectFilterSet, filters, suspect_list_for_user(user=caller(request)), request), paging)


@router.get("/suspects/{suspect_id}", response={200: SuspectOut, **ONE_ERRORS}, summary="One suspect")
def suspect_detail(request: HttpRequest, suspect_id: Id) -> Suspect:
    return suspect_for_api(caller(request), suspect_id)


@router.get("/umbrellas", response={200: UmbrellaPage, **ONE_ERRORS}, summary="List protection cases")
def umbrella_list(request: HttpRequest, filters: Query[UmbrellaFilters],  # type: ignore[valid-type]
                  paging: Query[PageParams]) -> dict[str, Any]:
    """Officials investigated as protective umbrellas: only for the discipline commissions and office directors
    (404 for everyone else)."""
    user = caller(request)
    _umbrellas_or_404(user)
    _check_jurisdiction(filters)
    return page(filtered(UmbrellaFilterSet, filters, umbrella_list_for_user(user=user), request), paging)


@router.get("/umbrellas/{umbrella_id}", response={200: UmbrellaOut, **ONE_ERRORS}, summary="One protection case")
def umbrella_detail(request: HttpRequest, umbrella_id: Id) -> Umbrella:
    return umbrella_for_api(caller(request), umbrella_id)


@router.get("/assets", response={200: AssetPage, **LIST_ERRORS}, summary="List assets")
def asset_list(request: HttpRequest, filters: Query[AssetFilters],  # type: ignore[valid-type]
               paging: Query[PageParams]) -> dict[str, Any]:
    """Assets sealed, seized, frozen, confiscated or returned in the cases the caller may see."""
    _check_jurisdiction(filters)
    return page(filtered(AssetFilterSet, filters, asset_list_for_user(user=caller(request)), request), paging)


@router.get("/assets/{asset_id}", response={200: AssetOut, **ONE_ERRORS}, summary="One asset")
def asset_detail(request: HttpRequest, asset_id: Id) -> Asset:
    return asset_for_api(caller(request), asset_id)


@router.get("/fugitives", response={200: FugitivePage, **LIST_ERRORS}, summary="List target fugitives")
def fugitive_list(request: HttpRequest, filters: Query[FugitiveFilters],  # type: ignore[valid-type]
                  paging: Query[PageParams]) -> dict[str, Any]:
    """Target fugitives of the caller's subtrees and of the cases the caller's units handle."""
    _check_jurisdiction(filters)
    return page(filtered(FugitiveFilterSet, filters, fugitive_list_for_user(user=caller(request)), request), paging)


@router.get("/fugitives/{fugitive_id}", response={200: FugitiveOut, **ONE_ERRORS}, summary="One target fugitive")
def fugitive_detail(request: HttpRequest, fugitive_id: Id) -> Fugitive:
    return fugitive_for_api(caller(request), fugitive_id)


@router.get("/accountability-reviews", response={200: ReviewPage, **LIST_ERRORS},
            summary="List accountability reviews")
def review_list(request: HttpRequest, filters: Query[ReviewFilters],  # type: ignore[valid-type]
                paging: Query[PageParams]) -> dict[str, Any]:
    """Clues concluded unsubstantiated whose facts a later case established, with the reviewer's finding."""
    _check_jurisdiction(filters)
    return page(filtered(ReviewFilterSet, filters, review_list_for_user(user=caller(request)), request), paging)


@router.get("/accountability-reviews/{review_id}", response={200: ReviewDetail, **ONE_ERRORS},
            summary="One accountability review")
def review_detail(request: HttpRequest, review_id: Id) -> AccountabilityReview:
    return _one(review_list_for_user(user=caller(request)), review_id,  # type: ignore[no-any-return]
                _("No such review."))


# --- recording ---------------------------------------------------------------------------------------

WRITE_ERRORS = errors(400, 401, 403, 404, 409, 422)


def _unknown(field: str, message: str) -> ApiError:
    return ApiError(422, message, [{"loc": ["body", "payload", field], "msg": message, "type": "unknown"}])


def _unit(pk: int | None, field: str) -> Unit | None:
    if pk is None:
        return None
    unit: Unit | None = Unit.objects.select_related("jurisdiction", "office").filter(pk=pk).first()
    if unit is None:
        raise _unknown(field, _("No such unit."))
    return unit


def _office(pk: int | None, jurisdiction: Jurisdiction) -> Office:
    if pk is not None:
        office: Office | None = Office.objects.select_related("jurisdiction").filter(pk=pk).first()
        if office is None:
            raise _unknown("office", _("No such office."))
        return office
    nearest = office_for_path(jurisdiction.path)
    if nearest is None:
        raise ApiError(422, _("No office covers %(place)s.") % {"place": jurisdiction.name})
    return nearest


def _clue(user: Any, pk: int | None, field: str) -> Clue | None:
    if pk is None:
        return None
    clue = Clue.objects.visible_to(user).filter(pk=pk).first()
    if clue is None:
        raise _unknown(field, _("No such clue."))
    return clue  # type: ignore[no-any-return]


def _case_ref(user: Any, pk: int | None, *, umbrella: bool = False) -> Case | None:
    """A case named in a body: one the caller sees (or, for a protection case, one at a place they handle)."""
    if pk is None:
        return None
    case: Case | None = Case.objects.filter(pk=pk).select_related("office__jurisdiction", "jurisdiction").first()
    visible = case is not None and Case.objects.filter(case_visibility_filter(user), pk=case.pk).exists()
    if case is not None and not visible and umbrella and may_handle_umbrellas(user, case.jurisdiction_path):
        visible = True
    if case is None or not visible:
        raise _unknown("case", _("No such case."))
    return case


def _reload(model: Any, related: str, pk: int) -> Any:
    return model.objects.select_related(related).get(pk=pk)


def _created(record: Any) -> Status[Any]:
    return Status(201, record)


@router.post("/cases", response={201: CaseDetail, **WRITE_ERRORS}, summary="Open a case")
def case_open(request: HttpRequest, payload: Body[CaseIn]) -> Status[Any]:
    """Open a case (立案) formed from concluded, substantiated clues, or opened directly by the police
    (`origin`: `police`), with `unit` as the investigating police unit."""
    user = caller(request)
    jurisdiction = jurisdiction_by_code(payload.jurisdiction, field="jurisdiction")
    office = _office(payload.office, jurisdiction)
    unit = _unit(payload.unit, "unit")
    clues = [_clue(user, pk, "clues") for pk in dict.fromkeys(payload.clues)]
    with transaction.atomic():
        case = services.case_create(
            actor=user, office=office, jurisdiction=jurisdiction, title=payload.title, unit=unit,  # type: ignore[arg-type]
            summary=payload.summary, kind=payload.kind, origin=payload.origin, clues=clues,  # type: ignore[arg-type]
            organization_type=payload.organization_type, organization_name=payload.organization_name,
            organization_leader=payload.organization_leader, offences=list(dict.fromkeys(payload.offences)),
            filed_on=payload.filed_on, supervision_level=payload.supervision_level,
            lead_official=payload.lead_official, lead_official_position=payload.lead_official_position,
        )
    return _created(case_for_api(user, case.pk))


@router.post("/cases/{case_id}/stages", response={201: StageOut, **WRITE_ERRORS}, summary="Move a case to a stage")
def case_stage(request: HttpRequest, case_id: Id, payload: Body[StageIn]) -> Status[Any]:
    """The case moves on to `stage` (the next one; after the first instance also straight to the effective
    judgment), handled by `unit` from `started_on`."""
    user = caller(request)
    case = case_get_for_user(user=user, case_id=case_id)
    unit = _unit(payload.unit, "unit")
    with transaction.atomic():
        entry = services.case_stage_advance(actor=user, case=case, stage=payload.stage, unit=unit,  # type: ignore[arg-type]
                                            started_on=payload.started_on, note=payload.note)
    return _created(CaseStage.objects.select_related("unit").get(pk=entry.pk))


@router.post("/cases/{case_id}/suspects", response={201: SuspectOut, **WRITE_ERRORS}, summary="Add a suspect")
def case_suspect_add(request: HttpRequest, case_id: Id, payload: Body[SuspectIn]) -> Status[Any]:
    user = caller(request)
    case = case_get_for_user(user=user, case_id=case_id)
    with transaction.atomic():
        suspect = services.suspect_add(
            actor=user, case=case, name=payload.name, role=payload.role, alias=payload.alias,
            id_number=payload.id_number, birth_year=payload.birth_year, custody=payload.custody,
            custody_on=payload.custody_on, surrendered=payload.surrendered,
        )
    return _created(Suspect.objects.select_related("case").get(pk=suspect.pk))


@router.post("/suspects/{suspect_id}/custody", response={200: SuspectOut, **WRITE_ERRORS},
             summary="Change a suspect's custody")
def suspect_custody(request: HttpRequest, suspect_id: Id, payload: Body[CustodyIn]) -> Any:
    user = caller(request)
    suspect = suspect_for_api(user, suspect_id)
    unit = _unit(payload.unit, "unit")
    with transaction.atomic():
        services.suspect_custody_change(actor=user, suspect=suspect, custody=payload.custody, on=payload.on,
                                        unit=unit, note=payload.note)
    return _reload(Suspect, "case", suspect.pk)


@router.post("/suspects/{suspect_id}/outcome", response={200: SuspectOut, **WRITE_ERRORS},
             summary="Record a suspect's outcome")
def suspect_outcome(request: HttpRequest, suspect_id: Id, payload: Body[SuspectOutcomeIn]) -> Any:
    """Not prosecuted, indicted, convicted (with the sentence) or acquitted."""
    user = caller(request)
    suspect = suspect_for_api(user, suspect_id)
    with transaction.atomic():
        services.suspect_outcome_record(actor=user, suspect=suspect, outcome=payload.outcome, on=payload.on,
                                        sentence=payload.sentence, sentence_months=payload.sentence_months)
    return _reload(Suspect, "case", suspect.pk)


@router.post("/cases/{case_id}/assets", response={201: AssetOut, **WRITE_ERRORS}, summary="Record an asset")
def case_asset_record(request: HttpRequest, case_id: Id, payload: Body[AssetIn]) -> Status[Any]:
    """An asset enters the ledger when it is sealed, seized or frozen."""
    user = caller(request)
    case = case_get_for_user(user=user, case_id=case_id)
    with transaction.atomic():
        asset = services.asset_record(actor=user, case=case, kind=payload.kind, description=payload.description,
                                      amount=payload.amount, state=payload.state, secured_on=payload.secured_on,
                                      holder=payload.holder)
    return _created(Asset.objects.select_related("case").get(pk=asset.pk))


@router.post("/assets/{asset_id}/state", response={200: AssetOut, **WRITE_ERRORS}, summary="Change an asset's state")
def asset_state(request: HttpRequest, asset_id: Id, payload: Body[AssetStateIn]) -> Any:
    user = caller(request)
    asset = asset_for_api(user, asset_id)
    with transaction.atomic():
        services.asset_state_change(actor=user, asset=asset, state=payload.state, on=payload.on, note=payload.note)
    return _reload(Asset, "case", asset.pk)


@router.post("/umbrellas", response={201: UmbrellaOut, **WRITE_ERRORS}, summary="Open a protection case")
def umbrella_open(request: HttpRequest, payload: Body[UmbrellaIn]) -> Status[Any]:
    """An official investigated as a protective umbrella, on a case or on the discipline track of a clue;
    only discipline commissions and office directors (404 for everyone else)."""
    user = caller(request)
    _umbrellas_or_404(user)
    unit = _unit(payload.handling_unit, "handling_unit")
    case = _case_ref(user, payload.case, umbrella=True)
    clue = _clue(user, payload.clue, "clue")
    with transaction.atomic():
        umbrella = services.umbrella_open(
            actor=user, name=payload.name, position=payload.position, handling_unit=unit,  # type: ignore[arg-type]
            opened_on=payload.opened_on, case=case, clue=clue, employer=payload.employer,
            party_member=payload.party_member,
        )
    return _created(Umbrella.objects.select_related("handling_unit").get(pk=umbrella.pk))


@router.post("/umbrellas/{umbrella_id}/conclusion", response={200: UmbrellaOut, **WRITE_ERRORS},
             summary="Conclude a protection case")
def umbrella_conclusion(request: HttpRequest, umbrella_id: Id, payload: Body[UmbrellaConclusionIn]) -> Any:
    user = caller(request)
    umbrella = umbrella_for_api(user, umbrella_id)
    with transaction.atomic():
        services.umbrella_conclude(actor=user, umbrella=umbrella, outcome=payload.outcome,
                                   outcome_on=payload.outcome_on, handling=payload.handling)
    return _reload(Umbrella, "handling_unit", umbrella.pk)


@router.post("/fugitives", response={201: FugitiveOut, **WRITE_ERRORS}, summary="List a target fugitive")
def fugitive_list_add(request: HttpRequest, payload: Body[FugitiveIn]) -> Status[Any]:
    """Put a fugitive on the pursuit list; with a case (or a suspect), the fugitive takes the case's place."""
    user = caller(request)
    jurisdiction = jurisdiction_by_code(payload.jurisdiction, field="jurisdiction")
    office = _office(payload.office, jurisdiction)
    case = _case_ref(user, payload.case)
    suspect = None
    if payload.suspect is not None:
        suspect = suspect_list_for_user(user=user).filter(pk=payload.suspect).first()
        if suspect is None:
            raise _unknown("suspect", _("No such suspect."))
    team = None
    if payload.pursuit_team is not None:
        team = WorkingGroup.objects.select_related("office__jurisdiction").filter(pk=payload.pursuit_team).first()
        if team is None:
            raise _unknown("pursuit_team", _("No such working group."))
    with transaction.atomic():
        fugitive = services.fugitive_add(
            actor=user, office=office, jurisdiction=jurisdiction, name=payload.name, listed_on=payload.listed_on,
            alias=payload.alias, id_number=payload.id_number, case=case, suspect=suspect, pursuit_team=team,
            location=payload.location,
        )
    return _created(Fugitive.objects.select_related("pursuit_team").get(pk=fugitive.pk))


@router.post("/fugitives/{fugitive_id}/outcome", response={200: FugitiveOut, **WRITE_ERRORS},
             summary="Record what became of a target fugitive")
def fugitive_outcome(request: HttpRequest, fugitive_id: Id, payload: Body[FugitiveOutcomeIn]) -> Any:
    """Arrested, surrendered, persuaded to return, extradited or repatriated, or died: once, and final."""
    user = caller(request)
    fugitive = fugitive_for_api(user, fugitive_id)
    with transaction.atomic():
        services.fugitive_outcome_record(actor=user, fugitive=fugitive, outcome=payload.outcome, on=payload.on,
                                         location=payload.location, note=payload.note)
    return _reload(Fugitive, "pursuit_team", fugitive.pk)


@router.post("/cases/{case_id}/clues", response={201: CaseDetail, **WRITE_ERRORS},
             summary="Link a clue the case was formed from")
def case_clue(request: HttpRequest, case_id: Id, payload: Body[ClueLinkIn]) -> Status[Any]:
    """A further concluded, substantiated (or partly substantiated) clue this case was formed from."""
    user = caller(request)
    case = case_get_for_user(user=user, case_id=case_id)
    clue = _clue(user, payload.clue, "clue")
    with transaction.atomic():
        services.case_clue_link(actor=user, case=case, clue=clue)  # type: ignore[arg-type]
    return _created(case_for_api(user, case.pk))


@router.post("/cases/{case_id}/destroyed", response={200: CaseDetail, **WRITE_ERRORS},
             summary="Record the organisation destroyed")
def case_destroyed(request: HttpRequest, case_id: Id, payload: Body[DayIn]) -> Case:
    """The case's organisation is destroyed (打掉) on `on`."""
    user = caller(request)
    case = case_get_for_user(user=user, case_id=case_id)
    with transaction.atomic():
        services.case_destroyed_record(actor=user, case=case, destroyed_on=payload.on)
    return case_for_api(user, case.pk)


@router.post("/cases/{case_id}/solved", response={200: CaseDetail, **WRITE_ERRORS}, summary="Record a case solved")
def case_solved(request: HttpRequest, case_id: Id, payload: Body[DayIn]) -> Case:
    """The case is solved (破案) on `on`."""
    user = caller(request)
    case = case_get_for_user(user=user, case_id=case_id)
    with transaction.atomic():
        services.case_solve(actor=user, case=case, solved_on=payload.on)
    return case_for_api(user, case.pk)
