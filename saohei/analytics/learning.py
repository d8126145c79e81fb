"""A learned category model: trained on an office's verified clues or on files in the CAIL2018 format.

Why a model at all: the phrase rules of routing.py are readable but miss what is said in other words.
Why not only a model: a model trained on court judgments reads court prose, and citizens do not write
like courts. So the model is trained with the rule scores among its features, and for each decision
(gang-related, core, each coarse category) it is used only where it measured better than the rules on
texts it had not seen: cross-fitted held-out predictions of the training rows, or a check set from the
domain the model will serve (`check_rows`, e.g. an office's own labelled tips). The figures and the
chosen source per decision are stored in the model file and shown by the benchmark.

Model: TF-IDF character 1–3-grams of the normalised text (court boilerplate and masked charges
removed) plus the rule scores of every rule group (also scaled by how short the text is: evidence in a
short tip is denser than in a long judgment). Linear SVMs with balanced class weights, Platt-calibrated
on cross-fitted decision values: one head each for gang-related, core and the nine coarse categories,
and a head over the individual charges whose softmax, summed per category, is blended into the coarse
and gang-related probabilities (learning 寻衅滋事 apart from 故意伤害 helps both). Word n-grams from
jieba were tried and left out: no gain on held-out court facts, three milliseconds per text more.
Arbitration: per decision, the model replaces the rules only where its held-out F1 is higher in 95 %
of bootstrap resamples (and it saw enough positives to tell).

Model files are pickles: load only files your own office produced (`from_bytes` refuses other format
versions and other scikit-learn versions, it does not make a foreign pickle safe).
"""

from __future__ import annotations

import hashlib
import json
import math
import pickle
import re
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from saohei.analytics.routing import (
    CORE,
    GANG_RELATED,
    CategoryScore,
    ModelPrediction,
    Routing,
    Source,
    category_rules_score,
    coarse_arbitrated,
    routing_combine,
    text_for_matching,
)
from saohei.analytics.taxonomy import OTHER, FactLabels, Taxonomy, charge_normalise, taxonomy_load

FORMAT_VERSION = 1
MAGIC = b"SAOHEI-CATEGORY-MODEL\n"
FOLDS = 3  # cross-fitting folds for calibration and for the rules-vs-model figures
MIN_SUPPORT = 5  # held-out positives needed before a model can be said to do better on a label
BOOTSTRAP = 200  # resamples of the held-out texts when comparing rules and model
BOOTSTRAP_SEED = 20180  # fixed: the same model file arbitrates the same way on every run
CONFIDENCE = 0.95  # share of resamples in which the model must be ahead to take a decision over
DENSE_CHARS = 150  # rule evidence in a text this short or shorter counts fully in the density features
RULE_WEIGHT = 0.5  # scale of the rule-score features next to the unit-length TF-IDF vector
SVM_C = 0.5
CAIL_KEYS = frozenset({"id", "fact", "accusation", "relevant_articles"})
_BOILERPLATE = re.compile(
    r"(?:公诉机关|人民检察院|检察院)[^，。：:]{0,20}?(?:指控|起诉)[称：:，,]?"
    r"|经审理查明[，,：:]?|《中华人民共和国刑法》[^。，]*|[×X]+|被告人|被害人|依法判处|提请本院"
)


class TrainingDataError(ValueError):
    """A training file line that is not in the CAIL2018 format; the message names the file and line."""


class ModelFormatError(ValueError):
    """Model bytes that this code cannot use: not a model, another format version or scikit-learn version."""


@dataclass(frozen=True)
class TrainingRow:
    """One labelled text: a CAIL2018 fact with its charges, or a verified clue with its offence category codes."""

    id: str
    text: str
    charges: tuple[str, ...]


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


def _clean(text: str) -> str:
    """The text the model reads: normalised, court boilerplate and masked charges (××) removed."""
    return _BOILERPLATE.sub(" ", text_for_matching(text))


def _rule_vector(scores: Sequence[CategoryScore], groups: Sequence[str]) -> np.ndarray:
    vector = np.zeros(len(groups))
    index = {group: position for position, group in enumerate(groups)}
    for score in scores:
        if score.rule_group in index:
            vector[index[score.rule_group]] = math.log1p(score.score)
    return vector


def _sigmoid(values: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(values, -30, 30))))


def _fit_svm(features: sp.csr_matrix, truth: np.ndarray, *, seed: int) -> LinearSVC | None:
    """A class-balanced linear SVM, or None when the labels leave nothing to learn (one class only)."""
    if len(np.unique(truth)) < 2:
        return None
    return LinearSVC(C=SVM_C, class_weight="balanced", random_state=seed).fit(features, truth)


UNSEEN = -5.0  # decision value of a class the SVM never saw (absent from a small training set or fold)


def _weights(svm: LinearSVC | None, classes: Sequence[str], n_features: int) -> tuple[np.ndarray, np.ndarray]:
    """One-vs-rest weights and biases in the order of `classes` (a binary head has the single class "True").

    Kept as plain arrays: a product with them takes microseconds, scikit-learn's input checks milliseconds.
    """
    weights = np.zeros((n_features, len(classes)), dtype=np.float32)
    bias = np.full(len(classes), UNSEEN, dtype=np.float32)
    if svm is None:
        return weights, bias
    fitted = [str(name) for name in svm.classes_]
    coef, intercept = np.asarray(svm.coef_), np.asarray(svm.intercept_)
    if coef.shape[0] == 1:  # two fitted classes: the row speaks for the second one
        coef, intercept = np.vstack([-coef, coef]), np.concatenate([-intercept, intercept])
    for row, name in enumerate(fitted):
        if name in classes:
            weights[:, classes.index(name)] = coef[row]
            bias[classes.index(name)] = intercept[row]
    return weights, bias


def _decisions(features: sp.csr_matrix, weights: np.ndarray, bias: np.ndarray) -> np.ndarray:
    return np.asarray(features @ weights) + bias


@dataclass
class _Head:
    """One linear SVM (binary or one-vs-rest) as weights, with a Platt calibration per output column."""

    classes: tuple[str, ...]
    weights: np.ndarray  # (features, columns), C order: a sparse row times it is one pass
    bias: np.ndarray
    platt: np.ndarray  # (columns, 2): slope and intercept
    constant: np.ndarray | None = None  # probabilities when training had one class only

    def calibrate(self, decisions: np.ndarray) -> np.ndarray:
        if self.constant is not None:
            return np.tile(self.constant, (decisions.shape[0], 1))
        return _calibrated(decisions, self.platt)


def _calibrated(decisions: np.ndarray, platt: np.ndarray) -> np.ndarray:
    return _sigmoid(decisions * platt[:, 0] + platt[:, 1])


def _platt(decisions: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    """Slope and intercept mapping a decision value to a probability, fitted on held-out decisions."""
    if truth.all() or not truth.any():
        return 1.0, 0.0
    fit = LogisticRegression(C=100.0).fit(decisions.reshape(-1, 1), truth)
    return float(fit.coef_[0, 0]), float(fit.intercept_[0])


def _fit_head(features: sp.csr_matrix, truth: np.ndarray, *, classes: tuple[str, ...], held_out: np.ndarray,
              seed: int) -> _Head:
    """Fit on every row; calibrate on the cross-fitted decision values of the same rows."""
    columns = [truth.astype(str) == name for name in classes]
    svm = _fit_svm(features, truth, seed=seed)
    weights, bias = _weights(svm, classes, features.shape[1])
    platt = np.array([_platt(held_out[:, index], column) for index, column in enumerate(columns)])
    constant = None if svm is not None else np.array([float(column.mean()) for column in columns])
    return _Head(classes=classes, weights=weights, bias=bias, platt=platt, constant=constant)


def _fold_of(row_id: str, *, seed: int) -> int:
    return int(hashlib.sha256(f"{seed}:{row_id}".encode()).hexdigest()[:8], 16) % FOLDS


def _cross_fitted(features: sp.csr_matrix, truth: Mapping[str, np.ndarray], *, folds: np.ndarray,
                  classes: Mapping[str, tuple[str, ...]], seed: int) -> dict[str, np.ndarray]:
    """Decision values of each row from models that did not see it."""
    out = {name: np.full((features.shape[0], len(classes[name])), UNSEEN) for name in truth}
    for fold in range(FOLDS):
        train, test = folds != fold, folds == fold
        if not test.any() or not train.any():
            continue
        for name, labels in truth.items():
            svm = _fit_svm(features[train], labels[train], seed=seed)
            out[name][test] = _decisions(features[test], *_weights(svm, classes[name], features.shape[1]))
    return out


CHARGE = "charge"
MIN_CHARGE_ROWS = 4  # charges seen fewer times are pooled by coarse category and core-ness
CHARGE_BLEND = 0.5  # share of the charge head in the coarse and gang-related probabilities
TEMPERATURES = (2.0, 4.0, 8.0, 16.0, 32.0)


def _charge_class(charges: Sequence[str], label: FactLabels, *, counts: Mapping[str, int],
                  taxonomy: Taxonomy) -> str:
    """The charge that decided the text's coarse category, or a pool "rare:<coarse>[:core]" for rare ones."""
    names = [charge_normalise(charge) for charge in charges]
    deciding = next((name for name in names if taxonomy.fact_labels([name]).coarse == label.coarse), names[0])
    if counts.get(deciding, 0) >= MIN_CHARGE_ROWS:
        return deciding
    core = taxonomy.fact_labels([deciding]).core
    return f"rare:{label.coarse}" + (":core" if core else "")


def _charge_coarse_matrix(classes: Sequence[str], taxonomy: Taxonomy) -> np.ndarray:
    """(charge classes × coarse categories): 1 where the charge belongs to the category."""
    codes = taxonomy.coarse_codes
    matrix = np.zeros((len(classes), len(codes)), dtype=np.float32)
    for row, name in enumerate(classes):
        coarse = name.split(":")[1] if name.startswith("rare:") else taxonomy.fact_labels([name]).coarse
        matrix[row, codes.index(coarse)] = 1.0
    return matrix


def _softmax(decisions: np.ndarray, temperature: float) -> np.ndarray:
    scaled = temperature * (decisions - decisions.max(axis=1, keepdims=True))
    weights = np.exp(scaled)
    return np.asarray(weights / weights.sum(axis=1, keepdims=True))


def _temperature(decisions: np.ndarray, matrix: np.ndarray, coarse_index: np.ndarray) -> float:
    """The softmax temperature whose coarse probabilities best fit the held-out labels (log-loss)."""
    def loss(temperature: float) -> float:
        coarse = _softmax(decisions, temperature) @ matrix
        return float(-np.mean(np.log(np.clip(coarse[np.arange(len(coarse_index)), coarse_index], 1e-6, 1))))

    return min(TEMPERATURES, key=loss)


def _f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    true_positive = float(np.sum(truth & predicted))
    denominator = float(np.sum(truth) + np.sum(predicted))
    return round(2 * true_positive / denominator, 4) if denominator else 0.0


def _best_threshold(probabilities: np.ndarray, truth: np.ndarray) -> float:
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
        by_model = _predicted_from_model(prediction, thresholds)
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


def _arbitrate(truth: Sequence[FactLabels], rules: Sequence[Routing], model: Sequence[ModelPrediction], *,
               thresholds: Mapping[str, float], coarse_codes: Sequence[str]) -> list[LabelArbitration]:
    """Per decision (gang-related, core, each coarse category) on held-out texts: the model replaces the
    rules only where it does measurably better, i.e. has MIN_SUPPORT held-out positives and a higher F1
    in at least CONFIDENCE of BOOTSTRAP resamples of those texts."""
    resamples = _bootstrap(BOOTSTRAP_SEED, len(truth))
    rules_alone = _label_table(truth, [predicted_from_routing(r) for r in rules], coarse_codes)
    model_alone = _label_table(truth, [_predicted_from_model(p, thresholds) for p in model], coarse_codes)
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


def _predicted_from_model(prediction: ModelPrediction, thresholds: Mapping[str, float]) -> PredictedLabels:
    coarse = max(prediction.coarse, key=lambda code: prediction.coarse[code]) if prediction.coarse else OTHER
    return PredictedLabels(
        gang_related=prediction.gang_related >= thresholds.get(GANG_RELATED, 0.5),
        core=prediction.core >= thresholds.get(CORE, 0.5), coarse=coarse,
        gang_score=prediction.gang_related, core_score=prediction.core,
    )


class CategoryModel:
    """Predicts gang-related, core and the nine coarse categories of a text, with probabilities."""

    def __init__(self, *, vectorizer: TfidfVectorizer, rule_groups: tuple[str, ...], heads: Mapping[str, _Head],
                 thresholds: Mapping[str, float], arbitration: Sequence[LabelArbitration],
                 info: Mapping[str, Any], charge_matrix: np.ndarray | None = None, temperature: float = 8.0) -> None:
        self.charge_matrix = charge_matrix
        self.temperature = temperature
        vectorizer.stop_words_ = None  # the pruned n-grams: only needed for inspection, and large
        self.vectorizer = vectorizer
        self._idf = np.asarray(vectorizer.idf_, dtype=np.float32)
        self.rule_groups = rule_groups
        self.heads = dict(heads)
        self._thresholds = dict(thresholds)
        self.arbitration = tuple(arbitration)
        self.info = dict(info)

    @property
    def sources(self) -> dict[str, Source]:
        """Which source decides each label (gang_related, core, coarse codes): what routing_combine applies."""
        return {entry.label: entry.source for entry in self.arbitration}

    @property
    def thresholds(self) -> dict[str, float]:
        return dict(self._thresholds)

    def features(self, texts: Sequence[str], *, rule_scores: Sequence[Sequence[CategoryScore]] | None = None,
                 taxonomy: Taxonomy | None = None) -> sp.csr_matrix:
        tax = taxonomy or taxonomy_load()
        scores = rule_scores if rule_scores is not None else [category_rules_score(t, taxonomy=tax) for t in texts]
        rules = np.vstack([_rule_vector(s, self.rule_groups) for s in scores]) * RULE_WEIGHT
        density = np.array([[min(1.0, DENSE_CHARS / max(len(t), 1)) ** 0.5] for t in texts])
        rules = np.hstack([rules, rules * density, density]).astype(np.float32)
        # float32 throughout: a float64 matrix would make every product convert the weights first
        return sp.hstack([self._tfidf([_clean(t) for t in texts]), sp.csr_matrix(rules)], format="csr",
                         dtype=np.float32)

    def _tfidf(self, texts: Sequence[str]) -> sp.csr_matrix:
        """What TfidfVectorizer.transform returns (sublinear tf, idf, l2 norm), without its per-call checks."""
        analyzer = self.vectorizer.build_analyzer()
        vocabulary = self.vectorizer.vocabulary_
        indptr, indices, values = [0], [], []
        for text in texts:
            counts: dict[int, int] = {}
            for gram in analyzer(text):
                if (column := vocabulary.get(gram)) is not None:
                    counts[column] = counts.get(column, 0) + 1
            columns = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            weights = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))) \
                * self._idf[columns]
            norm = float(np.sqrt(np.dot(weights, weights)))
            indices.append(columns)
            values.append(weights / norm if norm else weights)
            indptr.append(indptr[-1] + len(columns))
        return sp.csr_matrix((np.concatenate(values) if values else np.zeros(0, np.float32),
                              np.concatenate(indices) if indices else np.zeros(0, np.int64), indptr),
                             shape=(len(texts), len(vocabulary)), dtype=np.float32)

    def predict_many(self, texts: Sequence[str], *, rule_scores: Sequence[Sequence[CategoryScore]] | None = None,
                     taxonomy: Taxonomy | None = None) -> list[ModelPrediction]:
        """Probabilities for many texts at once (one sparse product instead of one per text)."""
        if not texts:
            return []
        features = self.features(texts, rule_scores=rule_scores, taxonomy=taxonomy)
        decisions = {name: _decisions(features, head.weights, head.bias) for name, head in self.heads.items()}
        return self.predictions(decisions)

    def predictions(self, decisions: Mapping[str, np.ndarray]) -> list[ModelPrediction]:
        """Probabilities from the heads' decision values: calibrated direct heads, blended for the coarse
        category and gang-related with the charge head (a charge predicted says which category it is in)."""
        gang, core, coarse = (self.heads[name].calibrate(decisions[name]) for name in (GANG_RELATED, CORE, "coarse"))
        coarse = coarse / np.maximum(coarse.sum(axis=1, keepdims=True), 1e-9)
        gang = gang[:, 0]
        classes = self.heads["coarse"].classes
        if self.charge_matrix is not None and CHARGE in decisions:
            by_charge = _softmax(decisions[CHARGE], self.temperature) @ self.charge_matrix
            coarse = (1 - CHARGE_BLEND) * coarse + CHARGE_BLEND * by_charge
            gang = (1 - CHARGE_BLEND) * gang + CHARGE_BLEND * (1 - by_charge[:, classes.index(OTHER)])
        return [
            ModelPrediction(coarse=dict(zip(classes, (float(p) for p in coarse[row]), strict=True)),
                            gang_related=float(gang[row]), core=float(core[row, 0]))
            for row in range(coarse.shape[0])
        ]

    def predict(self, text: str, *, rule_scores: Sequence[CategoryScore] | None = None) -> ModelPrediction:
        return self.predict_many([text], rule_scores=None if rule_scores is None else [rule_scores])[0]

    def to_bytes(self) -> bytes:
        """The model as bytes: a header naming the format and scikit-learn version, then the pickle."""
        header = json.dumps({"format": FORMAT_VERSION, "sklearn": sklearn.__version__}).encode()
        return MAGIC + header + b"\n" + pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def from_bytes(cls, data: bytes) -> CategoryModel:
        """A model from `to_bytes` output; refuses other format versions, scikit-learn versions and taxonomies."""
        if not data.startswith(MAGIC):
            raise ModelFormatError("not a Saohei category model file")
        header_line, _newline, payload = data[len(MAGIC):].partition(b"\n")
        try:
            header = json.loads(header_line)
        except ValueError as error:
            raise ModelFormatError("the model file header is damaged") from error
        if header.get("format") != FORMAT_VERSION:
            raise ModelFormatError(f"model file format {header.get('format')!r}; this code reads format "
                                   f"{FORMAT_VERSION}: train the model again")
        if header.get("sklearn") != sklearn.__version__:
            raise ModelFormatError(f"model trained with scikit-learn {header.get('sklearn')}, this is "
                                   f"{sklearn.__version__}: train the model again")
        model = pickle.loads(payload)  # noqa: S301 - own model files only, see the module docstring
        if not isinstance(model, cls):
            raise ModelFormatError("the model file does not hold a category model")
        if model.rule_groups != tuple(group.id for group in taxonomy_load().rules):
            raise ModelFormatError("the rule groups of the taxonomy changed since training: train the model again")
        return model


def training_rows_from_jsonl(path: Path | str) -> Iterator[TrainingRow]:
    """Rows of a file in the CAIL2018 format: one JSON object a line with exactly id, fact, accusation and
    relevant_articles (a list of article numbers or null). Blank lines are skipped; anything else that does
    not fit raises TrainingDataError naming the file and line."""
    source = Path(path)
    seen: dict[str, int] = {}
    with source.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            row = _row_from_line(line, where=f"{source}:{number}")
            if row.id in seen:
                raise TrainingDataError(f"{source}:{number}: id {row.id!r} already used on line {seen[row.id]}")
            seen[row.id] = number
            yield row


def _row_from_line(line: str, *, where: str) -> TrainingRow:
    try:
        raw = json.loads(line)
    except ValueError as error:
        raise TrainingDataError(f"{where}: not valid JSON ({error})") from error
    if not isinstance(raw, dict):
        raise TrainingDataError(f"{where}: expected a JSON object with {sorted(CAIL_KEYS)}")
    if missing := sorted(CAIL_KEYS - raw.keys()):
        raise TrainingDataError(f"{where}: missing {missing}")
    if extra := sorted(raw.keys() - CAIL_KEYS):
        raise TrainingDataError(f"{where}: unexpected keys {extra} (the CAIL2018 format has {sorted(CAIL_KEYS)})")
    if not isinstance(raw["id"], str) or not raw["id"].strip():
        raise TrainingDataError(f"{where}: 'id' must be a non-empty string")
    if not isinstance(raw["fact"], str) or not raw["fact"].strip():
        raise TrainingDataError(f"{where}: 'fact' must be a non-empty string")
    charges = raw["accusation"]
    if not isinstance(charges, list) or not charges or not all(isinstance(c, str) and c.strip() for c in charges):
        raise TrainingDataError(f"{where}: 'accusation' must be a non-empty list of charge names")
    articles = raw["relevant_articles"]
    if articles is not None and not (isinstance(articles, list)
                                     and all(isinstance(a, int) and not isinstance(a, bool) for a in articles)):
        raise TrainingDataError(f"{where}: 'relevant_articles' must be a list of article numbers or null")
    return TrainingRow(id=raw["id"], text=raw["fact"], charges=tuple(charges))


def split_by_id(rows: Iterable[TrainingRow], *, test_share: float) -> tuple[list[TrainingRow], list[TrainingRow]]:
    """Train and test parts decided by a hash of each id: the same row lands on the same side on every run
    and machine, whatever the file order, and a row added later does not move the others."""
    if not 0 < test_share < 1:
        raise ValueError("test_share must be between 0 and 1")
    train: list[TrainingRow] = []
    test: list[TrainingRow] = []
    for row in rows:
        bucket = int(hashlib.sha256(row.id.encode()).hexdigest()[:8], 16) / 0x1_0000_0000
        (test if bucket < test_share else train).append(row)
    return train, test


def _rules_routing(scores: Sequence[Sequence[CategoryScore]], texts: Sequence[str],
                   taxonomy: Taxonomy) -> list[Routing]:
    return [routing_combine(s, None, sources={}, thresholds={}, taxonomy=taxonomy, text_chars=len(text))
            for s, text in zip(scores, texts, strict=True)]


def model_train(rows: Iterable[TrainingRow], *, seed: int, check_rows: Iterable[TrainingRow] | None = None,
                taxonomy: Taxonomy | None = None) -> CategoryModel:
    """Train the category model and decide, label by label, whether it may replace the rules.

    The decision uses cross-fitted held-out predictions of the training rows, or `check_rows` when given:
    labelled texts of the kind the model will meet (an office's own tips), which a court-trained model
    may read worse than court facts.
    """
    started = time.perf_counter()
    tax = taxonomy or taxonomy_load()
    data = list(rows)
    if len(data) < 2 * FOLDS:
        raise ValueError(f"at least {2 * FOLDS} training rows are needed, got {len(data)}")
    labels = [tax.fact_labels(row.charges) for row in data]
    scores = [category_rules_score(row.text, taxonomy=tax) for row in data]
    small = len(data) < 200
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=1 if small else 2,
                                 max_df=1.0 if small else 0.9, dtype=np.float32)
    vectorizer.fit([_clean(row.text) for row in data])
    rule_groups = tuple(group.id for group in tax.rules)
    shell = CategoryModel(vectorizer=vectorizer, rule_groups=rule_groups, heads={}, thresholds={}, arbitration=(),
                          info={})
    features = shell.features([row.text for row in data], rule_scores=scores, taxonomy=tax)
    counts = Counter(charge_normalise(c) for row in data for c in dict.fromkeys(row.charges))
    truth = {GANG_RELATED: np.array([label.gang_related for label in labels]),
             CORE: np.array([label.core for label in labels]),
             "coarse": np.array([label.coarse for label in labels]),
             CHARGE: np.array([_charge_class(row.charges, label, counts=counts, taxonomy=tax)
                               for row, label in zip(data, labels, strict=True)])}
    classes = {GANG_RELATED: ("True",), CORE: ("True",), "coarse": tax.coarse_codes,
               CHARGE: tuple(sorted(set(truth[CHARGE])))}
    folds = np.array([_fold_of(row.id, seed=seed) for row in data])
    held_out = _cross_fitted(features, truth, folds=folds, classes=classes, seed=seed)
    heads = {name: _fit_head(features, truth[name], classes=classes[name], held_out=held_out[name], seed=seed)
             for name in truth}
    matrix = _charge_coarse_matrix(classes[CHARGE], tax)
    coarse_index = np.array([tax.coarse_codes.index(label.coarse) for label in labels])
    temperature = _temperature(held_out[CHARGE], matrix, coarse_index)
    model = CategoryModel(vectorizer=vectorizer, rule_groups=rule_groups, heads=heads, thresholds={}, arbitration=(),
                          info={}, charge_matrix=matrix, temperature=temperature)
    model_says = model.predictions(held_out)
    model._thresholds = {
        GANG_RELATED: _best_threshold(np.array([p.gang_related for p in model_says]), truth[GANG_RELATED]),
        CORE: _best_threshold(np.array([p.core for p in model_says]), truth[CORE]),
    }
    thresholds = model.thresholds
    if check_rows is None:
        rules_say = _rules_routing(scores, [row.text for row in data], tax)
        model.arbitration = tuple(_arbitrate(labels, rules_say, model_says, thresholds=thresholds,
                                             coarse_codes=tax.coarse_codes))
        measured_on = f"cross-fitted held-out training rows ({FOLDS} folds by hash of the id)"
    else:
        model = model_rearbitrate(model, check_rows, taxonomy=tax)
        measured_on = model.info["measured_on"]
    model.info = {
        "rows": len(data), "seed": seed, "measured_on": measured_on, "sklearn": sklearn.__version__,
        "features": int(features.shape[1]), "training_seconds": round(time.perf_counter() - started, 2),
        "gang_related_rows": int(truth[GANG_RELATED].sum()), "core_rows": int(truth[CORE].sum()),
        "unknown_charges": sorted({c for label in labels for c in label.unknown_charges})[:50],
    }
    return model


def model_rearbitrate(model: CategoryModel, rows: Iterable[TrainingRow], *,
                      taxonomy: Taxonomy | None = None) -> CategoryModel:
    """A copy of `model` whose rules-vs-model choices are measured again on `rows`: labelled texts of the
    kind it will meet (an office's own verified tips), without training again."""
    tax = taxonomy or taxonomy_load()
    checks = list(rows)
    truth = [tax.fact_labels(row.charges) for row in checks]
    scores = [category_rules_score(row.text, taxonomy=tax) for row in checks]
    predictions = model.predict_many([row.text for row in checks], rule_scores=scores, taxonomy=tax)
    arbitration = _arbitrate(truth, _rules_routing(scores, [row.text for row in checks], tax), predictions,
                             thresholds=model.thresholds,
                             coarse_codes=tax.coarse_codes)
    return CategoryModel(vectorizer=model.vectorizer, rule_groups=model.rule_groups, heads=model.heads,
                         thresholds=model.thresholds, arbitration=arbitration,
                         info={**model.info, "measured_on": f"{len(checks)} check rows given by the trainer"},
                         charge_matrix=model.charge_matrix, temperature=model.temperature)


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


def model_predicted(model: CategoryModel | None, texts: Sequence[str], *, arbitrated: bool = True,
                    taxonomy: Taxonomy | None = None) -> list[PredictedLabels]:
    """Each text's labels from the rules alone (model None), the model alone, or both as arbitrated."""
    tax = taxonomy or taxonomy_load()
    scores = [category_rules_score(text, taxonomy=tax) for text in texts]
    if model is None:
        return [predicted_from_routing(routing) for routing in _rules_routing(scores, texts, tax)]
    predictions = model.predict_many(texts, rule_scores=scores, taxonomy=tax)
    if not arbitrated:
        return [_predicted_from_model(p, model.thresholds) for p in predictions]
    return [predicted_from_routing(routing_combine(s, p, sources=model.sources, thresholds=model.thresholds,
                                                   taxonomy=tax, text_chars=len(text)))
            for s, p, text in zip(scores, predictions, texts, strict=True)]


def model_evaluate(model: CategoryModel | None, rows: Iterable[TrainingRow], *, arbitrated: bool = True,
                   k_values: Sequence[int] = (50, 100), taxonomy: Taxonomy | None = None) -> Evaluation:
    """Evaluate on labelled rows: the arbitrated rules+model (default), the model alone, or the rules (None)."""
    tax = taxonomy or taxonomy_load()
    data = list(rows)
    truth = [tax.fact_labels(row.charges) for row in data]
    predicted = model_predicted(model, [row.text for row in data], arbitrated=arbitrated, taxonomy=tax)
    return evaluation_from_predictions(truth, predicted, coarse_codes=tax.coarse_codes, k_values=k_values)
