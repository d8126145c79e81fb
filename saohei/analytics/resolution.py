"""Who is who: entity resolution of persons and companies across reports, clues, cases and suspects.

Why: the same gang leader appears under a nickname in one tip, in Traditional characters in another and with his ID
number in a case; the analyst needs them as one person, and needs to see why. Two different people called 张伟 must
stay two people.

A generic record-linkage engine in the Fellegi–Sunter tradition:
1. Blocking: candidate pairs share a key (ID number, phone, the name read aloud, the surname with one given-name
   character, an alias...) or are neighbours in a sorted order (Latin names). Pinyin only finds candidates.
2. Comparison: each field compares two records at a level ("same ID number", "birth year differs by 10").
3. Weighting: each level has m = P(level | same entity) and u = P(level | different entities); u is measured on
   random pairs, m and the share of matches by expectation maximisation on the candidate pairs (small data sets keep
   the documented defaults). An exact name weighs by how rare that name is (term frequency, or the population share
   of the surname table for Chinese names). Weights are log2(m/u); their sum with the prior gives a probability.
4. Decision and clustering: pairs at or above the match probability are merged greedily, strongest first, into
   clusters that never contain a cannot-link pair. A hard key decides alone (same valid ID number: one person;
   different valid ID numbers: two), users' judgements bind over everything: a confirmed pair is always together,
   a rejected or split pair never, not even through a third record. A common name or a homophone never merges on
   the name alone, and a homophone never adds weight.
Every candidate pair worth showing carries its evidence for and against as reason codes with values and weights.
Field comparators: resolution_fields.py.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from saohei.analytics.names_zh import alias_normalised, is_nickname, zh_name_parse
from saohei.analytics.resolution_fields import (
    Aliases,
    BirthYear,
    ChineseName,
    CompanyName,
    Comparator,
    Exact,
    KeySet,
    LatinName,
    PlaceCode,
    StrongKey,
)

_LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z .'-]{2,}$")
CONFIRM = "confirm"
REJECT = "reject"
SPLIT = "split"
MATCH = "match"
REVIEW = "review"
NO_MATCH = "no match"
MISSING = -1
IntArray = npt.NDArray[np.int64]
SortKey = Callable[[Mapping[str, Any]], str]
KeyFunction = Callable[[Mapping[str, Any]], Iterable[str]]


@dataclass(frozen=True)
class Record:
    """One record to resolve: an id and typed fields; `dataset` names its source when linking two data sets."""

    id: str
    fields: Mapping[str, Any]
    dataset: str = ""


@dataclass(frozen=True)
class Judgement:
    """A user's decision, kept in the database and passed to every later run.

    confirm: `record_id` is the same entity as each of `other_ids` (must-link); reject: it is none of them
    (cannot-link); split: it was taken out of a cluster made of `other_ids` (cannot-link with each of them).
    """

    kind: str
    record_id: str
    other_ids: tuple[str, ...]


@dataclass(frozen=True)
class Evidence:
    """One reason for or against a match: a reason code, the field, the values compared, and its weight (bits)."""

    code: str
    field: str
    detail: str
    weight: float


@dataclass(frozen=True)
class MatchEvidence:
    """A compared pair: its score (log2 odds), probability, decision and the evidence for and against."""

    left_id: str
    right_id: str
    weight: float
    probability: float
    decision: str  # match, review, no match, confirm, reject
    evidence_for: tuple[Evidence, ...]
    evidence_against: tuple[Evidence, ...]


@dataclass(frozen=True)
class Resolution:
    """Clusters of record ids (one per entity), the evidence of the pairs worth showing, and what was learnt."""

    clusters: tuple[tuple[str, ...], ...]
    cluster_of: Mapping[str, int]
    matches: tuple[MatchEvidence, ...]
    conflicts: tuple[str, ...] = ()
    parameters: Mapping[str, Any] = field(default_factory=dict)
    pair_probabilities: tuple[tuple[str, str, float], ...] = ()  # every candidate pair, with keep_all_pairs

    def same_entity(self, left_id: str, right_id: str) -> bool:
        return self.cluster_of[left_id] == self.cluster_of[right_id]

    def evidence(self, left_id: str, right_id: str) -> MatchEvidence | None:
        pair = {left_id, right_id}
        return next((m for m in self.matches if {m.left_id, m.right_id} == pair), None)


@dataclass(frozen=True)
class Schema:
    """What to compare (comparators, one per field) and how to find candidates (keys, sorted neighbourhoods)."""

    comparators: tuple[Comparator, ...]
    keys: tuple[KeyFunction, ...] = ()
    sort_keys: tuple[SortKey, ...] = ()
    window: int = 4
    max_block: int = 60


@dataclass(frozen=True)
class ResolutionSettings:
    """Thresholds and estimation; the defaults suit an office's records."""

    match_probability: float = 0.9
    review_probability: float = 0.5
    prior: float | None = None  # P(two random records are the same entity); None: estimated, else `default_prior`
    default_prior: float = 1e-4
    min_records_for_estimation: int = 300
    min_key_matches: int = 30  # pairs sharing a hard key needed to learn m from them instead of EM
    key_smoothing: float = 300.0  # pseudo-pairs pulling m learnt from keyed pairs towards the defaults
    random_pairs: int = 60_000
    em_iterations: int = 30
    smoothing: float = 20.0  # pseudo-pairs pulling estimates towards the documented defaults
    link_only: bool = False  # only pairs of records from different data sets
    keep_all_pairs: bool = False  # keep the probability of every candidate pair (evaluation), not only those shown
    seed: int = 7


@dataclass
class _Model:
    log_m: list[npt.NDArray[np.float64]]
    log_u: list[npt.NDArray[np.float64]]
    prior: float
    term_frequency: list[dict[str, float]]
    estimated: str


def _prepare(records: Sequence[Record], schema: Schema) -> list[dict[str, Any]]:
    return [{c.field: c.prepare(r.fields.get(c.field)) for c in schema.comparators} for r in records]


def _candidate_pairs(records: Sequence[Record], prepared: Sequence[Mapping[str, Any]], schema: Schema,
                     settings: ResolutionSettings) -> set[tuple[int, int]]:
    blocks: dict[str, list[int]] = defaultdict(list)
    for index, values in enumerate(prepared):
        for comparator in schema.comparators:
            if values[comparator.field] is not None:
                for key in comparator.keys(values[comparator.field]):
                    blocks[f"{comparator.field}:{key}"].append(index)
        for position, function in enumerate(schema.keys):
            for key in function(values):
                blocks[f"k{position}:{key}"].append(index)
    pairs: set[tuple[int, int]] = set()
    for block in blocks.values():
        if 1 < len(block) <= schema.max_block:
            pairs.update((a, b) for i, a in enumerate(block) for b in block[i + 1:])
    for sort_key in schema.sort_keys:  # sorted neighbourhood; records without a key stay out of it
        keyed = [(key, i) for i in range(len(prepared)) if (key := sort_key(prepared[i]).strip())]
        order = [i for _, i in sorted(keyed)]
        for position, a in enumerate(order):
            pairs.update((min(a, b), max(a, b)) for b in order[position + 1:position + schema.window])
    if settings.link_only:
        pairs = {(a, b) for a, b in pairs if records[a].dataset != records[b].dataset}
    return {(a, b) for a, b in pairs if a != b}


def _levels(pairs: Sequence[tuple[int, int]], prepared: Sequence[Mapping[str, Any]],
            comparators: Sequence[Comparator]) -> IntArray:
    levels = np.full((len(pairs), len(comparators)), MISSING, dtype=np.int64)
    for column, comparator in enumerate(comparators):
        name, compare = comparator.field, comparator.compare
        values = [prepared[a][name] for a, _ in pairs], [prepared[b][name] for _, b in pairs]
        column_levels = [MISSING if left is None or right is None else compare(left, right)
                         for left, right in zip(*values, strict=True)]
        if column_levels:
            levels[:, column] = column_levels
    return levels


def _frequencies(levels: IntArray, comparators: Sequence[Comparator], *, defaults: str, weights: Any = None,
                 smoothing: float) -> list[npt.NDArray[np.float64]]:
    """Per comparator, the share of each level among the pairs where it was compared, pulled towards the defaults."""
    result = []
    for column, comparator in enumerate(comparators):
        prior = np.array([getattr(level, defaults) for level in comparator.levels], dtype=np.float64)
        counts = np.zeros(len(comparator.levels))
        present = levels[:, column] >= 0
        np.add.at(counts, levels[present, column], 1.0 if weights is None else weights[present])
        share = (counts + smoothing * prior) / (counts.sum() + smoothing * prior.sum())
        result.append(np.log2(np.clip(share, 1e-12, 1.0)))
    return result


def _random_pairs(records: Sequence[Record], settings: ResolutionSettings) -> list[tuple[int, int]]:
    """Random distinct pairs (across data sets when linking): nearly all are different entities, so their levels
    measure u, how often fields agree by chance."""
    generator = np.random.default_rng(settings.seed)
    draws = generator.integers(0, len(records), size=(settings.random_pairs * 2, 2))
    draws = draws[draws[:, 0] != draws[:, 1]]
    if settings.link_only:
        datasets = np.array([r.dataset for r in records])
        draws = draws[datasets[draws[:, 0]] != datasets[draws[:, 1]]]
    unique = np.unique(np.sort(draws, axis=1), axis=0)
    chosen = unique[generator.permutation(len(unique))[:settings.random_pairs]]
    return sorted((int(a), int(b)) for a, b in chosen)


def _expectation_maximisation(levels: IntArray, model: _Model, comparators: Sequence[Comparator],
                              settings: ResolutionSettings) -> float:
    """m probabilities and the share of matches among candidate pairs, u held fixed (as Splink does)."""
    patterns, counts = np.unique(levels, axis=0, return_counts=True)
    share = 0.1
    for _ in range(settings.em_iterations):
        log_m = np.zeros(len(patterns))
        log_u = np.zeros(len(patterns))
        for column in range(len(comparators)):
            present = patterns[:, column] >= 0
            log_m[present] += model.log_m[column][patterns[present, column]]
            log_u[present] += model.log_u[column][patterns[present, column]]
        odds = np.exp2(np.clip(log_m - log_u, -200, 200)) * share / (1 - share)
        match = odds / (1 + odds)
        share = float(np.clip((match * counts).sum() / counts.sum(), 1e-9, 1 - 1e-9))
        model.log_m = _frequencies(patterns, comparators, defaults="m", weights=match * counts,
                                   smoothing=settings.smoothing)
    return share


def _term_frequencies(prepared: Sequence[Mapping[str, Any]], comparators: Sequence[Comparator],
                      settings: ResolutionSettings) -> list[dict[str, float]]:
    large = len(prepared) >= settings.min_records_for_estimation
    duplication = _duplication(prepared, comparators)
    tables: list[dict[str, float]] = []
    for comparator in comparators:
        if not comparator.term_frequency:
            tables.append({})
            continue
        values = [comparator.tf_key(p[comparator.field]) for p in prepared if p[comparator.field] is not None]
        counts = Counter(values)
        table = {}
        for value, count in counts.items():
            population = comparator.population_share(value)
            if large:  # records of one entity repeat its values: divide them out, as far as hard keys show them
                table[value] = max(population, count / duplication / len(prepared))
            elif population:  # a handful of records says nothing about how common a value is; the population does
                table[value] = population
        tables.append(table)
    return tables


def _duplication(prepared: Sequence[Mapping[str, Any]], comparators: Sequence[Comparator]) -> float:
    """Records per entity among the records that carry a hard key (1.0 without hard keys): how much one entity's
    repeated records inflate the frequency of its values."""
    for comparator in comparators:
        if comparator.hard:
            values = [p[comparator.field] for p in prepared if p[comparator.field] is not None]
            if values:
                return len(values) / len(set(values))
    return 1.0


def _model(records: Sequence[Record], prepared: Sequence[Mapping[str, Any]], levels: IntArray, schema: Schema,
           settings: ResolutionSettings) -> _Model:
    comparators = schema.comparators
    defaults = _frequencies(levels[:0], comparators, defaults="m", smoothing=1.0)
    model = _Model(log_m=defaults, log_u=_frequencies(levels[:0], comparators, defaults="u", smoothing=1.0),
                   prior=settings.prior or settings.default_prior,
                   term_frequency=_term_frequencies(prepared, comparators, settings), estimated="defaults")
    if len(records) < settings.min_records_for_estimation or len(levels) < settings.min_records_for_estimation:
        return model
    random_pairs = _random_pairs(records, settings)
    model.log_u = _frequencies(_levels(random_pairs, prepared, comparators), comparators, defaults="u",
                               smoothing=settings.smoothing)
    total = _pair_count(records, settings)
    keyed = _strong_key_matches(levels, comparators)
    if len(keyed) >= settings.min_key_matches:
        # m from the pairs a hard key proves to be one entity (the key's own m stays the default: it chose them).
        # Keyed pairs come from the best-kept records (case files): typos, 某 forms and Traditional script are rarer
        # there than in reports, so their estimates are pulled harder towards the defaults.
        learnt = _frequencies(levels[keyed], comparators, defaults="m", smoothing=settings.key_smoothing)
        model.log_m = [model.log_m[i] if c.hard else learnt[i] for i, c in enumerate(comparators)]
        coverage = max(_key_coverage(prepared, comparators), 1e-6)
        matches = len(keyed) / coverage
        model.estimated = "strong keys"
    else:
        matches = _expectation_maximisation(levels, model, comparators, settings) * len(levels)
        model.estimated = "expectation maximisation"
    if settings.prior is None:
        model.prior = float(np.clip(matches / total, 1e-12, 0.5))
    return model


def _strong_key_matches(levels: IntArray, comparators: Sequence[Comparator]) -> IntArray:
    """Rows of candidate pairs that share a hard key (the same valid ID number): labelled matches for free."""
    rows = np.zeros(len(levels), dtype=bool)
    for column, comparator in enumerate(comparators):
        if comparator.hard:
            rows |= levels[:, column] == len(comparator.levels) - 1
    return np.flatnonzero(rows)


def _key_coverage(prepared: Sequence[Mapping[str, Any]], comparators: Sequence[Comparator]) -> float:
    """The share of record pairs in which both records carry a hard key: how many matches the keys can see."""
    hard = [c.field for c in comparators if c.hard]
    keyed = sum(any(p[f] is not None for f in hard) for p in prepared)
    return (keyed / max(len(prepared), 1)) ** 2


def _pair_count(records: Sequence[Record], settings: ResolutionSettings) -> float:
    if settings.link_only:
        sizes = Counter(r.dataset for r in records)
        return float(sum(a * b for i, a in enumerate(sizes.values()) for b in list(sizes.values())[i + 1:])) or 1.0
    return len(records) * (len(records) - 1) / 2 or 1.0


def _weights(levels: IntArray, pairs: Sequence[tuple[int, int]], prepared: Sequence[Mapping[str, Any]],
             model: _Model, comparators: Sequence[Comparator]) -> npt.NDArray[np.float64]:
    """The weight (bits) of each field of each pair; NaN where a value is missing."""
    weights = np.full(levels.shape, np.nan)
    for column, comparator in enumerate(comparators):
        table = model.log_m[column] - model.log_u[column]
        table = np.array([min(w, 0.0) if comparator.never_for(level) else w for level, w in enumerate(table)])
        present = levels[:, column] >= 0
        weights[present, column] = table[levels[present, column]]
        if comparator.term_frequency:
            top = len(comparator.levels) - 1
            frequencies = model.term_frequency[column]
            for row in (int(r) for r in np.flatnonzero(levels[:, column] == top)):
                frequency = frequencies.get(comparator.tf_key(prepared[pairs[row][0]][comparator.field]), 0.0)
                if frequency > 0:
                    weights[row, column] = model.log_m[column][top] - math.log2(frequency)
    return weights


def _name_alone(row: Sequence[int], weights: Sequence[float], a: Mapping[str, Any],
                comparators: Sequence[Comparator]) -> bool:
    """True when only names speak for the pair and none of them is strong alone: a common name, a homophone, a
    name one character off, an alias. (An exact rare name, 曾国强, may speak alone.)"""
    name_columns = [i for i, c in enumerate(comparators) if c.name_like]
    if not name_columns or any(w > 0 for i, w in enumerate(weights) if i not in name_columns):
        return False
    return not any(weights[i] > 0 and not comparators[i].weak_alone(int(row[i]), a[comparators[i].field])
                   for i in name_columns)


def _evidence(weights: Sequence[float], row: Sequence[int], a: Mapping[str, Any], b: Mapping[str, Any],
              comparators: Sequence[Comparator]) -> tuple[tuple[Evidence, ...], tuple[Evidence, ...]]:
    for_: list[Evidence] = []
    against: list[Evidence] = []
    for column, comparator in enumerate(comparators):
        weight = float(weights[column])
        if math.isnan(weight):
            continue
        level = int(row[column])
        left, right = a[comparator.field], b[comparator.field]
        item = Evidence(comparator.reason(level, left, right), comparator.field,
                        comparator.describe(left, right), round(weight, 2))
        if weight > 0:
            for_.append(item)
        elif weight < 0 or comparator.never_for(level):
            against.append(item)
        note = comparator.note(level, left)
        if note:
            against.append(Evidence(note[0], comparator.field, note[1], 0.0))
    return tuple(sorted(for_, key=lambda e: -e.weight)), tuple(sorted(against, key=lambda e: e.weight))


class _Clusters:
    """Union-find over record indices that refuses any union joining a cannot-link pair."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))
        self.members: dict[int, set[int]] = {i: {i} for i in range(size)}
        self.cannot: dict[int, set[int]] = defaultdict(set)

    def root(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def forbid(self, a: int, b: int) -> None:
        self.cannot[self.root(a)].add(b)
        self.cannot[self.root(b)].add(a)

    def can_join(self, a: int, b: int) -> bool:
        ra, rb = self.root(a), self.root(b)
        return ra == rb or not (self.cannot[ra] & self.members[rb] or self.cannot[rb] & self.members[ra])

    def join(self, a: int, b: int) -> bool:
        ra, rb = self.root(a), self.root(b)
        if ra == rb:
            return True
        if not self.can_join(a, b):
            return False
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] |= self.members.pop(rb)
        self.cannot[ra] |= self.cannot.pop(rb, set())
        return True


def _judged_pairs(judgements: Iterable[Judgement], index: Mapping[str, int]) -> tuple[list[tuple[int, int]],
                                                                                     list[tuple[int, int]]]:
    confirmed: list[tuple[int, int]] = []
    rejected: list[tuple[int, int]] = []
    for judgement in judgements:
        if judgement.record_id not in index:
            continue
        for other in judgement.other_ids:
            if other in index and other != judgement.record_id:
                pair = (index[judgement.record_id], index[other])
                (confirmed if judgement.kind == CONFIRM else rejected).append(pair)
    return confirmed, rejected


def _binding_clusters(records: Sequence[Record], confirmed: Sequence[tuple[int, int]],
                      rejected: Sequence[tuple[int, int]]) -> tuple[_Clusters, list[str]]:
    """Clusters seeded with the users' judgements: rejections forbid, confirmations join (a confirmation that would
    join a rejected pair is reported as a conflict and the rejection kept)."""
    clusters = _Clusters(len(records))
    conflicts: list[str] = []
    for a, b in rejected:
        clusters.forbid(a, b)
    for a, b in confirmed:
        if not clusters.join(a, b):
            conflicts.append(f"confirmed {records[a].id}–{records[b].id} contradicts a rejection; rejection kept")
    return clusters, conflicts


def _hard_keys_applied(clusters: _Clusters, ordered: Sequence[tuple[int, int]], levels: IntArray,
                       comparators: Sequence[Comparator]) -> set[tuple[int, int]]:
    """Different valid ID numbers forbid, the same one joins (after the users' judgements, which win)."""
    must: set[tuple[int, int]] = set()
    for column, comparator in enumerate(comparators):
        if not comparator.hard:
            continue
        for row_number in np.flatnonzero(levels[:, column] >= 0):
            a, b = ordered[int(row_number)]
            decided = comparator.hard_decision(int(levels[row_number, column]))
            if decided == REJECT and clusters.root(a) != clusters.root(b):
                clusters.forbid(a, b)
            elif decided == CONFIRM:
                must.add((a, b))
    for a, b in sorted(must):
        clusters.join(a, b)
    return must


def _parameters(model: _Model, comparators: Sequence[Comparator], candidate_pairs: int) -> dict[str, Any]:
    """What the run used, for the analyst and the benchmark: prior, how estimated, m and u per level."""
    def table(logs: Sequence[npt.NDArray[np.float64]], digits: int) -> dict[str, dict[str, float]]:
        return {c.field: {lv.code: round(float(2 ** logs[i][k]), digits) for k, lv in enumerate(c.levels)}
                for i, c in enumerate(comparators)}

    return {"prior": model.prior, "estimated": model.estimated, "candidate_pairs": candidate_pairs,
            "m": table(model.log_m, 5), "u": table(model.log_u, 7)}


def records_resolve(records: Sequence[Record], *, schema: Schema, judgements: Sequence[Judgement] = (),
                    settings: ResolutionSettings | None = None) -> Resolution:
    """Resolve `records` into entities with `schema`; see the module docstring for the method."""
    settings = settings or ResolutionSettings()
    comparators = schema.comparators
    prepared = _prepare(records, schema)
    confirmed, rejected = _judged_pairs(judgements, {record.id: i for i, record in enumerate(records)})
    judged_pairs = {(min(a, b), max(a, b)) for a, b in confirmed + rejected}
    ordered = sorted(_candidate_pairs(records, prepared, schema, settings) | judged_pairs)
    levels = _levels(ordered, prepared, comparators)
    model = _model(records, prepared, levels, schema, settings)
    clusters, conflicts = _binding_clusters(records, confirmed, rejected)
    must = _hard_keys_applied(clusters, ordered, levels, comparators)
    weights = _weights(levels, ordered, prepared, model, comparators)
    totals = math.log2(model.prior / (1 - model.prior)) + np.nansum(weights, axis=1)
    probabilities = 1 / (1 + np.exp2(np.clip(-totals, -1000, 1000)))
    judged = {frozenset(p): CONFIRM for p in confirmed} | {frozenset(p): REJECT for p in rejected}
    position = {pair: row_number for row_number, pair in enumerate(ordered)}
    shown = probabilities >= settings.review_probability
    shown[[position[p] for p in must | judged_pairs]] = True
    evidence: list[MatchEvidence] = []
    matches: list[tuple[float, int, int]] = []
    for row_number in (int(r) for r in np.flatnonzero(shown)):
        a, b = ordered[row_number]
        row, total, probability = levels[row_number], float(totals[row_number]), float(probabilities[row_number])
        decision = REVIEW if probability >= settings.review_probability else NO_MATCH
        if probability >= settings.match_probability and not _name_alone(row, weights[row_number], prepared[a],
                                                                         comparators):
            decision = MATCH
            matches.append((total, a, b))
        for_, against = _evidence(weights[row_number], row, prepared[a], prepared[b], comparators)
        evidence.append(MatchEvidence(records[a].id, records[b].id, round(total, 2), round(probability, 4),
                                      judged.get(frozenset((a, b)), decision), for_, against))
    for _, a, b in sorted(matches, reverse=True):  # strongest first: a weak link never blocks a strong one
        clusters.join(a, b)
    groups: dict[int, list[str]] = defaultdict(list)
    for number, record in enumerate(records):
        groups[clusters.root(number)].append(record.id)
    ordered_clusters = tuple(sorted((tuple(sorted(g)) for g in groups.values()), key=lambda g: g[0]))
    all_pairs = tuple((records[a].id, records[b].id, float(p)) for (a, b), p in zip(ordered, probabilities,
                                                                                     strict=True))
    return Resolution(clusters=ordered_clusters,
                      cluster_of={record_id: n for n, group in enumerate(ordered_clusters) for record_id in group},
                      matches=tuple(evidence), conflicts=tuple(conflicts),
                      parameters=_parameters(model, comparators, len(ordered)),
                      pair_probabilities=all_pairs if settings.keep_all_pairs else ())


@dataclass(frozen=True)
class PersonRecord:
    """A person as a report, clue, case or suspect record names them; every field but `id` may be empty."""

    id: str
    name: str = ""
    aliases: tuple[str, ...] = ()
    id_number: str = ""
    phones: tuple[str, ...] = ()
    birth_year: int | None = None
    place: str = ""  # a jurisdiction code (420103) or a place name
    gender: str = ""


def _person_fields(record: PersonRecord) -> dict[str, Any]:
    is_name = bool(record.name.strip()) and zh_name_parse(record.name) is not None and not is_nickname(record.name)
    is_latin = not is_name and bool(_LATIN_NAME.match(record.name.strip()))
    aliases = {alias_normalised(a) for a in record.aliases if a.strip()}
    if record.name.strip() and not is_name and not is_latin:
        aliases.add(alias_normalised(record.name))  # 刀哥 written where the name goes is an alias
    return {"name": record.name if is_name else None, "latin_name": record.name if is_latin else None,
            "aliases": tuple(sorted(aliases)), "id_number": record.id_number, "phones": record.phones,
            "birth_year": record.birth_year, "place": record.place, "gender": record.gender}


def person_schema() -> Schema:
    """Chinese person records: ID number and phones as strong keys, the name on its characters, aliases, birth
    year, place and gender."""
    return Schema(comparators=(
        StrongKey("id_number", kind="id_number", hard=True), KeySet("phones"), ChineseName("name"),
        LatinName("latin_name"), Aliases("aliases"), BirthYear("birth_year"), PlaceCode("place"),
        Exact("gender", m_same=0.99, u_same=0.5),
    ), sort_keys=(_latin_sort_key,))


def _latin_sort_key(values: Mapping[str, Any]) -> str:
    """Latin names (foreigners, pinyin spellings) meet their neighbours in alphabetical order."""
    return str(values["latin_name"] or "")


def persons_resolve(records: Sequence[PersonRecord], *, judgements: Sequence[Judgement] = (),
                    settings: ResolutionSettings | None = None) -> Resolution:
    """Persons across reports, clues, cases and suspects; users' `judgements` bind (see `Judgement`)."""
    generic = [Record(id=r.id, fields=_person_fields(r)) for r in records]
    return records_resolve(generic, schema=person_schema(), judgements=judgements, settings=settings)


@dataclass(frozen=True)
class CompanyRecord:
    """A company as records name it: name as written, unified social credit code, place, legal representative."""

    id: str
    name: str
    credit_code: str = ""
    place: str = ""
    legal_representative: str = ""
    phones: tuple[str, ...] = ()


def company_schema() -> Schema:
    """Companies: the credit code decides; otherwise the core name (legal form, place and script removed), place,
    legal representative and phones."""
    return Schema(comparators=(
        StrongKey("credit_code", kind="credit_code", hard=True), CompanyName("name"), PlaceCode("place"),
        ChineseName("legal_representative"), KeySet("phones"),
    ))


def companies_resolve(records: Sequence[CompanyRecord], *, judgements: Sequence[Judgement] = (),
                      settings: ResolutionSettings | None = None) -> Resolution:
    """Companies across records; a valid credit code is a hard key, judgements bind."""
    generic = [Record(id=r.id, fields={"name": r.name, "credit_code": r.credit_code, "place": r.place,
                                       "legal_representative": r.legal_representative, "phones": r.phones})
               for r in records]
    return records_resolve(generic, schema=company_schema(), judgements=judgements, settings=settings)


def resolution_pairs(clusters: Iterable[Sequence[str]]) -> set[frozenset[str]]:
    """Every pair of records put together by the clusters: what pairwise precision and recall are measured on."""
    return {frozenset((a, b)) for group in clusters for i, a in enumerate(group) for b in group[i + 1:]}
