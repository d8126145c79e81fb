"""What the API answers and accepts about cases, suspects, umbrellas, assets, fugitives and reviews."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from saohei.api.routers.common import EARLIEST, LATEST
from saohei.api.schemas import Page
from saohei.cases.choices import (
    AssetKind,
    AssetState,
    CaseKind,
    CaseOrigin,
    Custody,
    FugitiveLocation,
    FugitiveOutcome,
    OrganizationType,
    Stage,
    SuspectOutcome,
    SuspectRole,
    UmbrellaOutcome,
)
from saohei.clues.choices import SupervisionLevel

MAX_ID = 2**62
# The largest amount the ledger stores: 16 digits, 2 after the point.
MAX_AMOUNT = Decimal("99999999999999.99")

StageCode = Literal[tuple(Stage.values)]  # type: ignore[valid-type]
CaseKindCode = Literal[tuple(CaseKind.values)]  # type: ignore[valid-type]
CaseOriginCode = Literal[tuple(CaseOrigin.values)]  # type: ignore[valid-type]
OrganizationTypeCode = Literal[tuple(OrganizationType.values)]  # type: ignore[valid-type]
SupervisionCode = Literal[tuple(SupervisionLevel.values)]  # type: ignore[valid-type]
RoleCode = Literal[tuple(SuspectRole.values)]  # type: ignore[valid-type]
CustodyCode = Literal[tuple(Custody.values)]  # type: ignore[valid-type]
SuspectOutcomeCode = Literal[tuple(SuspectOutcome.values)]  # type: ignore[valid-type]
UmbrellaOutcomeCode = Literal[tuple(v for v in UmbrellaOutcome.values if v)]  # type: ignore[valid-type]
AssetKindCode = Literal[tuple(AssetKind.values)]  # type: ignore[valid-type]
AssetStateCode = Literal[tuple(AssetState.values)]  # type: ignore[valid-type]
LocationCode = Literal[tuple(FugitiveLocation.values)]  # type: ignore[valid-type]
FugitiveOutcomeCode = Literal[tuple(FugitiveOutcome.values)]  # type: ignore[valid-type]


def _code(path: str) -> str:
    return path.strip("/").rsplit("/", 1)[-1]


def _day(description: str = "") -> Any:
    return Field(ge=EARLIEST, le=LATEST, description=description)


def _id(description: str) -> Any:
    return Field(ge=1, le=MAX_ID, description=description)


class Labelled(Schema):
    """Resolvers shared by the records: the jurisdiction code from the denormalised path."""

    @staticmethod
    def resolve_jurisdiction(obj: Any) -> str:
        return _code(obj.jurisdiction_path)


# --- cases ----------------------------------------------------------------------------------------


class StageOut(Schema):
    id: int
    stage: str
    stage_label: str
    unit_id: int
    unit_name: str
    started_on: dt.date
    note: str

    @staticmethod
    def resolve_stage_label(obj: Any) -> str:
        return str(obj.get_stage_display())

    @staticmethod
    def resolve_unit_name(obj: Any) -> str:
        return str(obj.unit.name)


class CaseOut(Labelled):
    id: int
    number: str | None
    title: str
    kind: str
    origin: str
    office_id: int
    office_name: str
    jurisdiction: str
    jurisdiction_name: str
    organization_type: str = Field(description="Empty when the case concerns no organisation.")
    organization_type_label: str
    organization_name: str
    organization_leader: str
    offences: list[str] = Field(description="Offence category codes.")
    stage: str
    stage_label: str
    stage_unit_id: int | None
    stage_unit_name: str | None
    filed_on: dt.date | None
    solved_on: dt.date | None
    indicted_on: dt.date | None
    first_judgment_on: dt.date | None
    effective_judgment_on: dt.date | None
    supervision_level: str
    lead_official: str
    lead_official_position: str
    destroyed: bool
    destroyed_on: dt.date | None
    suspects_count: int = Field(description="Suspects of the case (not voided).")
    assets_total: Decimal = Field(description="Total amount of the case's assets (not voided), in CNY.")
    created_at: dt.datetime
    voided_at: dt.datetime | None

    @staticmethod
    def resolve_office_name(obj: Any) -> str:
        return str(obj.office.name)

    @staticmethod
    def resolve_jurisdiction(obj: Any) -> str:
        return str(obj.jurisdiction.code)

    @staticmethod
    def resolve_jurisdiction_name(obj: Any) -> str:
        return str(obj.jurisdiction.name)

    @staticmethod
    def resolve_organization_type_label(obj: Any) -> str:
        return str(obj.get_organization_type_display()) if obj.organization_type else ""

    @staticmethod
    def resolve_offences(obj: Any) -> list[str]:
        return [o.code for o in obj.offences.all()]

    @staticmethod
    def resolve_stage_label(obj: Any) -> str:
        return str(obj.get_stage_display())

    @staticmethod
    def resolve_stage_unit_name(obj: Any) -> str | None:
        return obj.stage_unit.name if obj.stage_unit_id else None

    @staticmethod
    def resolve_suspects_count(obj: Any) -> int:
        return int(getattr(obj, "suspects_count", 0) or 0)

    @staticmethod
    def resolve_assets_total(obj: Any) -> Decimal:
        return Decimal(getattr(obj, "assets_total", 0) or 0)


class CasePage(Page):
    items: list[CaseOut]


class CaseDetail(CaseOut):
    summary: str
    regulator_negligence: str
    void_reason: str
    stages: list[StageOut]
    clue_ids: list[int] = Field(description="The clues the case was formed from.")
    umbrellas_count: int | None = Field(description="Protection cases of the case; null when the caller may not "
                                                    "see protection cases.")

    @staticmethod
    def resolve_stages(obj: Any) -> list[Any]:
        return list(obj.stages.select_related("unit").order_by("started_on", "id"))

    @staticmethod
    def resolve_clue_ids(obj: Any) -> list[int]:
        return sorted(obj.clue_links.values_list("clue_id", flat=True))

    @staticmethod
    def resolve_umbrellas_count(obj: Any) -> int | None:
        return getattr(obj, "_api_umbrellas_count", None)


class CaseIn(Schema):
    jurisdiction: str = Field(min_length=1, max_length=12, description="Code of the place of the case.")
    office: int | None = Field(None, ge=1, le=MAX_ID, description="The office the case belongs to; by default "
                                                                    "the nearest office at or above the place.")
    unit: int = _id("The investigating police unit (id).")
    title: str = Field(min_length=1, max_length=200)
    summary: str = Field("", max_length=20000)
    kind: CaseKindCode = CaseKind.CRIMINAL.value  # type: ignore[valid-type]
    origin: CaseOriginCode = CaseOrigin.CLUES.value  # type: ignore[valid-type]
    clues: list[int] = Field(default_factory=list, max_length=200, description="Ids of concluded, substantiated "
                                                                               "clues the case is formed from.")
    organization_type: OrganizationTypeCode = ""  # type: ignore[valid-type]
    organization_name: str = Field("", max_length=200)
    organization_leader: str = Field("", max_length=100)
    offences: list[str] = Field(default_factory=list, max_length=40, description="Offence category codes.")
    filed_on: dt.date | None = Field(None, ge=EARLIEST, le=LATEST)
    supervision_level: SupervisionCode = ""  # type: ignore[valid-type]
    lead_official: str = Field("", max_length=100)
    lead_official_position: str = Field("", max_length=100)


class StageIn(Schema):
    stage: StageCode  # type: ignore[valid-type]
    unit: int = _id("The unit handling the stage (id).")
    started_on: dt.date = _day()
    note: str = Field("", max_length=5000)


class ClueLinkIn(Schema):
    clue: int = _id("A concluded, substantiated (or partly substantiated) clue (id).")


class DayIn(Schema):
    on: dt.date = _day()


# --- suspects -------------------------------------------------------------------------------------


class SuspectOut(Labelled):
    id: int
    case_id: int
    case_number: str | None
    jurisdiction: str
    name: str
    alias: str
    birth_year: int | None
    role: str
    custody: str
    custody_label: str
    detained_on: dt.date | None
    arrested_on: dt.date | None
    surrendered: bool
    outcome: str
    indicted_on: dt.date | None
    judged_on: dt.date | None
    sentence: str
    sentence_months: int | None
    voided_at: dt.datetime | None

    @staticmethod
    def resolve_case_number(obj: Any) -> str | None:
        return obj.case.number  # type: ignore[no-any-return]

    @staticmethod
    def resolve_custody_label(obj: Any) -> str:
        return str(obj.get_custody_display())


class SuspectPage(Page):
    items: list[SuspectOut]


class SuspectIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    role: RoleCode = SuspectRole.MEMBER.value  # type: ignore[valid-type]
    alias: str = Field("", max_length=100)
    id_number: str = Field("", max_length=18)
    birth_year: int | None = Field(None, ge=1900, le=2100)
    custody: CustodyCode = Custody.AT_LARGE.value  # type: ignore[valid-type]
    custody_on: dt.date | None = Field(None, ge=EARLIEST, le=LATEST, description="Required with a custody other "
                                                                                   "than at large.")
    surrendered: bool = False


class CustodyIn(Schema):
    custody: CustodyCode  # type: ignore[valid-type]
    on: dt.date = _day()
    unit: int | None = Field(None, ge=1, le=MAX_ID)
    note: str = Field("", max_length=5000)


class SuspectOutcomeIn(Schema):
    outcome: SuspectOutcomeCode  # type: ignore[valid-type]
    on: dt.date = _day()
    sentence: str = Field("", max_length=200)
    sentence_months: int | None = Field(None, ge=0, le=1200)


# --- protective umbrellas -------------------------------------------------------------------------


class UmbrellaOut(Labelled):
    id: int
    case_id: int | None
    clue_id: int | None
    office_id: int
    jurisdiction: str
    name: str
    position: str
    employer: str
    party_member: bool
    handling_unit_id: int
    handling_unit_name: str
    opened_on: dt.date
    state: str
    outcome: str = Field(description="Empty while pending.")
    outcome_on: dt.date | None
    handling: str
    voided_at: dt.datetime | None

    @staticmethod
    def resolve_handling_unit_name(obj: Any) -> str:
        return str(obj.handling_unit.name)


class UmbrellaPage(Page):
    items: list[UmbrellaOut]


class UmbrellaIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    position: str = Field(min_length=1, max_length=200)
    handling_unit: int = _id("The discipline commission handling the case (id).")
    opened_on: dt.date = _day()
    case: int | None = Field(None, ge=1, le=MAX_ID)
    clue: int | None = Field(None, ge=1, le=MAX_ID)
    employer: str = Field("", max_length=200)
    party_member: bool = True


class UmbrellaConclusionIn(Schema):
    outcome: UmbrellaOutcomeCode  # type: ignore[valid-type]
    outcome_on: dt.date = _day()
    handling: str = Field("", max_length=20000)


# --- assets ---------------------------------------------------------------------------------------


class AssetOut(Labelled):
    id: int
    case_id: int
    case_number: str | None
    jurisdiction: str
    kind: str
    description: str
    holder: str
    amount: Decimal = Field(description="In CNY.")
    state: str
    secured_on: dt.date
    state_on: dt.date
    voided_at: dt.datetime | None

    @staticmethod
    def resolve_case_number(obj: Any) -> str | None:
        return obj.case.number  # type: ignore[no-any-return]


class AssetPage(Page):
    items: list[AssetOut]


class AssetIn(Schema):
    kind: AssetKindCode  # type: ignore[valid-type]
    description: str = Field(min_length=1, max_length=300)
    amount: Decimal = Field(ge=0, le=MAX_AMOUNT, max_digits=16, decimal_places=2, description="In CNY.")
    state: AssetStateCode  # type: ignore[valid-type]
    secured_on: dt.date = _day("The day it was first sealed, seized or frozen.")
    holder: str = Field("", max_length=200)


class AssetStateIn(Schema):
    state: AssetStateCode  # type: ignore[valid-type]
    on: dt.date = _day()
    note: str = Field("", max_length=5000)


# --- fugitives ------------------------------------------------------------------------------------


class FugitiveOut(Labelled):
    id: int
    office_id: int
    jurisdiction: str
    case_id: int | None
    suspect_id: int | None
    name: str
    alias: str
    listed_on: dt.date
    year_listed: int
    pursuit_team_id: int | None
    pursuit_team_name: str | None
    location: str
    outcome: str
    outcome_on: dt.date | None
    note: str
    voided_at: dt.datetime | None

    @staticmethod
    def resolve_pursuit_team_name(obj: Any) -> str | None:
        return obj.pursuit_team.name if obj.pursuit_team_id else None


class FugitivePage(Page):
    items: list[FugitiveOut]


class FugitiveIn(Schema):
    jurisdiction: str = Field(min_length=1, max_length=12, description="Code of the place that listed the fugitive.")
    office: int | None = Field(None, ge=1, le=MAX_ID, description="By default the nearest office at or above the "
                                                                    "place.")
    name: str = Field(min_length=1, max_length=100)
    listed_on: dt.date = _day()
    alias: str = Field("", max_length=100)
    id_number: str = Field("", max_length=18)
    case: int | None = Field(None, ge=1, le=MAX_ID)
    suspect: int | None = Field(None, ge=1, le=MAX_ID)
    pursuit_team: int | None = Field(None, ge=1, le=MAX_ID, description="Working group (id).")
    location: LocationCode = FugitiveLocation.UNKNOWN.value  # type: ignore[valid-type]


class FugitiveOutcomeIn(Schema):
    outcome: FugitiveOutcomeCode  # type: ignore[valid-type]
    on: dt.date = _day()
    location: LocationCode | None = None  # type: ignore[valid-type]
    note: str = Field("", max_length=5000)


# --- accountability reviews -----------------------------------------------------------------------


class SignerOut(Schema):
    signer: str
    step_label: str
    signed_at: dt.datetime
    finding: str

    @staticmethod
    def resolve_signer(obj: Any) -> str:
        return str(obj.signer.get_username())


class ReviewOut(Labelled):
    id: int
    clue_id: int
    clue_number: str | None
    case_id: int
    case_number: str | None
    office_id: int
    jurisdiction: str
    reason: str
    opened_at: dt.datetime
    state: str
    finding: str
    finding_text: str
    decided_at: dt.datetime | None

    @staticmethod
    def resolve_clue_number(obj: Any) -> str | None:
        return obj.clue.number  # type: ignore[no-any-return]

    @staticmethod
    def resolve_case_number(obj: Any) -> str | None:
        return obj.case.number  # type: ignore[no-any-return]


class ReviewPage(Page):
    items: list[ReviewOut]


class ReviewDetail(ReviewOut):
    signers: list[SignerOut]

    @staticmethod
    def resolve_signers(obj: Any) -> list[Any]:
        return list(obj.signers.select_related("signer"))
