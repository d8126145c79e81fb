"""The learned category model: trains on CAIL2018-format files, predicts unseen facts, survives a round trip."""

from __future__ import annotations

import json
import re
from collections import Counter
from itertools import islice
from pathlib import Path

import pytest

from saohei.analytics.learning import (
    MAGIC,
    CategoryModel,
    ModelFormatError,
    TrainingDataError,
    TrainingRow,
    model_evaluate,
    model_rearbitrate,
    model_train,
    split_by_id,
    training_rows_from_jsonl,
)
from saohei.analytics.routing import category_route
from saohei.analytics.taxonomy import taxonomy_load

CAIL = Path(__file__).resolve().parents[4] / "shared" / "data" / "cail2018" / "facts.jsonl"
SLICE = 900  # rows of the file used here: enough to learn, small enough to train in seconds


def _line(**overrides: object) -> str:
    row = {"id": "x-1", "fact": "某甲在菜市场收保护费。", "accusation": ["敲诈勒索"], "relevant_articles": [274]}
    row.update(overrides)
    return json.dumps({k: v for k, v in row.items() if v is not ...}, ensure_ascii=False)


@pytest.fixture(scope="module")
def cail_split() -> tuple[list[TrainingRow], list[TrainingRow]]:
    if not CAIL.exists():
        pytest.skip("../shared/data/cail2018 is absent")
    rows = list(islice(training_rows_from_jsonl(CAIL), SLICE))
    return split_by_id(rows, test_share=0.3)


@pytest.fixture(scope="module")
def trained(cail_split: tuple[list[TrainingRow], list[TrainingRow]]) -> CategoryModel:
    return model_train(cail_split[0], seed=7)


def test_a_model_trained_on_a_slice_predicts_unseen_facts_better_than_chance(
    trained: CategoryModel, cail_split: tuple[list[TrainingRow], list[TrainingRow]]
) -> None:
    test = cail_split[1]
    taxonomy = taxonomy_load()
    truth = [taxonomy.fact_labels(row.charges) for row in test]
    majority_share = Counter(label.coarse for label in truth).most_common(1)[0][1] / len(truth)
    gang_share = sum(label.gang_related for label in truth) / len(truth)
    evaluation = model_evaluate(trained, test, arbitrated=False)
    assert evaluation.accuracy > majority_share + 0.15
    assert evaluation.f1["gang_related"] > 2 * gang_share / (1 + gang_share) + 0.1  # F1 of calling everything gang
    assert evaluation.precision_at["gang_related@50"] > gang_share + 0.2


def test_the_model_file_records_for_each_label_whether_rules_or_model_decide_with_the_figures(
    trained: CategoryModel,
) -> None:
    labels = {entry.label for entry in trained.arbitration}
    assert labels == {"gang_related", "core", *taxonomy_load().coarse_codes}
    for entry in trained.arbitration:
        assert entry.source in {"rules", "model"}
        assert 0 <= entry.rules_f1 <= 1 and 0 <= entry.model_f1 <= 1
        if entry.source != "rules":
            assert entry.support >= 5, "the model cannot replace a rule on labels it has hardly seen"
    assert "held-out" in trained.info["measured_on"]


def test_a_court_trained_model_routes_citizens_tips_rules_first_until_measured_on_tips(
    trained: CategoryModel,
) -> None:
    assert trained.measured_prose == "court"
    tip = "我们村的村主任刘某某养了一帮打手，经常殴打不听话的村民，还逼着村民把承包地低价卖给他弟弟的公司。"
    rules = category_route(tip)
    routed = category_route(tip, model=trained)
    assert routed.best.coarse == rules.best.coarse and routed.best.source == "rules"
    assert routed.gang_related.value, "the model may add a yes, never take the rules' away"
    tips = [TrainingRow(id=f"t{i}", text=tip, charges=("强迫交易",)) for i in range(12)]
    on_tips = model_rearbitrate(trained, tips)
    assert on_tips.measured_prose == "other"
    assert CategoryModel.from_bytes(on_tips.to_bytes()).measured_prose == "other"


def test_the_model_round_trips_through_bytes_and_routes_the_same(
    trained: CategoryModel, cail_split: tuple[list[TrainingRow], list[TrainingRow]]
) -> None:
    again = CategoryModel.from_bytes(trained.to_bytes())
    texts = [row.text for row in cail_split[1][:20]]
    assert again.predict_many(texts) == trained.predict_many(texts)
    assert again.sources == trained.sources and again.thresholds == trained.thresholds
    text = "有人在村里开赌场，还放高利贷，不还钱就把人关起来打。"
    assert category_route(text, model=again) == category_route(text, model=trained)


def test_model_bytes_of_another_format_or_library_version_are_refused(trained: CategoryModel) -> None:
    data = trained.to_bytes()
    header, _, payload = data[len(MAGIC):].partition(b"\n")
    old_format = MAGIC + json.dumps({**json.loads(header), "format": 0}).encode() + b"\n" + payload
    with pytest.raises(ModelFormatError, match="format"):
        CategoryModel.from_bytes(old_format)
    other_sklearn = MAGIC + json.dumps({**json.loads(header), "sklearn": "0.1"}).encode() + b"\n" + payload
    with pytest.raises(ModelFormatError, match=r"scikit-learn 0\.1"):
        CategoryModel.from_bytes(other_sklearn)
    with pytest.raises(ModelFormatError, match="not a Saohei"):
        CategoryModel.from_bytes(b"PK\x03\x04 not a model")


def test_a_malformed_line_gives_an_error_naming_the_line(tmp_path: Path) -> None:
    cases = {
        "{not json": "not valid JSON",
        _line(accusation=...): "missing",
        _line(accusation="敲诈勒索"): "'accusation'",
        _line(relevant_articles=["274"]): "'relevant_articles'",
        _line(extra="x"): "unexpected keys",
        _line(fact=""): "'fact'",
    }
    for bad, message in cases.items():
        path = tmp_path / "facts.jsonl"
        path.write_text(_line() + "\n\n" + bad + "\n", encoding="utf-8")
        with pytest.raises(TrainingDataError, match=re.escape("facts.jsonl:3: ") + ".*" + re.escape(message)):
            list(training_rows_from_jsonl(path))


def test_the_competition_layout_with_meta_is_read_and_its_repeated_facts_once(tmp_path: Path) -> None:
    """CAIL2018 as the competition published it: fact and meta, no id; other meta fields are the sentence."""
    def line(fact: str, charges: list[str], **top: object) -> str:
        meta = {"accusation": charges, "relevant_articles": [274], "criminals": ["王某"], "punish_of_money": 0,
                "term_of_imprisonment": {"death_penalty": False, "imprisonment": 10, "life_imprisonment": False}}
        return json.dumps({"fact": fact, "meta": meta, **top}, ensure_ascii=False)

    path = tmp_path / "data_valid.json"
    path.write_text("\n".join([line("王某在菜市场收保护费。", ["敲诈勒索"]),
                               line("李某纠集多人殴打他人。", ["聚众斗殴"], id="given-2"),
                               line("王某在菜市场收保护费。", ["敲诈勒索"])]) + "\n", encoding="utf-8")
    rows = list(training_rows_from_jsonl(path))
    assert [(r.text, r.charges) for r in rows] == [("王某在菜市场收保护费。", ("敲诈勒索",)),
                                                   ("李某纠集多人殴打他人。", ("聚众斗殴",))]
    assert rows[0].id.startswith("fact-") and rows[1].id == "given-2"
    assert next(training_rows_from_jsonl(path)).id == rows[0].id, "the id of a fact is the same on every read"
    path.write_text(json.dumps({"fact": "王某收保护费。", "meta": {"relevant_articles": [274]}}, ensure_ascii=False),
                    encoding="utf-8")
    with pytest.raises(TrainingDataError, match=re.escape("data_valid.json:1: missing ['accusation']")):
        list(training_rows_from_jsonl(path))


def test_duplicate_ids_are_refused_naming_both_lines(tmp_path: Path) -> None:
    path = tmp_path / "facts.jsonl"
    path.write_text(_line() + "\n" + _line() + "\n", encoding="utf-8")
    with pytest.raises(TrainingDataError, match=re.escape("facts.jsonl:2: id 'x-1' already used on line 1")):
        list(training_rows_from_jsonl(path))


def test_the_split_by_id_is_deterministic_and_ignores_file_order() -> None:
    rows = [TrainingRow(id=f"r{i}", text="文本", charges=("盗窃",)) for i in range(400)]
    train, test = split_by_id(rows, test_share=0.25)
    _train_again, test_again = split_by_id(list(reversed(rows)), test_share=0.25)
    assert {r.id for r in test} == {r.id for r in test_again} and len(train) + len(test) == 400
    assert 60 < len(test) < 140
    with pytest.raises(ValueError, match="test_share"):
        split_by_id(rows, test_share=1.5)


def test_training_on_too_few_rows_is_refused_clearly() -> None:
    with pytest.raises(ValueError, match="at least"):
        model_train([TrainingRow(id="a", text="打人", charges=("故意伤害",))], seed=1)
