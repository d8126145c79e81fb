"""Which clue to verify first: a 0–100 priority with the reasons an analyst can check and argue with.

The score is a plain sum of weighted reasons, each shown with its code, its parameters and its weight, so
"why is this clue high?" always has an answer on screen. The weights are policy, set here and in
data/offence_taxonomy.json (per offence category), not learned: a learned model helps route a clue
(saohei.analytics.learning) but the order of the queue stays explainable.

Inputs are counts, not texts: persons, places, dates and identifiers come from the entity extractor,
corroboration from the repeat index and entity resolution, reachability from the report. What can be
read from the text alone (violence, weapons, minors, officials, the category) is read by
`priority_features_from_text`, which returns features to be completed with `dataclasses.replace`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from saohei.analytics.routing import Routing, category_route, text_for_matching
from saohei.analytics.taxonomy import OTHER, Taxonomy, taxonomy_load

Level = Literal["high", "medium", "low"]
ParamValue = str | int | float

HIGH = 60  # score from which a clue is high priority
MEDIUM = 35  # and medium

NOT_GANG_CATEGORY_WEIGHT = 0.0
GANG_CATEGORY_WEIGHT = 10.0  # a gang-related category without a weight of its own
PER_PERSON, MAX_PERSONS = 5.0, 2
PER_PLACE, MAX_PLACES = 4.0, 2
PER_DATE, MAX_DATES = 3.0, 2
PER_IDENTIFIER, MAX_IDENTIFIERS = 5.0, 2
VAGUE = -10.0  # nothing to check: no person, place, date or identifier
VIOLENCE = 10.0
WEAPONS = 10.0
MINORS = 12.0
OFFICIALS = 8.0
UMBRELLA = 12.0  # an official named together with protection, bribery or tip-offs
PER_CORROBORATING_ENTITY, MAX_CORROBORATING_ENTITIES = 6.0, 3
PER_REPEAT, MAX_REPEATS = 5.0, 3
REACHABLE = 5.0  # the reporter can be met and questioned (the first of the 'three musts')

CATEGORY = "category"
NOT_GANG_RELATED = "not_gang_related"
PERSONS_NAMED = "persons_named"
PLACES = "places"
DATES = "dates"
IDENTIFIERS = "identifiers"
VAGUE_REPORT = "vague"
VIOLENCE_CUES = "violence"
WEAPON_CUES = "weapons"
MINOR_CUES = "minors"
OFFICIALS_NAMED = "officials_named"
PROTECTIVE_UMBRELLA = "protective_umbrella"
CORROBORATED = "corroborated"
REPEATED = "independent_repeats"
REPORTER_REACHABLE = "reporter_reachable"

# Templates per reason code, English and Chinese; parameters are filled by name (see reason_text).
REASON_TEMPLATES: dict[str, dict[str, str]] = {
    CATEGORY: {"en": "Offence category: {category_en} (confidence {confidence:.0%})",
               "zh": "涉嫌类别：{category_zh}（把握度{confidence:.0%}）"},
    NOT_GANG_RELATED: {"en": "Not gang-related by itself: transfer to the competent department",
                       "zh": "本身不涉黑涉恶：建议转交有关部门"},
    PERSONS_NAMED: {"en": "{count} person(s) named", "zh": "指明{count}名人员"},
    PLACES: {"en": "{count} place(s) given", "zh": "提供{count}处地点"},
    DATES: {"en": "{count} date(s) or time(s) given", "zh": "提供{count}个时间"},
    IDENTIFIERS: {"en": "{count} identifier(s): phone, ID number, plate or account",
                  "zh": "提供{count}个身份线索（电话、身份证号、车牌或账号）"},
    VAGUE_REPORT: {"en": "No names, places, dates or identifiers to check",
                   "zh": "无人名、地点、时间或身份线索，难以核查"},
    VIOLENCE_CUES: {"en": "Violence described: {words}", "zh": "涉及暴力：{words}"},
    WEAPON_CUES: {"en": "Weapons mentioned: {words}", "zh": "涉及凶器或枪爆物品：{words}"},
    MINOR_CUES: {"en": "Minors involved: {words}", "zh": "涉及未成年人：{words}"},
    OFFICIALS_NAMED: {"en": "{count} official(s) named {words}", "zh": "涉及{count}名公职人员 {words}"},
    PROTECTIVE_UMBRELLA: {"en": "Possible protective umbrella: {words}", "zh": "可能存在“保护伞”：{words}"},
    CORROBORATED: {"en": "{count} entity(ies) already in other clues or cases",
                   "zh": "{count}个涉及对象已见于其他线索或案件"},
    REPEATED: {"en": "Reported independently {count} more time(s)", "zh": "另有{count}次独立举报"},
    REPORTER_REACHABLE: {"en": "The reporter can be reached for questioning", "zh": "举报人可联系，可当面核实"},
}


@dataclass(frozen=True)
class PriorityFeatures:
    """Everything the priority looks at. Unknown counts and flags are None; word lists are empty."""

    offence_category: str | None = None  # code of saohei/clues/data/offence_categories.json
    coarse_category: str | None = None  # one of the nine routing categories
    category_confidence: float = 1.0
    persons_named: int | None = None  # None: not counted (the text-only features leave these to the caller)
    places: int | None = None
    dates: int | None = None
    identifiers: int | None = None  # phones, resident ID numbers, plates, bank accounts
    violence_words: tuple[str, ...] = ()
    weapon_words: tuple[str, ...] = ()
    minor_words: tuple[str, ...] = ()
    official_words: tuple[str, ...] = ()
    officials_named: int = 0  # officials among the extracted persons (positions, titles), if the caller knows
    umbrella_words: tuple[str, ...] = ()  # protection, bribery or tip-off phrases
    corroborating_entities: int = 0  # entities already in other clues or cases
    independent_repeats: int = 0  # other reports of the same matter from other reporters
    reporter_reachable: bool | None = None


@dataclass(frozen=True)
class PriorityReason:
    """One reason: a code (see REASON_TEMPLATES), its parameters and the points it adds (or takes)."""

    code: str
    weight: float
    params: Mapping[str, ParamValue] = field(default_factory=dict)


@dataclass(frozen=True)
class Priority:
    """A 0–100 score, its level and the reasons, heaviest first."""

    score: int
    level: Level
    reasons: tuple[PriorityReason, ...]


def reason_text(reason: PriorityReason, *, language: Literal["en", "zh"] = "en") -> str:
    """The reason in words (the Django layer may translate the English template through gettext instead)."""
    return REASON_TEMPLATES[reason.code][language].format(**reason.params)


def _category_names(features: PriorityFeatures, taxonomy: Taxonomy) -> tuple[str, str]:
    if features.offence_category and features.offence_category != OTHER:
        return taxonomy.offence_names.get(features.offence_category, (features.offence_category,) * 2)
    if features.coarse_category:
        coarse = taxonomy.coarse(features.coarse_category)
        return coarse.zh_hans, coarse.en
    return taxonomy.offence_names[OTHER]


def _category_reason(features: PriorityFeatures, taxonomy: Taxonomy) -> PriorityReason | None:
    """Weight of the category, damped by how sure the router was (half the weight at zero confidence)."""
    gang = features.coarse_category not in (None, OTHER) or features.offence_category is not None
    if not gang:
        return PriorityReason(NOT_GANG_RELATED, NOT_GANG_CATEGORY_WEIGHT) if features.coarse_category else None
    base = taxonomy.offence_weights.get(features.offence_category or "", GANG_CATEGORY_WEIGHT)
    confidence = min(max(features.category_confidence, 0.0), 1.0)
    zh, en = _category_names(features, taxonomy)
    params: dict[str, ParamValue] = {"category": features.offence_category or features.coarse_category or OTHER,
                                     "category_zh": zh, "category_en": en, "confidence": round(confidence, 2)}
    return PriorityReason(CATEGORY, round(base * (0.5 + 0.5 * confidence), 1), params)


def _counted(code: str, count: int | None, *, each: float, most: int) -> PriorityReason | None:
    if not count or count <= 0:
        return None
    return PriorityReason(code, each * min(count, most), {"count": count})


def _worded(code: str, words: tuple[str, ...], weight: float) -> PriorityReason | None:
    return PriorityReason(code, weight, {"words": "、".join(words)}) if words else None


def _officials_reason(features: PriorityFeatures) -> PriorityReason | None:
    count = max(features.officials_named, len(features.official_words))
    if not count:
        return None
    return PriorityReason(OFFICIALS_NAMED, OFFICIALS, {"count": count, "words": "、".join(features.official_words)})


def clue_priority(features: PriorityFeatures, *, taxonomy: Taxonomy | None = None) -> Priority:
    """The priority of a clue from its features: the sum of the reasons' weights, clamped to 0–100."""
    tax = taxonomy or taxonomy_load()
    counts = (features.persons_named, features.places, features.dates, features.identifiers)
    vague = all(count is not None for count in counts) and not any(counts)
    officials = features.officials_named > 0 or bool(features.official_words)
    candidates = [
        _category_reason(features, tax),
        _counted(PERSONS_NAMED, features.persons_named, each=PER_PERSON, most=MAX_PERSONS),
        _counted(PLACES, features.places, each=PER_PLACE, most=MAX_PLACES),
        _counted(DATES, features.dates, each=PER_DATE, most=MAX_DATES),
        _counted(IDENTIFIERS, features.identifiers, each=PER_IDENTIFIER, most=MAX_IDENTIFIERS),
        PriorityReason(VAGUE_REPORT, VAGUE) if vague else None,
        _worded(VIOLENCE_CUES, features.violence_words, VIOLENCE),
        _worded(WEAPON_CUES, features.weapon_words, WEAPONS),
        _worded(MINOR_CUES, features.minor_words, MINORS),
        _officials_reason(features),
        _worded(PROTECTIVE_UMBRELLA, features.umbrella_words, UMBRELLA) if officials else None,
        _counted(CORROBORATED, features.corroborating_entities, each=PER_CORROBORATING_ENTITY,
                 most=MAX_CORROBORATING_ENTITIES),
        _counted(REPEATED, features.independent_repeats, each=PER_REPEAT, most=MAX_REPEATS),
        PriorityReason(REPORTER_REACHABLE, REACHABLE) if features.reporter_reachable else None,
    ]
    reasons = sorted((reason for reason in candidates if reason is not None), key=lambda r: -abs(r.weight))
    score = max(0, min(100, round(sum(reason.weight for reason in reasons))))
    level: Level = "high" if score >= HIGH else "medium" if score >= MEDIUM else "low"
    return Priority(score=score, level=level, reasons=tuple(reasons))


@cache
def _cue_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(word) for word in sorted(words, key=lambda w: (-len(w), w))))


def _cues(text: str, words: tuple[str, ...]) -> tuple[str, ...]:
    """Distinct cue words in order of appearance; the longest word wins where words overlap (派出所所长, not 所长)."""
    if not words:
        return ()
    return tuple(dict.fromkeys(match.group(0) for match in _cue_pattern(words).finditer(text)))


_AGE = re.compile(r"(?<![0-9一二三四五六七八九十])([0-9]{1,2}|[一二三四五六七八九十]{1,3})周?岁")
_CHINESE_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
ADULT_AGE = 18


def _age(number: str) -> int | None:
    """十六 → 16, 9 → 9; None for what is not a plain age."""
    if number.isdigit():
        return int(number)
    if "十" not in number:
        return _CHINESE_DIGITS.get(number) if len(number) == 1 else None
    tens, _ten, units = number.partition("十")
    if len(tens) > 1 or len(units) > 1:
        return None
    return (_CHINESE_DIGITS.get(tens, 0) if tens else 1) * 10 + (_CHINESE_DIGITS.get(units, 0) if units else 0)


def _minor_ages(text: str) -> tuple[str, ...]:
    return tuple(match.group(0) for match in _AGE.finditer(text)
                 if (age := _age(match.group(1))) is not None and age < ADULT_AGE)


UMBRELLA_GROUPS = ("umbrella", "corruption")  # rule groups whose phrases point to protection by officials


def priority_features_from_text(text: str, *, routing: Routing | None = None,
                                taxonomy: Taxonomy | None = None) -> PriorityFeatures:
    """What the text alone tells: category (from `routing`, or the rules), violence, weapons, minors,
    officials and protection words. Counts of persons, places, dates, identifiers, corroboration and
    reachability are left at zero/unknown for the caller to fill in."""
    tax = taxonomy or taxonomy_load()
    routed = routing or category_route(text, taxonomy=tax)
    folded = text_for_matching(text)
    best = routed.best
    umbrella = tuple(dict.fromkeys(hit.phrase for score in routed.rule_scores if score.rule_group in UMBRELLA_GROUPS
                                   for hit in score.hits))
    return PriorityFeatures(
        offence_category=best.offence if best.coarse != OTHER else None,
        coarse_category=best.coarse,
        category_confidence=best.confidence,
        violence_words=_cues(folded, tax.cues.get("violence", ())),
        weapon_words=_cues(folded, tax.cues.get("weapons", ())),
        minor_words=tuple(dict.fromkeys(_cues(folded, tax.cues.get("minors", ())) + _minor_ages(folded))),
        official_words=_cues(folded, tax.cues.get("officials", ())),
        umbrella_words=umbrella,
    )
