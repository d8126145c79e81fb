"""Category routing benchmark (issue 5, item 6): `python -m benchmarks.triage_bench --from FILE`.

FILE is in the CAIL2018 format (../shared/data/cail2018/facts.jsonl). It is split by a hash of each id
(`--test-share`, 0.3 by default; the same rows are held out on every run). Four systems are trained on
the train part and measured on the held-out part:

- baseline: plain TF-IDF character 1–2-gram logistic regression, class weights balanced, one model per
  decision (the baseline of issue 5; without class weights it never predicts the rare core set);
- rules: the phrase rules of data/offence_taxonomy.json alone (no training);
- model: saohei.analytics.learning alone;
- combined: rules and model as the model file arbitrates them (what the product uses).

Figures: F1 gang-related, F1 core, macro-F1 over the nine coarse categories, accuracy (coarse),
precision at the top 50/100 of the queue (texts ranked by how likely gang-related / core), training
time and prediction time per text (one text at a time). The same systems then read the hand-written
citizen-style tips of benchmarks/data/tips_zh.jsonl, to show the domain shift, in four batches written
one after the other, each before the rules saw it: "tip-" (60), "new-" (40), "late-" (30) and "final-"
(30). The rules were revised after each of the first three batches had been measured, so only the
"final-" figures are those of texts no choice was made on. On the final tips a fifth system is shown:
the model re-arbitrated on the 130 earlier tips (`model_rearbitrate`), as an office would do with its
own labelled tips. Precision at the top of the queue is taken at 10 and 20 for the tips.
`--folds K` adds K-fold cross-validation by hash of the id (mean and range) for the court figures.
`--test FILE` (repeatable) measures the same trained systems on another labelled file in the CAIL2018 format
(either layout; other court texts, or citizen messages labelled with their charges). A row whose text is also a
training text is left out and counted, so no file is measured on what the systems learnt from.

Writes benchmarks/out/triage_bench.json and prints Markdown tables. Run it with `nice -n 10`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from saohei.analytics.learning import (
    CategoryModel,
    Evaluation,
    PredictedLabels,
    TrainingRow,
    evaluation_from_predictions,
    model_predicted,
    model_rearbitrate,
    model_train,
    split_by_id,
    training_rows_from_jsonl,
)
from saohei.analytics.routing import category_route
from saohei.analytics.taxonomy import Taxonomy, taxonomy_load

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
TIPS = ROOT / "benchmarks" / "data" / "tips_zh.jsonl"
K_VALUES = (50, 100)
TIP_K_VALUES = (10, 20)
TIP_BATCHES = {"tip-": "tips_1", "new-": "tips_2", "late-": "tips_3", "final-": "tips_final"}
TIMED_TEXTS = 300  # texts predicted one at a time for the per-text timing
TARGETS = {"gang_related": 0.95, "core": 0.80, "macro_f1": 0.80}


class Baseline:
    """Plain TF-IDF character n-gram logistic regression, one model per decision."""

    def __init__(self, rows: Sequence[TrainingRow], taxonomy: Taxonomy) -> None:
        labels = [taxonomy.fact_labels(row.charges) for row in rows]
        self.vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True, min_df=2)
        features = self.vectorizer.fit_transform([row.text for row in rows])
        self.gang = LogisticRegression(class_weight="balanced", max_iter=2000, solver="liblinear").fit(
            features, [label.gang_related for label in labels])
        self.core = LogisticRegression(class_weight="balanced", max_iter=2000, solver="liblinear").fit(
            features, [label.core for label in labels])
        self.coarse = LogisticRegression(class_weight="balanced", max_iter=2000).fit(
            features, [label.coarse for label in labels])

    def predicted(self, texts: Sequence[str]) -> list[PredictedLabels]:
        features = self.vectorizer.transform(texts)
        gang = self.gang.predict_proba(features)[:, 1]
        core = self.core.predict_proba(features)[:, 1]
        coarse = self.coarse.predict(features)
        return [PredictedLabels(gang_related=bool(g >= 0.5), core=bool(c >= 0.5), coarse=str(k), gang_score=float(g),
                                core_score=float(c)) for g, c, k in zip(gang, core, coarse, strict=True)]


def _machine() -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "")
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version()}


def _load() -> str:
    return Path("/proc/loadavg").read_text().strip()


def _per_text_ms(predict_one: Callable[[str], object], texts: Sequence[str]) -> dict[str, float]:
    sample = list(texts[:TIMED_TEXTS])
    for text in sample[:10]:
        predict_one(text)
    samples = []
    for text in sample:
        started = time.perf_counter()
        predict_one(text)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {"mean_ms": round(statistics.fmean(samples), 2), "p95_ms": round(samples[int(0.95 * (len(samples) - 1))], 2)}


def _figures(evaluation: Evaluation) -> dict[str, Any]:
    return {"f1_gang_related": evaluation.f1["gang_related"], "f1_core": evaluation.f1["core"],
            "macro_f1": evaluation.macro_f1, "accuracy": evaluation.accuracy,
            "precision_at": dict(evaluation.precision_at), "f1_per_category": dict(evaluation.f1),
            "support": dict(evaluation.support), "rows": evaluation.rows}


def _evaluate(predicted: Sequence[PredictedLabels], rows: Sequence[TrainingRow], taxonomy: Taxonomy, *,
              k_values: Sequence[int] = K_VALUES) -> Evaluation:
    truth = [taxonomy.fact_labels(row.charges) for row in rows]
    return evaluation_from_predictions(truth, predicted, coarse_codes=taxonomy.coarse_codes, k_values=k_values)


def _systems(baseline: Baseline, model: CategoryModel) -> dict[str, Callable[[Sequence[str]], list[PredictedLabels]]]:
    return {
        "baseline": baseline.predicted,
        "rules": lambda texts: model_predicted(None, texts),
        "model": lambda texts: model_predicted(model, texts, arbitrated=False),
        "combined": lambda texts: model_predicted(model, texts),
    }


def _train(train: Sequence[TrainingRow], *, seed: int,
           taxonomy: Taxonomy) -> tuple[Baseline, CategoryModel, dict[str, float]]:
    started = time.perf_counter()
    baseline = Baseline(train, taxonomy)
    baseline_seconds = time.perf_counter() - started
    started = time.perf_counter()
    model = model_train(train, seed=seed, taxonomy=taxonomy)
    return baseline, model, {"baseline": round(baseline_seconds, 1), "model": round(time.perf_counter() - started, 1)}


def _other_files(paths: Sequence[str], *, trained_on: Sequence[TrainingRow], baseline: Baseline,
                 model: CategoryModel, taxonomy: Taxonomy) -> dict[str, Any]:
    """The trained systems on other labelled files, leaving out any row whose text they were trained on."""
    seen = {row.text.strip() for row in trained_on}
    measured: dict[str, Any] = {}
    for path in paths:
        rows = list(training_rows_from_jsonl(path))
        kept = [row for row in rows if row.text.strip() not in seen]
        k_values = K_VALUES if len(kept) >= 4 * K_VALUES[-1] else TIP_K_VALUES
        texts = [row.text for row in kept]
        measured[path] = {
            "rows": len(rows), "left_out_as_trained_on": len(rows) - len(kept), "k_values": list(k_values),
            "systems": {name: _figures(_evaluate(predict(texts), kept, taxonomy, k_values=k_values))
                        for name, predict in _systems(baseline, model).items()} if kept else {},
        }
    return measured


def _fold_of(row_id: str, folds: int) -> int:
    return int(hashlib.sha256(f"fold:{row_id}".encode()).hexdigest()[:8], 16) % folds


def _cross_validation(rows: Sequence[TrainingRow], *, folds: int, seed: int, taxonomy: Taxonomy) -> dict[str, Any]:
    per_system: dict[str, list[dict[str, Any]]] = {}
    for fold in range(folds):
        train = [row for row in rows if _fold_of(row.id, folds) != fold]
        test = [row for row in rows if _fold_of(row.id, folds) == fold]
        baseline, model, _seconds = _train(train, seed=seed, taxonomy=taxonomy)
        texts = [row.text for row in test]
        for name, predict in _systems(baseline, model).items():
            per_system.setdefault(name, []).append(_figures(_evaluate(predict(texts), test, taxonomy)))
        print(f"fold {fold + 1}/{folds} done, load {_load()}", flush=True)
    keys = ("f1_gang_related", "f1_core", "macro_f1", "accuracy")
    return {name: {key: {"mean": round(statistics.fmean(f[key] for f in figures), 4),
                         "min": min(f[key] for f in figures), "max": max(f[key] for f in figures)} for key in keys}
            for name, figures in per_system.items()}


def _row(name: str, figures: dict[str, Any], k_values: Sequence[int], extra: str = "") -> str:
    def show(value: object) -> str:
        return "–" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)

    precision = figures["precision_at"]
    cells = [figures["f1_gang_related"], figures["f1_core"], figures["macro_f1"], figures["accuracy"],
             *(precision.get(f"{label}@{k}") for label in ("gang_related", "core") for k in k_values)]
    return f"| {name} | " + " | ".join(show(cell) for cell in cells) + f" |{extra}"


def _header(k_values: Sequence[int]) -> str:
    return ("| system | F1 gang-related | F1 core | macro-F1 (9 coarse) | accuracy | "
            + " | ".join(f"P@{k} {label}" for label in ("gang", "core") for k in k_values) + " |")


def _print_tables(result: dict[str, Any], taxonomy: Taxonomy) -> None:
    court = result["court"]
    print(f"\n### Court facts held out ({result['split']['test_rows']} of {result['split']['rows']} rows, "
          f"test share {result['split']['test_share']}, split by hash of the id)\n")
    print(_header(K_VALUES) + " train s | predict ms/text (mean / p95) |")
    print("|---" * 11 + "|")
    for name, figures in court.items():
        timing = figures.get("predict", {})
        extra = f" {figures.get('train_seconds', '–')} | {timing.get('mean_ms', '–')} / {timing.get('p95_ms', '–')} |"
        print(_row(name, figures, K_VALUES, extra))
    print(f"| target (issue 5) | {TARGETS['gang_related']} | {TARGETS['core']} | {TARGETS['macro_f1']} | | | | | | | |")
    print("\n### F1 per coarse category (court facts held out)\n")
    codes = taxonomy.coarse_codes
    print("| system | " + " | ".join(codes) + " |")
    print("|---" * (len(codes) + 1) + "|")
    support = next(iter(court.values()))["support"]
    print("| support | " + " | ".join(str(support[c]) for c in codes) + " |")
    for name, figures in court.items():
        print(f"| {name} | " + " | ".join(f"{figures['f1_per_category'][c]:.2f}" for c in codes) + " |")
    print("\n### Rules or model, per decision (as recorded in the model file)\n")
    print("| decision | source | rules F1 | model F1 | arbitrated F1 | held-out support |")
    print("|---|---|---|---|---|---|")
    for entry in result["arbitration"]:
        print(f"| {entry['label']} | {entry['source']} | {entry['rules_f1']:.3f} | {entry['model_f1']:.3f} | "
              f"{entry['arbitrated_f1']:.3f} | {entry['support']} |")
    titles = {"tips_1": "Citizen-style tips, batch 1 (rules revised after measuring it)",
              "tips_2": "Citizen-style tips, batch 2 (rules revised after measuring it)",
              "tips_3": "Citizen-style tips, batch 3 (rules revised after measuring it)",
              "tips_final": "Citizen-style tips, final batch (written after the last change; nothing tuned on it)"}
    for key, title in titles.items():
        if key not in result:
            continue
        print(f"\n### {title}: {next(iter(result[key].values()))['rows']} tips\n")
        print(_header(TIP_K_VALUES))
        print("|---" * 9 + "|")
        for name, figures in result[key].items():
            print(_row(name, figures, TIP_K_VALUES))
    for path, measured in result.get("other_files", {}).items():
        print(f"\n### {path}: {measured['rows']} rows, {measured['left_out_as_trained_on']} left out "
              "(their text is a training text)\n")
        if not measured["systems"]:
            print("Nothing left to measure.")
            continue
        print(_header(measured["k_values"]))
        print("|---" * (5 + 2 * len(measured["k_values"])) + "|")
        for name, figures in measured["systems"].items():
            print(_row(name, figures, measured["k_values"]))
    if "cross_validation" in result:
        cv = result["cross_validation"]
        print(f"\n### {result['folds']}-fold cross-validation by hash of the id (mean, min–max)\n")
        print("| system | F1 gang-related | F1 core | macro-F1 | accuracy |")
        print("|---|---|---|---|---|")
        for name, figures in cv.items():
            cells = [f"{figures[k]['mean']:.3f} ({figures[k]['min']:.2f}–{figures[k]['max']:.2f})"
                     for k in ("f1_gang_related", "f1_core", "macro_f1", "accuracy")]
            print(f"| {name} | " + " | ".join(cells) + " |")
    print(f"\nMachine: {result['machine']['cpu']}, {result['machine']['cores']} cores; "
          f"load before {result['load']['before']}, after {result['load']['after']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--from", dest="source", required=True, help="training file in the CAIL2018 format")
    parser.add_argument("--test-share", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tips", default=str(TIPS))
    parser.add_argument("--folds", type=int, default=0, help="also run K-fold cross-validation (0: off)")
    parser.add_argument("--test", action="append", default=[], metavar="FILE",
                        help="also measure on this labelled file (CAIL2018 format); repeatable")
    args = parser.parse_args()
    taxonomy = taxonomy_load()
    load_before = _load()
    rows = list(training_rows_from_jsonl(args.source))
    train, test = split_by_id(rows, test_share=args.test_share)
    baseline, model, seconds = _train(train, seed=args.seed, taxonomy=taxonomy)
    texts = [row.text for row in test]
    court: dict[str, Any] = {}
    for name, predict in _systems(baseline, model).items():
        court[name] = _figures(_evaluate(predict(texts), test, taxonomy))
    court["baseline"]["train_seconds"] = seconds["baseline"]
    court["model"]["train_seconds"] = court["combined"]["train_seconds"] = seconds["model"]
    court["baseline"]["predict"] = _per_text_ms(lambda text: baseline.predicted([text]), texts)
    court["rules"]["predict"] = _per_text_ms(category_route, texts)
    court["model"]["predict"] = _per_text_ms(model.predict, texts)
    court["combined"]["predict"] = _per_text_ms(lambda text: category_route(text, model=model), texts)
    tips = list(training_rows_from_jsonl(args.tips))
    batches = {key: [row for row in tips if row.id.startswith(prefix)] for prefix, key in TIP_BATCHES.items()}
    result: dict[str, Any] = {
        "source": str(args.source), "machine": _machine(),
        "split": {"rows": len(rows), "train_rows": len(train), "test_rows": len(test), "test_share": args.test_share,
                  "seed": args.seed},
        "court": court,
        "arbitration": [entry.__dict__ for entry in model.arbitration],
        "model_info": model.info,
    }
    for key, batch in batches.items():
        if batch:
            result[key] = {name: _figures(_evaluate(predict([r.text for r in batch]), batch, taxonomy,
                                                    k_values=TIP_K_VALUES))
                           for name, predict in _systems(baseline, model).items()}
    final = batches["tips_final"]
    earlier = batches["tips_1"] + batches["tips_2"] + batches["tips_3"]
    if final and earlier:
        local = model_rearbitrate(model, earlier, taxonomy=taxonomy)
        result["tips_final"]["combined, re-arbitrated on the earlier tips"] = _figures(
            _evaluate(model_predicted(local, [r.text for r in final]), final, taxonomy, k_values=TIP_K_VALUES))
        result["arbitration_on_tips"] = [entry.__dict__ for entry in local.arbitration]
    if args.test:
        result["other_files"] = _other_files(args.test, trained_on=train, baseline=baseline, model=model,
                                             taxonomy=taxonomy)
    if args.folds > 1:
        result["folds"] = args.folds
        result["cross_validation"] = _cross_validation(rows, folds=args.folds, seed=args.seed, taxonomy=taxonomy)
    result["load"] = {"before": load_before, "after": _load()}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "triage_bench.json").write_text(json.dumps(result, ensure_ascii=False, indent=2, default=_json_default),
                                           encoding="utf-8")
    _print_tables(result, taxonomy)
    return 0


def _json_default(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(type(value).__name__)


if __name__ == "__main__":
    raise SystemExit(main())
