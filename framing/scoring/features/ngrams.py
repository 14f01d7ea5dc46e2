"""Word n-grams over a learned, pruned vocabulary (every column has a readable name)."""
from __future__ import annotations

from collections import Counter

import numpy as np
import scipy.sparse as sp

from framing.scoring.features.base import PhraseIndex, TextTransformer, TokenBatch, as_texts, check_fitted, count_matrix, l2_normalize


def ngrams(tokens: list[str], n_min: int, n_max: int) -> list[str]:
    """All n-grams of ``tokens`` with ``n_min <= n <= n_max``, joined by spaces."""
    out: list[str] = []
    for n in range(n_min, n_max + 1):
        out.extend(tokens if n == 1 else (" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)))
    return out


class NgramFeatures(TextTransformer):
    """TF-IDF weighted word n-grams with a vocabulary learned by ``fit``.

    Parameters
    ----------
    ngram_range : (int, int)
        Smallest and largest n-gram length.
    min_df : int
        Keep n-grams seen in at least this many texts.
    max_features : int or None
        Keep at most this many n-grams, the most frequent first.
    sublinear_tf : bool
        Use ``1 + log(tf)`` instead of raw counts.

    Examples
    --------
    >>> from framing.features import NgramFeatures
    >>> f = NgramFeatures(min_df=1).fit(["a shameful act", "a fair act"])
    >>> f.transform(["a shameful deal"]).shape
    (1, 8)
    >>> [str(g) for g in f.get_feature_names_out()[:3]]
    ['a', 'a fair', 'a shameful']
    """

    def __init__(self, ngram_range=(1, 2), min_df=2, max_features=None, sublinear_tf=True):
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_features = max_features
        self.sublinear_tf = sublinear_tf

    def fit(self, X, y=None):
        """Learn the vocabulary and inverse document frequencies from texts ``X``."""
        texts = as_texts(X)
        n_min, n_max = self.ngram_range
        if not 1 <= n_min <= n_max:
            raise ValueError(f"ngram_range must satisfy 1 <= min <= max, got {self.ngram_range!r}")
        batch = TokenBatch.from_texts(texts)
        df: Counter[str] = Counter()
        for i in range(len(texts)):
            df.update(set(ngrams(batch.lower[batch.indptr[i] : batch.indptr[i + 1]], n_min, n_max)))
        kept = sorted((g for g, c in df.items() if c >= self.min_df), key=lambda g: (-df[g], g))
        if self.max_features is not None:
            kept = kept[: self.max_features]
        kept.sort()
        counts = np.array([df[g] for g in kept], dtype=np.float64)
        return self.set_vocabulary(kept, np.log((1 + len(texts)) / (1 + counts)) + 1)

    def set_vocabulary(self, vocabulary, idf):
        """Use a given n-gram list and matching idf weights instead of fitting (how saved models load)."""
        if len(vocabulary) != len(idf):
            raise ValueError(f"vocabulary has {len(vocabulary)} n-grams but idf has {len(idf)} weights")
        self.vocabulary_ = dict(zip(vocabulary, range(len(vocabulary))))
        self.idf_ = np.asarray(idf, dtype=np.float32)
        self._index = PhraseIndex(vocabulary)
        return self

    def token_vocabularies(self) -> list[dict[str, int]]:
        """The words of the n-grams (see :class:`~framing.features.Extractor`)."""
        check_fitted(self, "vocabulary_")
        return [self._index.vocabulary]

    def counts(self, batch: TokenBatch) -> sp.csr_matrix:
        """How often each vocabulary n-gram occurs in each text of ``batch``."""
        check_fitted(self, "vocabulary_")
        starts, _, cols = self._index.find(batch)
        return count_matrix(batch.row[starts], cols, len(batch.texts), len(self.vocabulary_))

    def finalize(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        """Counts to L2-normalised TF-IDF rows."""
        counts = sp.csr_matrix(counts)
        data = (1.0 + np.log(counts.data)) if self.sublinear_tf else counts.data.copy()
        data = (data * self.idf_[counts.indices]).astype(np.float32)
        return l2_normalize(sp.csr_matrix((data, counts.indices, counts.indptr), shape=counts.shape))

    def get_feature_names_out(self, input_features=None):
        """The n-grams, in column order."""
        check_fitted(self, "vocabulary_")
        names = np.empty(len(self.vocabulary_), dtype=object)
        for g, i in self.vocabulary_.items():
            names[i] = g
        return names
