"""What the feature extractors share: tokenizing, saving state as plain data."""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin

from ..text import TOKEN_RE


def words(text: str) -> list[str]:
    """Lower-cased tokens of ``text`` (words, numbers and single punctuation marks)."""
    return [m.group().lower() for m in TOKEN_RE.finditer(text)]


def as_texts(X: Iterable) -> list[str]:
    """Validate text input the way every extractor here wants it: an iterable of ``str``."""
    if isinstance(X, str):
        raise TypeError("expected an iterable of texts, got a single str; wrap it in a list: [text]")
    texts = list(X)
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise TypeError(f"expected str at position {i}, got {type(t).__name__}; convert or drop that item")
    return texts


def csr(rows: list[int], cols: list[int], vals: list[float], n_rows: int, n_cols: int) -> sp.csr_matrix:
    """A float32 CSR matrix from coordinate lists (duplicates summed)."""
    m = sp.csr_matrix(
        (np.asarray(vals, dtype=np.float32), (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))),
        shape=(n_rows, n_cols),
        dtype=np.float32,
    )
    m.sum_duplicates()
    return m


def l2_normalize(m: sp.csr_matrix) -> sp.csr_matrix:
    """Scale each row to unit length (rows of zeros stay zero)."""
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms).astype(np.float32) @ m)


class TextTransformer(TransformerMixin, BaseEstimator):
    """Base of framing's extractors: scikit-learn transformers whose input is a list of strings.

    Their tags say so, which is what ``sklearn.utils.estimator_checks`` reads to pick the
    checks that apply to text transformers (as for scikit-learn's own ``CountVectorizer``).
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags
