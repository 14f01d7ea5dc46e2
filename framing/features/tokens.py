"""Features of one token in its context: the word, its neighbours, its word lists, its shape."""
from __future__ import annotations

from collections import Counter

import numpy as np
import scipy.sparse as sp

from ._base import Estimator, SHAPES, TokenBatch, check_fitted, shape_codes
from .lexicon import _check_lexicons


def _check_windows(X, window: int) -> list[tuple[str, ...]]:
    size = 2 * window + 1
    rows = list(X)
    for i, t in enumerate(rows):
        if not (isinstance(t, (tuple, list)) and len(t) == size and all(isinstance(w, str) for w in t)):
            raise TypeError(
                f"expected tuples of {size} strings (the word with {window} neighbours each side), "
                f"got {t!r} at position {i}; use '' for a missing neighbour (see framing.spans.windows)"
            )
    return rows


def _positions(window: int) -> list[tuple[str, int]]:
    """Column blocks: the word, then previous/next at distance 1, 2, ... (name, offset)."""
    return [("word", 0)] + [(f"{side}{d}", sign * d) for d in range(1, window + 1) for side, sign in (("prev", -1), ("next", 1))]


class TokenFeatures(Estimator):
    """One row per token: one-hot word and neighbours, the word lists holding it, its shape.

    Each sample is a tuple ``(w[i-k], ..., w[i-1], w[i], w[i+1], ..., w[i+k])`` of strings as
    written, ``k = window``, with '' where there is no neighbour (``framing.spans.windows``
    makes them); :meth:`transform_batch` does the same for every token of a
    :class:`~framing.features._base.TokenBatch` at once. Words are matched lower-cased.
    The vocabulary is the words seen ``min_count`` times in ``fit`` plus every single-word
    lexicon entry.

    Parameters
    ----------
    lexicons : dict of str -> list of str
        Named word lists; a token gets a flag for each list holding it.
    min_count : int
        How often a word must occur in ``fit`` to get its own columns.
    window : int
        Neighbours on each side that get their own one-hot block.

    Examples
    --------
    >>> from framing.features import TokenFeatures
    >>> from framing.spans import windows
    >>> rows = windows(["Pakistan's", "jealousy", "is", "apparent"], window=1)
    >>> f = TokenFeatures({"negative": ["jealousy"]}, min_count=1, window=1).fit(rows)
    >>> X = f.transform(rows[1:2])
    >>> [str(f.get_feature_names_out()[j]) for j in X.indices]
    ['word:jealousy', "prev1:pakistan's", 'next1:is', 'lexicon:negative']
    """

    def __init__(self, lexicons=None, min_count=2, window=2):
        self.lexicons = lexicons
        self.min_count = min_count
        self.window = window

    def fit(self, X, y=None):
        """Learn the vocabulary from token windows ``X``."""
        rows = _check_windows(X, self.window)
        lex = _check_lexicons(self.lexicons)
        counts = Counter(t[self.window].lower() for t in rows)
        lexicon_words = {e for entries in lex.values() for e in entries if " " not in e}
        return self.set_vocabulary(sorted({w for w, c in counts.items() if c >= self.min_count} | lexicon_words))

    def set_vocabulary(self, vocabulary):
        """Use a given word list instead of fitting (how saved models load)."""
        lex = _check_lexicons(self.lexicons)
        self.vocabulary_ = {w: i for i, w in enumerate(vocabulary)}
        self.lexicon_names_ = list(lex)
        rows, cols = [], []
        for j, entries in enumerate(lex.values()):
            for e in entries:
                if e in self.vocabulary_:
                    rows.append(self.vocabulary_[e])
                    cols.append(j)
        self.word_lexicons_ = sp.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(vocabulary), len(lex))
        )
        return self

    def _ids(self, words: list[str]) -> np.ndarray:
        get = self.vocabulary_.get
        return np.fromiter((get(w.lower(), -1) for w in words), dtype=np.int64, count=len(words))

    def _one_hot(self, ids: np.ndarray) -> sp.csr_matrix:
        known = ids >= 0
        indptr = np.zeros(len(ids) + 1, dtype=np.int64)
        np.cumsum(known, out=indptr[1:])
        data = np.ones(int(indptr[-1]), dtype=np.float32)
        return sp.csr_matrix((data, ids[known], indptr), shape=(len(ids), len(self.vocabulary_)))

    def _assemble(self, shapes: np.ndarray, blocks: list[np.ndarray]) -> sp.csr_matrix:
        word = self._one_hot(blocks[0])
        bits = (shapes[:, None] >> np.arange(len(SHAPES))) & 1
        shapes = sp.csr_matrix(bits.astype(np.float32))
        return sp.hstack(
            [word, *(self._one_hot(b) for b in blocks[1:]), word @ self.word_lexicons_, shapes],
            format="csr",
            dtype=np.float32,
        )

    def transform(self, X):
        """Token windows to a sparse matrix (n_tokens, (2 * window + 1) * vocabulary + lexicons + shapes)."""
        check_fitted(self, "vocabulary_")
        rows = _check_windows(X, self.window)
        k = self.window
        blocks = [self._ids([t[k + offset] for t in rows]) for _, offset in _positions(k)]
        return self._assemble(shape_codes([t[k] for t in rows]), blocks)

    def context_ids(self, batch: TokenBatch) -> list[np.ndarray]:
        """Vocabulary ids of every token of ``batch`` and of its neighbours, one array per column block
        (word, prev1, next1, ...); -1 for an unknown word or a neighbour outside the token's text."""
        check_fitted(self, "vocabulary_")
        ids = batch.ids(self.vocabulary_)
        row = batch.row
        blocks = [ids]
        for _, offset in _positions(self.window)[1:]:
            shifted = np.full(len(ids), -1, dtype=np.int64)
            d = abs(offset)
            if d < len(ids):
                if offset < 0:
                    shifted[d:] = np.where(row[d:] == row[:-d], ids[:-d], -1)
                else:
                    shifted[:-d] = np.where(row[:-d] == row[d:], ids[d:], -1)
            blocks.append(shifted)
        return blocks

    def transform_batch(self, batch: TokenBatch) -> sp.csr_matrix:
        """The rows of :meth:`transform` for every token of ``batch``, neighbours taken within each text."""
        return self._assemble(batch.shapes, self.context_ids(batch))

    def get_feature_names_out(self, input_features=None):
        """``word:``, then ``prev1:``, ``next1:``, ... one-hot columns, then ``lexicon:`` and ``shape:`` flags."""
        check_fitted(self, "vocabulary_")
        vocab = sorted(self.vocabulary_, key=self.vocabulary_.get)
        names = [f"{pos}:{w}" for pos, _ in _positions(self.window) for w in vocab]
        names += [f"lexicon:{n}" for n in self.lexicon_names_] + [f"shape:{s}" for s in SHAPES]
        return np.array(names, dtype=object)
