"""Features of one token in its context: the word, its neighbours, its word lists, its shape."""
from __future__ import annotations

from collections import Counter

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .lexicon import _check_lexicons

SHAPES = ("capitalized", "all_caps", "punctuation", "digit", "long")


def _check_triples(X) -> list[tuple[str, str, str]]:
    triples = list(X)
    for i, t in enumerate(triples):
        if not (isinstance(t, (tuple, list)) and len(t) == 3 and all(isinstance(w, str) for w in t)):
            raise TypeError(
                f"expected (previous, word, next) string triples, got {t!r} at position {i}; "
                "use '' for a missing neighbour"
            )
    return triples


def _shape(word: str) -> list[int]:
    flags = (
        word[:1].isupper(),
        len(word) > 1 and word.isupper(),
        bool(word) and not any(c.isalnum() for c in word),
        any(c.isdigit() for c in word),
        len(word) >= 9,
    )
    return [j for j, f in enumerate(flags) if f]


class TokenFeatures(TransformerMixin, BaseEstimator):
    """One row per token: one-hot word, previous word, next word; its word lists; its shape.

    Each sample is a ``(previous, word, next)`` triple of strings as written ('' where
    there is no neighbour). Words are matched lower-cased. The vocabulary is the words
    seen ``min_count`` times in ``fit`` plus every single-word lexicon entry.

    Parameters
    ----------
    lexicons : dict of str -> list of str
        Named word lists; a token gets a flag for each list holding it.
    min_count : int
        How often a word must occur in ``fit`` to get its own columns.

    Examples
    --------
    >>> from framing.features import TokenFeatures
    >>> f = TokenFeatures({"negative": ["jealousy"]}, min_count=1).fit([("", "Pakistan's", "jealousy")])
    >>> X = f.transform([("Pakistan's", "jealousy", "is")])
    >>> [f.get_feature_names_out()[j] for j in X.indices]
    ['word:jealousy', 'prev:pakistan's', 'lexicon:negative']
    """

    def __init__(self, lexicons=None, min_count=2):
        self.lexicons = lexicons
        self.min_count = min_count

    def fit(self, X, y=None):
        """Learn the vocabulary from token triples ``X``."""
        triples = _check_triples(X)
        lex = _check_lexicons(self.lexicons)
        counts = Counter(w.lower() for _, w, _ in triples)
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
        self.n_features_in_ = 1
        return self

    def _one_hot(self, tokens: list[str]) -> sp.csr_matrix:
        ids = np.fromiter((self.vocabulary_.get(w.lower(), -1) for w in tokens), dtype=np.int64, count=len(tokens))
        known = ids >= 0
        indptr = np.concatenate([[0], np.cumsum(known)])
        return sp.csr_matrix(
            (np.ones(int(known.sum()), dtype=np.float32), ids[known], indptr), shape=(len(tokens), len(self.vocabulary_))
        )

    def transform(self, X):
        """Token triples to a sparse matrix (n_tokens, 3 * vocabulary + lexicons + shapes)."""
        check_is_fitted(self, "vocabulary_")
        triples = _check_triples(X)
        prev, word, nxt = ([t[k] for t in triples] for k in range(3))
        w = self._one_hot(word)
        rows, cols = [], []
        for r, token in enumerate(word):
            for j in _shape(token):
                rows.append(r)
                cols.append(j)
        shapes = sp.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(word), len(SHAPES))
        )
        return sp.hstack(
            [w, self._one_hot(prev), self._one_hot(nxt), w @ self.word_lexicons_, shapes], format="csr", dtype=np.float32
        )

    def get_feature_names_out(self, input_features=None):
        """``word:``, ``prev:``, ``next:`` columns, then ``lexicon:`` flags, then ``shape:`` flags."""
        check_is_fitted(self, "vocabulary_")
        vocab = sorted(self.vocabulary_, key=self.vocabulary_.get)
        names = [f"{kind}:{w}" for kind in ("word", "prev", "next") for w in vocab]
        names += [f"lexicon:{n}" for n in self.lexicon_names_] + [f"shape:{s}" for s in SHAPES]
        return np.array(names, dtype=object)
