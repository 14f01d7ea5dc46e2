"""Linear heads: weights learned by scikit-learn, served by numpy, decided by tuned thresholds."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Logistic function, safe for large magnitudes."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


@dataclass
class LinearHead:
    """Independent logistic outputs over one feature matrix, one column per label.

    ``coef`` is (n_features, n_labels), ``intercept`` and ``thresholds`` are (n_labels,).
    A label is chosen when its probability reaches its threshold; with ``max_labels``
    only that many are kept, those furthest above their thresholds (in log-odds).
    ``sentence_thresholds``, when set, replace ``thresholds`` for single sentences of a
    head trained on whole texts: one sentence is far less evidence than an article.
    """

    labels: tuple[str, ...]
    coef: np.ndarray
    intercept: np.ndarray
    thresholds: np.ndarray
    max_labels: int | None = None
    sentence_thresholds: np.ndarray | None = None

    def logits(self, X) -> np.ndarray:
        """Raw scores, shape (n_rows, n_labels); ``X`` is a matrix or a list of column blocks of one."""
        if not isinstance(X, list):
            return np.asarray(X @ self.coef, dtype=np.float64) + self.intercept
        z = np.zeros((X[0].shape[0], self.coef.shape[1])) + self.intercept
        start = 0
        for block in X:
            coef = self.coef[start : start + block.shape[1]]
            if not sp.issparse(block):
                # In float64: BLAS sums in an order that depends on the number of rows, so a
                # text's score would move in the 7th digit with the other texts of its batch.
                block, coef = np.asarray(block, dtype=np.float64), coef.astype(np.float64)
            z += block @ coef
            start += block.shape[1]
        return z

    def scores(self, X) -> np.ndarray:
        """Probabilities in [0, 1], shape (n_rows, n_labels)."""
        return sigmoid(self.logits(X))

    def decide(self, scores: np.ndarray, max_labels: int | None = None, sentences: bool = False) -> np.ndarray:
        """Boolean choices for probabilities from :meth:`scores` (at most ``max_labels`` per row, if given);
        ``sentences=True`` decides single sentences, with ``sentence_thresholds`` where the head has them."""
        thresholds = self.thresholds if not sentences or self.sentence_thresholds is None else self.sentence_thresholds
        chosen = scores >= thresholds
        cap = min(filter(None, (max_labels, self.max_labels)), default=None)
        if cap is not None and scores.shape[-1] > cap:
            margin = _logit(scores) - _logit(thresholds)
            top = np.zeros_like(chosen)
            np.put_along_axis(top, np.argsort(-margin, axis=-1, kind="stable")[..., :cap], True, axis=-1)
            chosen &= top
        return chosen


def _logit(p) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=np.float64), 1e-9, 1 - 1e-9)
    return np.log(p / (1 - p))


def fit_head(X, Y: np.ndarray, labels, C: float = 1.0, class_weight=None, seed: int = 0,
             row_space: bool = False) -> LinearHead:
    """Fit one L2 logistic regression per column of the 0/1 matrix ``Y``.

    A label with no positive example gets zero weights and a probability of zero, so
    it is never chosen. Thresholds start at 0.5; tune them with :func:`tune_thresholds`.
    With ``row_space=True`` each regression is solved in the span of the rows of ``X``,
    where its optimum lies: the same model, solved to a tighter tolerance, and much
    faster when there are far fewer rows than columns (a few hundred articles).
    """
    from sklearn.linear_model import LogisticRegression

    Y = np.asarray(Y)
    n_features, n_labels = X.shape[1], Y.shape[1]
    coef = np.zeros((n_features, n_labels), dtype=np.float32)
    intercept = np.full(n_labels, -30.0, dtype=np.float32)
    if row_space:
        Z, to_coef = _row_space(X)
    for j in range(n_labels):
        y = Y[:, j]
        if y.min() == y.max():
            continue
        if row_space:
            lr = LogisticRegression(C=C, class_weight=class_weight, max_iter=5000, tol=1e-6, random_state=seed)
            lr.fit(Z, y)
            coef[:, j] = to_coef(lr.coef_[0])
        else:
            lr = LogisticRegression(C=C, class_weight=class_weight, max_iter=2000, random_state=seed)
            lr.fit(X, y)
            coef[:, j] = lr.coef_[0]
        intercept[j] = lr.intercept_[0]
    return LinearHead(tuple(labels), coef, intercept, np.full(n_labels, 0.5, dtype=np.float32))


def _row_space(X) -> tuple[np.ndarray, object]:
    """Coordinates ``Z`` of the rows of ``X`` in an orthonormal basis of their span, and the map
    from weights on ``Z`` back to weights on the columns of ``X``.

    ``X @ w`` and ``|w|`` are the same for ``w = to_coef(v)`` as ``Z @ v`` and ``|v|``, so an
    L2-penalised linear model fitted on ``Z`` is the one fitted on ``X``.
    """
    X = sp.csr_matrix(X, dtype=np.float64) if sp.issparse(X) else np.asarray(X, dtype=np.float64)
    gram = X @ X.T
    gram = gram.toarray() if sp.issparse(gram) else np.asarray(gram)
    lam, U = np.linalg.eigh(gram)
    keep = lam > 1e-10 * max(lam.max(), 1e-300)
    scale = U[:, keep] / np.sqrt(lam[keep])
    return U[:, keep] * np.sqrt(lam[keep]), lambda v: np.asarray(X.T @ (scale @ v)).ravel()


def best_threshold(y: np.ndarray, p: np.ndarray, floor: float = 0.05, average: str = "binary") -> float:
    """The probability cut that maximises F1 of 0/1 labels ``y`` given scores ``p``.

    ``average="binary"`` maximises the positive class's F1 (for sparse labels);
    ``"macro"`` the mean of both classes' F1 (for balanced yes/no decisions).
    Returns 0.5 when ``y`` has no positive.
    """
    y = np.asarray(y).astype(bool)
    if not y.any():
        return 0.5
    order = np.argsort(-p, kind="stable")
    tp = np.cumsum(y[order])
    k = np.arange(1, len(p) + 1)
    f1 = 2 * tp / (k + y.sum())
    if average == "macro":
        tn = (~y).sum() - (k - tp)
        f1 = (f1 + 2 * tn / ((len(p) - k) + (~y).sum())) / 2
    elif average != "binary":
        raise ValueError(f"average must be 'binary' or 'macro', got {average!r}")
    best = int(np.argmax(f1))
    return float(max(p[order][best], floor))


def tune_thresholds(Y: np.ndarray, P: np.ndarray, floor: float = 0.05) -> np.ndarray:
    """Per-column F1-maximising thresholds for label matrix ``Y`` and score matrix ``P``."""
    return np.array([best_threshold(Y[:, j], P[:, j], floor) for j in range(Y.shape[1])], dtype=np.float32)
