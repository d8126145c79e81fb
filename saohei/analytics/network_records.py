"""The records a user may see, as the entity panel, the entity services and the network read them, and the keys by
which judgements name the persons they write about.

Every read starts from the selectors of the lower apps (`Clue.objects.visible_to`, `report_list_for_user`,
`case_list_for_user`, `suspect_list_for_user`, `umbrella_list_for_user` when `may_see_umbrellas`), so visibility is
decided here the same way as in the rest of the workbench; a record the user may not see is a 404 like a missing one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from saohei.analytics.models import EntityCorrection, EntityMention, RecordKind
from saohei.cases.models import Case
from saohei.cases.selectors import case_list_for_user, may_see_umbrellas, suspect_list_for_user, umbrella_list_for_user
from saohei.clues.models import Clue
from saohei.clues.selectors import report_list_for_user
from saohei.intake.models import Report

User = AbstractBaseUser | AnonymousUser
Record = Report | Clue | Case

_PERSON_KEY = re.compile(r"^(?P<kind>report|clue|case):(?P<id>\d+)@(?P<start>\d+)-(?P<end>\d+)$|"
                         r"^(?P<other>suspect|umbrella):(?P<other_id>\d+)$")


def record_queryset_for_user(*, user: User, record_kind: str) -> QuerySet[Any]:
    """The reports, clues or cases the user may see (a report through its clue); nothing for another kind."""
    if record_kind == RecordKind.REPORT:
        return report_list_for_user(user=user).filter(voided_at__isnull=True)
    if record_kind == RecordKind.CLUE:
        return Clue.objects.visible_to(user).select_related("jurisdiction")
    if record_kind == RecordKind.CASE:
        return case_list_for_user(user=user)
    return Clue.objects.none()


def record_get_for_user(*, user: User, record_kind: str, record_id: int) -> Record:
    """The record, or 404 alike for missing and not visible."""
    record: Record | None = record_queryset_for_user(user=user, record_kind=record_kind).filter(pk=record_id).first()
    if record is None:
        raise Http404(_("No such record."))
    return record


@dataclass(frozen=True)
class RecordSource:
    """The text whose entities are extracted, and what to show about the record it comes from."""

    kind: str
    id: int
    text: str
    hint: str | None  # the code of the record's jurisdiction, to resolve place names several divisions share
    label: str


def jurisdiction_code(path: str) -> str | None:
    """The code of the division a materialised jurisdiction path ends with (None for an empty path)."""
    return path.rstrip("/").rsplit("/", 1)[-1] or None


def record_source(record: Record) -> RecordSource:
    """A report's subject and content, a clue's or a case's title and summary: the text entity spans index."""
    if isinstance(record, Report):
        return RecordSource(RecordKind.REPORT, record.pk, f"{record.subject}\n{record.content}",
                            record.jurisdiction.code, record.number or str(record.pk))
    hint = jurisdiction_code(record.jurisdiction_path)
    kind = RecordKind.CLUE if isinstance(record, Clue) else RecordKind.CASE
    return RecordSource(kind, record.pk, f"{record.title}\n{record.summary}", hint, record.number or str(record.pk))


def record_source_get(*, record_kind: str, record_id: int) -> RecordSource | None:
    """The source of any record, whoever asks (tasks and services that checked the user before); None when it is
    missing or voided."""
    record: Record | None
    if record_kind == RecordKind.REPORT:
        record = Report.objects.filter(pk=record_id, voided_at__isnull=True).select_related("jurisdiction").first()
    elif record_kind == RecordKind.CLUE:
        record = Clue.objects.filter(pk=record_id).first()
    elif record_kind == RecordKind.CASE:
        record = Case.objects.filter(pk=record_id, voided_at__isnull=True).first()
    else:
        record = None
    return None if record is None else record_source(record)


def record_url(kind: str, ident: int | str) -> str:
    names = {RecordKind.REPORT: "report-detail", RecordKind.CLUE: "clue-detail", RecordKind.CASE: "case-detail"}
    return reverse(names[RecordKind(kind)], kwargs={"pk": int(ident)}) if kind in names else ""


def record_mentions(*, record_kind: str, record_id: int) -> list[EntityMention]:
    return list(EntityMention.objects.filter(record_kind=record_kind, record_id=record_id).order_by("start", "-end"))


def record_corrections(*, record_kind: str, record_id: int) -> list[EntityCorrection]:
    return list(EntityCorrection.objects.filter(record_kind=record_kind, record_id=record_id)
                .select_related("corrected_by").order_by("corrected_at", "pk"))


def record_visible(*, user: User, record_kind: str, record_id: int) -> bool:
    return record_queryset_for_user(user=user, record_kind=record_kind).filter(pk=record_id).exists()


# --- person records named in judgements ----------------------------------------------------------------------------

class MentionRow(NamedTuple):
    """The fields of an EntityMention the network needs, read without building model instances."""

    record_kind: str
    record_id: int
    kind: str
    text: str
    value: str
    start: int
    end: int
    attributes: dict[str, Any]


def mention_person_key(mention: EntityMention | MentionRow) -> str:
    """A person as one record writes them: stable across re-extraction (the span, not the row id, which changes)."""
    return f"{mention.record_kind}:{mention.record_id}@{mention.start}-{mention.end}"


def person_key_visible(*, user: User, key: str) -> bool:
    """Whether `key` names a person the user may see: a person mention of a visible record, a visible suspect, or a
    protection case (umbrella) the user may see."""
    match = _PERSON_KEY.match(key)
    if match is None:
        return False
    if match["kind"]:
        exists = EntityMention.objects.filter(record_kind=match["kind"], record_id=int(match["id"]), kind="person",
                                              start=int(match["start"]), end=int(match["end"])).exists()
        return exists and record_visible(user=user, record_kind=match["kind"], record_id=int(match["id"]))
    ident = int(match["other_id"])
    if match["other"] == "suspect":
        return suspect_list_for_user(user=user).filter(pk=ident).exists()
    return may_see_umbrellas(user) and umbrella_list_for_user(user=user).filter(pk=ident).exists()

