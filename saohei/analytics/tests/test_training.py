"""`saohei analytics train --from FILE` and `export-training`: a category model trained on labelled texts in the
CAIL2018 format (court facts, or the office's own verified clues) is kept, measured, and put in use."""

from __future__ import annotations

import json
import random
import stat
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from saohei.analytics.models import CategoryModelFile, ClueScore
from saohei.analytics.scoring import category_model_active, category_model_forget, clue_score_update
from saohei.audit.models import AuditEvent
from saohei.clues import services
from saohei.clues.tests.helpers import receive, to_signed

pytestmark = pytest.mark.django_db

SHARED_CAIL = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "cail2018" / "facts.jsonl"
NAMES = "王李张刘陈杨黄赵周吴"
FACTS = {
    "寻衅滋事": "{n}某伙同他人在{p}街头随意殴打路人，拦截过往车辆，强拿硬要财物，情节恶劣。",
    "敲诈勒索": "{n}某以曝光隐私相威胁，先后向被害人索要现金{m}万元，被害人被迫交付。",
    "开设赌场": "{n}某在{p}一民房内摆设赌台，组织他人以麻将赌博，抽头渔利{m}万元。",
    "盗窃": "{n}某趁夜潜入{p}一商铺，窃得手机{m}部及现金若干，后被抓获。",
    "交通肇事": "{n}某驾驶小型轿车行至{p}路口时未注意避让，撞倒行人致其受伤。",
}
PLACES = ["城东", "河西", "新华路", "解放大道", "江边", "老街"]


def _cail_file(path: Path, *, rows: int = 60, seed: int = 7) -> Path:
    rng = random.Random(seed)
    charges = list(FACTS)
    with path.open("w", encoding="utf-8") as out:
        for number in range(rows):
            charge = charges[number % len(charges)]
            told = FACTS[charge].format(n=rng.choice(NAMES), p=rng.choice(PLACES), m=rng.randint(2, 90))
            fact = "公诉机关指控，" + told  # court prose, as CAIL2018 is
            out.write(json.dumps({"id": f"t-{number:03d}", "fact": fact, "accusation": [charge],
                                  "relevant_articles": None}, ensure_ascii=False) + "\n")
    return path


@pytest.fixture(autouse=True)
def no_model_loaded():
    category_model_forget()
    yield
    category_model_forget()


def test_training_from_a_file_keeps_the_model_measures_it_and_puts_it_in_use(org, tmp_path):
    clue = receive(org, subject="城东有人开赌场", content="王某在城东一民房内摆设赌台，组织他人赌博，抽头渔利。")
    out = StringIO()
    call_command("analytics", "train", "--from", str(_cail_file(tmp_path / "facts.jsonl")), "--activate", "yes",
                 stdout=out)
    model_file = CategoryModelFile.objects.get()
    assert model_file.active and model_file.rows >= 40 and model_file.source == "facts.jsonl"
    assert {"rules", "model", "arbitration", "held_out_rows"} <= model_file.evaluation.keys()
    text = out.getvalue()
    assert f"Model {model_file.pk} trained on {model_file.rows} rows" in text and "is in use" in text
    assert "Scored" in text
    assert ClueScore.objects.get(clue=clue).model_id == model_file.pk
    assert AuditEvent.objects.filter(action="category_model.activate", object_id=str(model_file.pk)).exists()
    assert category_model_active()[0] == model_file


def test_a_model_measured_on_court_facts_leaves_a_citizens_clue_to_the_rules_and_the_page_says_so(org, tmp_path):
    tip = receive(org, subject="城东有人开赌场", content="我家楼下有人摆了赌台，天天有人来赌钱，老板抽头。")
    pasted = receive(org, subject="判决书摘录",
                     content="公诉机关指控，王某在城东一民房内摆设赌台，组织他人赌博，抽头渔利。")
    call_command("analytics", "train", "--from", str(_cail_file(tmp_path / "facts.jsonl")), "--activate", "yes",
                 stdout=StringIO())
    assert CategoryModelFile.objects.get().active
    by_rules = ClueScore.objects.get(clue=tip)
    assert by_rules.routed_rules_first and by_rules.routing_reasons[0]["source"] == "rules"
    assert not ClueScore.objects.get(clue=pasted).routed_rules_first, "court prose is what the model was measured on"
    client = Client()
    client.force_login(org.users["clerk.jianghan"])  # the demo's language, 简体
    page = client.get(reverse("clue-detail", kwargs={"pk": tip.pk})).content.decode()
    assert 'id="priority-rules-first"' in page and "由规则确定类别" in page
    other = client.get(reverse("clue-detail", kwargs={"pk": pasted.pk})).content.decode()
    assert 'id="priority-rules-first"' not in other


def test_a_model_not_put_in_use_leaves_routing_to_the_rules(org, tmp_path):
    clue = receive(org, subject="城东有人开赌场", content="王某在城东一民房内摆设赌台，组织他人赌博，抽头渔利。")
    call_command("analytics", "train", "--from", str(_cail_file(tmp_path / "facts.jsonl")), "--activate", "no",
                 stdout=StringIO())
    assert not CategoryModelFile.objects.get().active
    assert category_model_active() == (None, None)
    score = clue_score_update(clue_id=clue.pk)
    assert score is not None and score.model_id is None
    assert score.routing_reasons[0]["source"] == "rules" and score.category == "gambling"


def test_a_model_file_this_code_cannot_read_leaves_routing_to_the_rules_instead_of_failing(org, caplog):
    clue = receive(org, subject="城东有人开赌场", content="王某在城东一民房内摆设赌台，组织他人赌博，抽头渔利。")
    CategoryModelFile.objects.create(source="old.jsonl", rows=100, data=b"not a model", active=True)
    first = clue_score_update(clue_id=clue.pk)
    again = clue_score_update(clue_id=clue.pk)
    assert first is not None and again is not None and first.model_id is None
    assert first.routing_reasons[0]["source"] == "rules" and first.category == "gambling"
    assert caplog.text.count("cannot be used, routing by rules") == 1  # read and logged once, not at every clue


def test_a_bad_training_file_is_refused_with_its_line_and_nothing_is_kept(org, tmp_path):
    path = _cail_file(tmp_path / "facts.jsonl")
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps({"id": "t-bad", "accusation": ["盗窃"], "relevant_articles": None}) + "\n")
    with pytest.raises(CommandError, match=r"facts.jsonl:61: missing \['fact'\]"):
        call_command("analytics", "train", "--from", str(path), stdout=StringIO())
    with pytest.raises(CommandError, match="no such file"):
        call_command("analytics", "train", "--from", str(tmp_path / "missing.jsonl"), stdout=StringIO())
    few = tmp_path / "few.jsonl"
    few.write_text("".join(path.read_text(encoding="utf-8").splitlines(keepends=True)[:10]), encoding="utf-8")
    with pytest.raises(CommandError, match="at least 25 labelled rows"):
        call_command("analytics", "train", "--from", str(few), stdout=StringIO())
    assert not CategoryModelFile.objects.exists()


def test_export_training_writes_the_verified_clues_for_the_owner_only(org, tmp_path):
    verified = to_signed(org, receive(org), conclusion="substantiated")
    to_signed(org, receive(org, subject="另一条", content="未查实的举报内容。"), conclusion="unsubstantiated")
    referred = receive(org, subject="小区物业乱收费", content="物业每月多收停车费。")
    services.clue_triage(clue=referred, actor=org.users["clerk.jianghan"], decision="referred",
                         referred_to="区住建局")
    path = tmp_path / "own.jsonl"
    out = StringIO()
    call_command("analytics", "export-training", str(path), stdout=out)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert "Wrote 2 verified clues" in out.getvalue()
    assert {(row["id"], tuple(row["accusation"])) for row in rows} == {
        (f"clue-{verified.number}", ("forced_transactions",)), (f"clue-{referred.number}", ("other",))}
    assert all(set(row) == {"id", "fact", "accusation", "relevant_articles"} for row in rows)
    assert "强迫" in rows[0]["fact"] or "强迫" in rows[1]["fact"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.slow
@pytest.mark.skipif(not SHARED_CAIL.is_file(), reason="../shared/data/cail2018/facts.jsonl is not on this machine")
def test_training_on_court_facts_routes_a_citizen_tip(org, tmp_path):
    sample = tmp_path / "cail.jsonl"
    sample.write_text("".join(SHARED_CAIL.read_text(encoding="utf-8").splitlines(keepends=True)[:600]),
                      encoding="utf-8")
    out = StringIO()
    call_command("analytics", "train", "--from", str(sample), "--activate", "yes", stdout=out)
    model_file = CategoryModelFile.objects.get()
    assert model_file.evaluation["held_out_rows"] > 50
    clue = receive(org, subject="老街有人聚众斗殴", content="昨晚老街两伙人持棍棒聚众斗殴，多人受伤，起因是争抢地盘。")
    score = clue_score_update(clue_id=clue.pk)
    assert score is not None and score.model_id == model_file.pk
    assert score.routing_reasons[0]["coarse"] == "public_order_violence"
