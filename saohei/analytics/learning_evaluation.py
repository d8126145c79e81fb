"""Rules against model on labelled texts: F1 per decision, the bootstrap arbitration that gives a decision to the
model only where it measured better, and the figures of an evaluation (accuracy, macro-F1, precision at the top).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from saohei.analytics.routing import CORE, GANG_RELATED, ModelPrediction, Routing, Source, coarse_arbitrated
from saohei.analytics.taxonomy import OTHER, FactLabels

MIN_SUPPORT = 5  # held-out positives needed before a model can be said to do better on a label
BOOTSTRAP = 200  # resamples of the held-out texts when comparing rules and model
BOOTSTRAP_SEED = 20180  # fixed: the same model file arbitrates the same way on every run
CONFIDENCE = 0.95  # share of resamples in which the model must be ahead to take a decision over


@dataclass(frozen=True)
class LabelArbitration:
    """Rules against model on one decision, measured on held-out texts, and the source chosen."""

    label: str
    source: Source
    rules_f1: float
    model_f1: float
    arbitrated_f1: float
    support: int


@dataclass(frozen=True)
class PredictedLabels:
    """One system's answer for one text, in the form the evaluation compares with the truth."""

    gang_related: bool
    core: bool
    coarse: str
    gang_score: float
    core_score: float


@dataclass(frozen=True)
class Evaluation:
    """Figures for one system on labelled texts (F1 per label; macro-F1 and accuracy over coarse categories)."""

    rows: int
    accuracy: float
    macro_f1: float
    f1: Mapping[str, float]
    precision_at: Mapping[str, float]
    support: Mapping[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "accuracy": self.accuracy, "macro_f1": self.macro_f1, "f1": dict(self.f1),
                "precision_at": dict(self.precision_at), "support": dict(self.support)}


def _f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    true_positive = float(np.sum(truth & predicted))
    denominator = float(np.sum(truth) + np.sum(predicted))
    return round(2 * true_positive / denominator, 4) if denominator else 0.0


def threshold_best(probabilities: np.ndarray, truth: np.ndarray) -> float:
    """The probability cut that maximises held-out F1 (0.5 when there is nothing to learn from)."""
    if not truth.any() or truth.all():
        return 0.5
    candidates = [round(0.2 + 0.05 * step, 2) for step in range(13)]
    return max(candidates, key=lambda cut: (_f1(truth, probabilities >= cut), -abs(cut - 0.5)))


def _label_table(truth: Sequence[FactLabels], predicted: Sequence[PredictedLabels],
                 coarse_codes: Sequence[str]) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(label, truth, prediction) boolean columns for gang-related, core and each coarse category."""
    def column(values: Iterable[bool]) -> np.ndarray:
        return np.fromiter(values, dtype=bool)

    table = [
        (GANG_RELATED, column(t.gang_related for t in truth), column(p.gang_related for p in predicted)),
        (CORE, column(t.core for t in truth), column(p.core for p in predicted)),
    ]
    table += [(code, column(t.coarse == code for t in truth), column(p.coarse == code for p in predicted))
              for code in coarse_codes]
    return table


def _combined(rules: Sequence[Routing], model: Sequence[ModelPrediction], *, sources: Mapping[str, Source],
              thresholds: Mapping[str, float], coarse_codes: Sequence[str]) -> list[PredictedLabels]:
    """What routing_combine decides for each row under `sources`, computed from the parts already at hand."""
    coarse_sources = {code: sources.get(code, "rules") for code in coarse_codes}
    out: list[PredictedLabels] = []
    for rule, prediction in zip(rules, model, strict=True):
        coarse, _who = coarse_arbitrated(rule.best.coarse, probabilities=prediction.coarse, sources=coarse_sources)
        by_model = predicted_from_model(prediction, thresholds)
        gang = by_model.gang_related if sources.get(GANG_RELATED) == "model" else rule.gang_related.value
        core = by_model.core if sources.get(CORE) == "model" else rule.core.value
        out.append(PredictedLabels(gang_related=gang, core=core, coarse=coarse, gang_score=prediction.gang_related,
                                   core_score=prediction.core))
    return out


def _bootstrap(seed: int, rows: int) -> np.ndarray:
    """BOOTSTRAP resamples of row indices (with replacement), the same for every comparison."""
    return np.random.default_rng(seed).integers(0, rows, size=(BOOTSTRAP, rows))


def _f1_resampled(gold: np.ndarray, said: np.ndarray, resamples: np.ndarray) -> np.ndarray:
    true_positive = (gold & said)[resamples].sum(axis=1)
    denominator = gold[resamples].sum(axis=1) + said[resamples].sum(axis=1)
    return np.asarray(2 * true_positive / np.maximum(denominator, 1))


def labels_arbitrate(truth: Sequence[FactLabels], rules: Sequence[Routing], model: Sequence[ModelPrediction], *,
               thresholds: Mapping[str, float], coarse_codes: Sequence[str]) -> list[LabelArbitration]:
    """Per decision (gang-related, core, each coarse category) on held-out texts: the model replaces the
    rules only where it does measurably better, i.e. has MIN_SUPPORT held-out positives and a higher F1
    in at least CONFIDENCE of BOOTSTRAP resamples of those texts."""
    resamples = _bootstrap(BOOTSTRAP_SEED, len(truth))
    rules_alone = _label_table(truth, [predicted_from_routing(r) for r in rules], coarse_codes)
    model_alone = _label_table(truth, [predicted_from_model(p, thresholds) for p in model], coarse_codes)
    sources: dict[str, Source] = {}
    for (label, gold, by_rules), (_label, _gold, by_model) in zip(rules_alone, model_alone, strict=True):
        ahead = np.mean(_f1_resampled(gold, by_model, resamples) > _f1_resampled(gold, by_rules, resamples))
        sources[label] = "model" if int(gold.sum()) >= MIN_SUPPORT and ahead >= CONFIDENCE else "rules"
    final = _label_table(truth, _combined(rules, model, sources=sources, thresholds=thresholds,
                                          coarse_codes=coarse_codes), coarse_codes)
    return [
        LabelArbitration(label=label, source=sources[label], rules_f1=_f1(gold, by_rules),
                         model_f1=_f1(gold, by_model), arbitrated_f1=_f1(gold, by_final), support=int(gold.sum()))
        for (label, gold, by_rules), (_l1, _g1, by_model), (_l2, _g2, by_final)
        in zip(rules_alone, model_alone, final, strict=True)
    ]


def _yes_score(value: bool, confidence: float) -> float:
    return confidence if value else 1.0 - confidence


def predicted_from_routing(routing: Routing) -> PredictedLabels:
    """The routing's decisions as labels, with a 'how likely yes' score for ranking the queue."""
    return PredictedLabels(
        gang_related=routing.gang_related.value, core=routing.core.value, coarse=routing.best.coarse,
        gang_score=_yes_score(routing.gang_related.value, routing.gang_related.confidence),
        core_score=_yes_score(routing.core.value, routing.core.confidence),
    )


def predicted_from_model(prediction: ModelPrediction, thresholds: Mapping[str, float]) -> PredictedLabels:
    coarse = max(prediction.coarse, key=lambda code: prediction.coarse[code]) if prediction.coarse else OTHER
    return PredictedLabels(
        gang_related=prediction.gang_related >= thresholds.get(GANG_RELATED, 0.5),
        core=prediction.core >= thresholds.get(CORE, 0.5), coarse=coarse,
        gang_score=prediction.gang_related, core_score=prediction.core,
    )



def evaluation_from_predictions(truth: Sequence[FactLabels], predicted: Sequence[PredictedLabels], *,
                                coarse_codes: Sequence[str], k_values: Sequence[int] = (50, 100)) -> Evaluation:
    """Accuracy and macro-F1 over the coarse categories present in truth or prediction, F1 per label,
    and precision at the top of the queue: of the k texts scored most likely gang-related (core), the
    share that truly are."""
    table = _label_table(truth, predicted, coarse_codes)
    f1 = {label: _f1(gold, said) for label, gold, said in table}
    present = [label for label, gold, said in table[2:] if gold.any() or said.any()]
    macro = round(float(np.mean([f1[label] for label in present])), 4) if present else 0.0
    accuracy = round(float(np.mean([t.coarse == p.coarse for t, p in zip(truth, predicted, strict=True)])), 4) \
        if truth else 0.0
    precision_at: dict[str, float] = {}
    for name, score_of, is_true in ((GANG_RELATED, lambda p: p.gang_score, lambda t: t.gang_related),
                                    (CORE, lambda p: p.core_score, lambda t: t.core)):
        order = sorted(range(len(predicted)), key=lambda i: -score_of(predicted[i]))
        for k in k_values:
            top = order[:k]
            if top:
                precision_at[f"{name}@{k}"] = round(sum(bool(is_true(truth[i])) for i in top) / len(top), 4)
    support = {label: int(gold.sum()) for label, gold, _said in table}
    return Evaluation(rows=len(truth), accuracy=accuracy, macro_f1=macro, f1=f1, precision_at=precision_at,
                      support=support)
