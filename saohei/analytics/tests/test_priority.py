"""Priority: the clue worth verifying first comes first, and the analyst sees why."""

from __future__ import annotations

import dataclasses

from saohei.analytics.priority import (
    CATEGORY,
    MINOR_CUES,
    OFFICIALS_NAMED,
    PROTECTIVE_UMBRELLA,
    REASON_TEMPLATES,
    VAGUE_REPORT,
    VIOLENCE_CUES,
    WEAPON_CUES,
    PriorityFeatures,
    clue_priority,
    priority_features_from_text,
    reason_text,
)

CASINO_CHIEF = "城关派出所所长王某长期收赌场老板的钱，每次上面来检查之前都提前通风报信。"
VAGUE = "听说我们这边有人放高利贷，希望政府管一管。"
SPECIFIC = "城南菜市场的张某某，2023年5月12日晚上在人民路88号他开的茶楼里放高利贷，电话13812345678，借条上写月息三分。"


def _codes(features: PriorityFeatures) -> dict[str, float]:
    return {reason.code: reason.weight for reason in clue_priority(features).reasons}


def test_police_chief_taking_casino_money_gets_officials_and_umbrella_reasons() -> None:
    features = priority_features_from_text(CASINO_CHIEF)
    assert "派出所所长" in features.official_words
    priority = clue_priority(features)
    reasons = {reason.code: reason for reason in priority.reasons}
    assert {OFFICIALS_NAMED, PROTECTIVE_UMBRELLA, CATEGORY} <= reasons.keys()
    assert "通风报信" in str(reasons[PROTECTIVE_UMBRELLA].params["words"])
    assert reasons[CATEGORY].params["category"] == "protective_umbrella"
    assert "保护伞" in reason_text(reasons[PROTECTIVE_UMBRELLA], language="zh")


def test_umbrella_words_without_any_official_add_nothing() -> None:
    features = dataclasses.replace(priority_features_from_text(CASINO_CHIEF), official_words=())
    assert PROTECTIVE_UMBRELLA not in _codes(features)


def test_a_vague_report_scores_lower_than_a_specific_one_about_the_same_offence() -> None:
    vague = dataclasses.replace(priority_features_from_text(VAGUE), persons_named=0, places=0, dates=0, identifiers=0)
    specific = dataclasses.replace(priority_features_from_text(SPECIFIC), persons_named=1, places=2, dates=1,
                                   identifiers=1, reporter_reachable=True)
    assert vague.coarse_category == specific.coarse_category == "usury_fraud"
    assert clue_priority(specific).score > clue_priority(vague).score + 20
    assert VAGUE_REPORT in _codes(vague) and VAGUE_REPORT not in _codes(specific)


def test_text_only_features_do_not_call_a_report_vague_before_entities_are_counted() -> None:
    assert VAGUE_REPORT not in _codes(priority_features_from_text(VAGUE))


def test_violence_weapons_and_minors_each_raise_the_priority() -> None:
    base = priority_features_from_text("有人在学校附近放高利贷。")
    worse = priority_features_from_text("有人在学校附近放高利贷，还不上就拿砍刀把人砍伤，被打的是个十五岁的初中生。")
    assert {VIOLENCE_CUES, WEAPON_CUES, MINOR_CUES} <= _codes(worse).keys()
    assert not {VIOLENCE_CUES, WEAPON_CUES, MINOR_CUES} & _codes(base).keys()
    scores = [clue_priority(base).score]
    for field in ("violence_words", "weapon_words", "minor_words"):
        base = dataclasses.replace(base, **{field: getattr(worse, field)})
        scores.append(clue_priority(base).score)
    assert scores == sorted(scores) and len(set(scores)) == 4


def test_an_adult_age_is_not_a_minor() -> None:
    assert priority_features_from_text("被打的人今年三十五岁。").minor_words == ()
    assert priority_features_from_text("被打的孩子才十四岁。").minor_words


def test_corroboration_and_repeats_count_but_are_capped() -> None:
    base = PriorityFeatures(offence_category="extortion", coarse_category="extortion_coercion")
    some = clue_priority(dataclasses.replace(base, corroborating_entities=1, independent_repeats=1)).score
    many = clue_priority(dataclasses.replace(base, corroborating_entities=3, independent_repeats=3)).score
    absurd = clue_priority(dataclasses.replace(base, corroborating_entities=300, independent_repeats=300)).score
    assert clue_priority(base).score < some < many == absurd


def test_score_is_bounded_levels_follow_it_and_reasons_add_up() -> None:
    everything = PriorityFeatures(offence_category="mafia_organization", coarse_category="organised_crime",
                                  persons_named=5, places=5, dates=5, identifiers=5, violence_words=("砍",),
                                  weapon_words=("枪",), minor_words=("学生",), official_words=("局长",),
                                  umbrella_words=("保护伞",), corroborating_entities=9, independent_repeats=9,
                                  reporter_reachable=True)
    top = clue_priority(everything)
    assert top.score == 100 and top.level == "high"
    nothing = clue_priority(PriorityFeatures(coarse_category="other", persons_named=0, places=0, dates=0,
                                             identifiers=0))
    assert nothing.score == 0 and nothing.level == "low"
    middle = clue_priority(PriorityFeatures(offence_category="extortion", coarse_category="extortion_coercion",
                                            persons_named=1, places=1))
    assert middle.score == round(sum(reason.weight for reason in middle.reasons))


def test_every_reason_code_has_an_english_and_a_chinese_template_that_formats() -> None:
    text = SPECIFIC + CASINO_CHIEF + "打伤了十五岁的学生，还带着刀。"
    features = dataclasses.replace(priority_features_from_text(text), persons_named=1, places=1, dates=1,
                                   identifiers=1, corroborating_entities=1, independent_repeats=1,
                                   reporter_reachable=True)
    reasons = clue_priority(features).reasons
    assert len(reasons) >= 10
    for reason in reasons:
        assert set(REASON_TEMPLATES[reason.code]) == {"en", "zh"}
        assert reason_text(reason, language="en") and reason_text(reason, language="zh")
