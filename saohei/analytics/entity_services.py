"""Entities of reports, clues and cases as kept in the database, the users' corrections, and who-is-who judgements.

Why: the pure extractor (`entities.entities_extract`) proposes; the analyst corrects, and the correction must
survive every later run, so corrections are stored apart from the mentions and re-applied each time the mentions
are rebuilt. A record's mentions are replaced as a whole, in one transaction, so a reader never sees half a set.
Judgements on who is who bind every later resolution of the network (`network_selectors`). Every change a user
makes is audited; a user may only touch records they may see (404 otherwise, as for any record).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from saohei.analytics import entities
from saohei.analytics.entities_places import Gazetteer
from saohei.analytics.models import (
    CorrectionAction,
    EntityCorrection,
    EntityMention,
    JudgementKind,
    RecordKind,
    ResolutionJudgement,
)
from saohei.analytics.network_selectors import (
    ENTITY_KIND_LABELS,
    RecordSource,
    person_key_visible,
    record_get_for_user,
    record_mentions,
    record_source,
    record_source_get,
)
from saohei.audit.services import audit_record
from saohei.cases.models import Case
from saohei.clues.models import Clue
from saohei.intake.models import Report
from saohei.orgs.models import Jurisdiction

FIELD_LIMIT = 200  # EntityMention.text and .value
MAX_OTHERS = 50
_PERSON_KEY = re.compile(r"^(?:(?:report|clue|case):\d+@\d+-\d+|(?:suspect|umbrella):\d+)$")
_gazetteer_memo: dict[str, tuple[tuple[int, int | None], Gazetteer]] = {}


def jurisdiction_gazetteer() -> Gazetteer:
    """The jurisdiction tree as a gazetteer, built once per process and again only when the tree grows (the
    stamp is the number of divisions and the highest id: one cheap query instead of 3,000 rows)."""
    stamp_row = Jurisdiction.objects.aggregate(count=Count("pk"), last=Max("pk"))
    stamp = (int(stamp_row["count"]), stamp_row["last"])
    memo = _gazetteer_memo.get("tree")
    if memo is not None and memo[0] == stamp:
        return memo[1]
    gazetteer = Gazetteer(Jurisdiction.objects.values_list("code", "name", "parent__code"))
    _gazetteer_memo["tree"] = (stamp, gazetteer)
    return gazetteer


def gazetteer_forget() -> None:
    """Drop this process's gazetteer (tests, or after renaming divisions)."""
    _gazetteer_memo.clear()


def _pure(correction: EntityCorrection) -> entities.EntityCorrection:
    return entities.EntityCorrection(action=correction.action, kind=correction.kind, start=correction.start,
                                     end=correction.end, text=correction.text, new_kind=correction.new_kind,
                                     new_value=correction.new_value or None)


def entity_mention(source: RecordSource, entity: entities.Entity) -> EntityMention:
    """An unsaved mention of `entity` in the record `source`."""
    attributes = {name: value for name in ("unit", "role", "code", "form", "source")
                  if (value := getattr(entity, name))}
    return EntityMention(record_kind=source.kind, record_id=source.id, kind=entity.kind,
                         text=entity.text[:FIELD_LIMIT], value="" if entity.value is None else str(entity.value)[
                             :FIELD_LIMIT], start=entity.start, end=entity.end, attributes=attributes)


def source_entities(source: RecordSource) -> list[entities.Entity]:
    """The entities of a record's text with its stored corrections applied, in the order they were made."""
    found = entities.entities_extract(source.text, gazetteer=jurisdiction_gazetteer(), jurisdiction_hint=source.hint)
    corrections = EntityCorrection.objects.filter(record_kind=source.kind, record_id=source.id).order_by(
        "corrected_at", "pk")
    return entities.entities_apply_corrections(found, [_pure(c) for c in corrections], text=source.text)


def record_entities_extract(*, record_kind: str, record_id: int) -> list[EntityMention]:
    """Extract the record's entities again and replace its mentions; a missing or voided record keeps none."""
    source = record_source_get(record_kind=record_kind, record_id=record_id)
    found = source_entities(source) if source is not None else []
    with transaction.atomic():
        EntityMention.objects.filter(record_kind=record_kind, record_id=record_id).delete()
        if source is None:
            return []
        return EntityMention.objects.bulk_create([entity_mention(source, entity) for entity in found])


def _check_kind(kind: str, *, blank: bool = False) -> str:
    kind = kind.strip()
    if (blank and not kind) or kind in ENTITY_KIND_LABELS:
        return kind
    raise ValidationError(_("Unknown kind of entity: %(kind)s.") % {"kind": kind or "—"})


def _checked_span(source: RecordSource, *, start: int, end: int, text: str) -> str:
    if not 0 <= start < end <= len(source.text) or end - start > FIELD_LIMIT:
        raise ValidationError(_("The words to correct are not in the text of this record."))
    written = source.text[start:end]
    if text and text != written:
        raise ValidationError(_("The text of the record changed: “%(text)s” is no longer at that place.")
                              % {"text": text})
    return written


def _correction_checked(source: RecordSource, *, action: str, kind: str, start: int, end: int, text: str,
                        new_kind: str, new_value: str) -> dict[str, Any]:
    if action not in CorrectionAction.values:
        raise ValidationError(_("Choose to remove, change or add an entity."))
    fields = {"action": action, "kind": _check_kind(kind), "new_kind": _check_kind(new_kind, blank=True),
              "new_value": new_value.strip()[:FIELD_LIMIT], "start": start, "end": end,
              "text": _checked_span(source, start=start, end=end, text=text)}
    if action != CorrectionAction.ADD and not EntityMention.objects.filter(
            record_kind=source.kind, record_id=source.id, kind=fields["kind"], start=start, end=end).exists():
        raise ValidationError(_("There is no such entity in this record any more; reload the page."))
    if action == CorrectionAction.CHANGE and not (fields["new_kind"] or fields["new_value"]):
        raise ValidationError(_("Give the new kind or the new value."))
    if action == CorrectionAction.ADD:
        fields["new_kind"] = ""  # an addition is of its own kind
    return fields


def entity_correct(*, actor: User, record_kind: str, record_id: int, action: str, kind: str, start: int, end: int,
                   text: str, new_kind: str = "", new_value: str = "", note: str = "") -> EntityCorrection:
    """Keep a user's correction of one entity of a record they may see, audit it, and extract the record again
    with every correction applied."""
    record = record_get_for_user(user=actor, record_kind=record_kind, record_id=record_id)
    source = record_source(record)
    fields = _correction_checked(source, action=action, kind=kind, start=start, end=end, text=text,
                                 new_kind=new_kind, new_value=new_value)
    with transaction.atomic():
        correction = EntityCorrection.objects.create(record_kind=source.kind, record_id=source.id, note=note.strip(),
                                                     corrected_by=actor, **fields)
        audit_record(actor=actor, action=f"entity.{action}", object_type=source.kind, object_id=source.id,
                     after={"correction": correction.pk, **fields}, reason=note.strip())
        record_entities_extract(record_kind=source.kind, record_id=source.id)
    return correction


def entity_correct_at(*, actor: User, record_kind: str, record_id: int, kind: str, text: str, new_value: str = "",
                      note: str = "") -> EntityCorrection:
    """Add a missed entity given only its words: the first place in the text where they are written and not already
    taken by an entity of the same kind."""
    record = record_get_for_user(user=actor, record_kind=record_kind, record_id=record_id)
    source = record_source(record)
    words = text.strip()
    if not words:
        raise ValidationError(_("Type the words as they are written in the text."))
    taken = {(m.start, m.end) for m in record_mentions(record_kind=source.kind, record_id=source.id) if m.kind == kind}
    starts = [m.start() for m in re.finditer(re.escape(words), source.text)]
    free = [s for s in starts if (s, s + len(words)) not in taken]
    if not free:
        raise ValidationError(_("“%(text)s” is not written in this record, or is already marked as that kind.")
                              % {"text": words})
    return entity_correct(actor=actor, record_kind=source.kind, record_id=source.id, action=CorrectionAction.ADD,
                          kind=kind, start=free[0], end=free[0] + len(words), text=words, new_value=new_value,
                          note=note)


def _pairs(record: str, others: Sequence[str]) -> set[frozenset[str]]:
    return {frozenset((record, other)) for other in others}


def resolution_judge(*, actor: User, kind: str, record: str, others: Sequence[str], note: str = ""
                     ) -> ResolutionJudgement:
    """Keep an analyst's judgement on who is who (confirm: the same person; reject: different persons; split: taken
    out of a group). It binds every later resolution; an earlier live judgement on only the same pairs is voided,
    so changing one's mind takes effect. Every person named must be one the analyst may see."""
    if kind not in JudgementKind.values:
        raise ValidationError(_("Confirm, reject or split."))
    others = list(dict.fromkeys(o.strip() for o in others if o.strip() and o.strip() != record))
    if not others or len(others) > MAX_OTHERS:
        raise ValidationError(_("Name between one and %(count)d other records.") % {"count": MAX_OTHERS})
    for key in (record, *others):
        if not _PERSON_KEY.match(key) or not person_key_visible(user=actor, key=key):
            raise Http404(_("No such person record."))
    pairs = _pairs(record, others)
    with transaction.atomic():
        superseded = [j for j in ResolutionJudgement.objects.select_for_update().filter(voided_at__isnull=True)
                      if _pairs(j.record, j.others) <= pairs]
        for judgement in superseded:
            judgement.voided_at = timezone.now()
            judgement.save(update_fields=["voided_at"])
        judgement = ResolutionJudgement.objects.create(kind=kind, record=record, others=others, note=note.strip(),
                                                       decided_by=actor)
        audit_record(actor=actor, action=f"resolution.{kind}", object_type="person", object_id=record,
                     before={"voided": [j.pk for j in superseded]} if superseded else None,
                     after={"judgement": judgement.pk, "kind": kind, "others": others}, reason=note.strip())
    return judgement


def entities_backfill(*, record_kind: str = RecordKind.CLUE, limit: int = 1000) -> int:
    """Extract the entities of the most recent records of a kind that have none yet (after an upgrade, or when the
    task queue was down); returns how many records were read. A maintenance run: no user, so no visibility."""
    models: dict[str, type[Report] | type[Clue] | type[Case]] = {
        RecordKind.REPORT: Report, RecordKind.CLUE: Clue, RecordKind.CASE: Case}
    done = set(EntityMention.objects.filter(record_kind=record_kind).values_list("record_id", flat=True))
    recent = models[record_kind].objects.order_by("-pk").values_list("pk", flat=True)
    ids = [pk for pk in recent[:limit + len(done)] if pk not in done][:limit]
    for pk in ids:
        record_entities_extract(record_kind=record_kind, record_id=pk)
    return len(ids)
