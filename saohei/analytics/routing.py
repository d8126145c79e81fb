"""Category routing of report, clue and case texts: readable phrase rules first, a learned model where it is better.

The rules are the weighted phrases of data/offence_taxonomy.json. They are what the analyst sees: every
proposed category comes with the phrases that matched and their weights, so a wrong route can be argued
with and the list corrected. A learned model (saohei.analytics.learning) may take over a decision
(gang-related, core, or one coarse category) only when it measured better than the rules on texts it
did not see; which source decides each label is stored in the model file and applied here.

That choice holds for the kind of prose it was measured on. A model trained and measured on court judgments
reads citizens' tips worse than the rules do (benchmarks/RESULTS.md), so a text of another kind than the
measured one is routed rules first: the rules' category when they found one, and the model may only add a
yes to gang-related or core, never take one away (ADR 0010).

Texts are matched after NFKC and Traditional→Simplified conversion, so 聚眾鬥毆 matches 聚众斗殴.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from saohei.analytics.taxonomy import GAP, OTHER, RuleGroup, Taxonomy, taxonomy_load

if TYPE_CHECKING:
    from saohei.analytics.learning import CategoryModel

Source = Literal["rules", "model"]  # who decides a label (as arbitrated in the model file), or decided one
GAP_CHARS = 12  # at most this many characters between the parts of a '…' phrase, within one clause
MAX_CATEGORIES = 3  # categories shown to the analyst
SPREAD_CHARS = 150  # weak evidence spread over categories counts in texts up to this long; longer need more
GANG_RELATED = "gang_related"
CORE = "core"
Prose = Literal["court", "other", "mixed"]  # the kind of texts a model's arbitration was measured on
# Phrases of court judgments that citizens' tips and clerks' summaries do not use: every CAIL2018 fact has one,
# none of the 160 benchmark tips has. Written in both scripts, so a text need not be folded (again) to be told.
COURT_PROSE = re.compile(r"被告人|公[诉訴]机关|公[诉訴]機關|[检檢]察院指控|[审審]理查明|被害人|罪犯|本院")
COURT_SHARE = 0.9  # rows of one kind at least this share of a measured set make it that kind


def prose_kind(text: str) -> Prose:
    """Whether a text reads like a court judgment ("court") or not ("other")."""
    return "court" if COURT_PROSE.search(text) else "other"


def prose_of_rows(texts: Sequence[str]) -> Prose:
    """The kind of a set of texts: court or other when at least COURT_SHARE of them are, else mixed."""
    if not texts:
        return "mixed"
    court = sum(prose_kind(text) == "court" for text in texts) / len(texts)
    return "court" if court >= COURT_SHARE else "other" if court <= 1 - COURT_SHARE else "mixed"


def prose_matches(measured: Prose, text: str) -> bool:
    """Whether an arbitration measured on `measured` prose applies to `text`."""
    return measured == "mixed" or prose_kind(text) == measured


@dataclass(frozen=True)
class RuleHit:
    """One phrase that matched: the rule as written, the text it matched, and its weight."""

    phrase: str
    matched: str
    weight: float


@dataclass(frozen=True)
class CategoryScore:
    """The rule score of one rule group (an offence category inside a coarse category) with its hits."""

    rule_group: str
    offence: str | None
    coarse: str
    score: float
    hits: tuple[RuleHit, ...]


@dataclass(frozen=True)
class RoutedCategory:
    """A proposed coarse category, how sure the router is, and why ("rules": the hits; "model": its probability)."""

    coarse: str
    offence: str | None
    confidence: float
    source: Source
    hits: tuple[RuleHit, ...] = ()
    model_probability: float | None = None


@dataclass(frozen=True)
class LabelDecision:
    """A yes/no label (gang-related, core) with its confidence and the source that decided it."""

    value: bool
    confidence: float
    source: Source


@dataclass(frozen=True)
class Routing:
    """Where a text goes: the best categories first, the gang-related and core decisions, and all rule scores."""

    categories: tuple[RoutedCategory, ...]
    gang_related: LabelDecision
    core: LabelDecision
    rule_scores: tuple[CategoryScore, ...] = field(default=())
    rules_fired: bool = False  # some coarse category reached the rule threshold
    rules_first: bool = False  # a model was at hand but measured on other prose: the rules came first

    @property
    def best(self) -> RoutedCategory:
        return self.categories[0]


@dataclass(frozen=True)
class ModelPrediction:
    """What a learned model says about one text: probabilities per coarse category and for the two labels."""

    coarse: Mapping[str, float]
    gang_related: float
    core: float


@dataclass(frozen=True)
class _Matcher:
    literal: re.Pattern[str] | None
    literal_groups: Mapping[str, tuple[tuple[str, float], ...]]  # phrase -> (group id, weight)
    gapped: tuple[tuple[str, re.Pattern[str], str, float], ...]  # phrase, pattern, group id, weight


@cache
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def text_for_matching(text: str) -> str:
    """NFKC, Traditional→Simplified and collapsed whitespace: the form rules and models read."""
    folded = unicodedata.normalize("NFKC", text)
    return " ".join(_converter().convert(folded).split())


_SPECIAL = re.compile(r"\{(\w+)\}|\[([^\[\]]+)\]")


def _part_pattern(part: str, word_lists: Mapping[str, tuple[str, ...]]) -> str:
    """A phrase part as a regular expression: {list} stands for any word of that cue list (e.g. {officials}:
    所长, 局长…) and [人伤死] for any one of those characters (打[人伤死]: 打人, 打伤 or 打死)."""
    pieces: list[str] = []
    position = 0
    for match in _SPECIAL.finditer(part):
        pieces.append(re.escape(part[position:match.start()]))
        if match.group(1):
            words = sorted(word_lists[match.group(1)], key=lambda word: (-len(word), word))
            pieces.append("(?:" + "|".join(re.escape(word) for word in words) + ")")
        else:
            pieces.append("[" + re.escape(match.group(2)) + "]")
        position = match.end()
    pieces.append(re.escape(part[position:]))
    return "".join(pieces)


def _gap_pattern(phrase: str, word_lists: Mapping[str, tuple[str, ...]]) -> re.Pattern[str]:
    parts = [_part_pattern(part, word_lists) for part in phrase.split(GAP)]
    return re.compile(f"[^。！？；;!?\\n]{{0,{GAP_CHARS}}}?".join(parts))


@cache
def _matcher(taxonomy: Taxonomy) -> _Matcher:
    literal: dict[str, list[tuple[str, float]]] = {}
    gapped: list[tuple[str, re.Pattern[str], str, float]] = []
    for group in taxonomy.rules:
        for phrase, weight in group.phrases:
            if GAP in phrase or _SPECIAL.search(phrase):
                gapped.append((phrase, _gap_pattern(phrase, taxonomy.cues), group.id, weight))
            else:
                literal.setdefault(phrase, []).append((group.id, weight))
    ordered = sorted(literal, key=lambda phrase: (-len(phrase), phrase))  # longest first: 聚众斗殴 hides 斗殴
    pattern = re.compile("|".join(re.escape(phrase) for phrase in ordered)) if ordered else None
    return _Matcher(literal=pattern, literal_groups={k: tuple(v) for k, v in literal.items()}, gapped=tuple(gapped))


def _hits_by_group(text: str, taxonomy: Taxonomy) -> dict[str, dict[str, RuleHit]]:
    matcher = _matcher(taxonomy)
    found: dict[str, dict[str, RuleHit]] = {}
    if matcher.literal is not None:
        for match in matcher.literal.finditer(text):
            phrase = match.group(0)
            for group_id, weight in matcher.literal_groups[phrase]:
                found.setdefault(group_id, {}).setdefault(phrase, RuleHit(phrase=phrase, matched=phrase, weight=weight))
    for phrase, pattern, group_id, weight in matcher.gapped:
        if (gap_match := pattern.search(text)) is not None:
            hit = RuleHit(phrase=phrase, matched=gap_match.group(0), weight=weight)
            found.setdefault(group_id, {}).setdefault(phrase, hit)
    return found


def category_rules_score(text: str, *, taxonomy: Taxonomy | None = None) -> list[CategoryScore]:
    """Every rule group whose phrases occur in `text`, highest score first, with the phrases as reasons.

    A phrase counts once however often it occurs: long court judgments would otherwise outscore short tips.
    """
    tax = taxonomy or taxonomy_load()
    hits = _hits_by_group(text_for_matching(text), tax)
    groups: dict[str, RuleGroup] = {group.id: group for group in tax.rules}
    scores = [
        CategoryScore(
            rule_group=group_id,
            offence=groups[group_id].offence,
            coarse=groups[group_id].coarse,
            score=sum(hit.weight for hit in group_hits.values()),
            hits=tuple(sorted(group_hits.values(), key=lambda hit: (-hit.weight, hit.phrase))),
        )
        for group_id, group_hits in hits.items()
    ]
    order = {group.id: index for index, group in enumerate(tax.rules)}
    return sorted(scores, key=lambda score: (-score.score, order[score.rule_group]))


def coarse_rule_scores(scores: list[CategoryScore], *, taxonomy: Taxonomy) -> dict[str, float]:
    """The rule score of each coarse category: the sum of its rule groups' scores (zero when none matched)."""
    totals = dict.fromkeys(taxonomy.coarse_codes, 0.0)
    for score in scores:
        totals[score.coarse] += score.score
    return totals


def _rule_confidence(score: float, *, total: float, threshold: float) -> float:
    """Share of all rule evidence, damped for little evidence: one weak phrase is never 'sure'."""
    return round(score / (total + threshold), 3) if score > 0 else 0.0


def _rule_categories(scores: list[CategoryScore], *, taxonomy: Taxonomy,
                     text_chars: int | None = None) -> list[RoutedCategory]:
    """Coarse categories that reached the rule threshold, best first (ties go to the earlier category).

    When none did but the gang-related evidence together reaches it (a nickname, a sand pit and a beating,
    each weak alone), the strongest gang-related category is proposed, with its lower confidence. Weak
    evidence must be dense: in a long text (`text_chars` beyond SPREAD_CHARS) it must add up to more.
    """
    totals = coarse_rule_scores(scores, taxonomy=taxonomy)
    everything = sum(totals.values())
    order = taxonomy.coarse_codes
    threshold = taxonomy.rule_threshold
    ranked = sorted(order, key=lambda code: (-totals[code], order.index(code)))
    gang_evidence = sum(score for code, score in totals.items() if code != OTHER)
    strongest_gang = next((code for code in ranked if code != OTHER), OTHER)
    needed = threshold * max(1.0, (text_chars or 0) / SPREAD_CHARS)
    spread = totals[ranked[0]] < threshold and needed <= gang_evidence and totals[strongest_gang] > 0
    routed: list[RoutedCategory] = []
    for coarse in [strongest_gang] if spread else ranked:
        if totals[coarse] < threshold and not spread:
            break
        groups = [score for score in scores if score.coarse == coarse]
        routed.append(RoutedCategory(
            coarse=coarse,
            offence=_offence_of(coarse, groups, taxonomy=taxonomy),
            confidence=_rule_confidence(totals[coarse], total=everything, threshold=taxonomy.rule_threshold),
            source="rules",
            hits=tuple(hit for group in groups for hit in group.hits),
        ))
    return routed


def _rule_labels(routed: list[RoutedCategory], *, taxonomy: Taxonomy) -> tuple[LabelDecision, LabelDecision]:
    """Gang-related: the best rule category is not 'other'. Core: its strongest rule group is a core offence."""
    gang = bool(routed) and routed[0].coarse != OTHER
    confidence = routed[0].confidence if routed else 0.0
    core = gang and routed[0].offence in taxonomy.core_offences
    return (LabelDecision(value=gang, confidence=confidence if gang else round(1 - confidence, 3), source="rules"),
            LabelDecision(value=core, confidence=confidence if core else round(1 - confidence, 3), source="rules"))


def _default_category() -> RoutedCategory:
    return RoutedCategory(coarse=OTHER, offence=None, confidence=0.0, source="rules")


def _offence_of(coarse: str, scores: Sequence[CategoryScore], *, taxonomy: Taxonomy) -> str | None:
    """The offence category within a coarse one: a lead group's that reached the threshold, else the strongest."""
    groups = [score for score in scores if score.coarse == coarse]
    leads = {group.id for group in taxonomy.rules if group.lead}
    for group in groups:
        if group.rule_group in leads and group.score >= taxonomy.rule_threshold:
            return group.offence
    if groups:
        return groups[0].offence
    return None if coarse == OTHER else OTHER


def coarse_arbitrated(rule_best: str, *, probabilities: Mapping[str, float],
                      sources: Mapping[str, Source]) -> tuple[str, Source]:
    """The coarse category and who chose it, given the rules' best category and the model's probabilities.

    The rules' answer stands when the rules own that category (rules that found nothing say `other`);
    otherwise the model's most likely category stands, whichever source owns it: where the rules' answer
    is one the model decides better, the model may also name a category the rules keep (a text the rules
    call drugs that the model reads as guns, i.e. organised crime). Measured on cross-fitted held-out
    training rows, this beat letting the model pick only among the categories it owns.
    """
    owned = sorted(code for code, source in sources.items() if source == "model")
    if rule_best not in owned:
        return rule_best, "rules"
    candidates = sorted(probabilities) or owned
    return max(candidates, key=lambda code: probabilities.get(code, 0.0)), "model"


def _label_decision(rule: LabelDecision, *, probability: float, threshold: float, source: Source) -> LabelDecision:
    if source == "rules":
        return rule
    value = probability >= threshold
    return LabelDecision(value=value, confidence=round(probability if value else 1 - probability, 3), source="model")


def _label_either(rule: LabelDecision, *, probability: float, threshold: float) -> LabelDecision:
    """Yes when the rules or the model say yes: the model may add a label, never take the rules' away."""
    if rule.value or probability < threshold:
        return rule
    return LabelDecision(value=True, confidence=round(probability, 3), source="model")


def routing_combine(
    scores: Sequence[CategoryScore],
    prediction: ModelPrediction | None,
    *,
    sources: Mapping[str, Source],
    thresholds: Mapping[str, float],
    taxonomy: Taxonomy,
    text_chars: int | None = None,
    prose_matched: bool = True,
) -> Routing:
    """Arbitrate rules and model: each label is decided by the source recorded for it (rules when absent),
    see coarse_arbitrated. For a text of another kind of prose than the arbitration was measured on
    (`prose_matched` False) the rules come first, see the module docstring."""
    rule_routed = _rule_categories(list(scores), taxonomy=taxonomy, text_chars=text_chars)
    rule_gang, rule_core = _rule_labels(rule_routed, taxonomy=taxonomy)
    if prediction is None:
        categories = tuple(rule_routed[:MAX_CATEGORIES]) or (_default_category(),)
        return Routing(categories=categories, gang_related=rule_gang, core=rule_core, rule_scores=tuple(scores),
                       rules_fired=bool(rule_routed))
    if not prose_matched:
        return _routing_rules_first(scores, prediction, rule_routed, rule_gang=rule_gang, rule_core=rule_core,
                                    thresholds=thresholds, taxonomy=taxonomy)
    fired = bool(rule_routed)
    rule_best = rule_routed[0].coarse if fired else OTHER
    coarse_sources = {code: sources.get(code, "rules") for code in taxonomy.coarse_codes}
    model_owned = frozenset(code for code, source in coarse_sources.items() if source != "rules")
    best, decider = coarse_arbitrated(rule_best, probabilities=prediction.coarse, sources=coarse_sources)
    by_rules = {routed.coarse: routed for routed in rule_routed}
    def from_model(code: str) -> RoutedCategory:
        probability = round(prediction.coarse[code], 3)
        return RoutedCategory(coarse=code, offence=_offence_of(code, scores, taxonomy=taxonomy), source="model",
                              confidence=probability, model_probability=probability,
                              hits=by_rules[code].hits if code in by_rules else ())

    first = by_rules.get(best, _default_category()) if decider == "rules" else from_model(best)
    others = [routed for routed in rule_routed if routed.coarse != best] + [
        from_model(code)
        for code in sorted(model_owned - {best} - by_rules.keys(), key=lambda code: -prediction.coarse[code])
    ]
    return Routing(
        categories=(first, *others[: MAX_CATEGORIES - 1]),
        gang_related=_label_decision(rule_gang, probability=prediction.gang_related,
                                     threshold=thresholds.get(GANG_RELATED, 0.5),
                                     source=sources.get(GANG_RELATED, "rules")),
        core=_label_decision(rule_core, probability=prediction.core, threshold=thresholds.get(CORE, 0.5),
                             source=sources.get(CORE, "rules")),
        rule_scores=tuple(scores),
        rules_fired=fired,
    )


def _routing_rules_first(scores: Sequence[CategoryScore], prediction: ModelPrediction,
                         rule_routed: list[RoutedCategory], *, rule_gang: LabelDecision, rule_core: LabelDecision,
                         thresholds: Mapping[str, float], taxonomy: Taxonomy) -> Routing:
    """The rules' categories when they found one, else the model's most likely; labels by `_label_either`."""
    if rule_routed:
        categories = tuple(rule_routed[:MAX_CATEGORIES])
    else:
        best = max(taxonomy.coarse_codes, key=lambda code: prediction.coarse.get(code, 0.0))
        probability = round(prediction.coarse.get(best, 0.0), 3)
        categories = (RoutedCategory(coarse=best, offence=_offence_of(best, scores, taxonomy=taxonomy),
                                     source="model", confidence=probability, model_probability=probability),)
    return Routing(
        categories=categories,
        gang_related=_label_either(rule_gang, probability=prediction.gang_related,
                                   threshold=thresholds.get(GANG_RELATED, 0.5)),
        core=_label_either(rule_core, probability=prediction.core, threshold=thresholds.get(CORE, 0.5)),
        rule_scores=tuple(scores),
        rules_fired=bool(rule_routed),
        rules_first=True,
    )


def category_route(text: str, *, model: CategoryModel | None = None, taxonomy: Taxonomy | None = None) -> Routing:
    """Route a text: rules only without a model; with one, rules and model as the model file arbitrates."""
    tax = taxonomy or taxonomy_load()
    scores = category_rules_score(text, taxonomy=tax)
    if model is None:
        return routing_combine(scores, None, sources={}, thresholds={}, taxonomy=tax, text_chars=len(text))
    return routing_combine(scores, model.predict(text, rule_scores=scores), sources=model.sources,
                           thresholds=model.thresholds, taxonomy=tax, text_chars=len(text),
                           prose_matched=prose_matches(model.measured_prose, text))
