"""Word vectors learned from the training texts themselves (PPMI + truncated SVD), averaged per text."""
from __future__ import annotations

from collections import Counter

import numpy as np
import scipy.sparse as sp

from framing.scoring.features.base import TextTransformer, TokenBatch, as_texts, check_fitted


class EmbeddingFeatures(TextTransformer):
    """The L2-normalised mean of a text's word vectors.

    ``fit`` learns the vectors from the texts it is given, without labels: counts of words
    co-occurring within ``window`` tokens, weighted by positive pointwise mutual information
    (context counts smoothed to the power 0.75), reduced to ``dim`` dimensions by a
    truncated SVD. Words that occur alike get similar vectors, so a head that learned
    "hysteria" also leans on "frenzy" where the labelled data never showed it.

    Parameters
    ----------
    dim : int
        Vector size.
    window : int
        Co-occurrence window, in tokens, on each side.
    min_count : int
        Words seen fewer times in ``fit`` get no vector.

    Examples
    --------
    >>> from framing.features import EmbeddingFeatures
    >>> texts = ["the cat sat on the mat", "the dog sat on the rug", "a cat and a dog"] * 5
    >>> f = EmbeddingFeatures(dim=2, min_count=2).fit(texts)
    >>> f.transform(["the cat"]).shape
    (1, 2)
    """

    _fitted_attribute = "vectors_"

    def __init__(self, dim=64, window=4, min_count=5):
        self.dim = dim
        self.window = window
        self.min_count = min_count

    def fit(self, X, y=None):
        """Learn the vocabulary and word vectors from texts ``X``."""
        batch = TokenBatch.from_texts(as_texts(X))
        counts = Counter(batch.lower)
        words = sorted(w for w, c in counts.items() if c >= self.min_count and any(ch.isalpha() for ch in w))
        if len(words) < 2:
            raise ValueError(f"fewer than 2 words occur {self.min_count} times; give more text or lower min_count")
        vocabulary = {w: i for i, w in enumerate(words)}
        ids, row = batch.ids(vocabulary), batch.row
        pairs = []
        for d in range(1, self.window + 1):
            a, b = ids[:-d], ids[d:]
            ok = (a >= 0) & (b >= 0) & (row[:-d] == row[d:])
            pairs += [(a[ok], b[ok]), (b[ok], a[ok])]
        rows = np.concatenate([p[0] for p in pairs])
        cols = np.concatenate([p[1] for p in pairs])
        n = len(words)
        co = sp.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n)).tocsr().tocoo()
        total = co.data.sum()
        word_sums = np.asarray(co.sum(axis=1)).ravel()
        context = np.asarray(co.sum(axis=0)).ravel() ** 0.75
        context = context / context.sum() * total
        pmi = np.log(co.data * total / (word_sums[co.row] * context[co.col]))
        keep = pmi > 0
        ppmi = sp.csr_matrix((pmi[keep], (co.row[keep], co.col[keep])), shape=(n, n))
        from scipy.sparse.linalg import svds  # here: importing it costs scoring a tenth of a second

        k = min(self.dim, n - 1)
        u, s, _ = svds(ppmi, k=k, v0=np.ones(n))
        vectors = np.zeros((n, self.dim))
        vectors[:, :k] = u * np.sqrt(s)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-12
        return self.set_vocabulary(words, vectors)

    def set_vocabulary(self, vocabulary, vectors):
        """Use given words and their vectors instead of fitting (how saved models load).

        Vectors are kept at half precision, as they are saved, so a model scores the same
        before and after a round trip through its files.
        """
        vectors = np.asarray(vectors, dtype=np.float16).astype(np.float32)
        if vectors.shape != (len(vocabulary), self.dim):
            raise ValueError(f"expected {len(vocabulary)} vectors of size {self.dim}, got an array of shape {vectors.shape}")
        self.vocabulary_ = {w: i for i, w in enumerate(vocabulary)}
        self.vectors_ = vectors
        return self

    def token_vocabularies(self) -> list[dict[str, int]]:
        """The word vocabulary (see :class:`~framing.features.Extractor`)."""
        check_fitted(self, "vectors_")
        return [self.vocabulary_]

    def counts(self, batch: TokenBatch) -> np.ndarray:
        """The sum of each text's word vectors, shape (n_texts, dim) (sums add up across sentences).

        Computed as (texts x words occurrence matrix) @ vectors, which streams through the
        tokens without building a vector per token.
        """
        check_fitted(self, "vectors_")
        ids = batch.ids(self.vocabulary_)
        known = ids >= 0
        indptr = np.zeros(len(batch.texts) + 1, dtype=np.int64)
        np.cumsum(np.bincount(batch.row[known], minlength=len(batch.texts)), out=indptr[1:])
        occurrences = sp.csr_matrix(
            (np.ones(int(known.sum()), dtype=np.float32), ids[known], indptr), shape=(len(batch.texts), len(self.vocabulary_))
        )
        return np.asarray(occurrences @ self.vectors_, dtype=np.float32)

    def finalize(self, counts) -> np.ndarray:
        """Sums to unit-length rows (the direction of the mean vector)."""
        c = np.asarray(counts, dtype=np.float32)
        norms = np.linalg.norm(c, axis=1, keepdims=True)
        return c / np.where(norms > 0, norms, 1.0)

    def get_feature_names_out(self, input_features=None):
        """``embedding:0`` ... ``embedding:{dim-1}``."""
        return np.array([f"embedding:{j}" for j in range(self.dim)], dtype=object)
