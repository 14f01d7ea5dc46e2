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
    ``evidence_thresholds``, when set, are what a text's label needs from at least one of
    its sentences (that sentence's probability of the label): a text's label is always
    backed by a sentence a reader can look at.
    """

    labels: tuple[str, ...]
    coef: np.ndarray
    intercept: np.ndarray
    thresholds: np.ndarray
    max_labels: int | None = None
    sentence_thresholds: np.ndarray | None = None
    evidence_thresholds: np.ndarray | None = None

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
