"""What the API answers and accepts."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from saohei.clues.workflow import MOVES
from saohei.intake.choices import Channel

MAX_ID = 2**62
ChannelCode = Literal[tuple(Channel.values)]  # type: ignore[valid-type]
MoveName = Literal[tuple(m.name for m in MOVES)]  # type: ignore[valid-type]


class Page(Schema):
    count: int = Field(description="How many records match, over all pages.")
    limit: int
    offset: int


# --- organisation ------------------------------------------------------------------------------


class JurisdictionOut(Schema):
    code: str
    name: str
    level: str
    level_label: str
    parent: str | None
    path: str
    depth: int

    @staticmethod
    def resolve_level_label(obj: Any) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_parent(obj: Any) -> str | None:
        codes = obj.path.strip("/").split("/")
        return codes[-2] if len(codes) > 1 else None


class JurisdictionPage(Page):
    items: list[JurisdictionOut]


class PlacedOut(Schema):
    """Resolvers shared by records that belong to an office and a jurisdiction."""

    @staticmethod
    def resolve_office_name(obj: Any) -> str:
        return str(obj.office.name)

    @staticmethod
    def resolve_jurisdiction(obj: Any) -> str:
        return str(obj.jurisdiction.code)

    @staticmethod
    def resolve_jurisdiction_name(obj: Any) -> str:
        return str(obj.jurisdiction.name)


class UnitOut(PlacedOut):
    id: int
    name: str
    kind: str
    kind_label: str
    sector: str
    office_id: int
    office_name: str
    jurisdiction: str
    jurisdiction_name: str
    parent_id: int | None
    active: bool

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())


class UnitPage(Page):
    items: list[UnitOut]


# --- reports -------------------------------------------------------------------------------------


class ReportOut(PlacedOut):
    id: int
    number: str | None
    channel: str
    channel_label: str
    received_at: dt.datetime
    office_id: int
    office_name: str
    jurisdiction: str
    jurisdiction_name: str
    subject: str
    content: str
    location_text: str
    source_reference: str
    clue_id: int | None
    clue_number: str | None
    anonymous: bool | None = Field(description="Whether the reporter gave no name; null without a reporter. "
                                               "The identity itself is never part of the API.")
    reachable: bool | None
    feedback_at: dt.datetime | None
    voided_at: dt.datetime | None
    void_reason: str

    @staticmethod
    def resolve_channel_label(obj: Any) -> str:
        return str(obj.get_channel_display())

    @staticmethod
    def resolve_clue_number(obj: Any) -> str | None:
        return obj.clue.number if obj.clue_id else None

    @staticmethod
    def resolve_anonymous(obj: Any) -> bool | None:
        return obj.reporter.anonymous if obj.reporter_id else None

    @staticmethod
    def resolve_reachable(obj: Any) -> bool | None:
        return obj.reporter.reachable if obj.reporter_id else None


class ReportPage(Page):
    items: list[ReportOut]


class ReporterIn(Schema):
    name: str = Field("", max_length=80)
    contact: str = Field("", max_length=120)
    id_number: str = Field("", max_length=40)


class ReportIn(Schema):
    jurisdiction: str = Field(min_length=1, max_length=12, description="Code of the place the report concerns.")
    office: int | None = Field(None, ge=1, le=MAX_ID, description="Receiving office; by default the nearest "
                                                                     "office at or above the place.")
    channel: ChannelCode  # type: ignore[valid-type]
    subject: str = Field(min_length=1, max_length=200)
    content: str = Field(min_length=1, max_length=20000)
    received_at: dt.datetime | None = None
    location_text: str = Field("", max_length=200)
    source_reference: str = Field("", max_length=80)
    reporter: ReporterIn | None = None


class ReportReceipt(Schema):
    report: ReportOut
    clue_id: int
    clue_number: str | None
    receipt_code: str = Field(description="Shown once, on the first answer; empty when a request with the same "
                                          "Idempotency-Key is repeated.")
    replayed: bool


# --- clues ----------------------------------------------------------------------------------------


class ClueOut(PlacedOut):
    id: int
    number: str | None
    title: str
    summary: str
    state: str
    state_label: str
    source: str
    source_label: str
    office_id: int
    office_name: str
    jurisdiction: str
    jurisdiction_name: str
    category: str | None
    category_name: str | None
    priority: int
    priority_label: str
    names_officials: bool
    report_count: int
    review_pending: bool
    duplicate_of_id: int | None
    deadline: dt.date | None
    conclusion: str
    conclusion_label: str
    supervision_level: str
    concluded_on_time: bool | None
    created_at: dt.datetime
    triaged_at: dt.datetime | None
    assigned_at: dt.datetime | None
    concluded_at: dt.datetime | None
    signed_at: dt.datetime | None
    closed_at: dt.datetime | None
    analysed_score: int | None = Field(
        description="The analysed priority, 0–100 (which clue to verify first); null until it is computed.")
    analysed_level: str | None = Field(description="high, medium or low; null until computed.")

    @staticmethod
    def resolve_state_label(obj: Any) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_analysed_score(obj: Any) -> int | None:
        score = getattr(obj, "score", None)  # not yet scored: RelatedObjectDoesNotExist, an AttributeError
        return score.score if score is not None else None

    @staticmethod
    def resolve_analysed_level(obj: Any) -> str | None:
        score = getattr(obj, "score", None)
        return score.level if score is not None else None

    @staticmethod
    def resolve_source_label(obj: Any) -> str:
        return str(obj.get_source_display())

    @staticmethod
    def resolve_category(obj: Any) -> str | None:
        return obj.category.code if obj.category_id else None

    @staticmethod
    def resolve_category_name(obj: Any) -> str | None:
        return str(obj.category) if obj.category_id else None

    @staticmethod
    def resolve_priority_label(obj: Any) -> str:
        return str(obj.get_priority_display())

    @staticmethod
    def resolve_conclusion_label(obj: Any) -> str:
        return str(obj.get_conclusion_display()) if obj.conclusion else ""


class CluePage(Page):
    items: list[ClueOut]


class AssignmentOut(Schema):
    id: int
    track: str
    unit_id: int
    unit_name: str
    mode: str
    state: str
    active: bool
    deadline: dt.date
    assigned_at: dt.datetime
    conclusion: str
    signed_at: dt.datetime | None


class AnalysedReasonOut(Schema):
    code: str
    text: str = Field(description="The reason in the caller's language.")
    points: float


class ClueDetail(ClueOut):
    analysed_reasons: list[AnalysedReasonOut] = Field(
        description="Why the analysed priority is what it is, heaviest first; empty until computed.")
    triage_note: str
    referred_to: str
    feedback_text: str
    feedback_at: dt.datetime | None
    reply_text: str
    replied_at: dt.datetime | None
    assignments: list[AssignmentOut]
    moves: list[str] = Field(description="The moves the caller may make now (POST …/transitions/{name}).")

    @staticmethod
    def resolve_assignments(obj: Any) -> list[dict[str, Any]]:
        return list(getattr(obj, "_api_assignments", []))

    @staticmethod
    def resolve_moves(obj: Any) -> list[str]:
        return list(getattr(obj, "_api_moves", []))

    @staticmethod
    def resolve_analysed_reasons(obj: Any) -> list[dict[str, Any]]:
        from saohei.analytics.priority_labels import reasons_shown

        score = getattr(obj, "score", None)
        if score is None:
            return []
        return [{"code": r.code, "text": r.text, "points": r.weight} for r in reasons_shown(score.reasons)]


class ClueEventOut(Schema):
    id: int
    occurred_at: dt.datetime
    action: str
    from_state: str
    to_state: str
    actor: str | None
    assignment_id: int | None
    unit_name: str | None
    note: str
    data: dict[str, Any]

    @staticmethod
    def resolve_actor(obj: Any) -> str | None:
        return obj.actor.get_username() if obj.actor_id else None

    @staticmethod
    def resolve_unit_name(obj: Any) -> str | None:
        return obj.assignment.unit.name if obj.assignment_id else None


# --- figures --------------------------------------------------------------------------------------


class FigureOut(Schema):
    value: int
    url: str = Field(description="The ledger listing exactly the rows counted; empty when none does.")


class RateOut(Schema):
    numerator: int
    denominator: int
    value: float | None = Field(description="numerator ÷ denominator; null when the denominator is zero.")
    percent: float | None


class FigureSetOut(Schema):
    reports_received: FigureOut
    triaged: FigureOut
    valid: FigureOut
    assigned: FigureOut
    concluded: FigureOut
    due: FigureOut
    on_time: FigureOut
    overdue: FigureOut
    created: FigureOut
    repeat: FigureOut
    public_reachable: FigureOut
    feedback_given: FigureOut
    valid_rate: RateOut
    verification_rate: RateOut
    on_time_rate: RateOut
    repeat_rate: RateOut
    feedback_rate: RateOut


class ChildFiguresOut(Schema):
    code: str
    name: str
    own_level: bool
    figures: FigureSetOut


class UnitOverdueOut(Schema):
    unit_id: int
    unit_name: str
    parent_name: str
    count: FigureOut


class WeekOut(Schema):
    label: str
    start: dt.date
    end: dt.date
    reports_received: FigureOut
    valid: FigureOut
    concluded: FigureOut


class ClueFiguresOut(Schema):
    jurisdiction: str
    jurisdiction_name: str
    start: dt.date
    end: dt.date
    today: dt.date
    totals: FigureSetOut
    by_child: list[ChildFiguresOut]
    overdue_by_unit: list[UnitOverdueOut]
    trend: list[WeekOut]
