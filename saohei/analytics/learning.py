"""A learned category model: trained on an office's verified clues or on files in the CAIL2018 format.

Why a model at all: the phrase rules of routing.py are readable but miss what is said in other words.
Why not only a model: a model trained on court judgments reads court prose, and citizens do not write
like courts. So the model is trained with the rule scores among its features, and for each decision
(gang-related, core, each coarse category) it is used only where it measured better than the rules on
texts it had not seen: cross-fitted held-out predictions of the training rows, or a check set from the
domain the model will serve (`check_rows`, e.g. an office's own labelled tips). The figures and the
chosen source per decision are stored in the model file and shown by the benchmark.

Model: TF-IDF character 1–3-grams of the normalised text (court boilerplate, masked charges and
sentences naming the evidence removed) plus the rule scores of every rule group (also scaled by how
short the text is: evidence in a short tip is denser than in a long judgment). Linear SVMs with
balanced class weights, Platt-calibrated on cross-fitted decision values: one head each for
gang-related, core and the nine coarse categories, and a head over the individual charges whose
softmax, summed per category, is blended into the coarse and gang-related probabilities, and summed
over the core charges, into the core probability (learning 寻衅滋事 apart from 故意伤害 helps all
three). Word n-grams from jieba were tried and left out: no gain on held-out court facts, three
milliseconds per text more.
Arbitration: per decision, the model replaces the rules only where its held-out F1 is higher in 95 %
of bootstrap resamples (and it saw enough positives to tell).

Model files are pickles: load only files your own office produced (`from_bytes` refuses other format
versions and other scikit-learn versions, it does not make a foreign pickle safe).

The parts: `learning_data` (training rows, the CAIL2018 format, the split by id), `learning_heads` (the SVM heads,
their calibration, cross-fitting, the charge head) and `learning_evaluation` (F1, bootstrap arbitration, the
figures); this module holds the model, its training and its evaluation, and re-exports what others import.
"""

from __future__ import annotations

import json
import math
import pickle
import re
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer

from saohei.analytics.learning_data import (
    CAIL_KEYS,
    TrainingDataError,
    TrainingRow,
    split_by_id,
    training_rows_from_jsonl,
)
from saohei.analytics.learning_evaluation import (
    BOOTSTRAP,
    BOOTSTRAP_SEED,
    CONFIDENCE,
    MIN_SUPPORT,
    Evaluation,
    LabelArbitration,
    PredictedLabels,
    evaluation_from_predictions,
    labels_arbitrate,
    predicted_from_model,
    predicted_from_routing,
    threshold_best,
)
from saohei.analytics.learning_heads import (
    CHARGE,
    CHARGE_BLEND,
    CORE_BLEND,
    FOLDS,
    SVM_C,
    LinearHead,
    charge_class,
    charge_coarse_matrix,
    charge_core_vector,
    decisions_cross_fitted,
    fold_of,
    head_fit,
    linear_decisions,
    softmax,
    temperature_fit,
)
from saohei.analytics.routing import (
    CORE,
    GANG_RELATED,
    CategoryScore,
    ModelPrediction,
    Prose,
    Routing,
    Source,
    category_rules_score,
    prose_matches,
    prose_of_rows,
    routing_combine,
    text_for_matching,
)
from saohei.analytics.taxonomy import OTHER, Taxonomy, charge_normalise, taxonomy_load

__all__ = [
    "BOOTSTRAP",
    "BOOTSTRAP_SEED",
    "CAIL_KEYS",
    "CONFIDENCE",
    "FOLDS",
    "FORMAT_VERSION",
    "MAGIC",
    "MIN_SUPPORT",
    "SVM_C",
    "CategoryModel",
    "Evaluation",
    "LabelArbitration",
    "ModelFormatError",
    "PredictedLabels",
    "TrainingDataError",
    "TrainingRow",
    "evaluation_from_predictions",
    "model_evaluate",
    "model_predicted",
    "model_rearbitrate",
    "model_train",
    "predicted_from_routing",
    "split_by_id",
    "training_rows_from_jsonl",
]

FORMAT_VERSION = 2  # 2: the charge head also speaks for the core decision (charge_core)
MAGIC = b"SAOHEI-CATEGORY-MODEL\n"
DENSE_CHARS = 150  # rule evidence in a text this short or shorter counts fully in the density features
RULE_WEIGHT = 0.5  # scale of the rule-score features next to the unit-length TF-IDF vector
_BOILERPLATE = re.compile(
    r"(?:公诉机关|人民检察院|检察院)[^，。：:]{0,20}?(?:指控|起诉)[称：:，,]?"
    r"|经审理查明[，,：:]?|《中华人民共和国刑法》[^。，]*|[×X]+|被告人|被害人|依法判处|提请本院"
)
# A sentence naming the evidence (lists of statements, records, arrest reports) says how a fact was proved, not what
# happened: the same in every kind of case, so it is left out of what the model reads.
_EVIDENCE = re.compile(r"证据|证人证言|供述与辩解|辨认笔录|勘验|检查笔录|户籍证明|抓获经过|到案经过")
_SENTENCE_END = re.compile(r"(?<=[。；;])")
_Head = LinearHead  # model files pickled before the heads had a module of their own name the class so


class ModelFormatError(ValueError):
    """Model bytes that this code cannot use: not a model, another format version or scikit-learn version."""



def _clean(text: str) -> str:
    """The text the model reads: normalised, court boilerplate, masked charges (××) and sentences about the
    evidence removed (the whole text when every sentence is about evidence)."""
    cleaned = _BOILERPLATE.sub(" ", text_for_matching(text))
    kept = "".join(sentence for sentence in _SENTENCE_END.split(cleaned) if not _EVIDENCE.search(sentence))
    return kept or cleaned


def _rule_vector(scores: Sequence[CategoryScore], groups: Sequence[str]) -> np.ndarray:
    vector = np.zeros(len(groups))
    index = {group: position for position, group in enumerate(groups)}
    for score in scores:
        if score.rule_group in index:
            vector[index[score.rule_group]] = math.log1p(score.score)
    return vector



class CategoryModel:
    """Predicts gang-related, core and the nine coarse categories of a text, with probabilities."""

    def __init__(self, *, vectorizer: TfidfVectorizer, rule_groups: tuple[str, ...], heads: Mapping[str, LinearHead],
                 thresholds: Mapping[str, float], arbitration: Sequence[LabelArbitration],
                 info: Mapping[str, Any], charge_matrix: np.ndarray | None = None, temperature: float = 8.0,
                 charge_core: np.ndarray | None = None) -> None:
        self.charge_matrix = charge_matrix
        self.charge_core = charge_core
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

    @property
    def measured_prose(self) -> Prose:
        """The kind of texts its arbitration was measured on; files trained before it was recorded: mixed."""
        prose = self.info.get("measured_prose", "mixed")
        return prose if prose in ("court", "other") else "mixed"

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
        decisions = {name: linear_decisions(features, head.weights, head.bias) for name, head in self.heads.items()}
        return self.predictions(decisions)

    def predictions(self, decisions: Mapping[str, np.ndarray]) -> list[ModelPrediction]:
        """Probabilities from the heads' decision values: calibrated direct heads, blended for the coarse
        category, gang-related and core with the charge head (a charge predicted says which category it is in
        and whether it is a core charge)."""
        gang, core, coarse = (self.heads[name].calibrate(decisions[name]) for name in (GANG_RELATED, CORE, "coarse"))
        coarse = coarse / np.maximum(coarse.sum(axis=1, keepdims=True), 1e-9)
        gang = gang[:, 0]
        classes = self.heads["coarse"].classes
        if self.charge_matrix is not None and CHARGE in decisions:
            by_charge = softmax(decisions[CHARGE], self.temperature) @ self.charge_matrix
            coarse = (1 - CHARGE_BLEND) * coarse + CHARGE_BLEND * by_charge
            gang = (1 - CHARGE_BLEND) * gang + CHARGE_BLEND * (1 - by_charge[:, classes.index(OTHER)])
            if self.charge_core is not None:
                charges = softmax(decisions[CHARGE], self.temperature) @ self.charge_core
                core = (1 - CORE_BLEND) * core + CORE_BLEND * charges[:, None]
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
             CHARGE: np.array([charge_class(row.charges, label, counts=counts, taxonomy=tax)
                               for row, label in zip(data, labels, strict=True)])}
    classes = {GANG_RELATED: ("True",), CORE: ("True",), "coarse": tax.coarse_codes,
               CHARGE: tuple(sorted(set(truth[CHARGE])))}
    folds = np.array([fold_of(row.id, seed=seed) for row in data])
    held_out = decisions_cross_fitted(features, truth, folds=folds, classes=classes, seed=seed)
    heads = {name: head_fit(features, truth[name], classes=classes[name], held_out=held_out[name], seed=seed)
             for name in truth}
    matrix = charge_coarse_matrix(classes[CHARGE], tax)
    coarse_index = np.array([tax.coarse_codes.index(label.coarse) for label in labels])
    temperature = temperature_fit(held_out[CHARGE], matrix, coarse_index)
    model = CategoryModel(vectorizer=vectorizer, rule_groups=rule_groups, heads=heads, thresholds={}, arbitration=(),
                          info={}, charge_matrix=matrix, temperature=temperature,
                          charge_core=charge_core_vector(classes[CHARGE], tax))
    model_says = model.predictions(held_out)
    model._thresholds = {
        GANG_RELATED: threshold_best(np.array([p.gang_related for p in model_says]), truth[GANG_RELATED]),
        CORE: threshold_best(np.array([p.core for p in model_says]), truth[CORE]),
    }
    thresholds = model.thresholds
    if check_rows is None:
        rules_say = _rules_routing(scores, [row.text for row in data], tax)
        model.arbitration = tuple(labels_arbitrate(labels, rules_say, model_says, thresholds=thresholds,
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
        "measured_prose": (prose_of_rows([row.text for row in data]) if check_rows is None
                           else model.info["measured_prose"]),
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
    arbitration = labels_arbitrate(truth, _rules_routing(scores, [row.text for row in checks], tax), predictions,
                             thresholds=model.thresholds,
                             coarse_codes=tax.coarse_codes)
    return CategoryModel(vectorizer=model.vectorizer, rule_groups=model.rule_groups, heads=model.heads,
                         thresholds=model.thresholds, arbitration=arbitration,
                         info={**model.info, "measured_on": f"{len(checks)} check rows given by the trainer",
                               "measured_prose": prose_of_rows([row.text for row in checks])},
                         charge_matrix=model.charge_matrix, temperature=model.temperature,
                         charge_core=model.charge_core)



def model_predicted(model: CategoryModel | None, texts: Sequence[str], *, arbitrated: bool = True,
                    taxonomy: Taxonomy | None = None) -> list[PredictedLabels]:
    """Each text's labels from the rules alone (model None), the model alone, or both as arbitrated."""
    tax = taxonomy or taxonomy_load()
    scores = [category_rules_score(text, taxonomy=tax) for text in texts]
    if model is None:
        return [predicted_from_routing(routing) for routing in _rules_routing(scores, texts, tax)]
    predictions = model.predict_many(texts, rule_scores=scores, taxonomy=tax)
    if not arbitrated:
        return [predicted_from_model(p, model.thresholds) for p in predictions]
    return [predicted_from_routing(routing_combine(s, p, sources=model.sources, thresholds=model.thresholds,
                                                   taxonomy=tax, text_chars=len(text),
                                                   prose_matched=prose_matches(model.measured_prose, text)))
            for s, p, text in zip(scores, predictions, texts, strict=True)]


def model_evaluate(model: CategoryModel | None, rows: Iterable[TrainingRow], *, arbitrated: bool = True,
                   k_values: Sequence[int] = (50, 100), taxonomy: Taxonomy | None = None) -> Evaluation:
    """Evaluate on labelled rows: the arbitrated rules+model (default), the model alone, or the rules (None)."""
    tax = taxonomy or taxonomy_load()
    data = list(rows)
    truth = [tax.fact_labels(row.charges) for row in data]
    predicted = model_predicted(model, [row.text for row in data], arbitrated=arbitrated, taxonomy=tax)
    return evaluation_from_predictions(truth, predicted, coarse_codes=tax.coarse_codes, k_values=k_values)
