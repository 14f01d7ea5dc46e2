"""Features of one token in its context: the word, its neighbours, its word lists, its shape."""
from __future__ import annotations

from collections import Counter

import numpy as np
import scipy.sparse as sp
from sklearn.utils.validation import check_is_fitted

from ._base import TextTransformer
from .lexicon import _check_lexicons

SHAPES = ("capitalized", "all_caps", "punctuation", "digit", "long")


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


def _positions(window: int) -> list[str]:
    return ["word"] + [f"{side}{d}" for d in range(1, window + 1) for side in ("prev", "next")]


def _shape(word: str) -> list[int]:
    flags = (
        word[:1].isupper(),
        len(word) > 1 and word.isupper(),
        bool(word) and not any(c.isalnum() for c in word),
        any(c.isdigit() for c in word),
        len(word) >= 9,
    )
    return [j for j, f in enumerate(flags) if f]


class TokenFeatures(TextTransformer):
    """One row per token: one-hot word and neighbours, the word lists holding it, its shape.

    Each sample is a tuple ``(w[i-k], ..., w[i-1], w[i], w[i+1], ..., w[i+k])`` of strings as
    written, ``k = window``, with '' where there is no neighbour (``framing.spans.windows``
    makes them). Words are matched lower-cased. The vocabulary is the words seen
    ``min_count`` times in ``fit`` plus every single-word lexicon entry.

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

    def _one_hot(self, tokens: list[str]) -> sp.csr_matrix:
        ids = np.fromiter((self.vocabulary_.get(w.lower(), -1) for w in tokens), dtype=np.int64, count=len(tokens))
        known = ids >= 0
        indptr = np.concatenate([[0], np.cumsum(known)])
        return sp.csr_matrix(
            (np.ones(int(known.sum()), dtype=np.float32), ids[known], indptr), shape=(len(tokens), len(self.vocabulary_))
        )

    def transform(self, X):
        """Token windows to a sparse matrix (n_tokens, (2 * window + 1) * vocabulary + lexicons + shapes)."""
        check_is_fitted(self, "vocabulary_")
        rows = _check_windows(X, self.window)
        k = self.window
        word = [t[k] for t in rows]
        w = self._one_hot(word)
        context = [self._one_hot([t[k + sign * d] for t in rows]) for d in range(1, k + 1) for sign in (-1, 1)]
        r, c = [], []
        for i, token in enumerate(word):
            for j in _shape(token):
                r.append(i)
                c.append(j)
        shapes = sp.csr_matrix((np.ones(len(r), dtype=np.float32), (r, c)), shape=(len(word), len(SHAPES)))
        return sp.hstack([w, *context, w @ self.word_lexicons_, shapes], format="csr", dtype=np.float32)

    def get_feature_names_out(self, input_features=None):
        """``word:``, then ``prev1:``, ``next1:``, ... one-hot columns, then ``lexicon:`` and ``shape:`` flags."""
        check_is_fitted(self, "vocabulary_")
        vocab = sorted(self.vocabulary_, key=self.vocabulary_.get)
        names = [f"{pos}:{w}" for pos in _positions(self.window) for w in vocab]
        names += [f"lexicon:{n}" for n in self.lexicon_names_] + [f"shape:{s}" for s in SHAPES]
        return np.array(names, dtype=object)
