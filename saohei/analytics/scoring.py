"""Which clue first: the priority and proposed category of each clue, kept as a ``ClueScore`` row.

The pure parts decide (routing.py proposes the category, priority.py adds up the reasons); this module gathers
what they need from the database: the clue's text with its reports, the entities kept for them (so an analyst's
corrections count), corroboration by other records, independent reports, and whether a reporter can be met.
A score is recomputed after the clue's entities are extracted (entity_tasks), so it follows every new report and
every edit; `saohei analytics score` recomputes them all (after training a model, or changing the weights).

The category model in use is the office's active ``CategoryModelFile`` (training.py); without one the rules
route alone. Each process loads the model once and again only when another file becomes active.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from django.db import transaction
from django.db.models import Q

from saohei.analytics.entity_services import entity_mention, source_entities
from saohei.analytics.learning import CategoryModel, ModelFormatError
from saohei.analytics.models import CategoryModelFile, ClueScore, EntityMention, RecordKind
from saohei.analytics.network_selectors import record_source
from saohei.analytics.priority import Priority, PriorityFeatures, clue_priority, priority_features_from_text
from saohei.analytics.routing import Routing, category_route
from saohei.analytics.surnames import name_is_common
from saohei.analytics.taxonomy import OTHER, taxonomy_load
from saohei.cases.models import Case
from saohei.clues.models import Clue
from saohei.intake.models import Report

logger = logging.getLogger(__name__)

IDENTIFIER_KINDS = frozenset({"phone", "id_number", "plate", "bank_account"})
# Entities that point to the same person or firm wherever they appear; a full name only near the clue (below).
STRONG_KINDS = IDENTIFIER_KINDS | {"company", "organisation"}
NEAR_DEPTH = 3  # a full name corroborates within the same city: "000000/<province>/<city>/"
MAX_TEXT = 20_000  # characters of a clue's texts read for routing (a clue with hundreds of reports)

_model_lock = threading.Lock()
_model_memo: dict[str, tuple[int, CategoryModel | None]] = {}  # None: the file cannot be read (logged once)


def category_model_active() -> tuple[CategoryModelFile | None, CategoryModel | None]:
    """The category model in use and its file (None, None: the rules route alone). A file this code cannot read
    (another scikit-learn, a changed taxonomy) is logged and the rules take over, rather than failing intake."""
    active = CategoryModelFile.objects.filter(active=True).only("pk").order_by("-trained_at").first()
    if active is None:
        return None, None
    with _model_lock:
        memo = _model_memo.get("active")
        if memo is None or memo[0] != active.pk:
            data = CategoryModelFile.objects.filter(pk=active.pk).values_list("data", flat=True).first()
            try:
                memo = (active.pk, CategoryModel.from_bytes(bytes(data or b"")))
            except ModelFormatError as error:
                logger.warning("category model %s cannot be used, routing by rules: %s", active.pk, error)
                memo = (active.pk, None)
            _model_memo["active"] = memo
    model = memo[1]
    return (active, model) if model is not None else (None, None)


def category_model_forget() -> None:
    """Drop this process's loaded model (tests; after activating another file)."""
    with _model_lock:
        _model_memo.clear()


def _reports(clue: Clue) -> list[Report]:
    return list(Report.objects.filter(clue=clue, voided_at__isnull=True).select_related("reporter").order_by("pk"))


def clue_text(clue: Clue, reports: Sequence[Report]) -> str:
    """The clue's title and summary followed by its reports: what routing and the cue words read."""
    parts = [clue.title, clue.summary] + [f"{r.subject}\n{r.content}" for r in reports]
    return "\n".join(part for part in parts if part)[:MAX_TEXT]


def _mentions(clue: Clue, reports: Sequence[Report]) -> list[EntityMention]:
    """The entities kept for the clue and its reports; when none are kept yet (the extraction task has not run),
    they are extracted here, with the users' corrections, without being stored."""
    own = Q(record_kind=RecordKind.CLUE, record_id=clue.pk)
    if reports:
        own |= Q(record_kind=RecordKind.REPORT, record_id__in=[r.pk for r in reports])
    kept = list(EntityMention.objects.filter(own))
    if kept:
        return kept
    sources = [record_source(clue), *(record_source(report) for report in reports)]
    return [entity_mention(source, entity) for source in sources for entity in source_entities(source)]


def _distinct(mentions: Iterable[EntityMention], kinds: frozenset[str]) -> set[tuple[str, str]]:
    return {(m.kind, m.value or m.text) for m in mentions if m.kind in kinds}


def _full_names(mentions: Iterable[EntityMention]) -> set[str]:
    return {m.value or m.text for m in mentions
            if m.kind == "person" and m.attributes.get("form") == "full" and not name_is_common(m.value or m.text)}


def _near(path: str) -> str:
    return "/".join(path.split("/")[:NEAR_DEPTH]) + "/"


def _elsewhere(*, clue: Clue, reports: Sequence[Report], mentions: Sequence[EntityMention]) -> int:
    """How many of the clue's entities appear in other clues, their reports, or cases: identifiers and firms
    anywhere, uncommon full names only in the same city (two 张伟 in two provinces corroborate nothing)."""
    strong = _distinct(mentions, STRONG_KINDS)
    names = _full_names(mentions)
    if not strong and not names:
        return 0
    wanted = Q()
    for kind, value in strong:
        wanted |= Q(kind=kind, value=value)
    if names:
        wanted |= Q(kind="person", value__in=names)
    own_reports = [r.pk for r in reports]
    others = (EntityMention.objects.filter(wanted)
              .exclude(record_kind=RecordKind.CLUE, record_id=clue.pk)
              .exclude(record_kind=RecordKind.REPORT, record_id__in=own_reports)
              .values_list("record_kind", "record_id", "kind", "value"))
    rows = list(others)
    paths = _record_paths([(record_kind, record_id) for record_kind, record_id, _kind, _value in rows])
    near = _near(clue.jurisdiction_path)
    found: set[tuple[str, str]] = set()
    for record_kind, record_id, kind, value in rows:
        where = paths.get((record_kind, record_id))
        if where is None or where[1] == clue.pk:  # a voided record, or a report of this very clue
            continue
        if kind != "person" or where[0].startswith(near):
            found.add((kind, value))
    return len(found)


def _record_paths(records: Sequence[tuple[str, int]]) -> dict[tuple[str, int], tuple[str, int | None]]:
    """(kind, id) → (jurisdiction path, the clue of a report or the clue itself) of the records that still
    stand; voided reports and cases are left out."""
    ids: dict[str, set[int]] = {}
    for record_kind, record_id in records:
        ids.setdefault(record_kind, set()).add(record_id)
    paths: dict[tuple[str, int], tuple[str, int | None]] = {}
    for pk, path in Clue.objects.filter(pk__in=ids.get(RecordKind.CLUE, ())).values_list("pk", "jurisdiction_path"):
        paths[(RecordKind.CLUE, pk)] = (path, pk)
    for pk, path in Case.objects.filter(pk__in=ids.get(RecordKind.CASE, ()), voided_at__isnull=True).values_list(
            "pk", "jurisdiction_path"):
        paths[(RecordKind.CASE, pk)] = (path, None)
    for pk, path, clue_id in Report.objects.filter(pk__in=ids.get(RecordKind.REPORT, ()), voided_at__isnull=True
                                                   ).values_list("pk", "jurisdiction__path", "clue_id"):
        paths[(RecordKind.REPORT, pk)] = (path, clue_id)
    return paths


def _independent_repeats(reports: Sequence[Report]) -> int:
    """Reports of the clue beyond the first from other reporters (every anonymous report counts as its own)."""
    seen: set[int] = set()
    independent = 0
    for report in reports:
        if report.reporter_id is None or report.reporter_id not in seen:
            independent += 1
        if report.reporter_id is not None:
            seen.add(report.reporter_id)
    return max(independent - 1, 0)


def clue_features(*, clue: Clue, routing: Routing, text: str, reports: Sequence[Report]) -> PriorityFeatures:
    """Everything the priority looks at, from the text (cue words, category) and the stored entities."""
    mentions = _mentions(clue, reports)
    persons = {m.value or m.text for m in mentions if m.kind == "person"}
    officials = {m.value or m.text for m in mentions if m.kind == "position"}
    features = priority_features_from_text(text, routing=routing)
    return replace(
        features,
        persons_named=len(persons),
        places=len(_distinct(mentions, frozenset({"place"}))),
        dates=len(_distinct(mentions, frozenset({"date"}))),
        identifiers=len(_distinct(mentions, IDENTIFIER_KINDS)),
        officials_named=len(officials),
        corroborating_entities=_elsewhere(clue=clue, reports=reports, mentions=mentions),
        independent_repeats=_independent_repeats(reports),
        reporter_reachable=any(r.reporter is not None and r.reporter.reachable for r in reports),
    )


def _routing_json(routing: Routing) -> list[dict[str, Any]]:
    return [{"coarse": c.coarse, "offence": c.offence, "confidence": round(c.confidence, 3), "source": c.source,
             "model_probability": c.model_probability,
             "hits": [[hit.phrase, hit.matched, hit.weight] for hit in c.hits[:8]]}
            for c in routing.categories]


def _reasons_json(priority: Priority) -> list[dict[str, Any]]:
    return [{"code": r.code, "weight": r.weight, "params": dict(r.params)} for r in priority.reasons]


def clue_score_update(*, clue_id: int) -> ClueScore | None:
    """Compute and keep the clue's priority and proposed category; None for a clue that no longer exists."""
    clue = Clue.objects.filter(pk=clue_id).first()
    if clue is None:
        return None
    model_file, model = category_model_active()
    reports = _reports(clue)
    text = clue_text(clue, reports)
    routing = category_route(text, model=model)
    features = clue_features(clue=clue, routing=routing, text=text, reports=reports)
    priority = clue_priority(features)
    best = routing.best
    with transaction.atomic():
        score, _created = ClueScore.objects.update_or_create(clue=clue, defaults={
            "score": priority.score, "level": priority.level, "reasons": _reasons_json(priority),
            "category": (best.offence or best.coarse) if best.coarse != OTHER else OTHER,
            "category_confidence": round(best.confidence, 3), "routing_reasons": _routing_json(routing),
            "routed_rules_first": routing.rules_first, "model": model_file,
        })
    return score


def clue_scores_refresh(*, clue_ids: Iterable[int] | None = None) -> int:
    """Score the given clues, or every clue (after a model is trained or the taxonomy changes); returns how many."""
    ids = list(clue_ids) if clue_ids is not None else list(Clue.objects.order_by("pk").values_list("pk", flat=True))
    taxonomy_load()  # once, before the loop
    return sum(clue_score_update(clue_id=clue_id) is not None for clue_id in ids)
