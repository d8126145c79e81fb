"""Category routing: a tip goes to the right team, and the analyst sees which phrases sent it there."""

from __future__ import annotations

import json

import opencc
import pytest

from saohei.analytics.routing import (
    ModelPrediction,
    category_route,
    category_rules_score,
    coarse_arbitrated,
    prose_kind,
    prose_matches,
    prose_of_rows,
    routing_combine,
)
from saohei.analytics.taxonomy import DATA, OTHER, TaxonomyError, charge_normalise, taxonomy_load, taxonomy_parse

VILLAGE_BULLY = "我们村的村主任刘某某养了一帮打手，经常殴打不听话的村民，还逼着十几户村民把承包地低价卖给他弟弟的公司。"
CASINO_CHIEF = "城关派出所所长王某长期收赌场老板的钱，每次上面来检查之前都提前通风报信，那个赌场开了三年没人管。"
NOISE = "隔壁邻居装修天天早上六点就开始砸墙，跟他说了好几次也不听，噪音扰民，能不能管一管。"


def _phrases(routing_categories: object) -> set[str]:
    return {hit.phrase for category in routing_categories for hit in category.hits}  # type: ignore[attr-defined]


def test_village_chief_with_thugs_forcing_land_sales_is_routed_to_a_gang_category_with_the_phrases() -> None:
    routing = category_route(VILLAGE_BULLY)
    assert routing.best.coarse == "extortion_coercion"
    assert routing.gang_related.value and routing.core.value
    assert "逼…卖" in _phrases(routing.categories[:1])
    forced = next(hit for hit in routing.best.hits if hit.phrase == "逼…卖")
    assert forced.matched.startswith("逼") and forced.matched.endswith("卖")
    every_phrase = {hit.phrase for score in routing.rule_scores for hit in score.hits}
    assert {"打手", "殴打"} <= every_phrase, "weaker evidence is still shown to the analyst"


def test_police_chief_taking_casino_money_is_routed_to_shielding_with_the_umbrella_phrases() -> None:
    routing = category_route(CASINO_CHIEF)
    assert routing.best.coarse == "officials_shielding"
    assert routing.best.offence == "protective_umbrella"
    assert "通风报信" in _phrases(routing.categories[:1])
    assert any(c.coarse == "gambling_vice" for c in routing.categories), "the casino is shown as a second route"


def test_a_neighbour_dispute_is_not_gang_related() -> None:
    routing = category_route(NOISE)
    assert routing.best.coarse == OTHER
    assert not routing.gang_related.value and not routing.core.value


def test_traditional_script_routes_like_simplified() -> None:
    traditional = opencc.OpenCC("s2t").convert(VILLAGE_BULLY)
    assert traditional != VILLAGE_BULLY
    assert category_route(traditional).best.coarse == category_route(VILLAGE_BULLY).best.coarse


def test_a_long_phrase_hides_the_short_one_inside_it_and_each_phrase_counts_once() -> None:
    scores = category_rules_score("他们聚众斗殴，后来又聚众斗殴。")
    affray = next(score for score in scores if score.rule_group == "affray")
    assert [hit.phrase for hit in affray.hits] == ["聚众斗殴"]
    assert affray.score == affray.hits[0].weight


def test_court_boilerplate_and_masked_charges_route_nothing_by_themselves() -> None:
    boilerplate = "公诉机关指控，被告人的行为触犯了《中华人民共和国刑法》××之规定，构成××罪，提请本院依法判处。"
    routing = category_route(boilerplate)
    assert not routing.rules_fired and routing.best.coarse == OTHER


def test_rules_keep_the_categories_they_own_and_the_model_decides_the_others() -> None:
    taxonomy = taxonomy_load()
    scores = category_rules_score(VILLAGE_BULLY)
    thinks_other = {code: 0.0 for code in taxonomy.coarse_codes} | {OTHER: 0.9, "extortion_coercion": 0.1}
    prediction = ModelPrediction(coarse=thinks_other, gang_related=0.05, core=0.05)
    model_everywhere = dict.fromkeys([*taxonomy.coarse_codes, "gang_related", "core"], "model")
    overruled = routing_combine(scores, prediction, sources=model_everywhere, thresholds={}, taxonomy=taxonomy)
    assert overruled.best.coarse == OTHER and overruled.best.source == "model"
    assert overruled.best.model_probability == 0.9
    assert not overruled.gang_related.value and overruled.gang_related.source == "model"
    rules_keep = model_everywhere | {"extortion_coercion": "rules", "gang_related": "rules"}
    kept = routing_combine(scores, prediction, sources=rules_keep, thresholds={}, taxonomy=taxonomy)
    assert kept.best.coarse == "extortion_coercion" and kept.best.source == "rules"
    assert "逼…卖" in {hit.phrase for hit in kept.best.hits}
    assert kept.gang_related.value and kept.gang_related.source == "rules"
    assert coarse_arbitrated("drugs", probabilities=thinks_other, sources=model_everywhere | {"drugs": "rules"}) \
        == ("drugs", "rules")


COURT_FACT = "公诉机关指控，2014年5月，被告人王某纠集李某等人在菜市场收取摊主保护费，被害人张某不从即遭殴打。"


def test_court_judgments_and_citizens_tips_are_told_apart() -> None:
    assert prose_kind(COURT_FACT) == "court"
    assert prose_kind("公訴機關指控，被告人王某在菜市場收取保護費。") == "court", "Traditional script too"
    assert {prose_kind(text) for text in (VILLAGE_BULLY, CASINO_CHIEF, NOISE)} == {"other"}
    assert prose_of_rows([COURT_FACT] * 19 + [NOISE]) == "court"
    assert prose_of_rows([COURT_FACT] * 5 + [NOISE] * 5) == "mixed"
    assert prose_matches("court", COURT_FACT) and not prose_matches("court", VILLAGE_BULLY)
    assert prose_matches("mixed", VILLAGE_BULLY) and prose_matches("other", NOISE)


def test_on_prose_the_arbitration_was_not_measured_on_the_rules_come_first_and_the_model_only_adds() -> None:
    taxonomy = taxonomy_load()
    model_everywhere = dict.fromkeys([*taxonomy.coarse_codes, "gang_related", "core"], "model")
    thinks_other = {code: 0.0 for code in taxonomy.coarse_codes} | {OTHER: 0.9, "extortion_coercion": 0.1}
    doubts = ModelPrediction(coarse=thinks_other, gang_related=0.05, core=0.05)
    kept = routing_combine(category_rules_score(VILLAGE_BULLY), doubts, sources=model_everywhere, thresholds={},
                           taxonomy=taxonomy, prose_matched=False)
    assert kept.best.coarse == "extortion_coercion" and kept.best.source == "rules", "the model does not overrule"
    assert kept.gang_related.value and kept.gang_related.source == "rules", "nor take a yes away"

    reads_gambling = {code: 0.0 for code in taxonomy.coarse_codes} | {"gambling_vice": 0.8, OTHER: 0.2}
    sure = ModelPrediction(coarse=reads_gambling, gang_related=0.9, core=0.7)
    quiet = "那个地方晚上人很多，车停满了整条街，一直到天亮才散，里面的人都很凶。"
    assert not category_route(quiet).rules_fired
    added = routing_combine(category_rules_score(quiet), sure, sources=model_everywhere, thresholds={},
                            taxonomy=taxonomy, prose_matched=False)
    assert added.best.coarse == "gambling_vice" and added.best.source == "model" and added.best.confidence == 0.8
    assert added.gang_related.value and added.gang_related.source == "model"
    assert added.core.value and added.core.confidence == 0.7


def test_where_the_model_decides_the_rules_answer_it_may_name_a_category_the_rules_keep() -> None:
    taxonomy = taxonomy_load()
    reads_guns = {code: 0.0 for code in taxonomy.coarse_codes} | {"organised_crime": 0.7, "drugs": 0.3}
    model_owns_drugs = dict.fromkeys(taxonomy.coarse_codes, "rules") | {"drugs": "model"}
    assert coarse_arbitrated("drugs", probabilities=reads_guns, sources=model_owns_drugs) \
        == ("organised_crime", "model")
    assert coarse_arbitrated("organised_crime", probabilities=reads_guns | {"drugs": 0.9},
                             sources=model_owns_drugs) == ("organised_crime", "rules")


def test_every_charge_in_the_taxonomy_has_one_route_and_the_gang_set_matches_the_routes() -> None:
    taxonomy = taxonomy_load()
    assert len(taxonomy.coarse_codes) == 9
    gang = taxonomy.gang_related_charges()
    assert {"寻衅滋事", "诈骗", "走私、贩卖、运输、制造毒品", "受贿", "包庇、纵容黑社会性质组织"} <= gang
    assert "盗窃" not in gang and "危险驾驶" not in gang
    assert all((taxonomy.charge_coarse[charge] != OTHER) == (charge in gang) for charge in taxonomy.charge_coarse)
    assert taxonomy.core_charges <= gang
    assert taxonomy.fact_labels(["寻衅滋事罪", "盗窃"]).coarse == "public_order_violence"
    assert taxonomy.fact_labels(["village_bully"]).core, "an office's own file may label with category codes"
    assert taxonomy.fact_labels(["闯红灯"]).unknown_charges == ("闯红灯",)
    assert charge_normalise(" 敲诈勒索罪 ") == "敲诈勒索"


def test_a_taxonomy_that_puts_a_gang_charge_under_other_is_refused() -> None:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    raw["accusations"][-1]["charges"]["寻衅滋事2"] = "provoking_trouble"
    with pytest.raises(TaxonomyError, match="寻衅滋事2"):
        taxonomy_parse(raw, offence_names=taxonomy_load().offence_names)
