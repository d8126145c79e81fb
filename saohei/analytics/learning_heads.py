"""The heads of the category model: linear SVMs kept as plain weights, Platt-calibrated on cross-fitted decisions.

One head each for gang-related, core and the nine coarse categories, and one over the individual charges whose
softmax (at a temperature fitted on held-out rows), summed per category, is blended into the coarse and gang-related
probabilities, and summed over the core charges, into the core probability (寻衅滋事 told apart from 故意伤害 by
the charge head helps the core decision). Cross-fitting: each row's decision values come from models trained on the
other folds (`FOLDS`, assigned by a hash of the row id), so calibration and the rules-vs-model figures are measured
on unseen texts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from saohei.analytics.taxonomy import FactLabels, Taxonomy, charge_normalise

FOLDS = 3  # cross-fitting folds for calibration and for the rules-vs-model figures
SVM_C = 1.0  # chosen on cross-fitted held-out training rows (0.25, 0.5, 1 and 2 tried: 1 and 2 alike, above 0.5)


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


def linear_decisions(features: sp.csr_matrix, weights: np.ndarray, bias: np.ndarray) -> np.ndarray:
    return np.asarray(features @ weights) + bias


@dataclass
class LinearHead:
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


def head_fit(features: sp.csr_matrix, truth: np.ndarray, *, classes: tuple[str, ...], held_out: np.ndarray,
              seed: int) -> LinearHead:
    """Fit on every row; calibrate on the cross-fitted decision values of the same rows."""
    columns = [truth.astype(str) == name for name in classes]
    svm = _fit_svm(features, truth, seed=seed)
    weights, bias = _weights(svm, classes, features.shape[1])
    platt = np.array([_platt(held_out[:, index], column) for index, column in enumerate(columns)])
    constant = None if svm is not None else np.array([float(column.mean()) for column in columns])
    return LinearHead(classes=classes, weights=weights, bias=bias, platt=platt, constant=constant)


def fold_of(row_id: str, *, seed: int) -> int:
    return int(hashlib.sha256(f"{seed}:{row_id}".encode()).hexdigest()[:8], 16) % FOLDS


def decisions_cross_fitted(features: sp.csr_matrix, truth: Mapping[str, np.ndarray], *, folds: np.ndarray,
                  classes: Mapping[str, tuple[str, ...]], seed: int) -> dict[str, np.ndarray]:
    """Decision values of each row from models that did not see it."""
    out = {name: np.full((features.shape[0], len(classes[name])), UNSEEN) for name in truth}
    for fold in range(FOLDS):
        train, test = folds != fold, folds == fold
        if not test.any() or not train.any():
            continue
        for name, labels in truth.items():
            svm = _fit_svm(features[train], labels[train], seed=seed)
            out[name][test] = linear_decisions(features[test], *_weights(svm, classes[name], features.shape[1]))
    return out



CHARGE = "charge"
MIN_CHARGE_ROWS = 4  # charges seen fewer times are pooled by coarse category and core-ness
CHARGE_BLEND = 0.5  # share of the charge head in the coarse and gang-related probabilities
CORE_BLEND = 0.25  # share of the charge head (its core charges' probabilities summed) in the core probability
TEMPERATURES = (2.0, 4.0, 8.0, 16.0, 32.0)


def charge_class(charges: Sequence[str], label: FactLabels, *, counts: Mapping[str, int],
                  taxonomy: Taxonomy) -> str:
    """The charge that decided the text's coarse category, or a pool "rare:<coarse>[:core]" for rare ones."""
    names = [charge_normalise(charge) for charge in charges]
    deciding = next((name for name in names if taxonomy.fact_labels([name]).coarse == label.coarse), names[0])
    if counts.get(deciding, 0) >= MIN_CHARGE_ROWS:
        return deciding
    core = taxonomy.fact_labels([deciding]).core
    return f"rare:{label.coarse}" + (":core" if core else "")


def charge_coarse_matrix(classes: Sequence[str], taxonomy: Taxonomy) -> np.ndarray:
    """(charge classes × coarse categories): 1 where the charge belongs to the category."""
    codes = taxonomy.coarse_codes
    matrix = np.zeros((len(classes), len(codes)), dtype=np.float32)
    for row, name in enumerate(classes):
        coarse = name.split(":")[1] if name.startswith("rare:") else taxonomy.fact_labels([name]).coarse
        matrix[row, codes.index(coarse)] = 1.0
    return matrix


def charge_core_vector(classes: Sequence[str], taxonomy: Taxonomy) -> np.ndarray:
    """(charge classes,): 1 where the charge class is a core charge (a pool "rare:<coarse>:core" counts)."""
    return np.array([name.endswith(":core") if name.startswith("rare:") else taxonomy.fact_labels([name]).core
                     for name in classes], dtype=np.float32)


def softmax(decisions: np.ndarray, temperature: float) -> np.ndarray:
    scaled = temperature * (decisions - decisions.max(axis=1, keepdims=True))
    weights = np.exp(scaled)
    return np.asarray(weights / weights.sum(axis=1, keepdims=True))


def temperature_fit(decisions: np.ndarray, matrix: np.ndarray, coarse_index: np.ndarray) -> float:
    """The softmax temperature whose coarse probabilities best fit the held-out labels (log-loss)."""
    def loss(temperature: float) -> float:
        coarse = softmax(decisions, temperature) @ matrix
        return float(-np.mean(np.log(np.clip(coarse[np.arange(len(coarse_index)), coarse_index], 1e-6, 1))))

    return min(TEMPERATURES, key=loss)

