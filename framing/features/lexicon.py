"""Counts of words and phrases from named word lists (subjectivity, hedges, factives, ...)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.utils.validation import check_is_fitted

from ._base import TextTransformer, as_texts, csr, words
from .ngrams import ngrams


def _check_lexicons(lexicons) -> dict[str, list[str]]:
    """Validate word lists; return them tokenized and lower-cased, ordered by name (the column order)."""
    if not isinstance(lexicons, Mapping) or not lexicons:
        raise ValueError(
            "lexicons must be a non-empty dict {name: [word or phrase, ...]}, "
            f"got {type(lexicons).__name__}; framing.load().lexicons holds the bundled ones"
        )
    out = {}
    for name, entries in sorted(lexicons.items()):
        if isinstance(entries, str) or not isinstance(entries, Sequence):
            raise ValueError(f"lexicon {name!r} must be a list of words or phrases, got {type(entries).__name__}")
        out[str(name)] = [" ".join(words(e)) for e in entries if words(e)]
    return out


class LexiconFeatures(TextTransformer):
    """For each word list: ``log1p`` of how many of its entries a text contains, and whether it has any.

    Entries may be phrases ("in my opinion"); matching is on lower-cased tokens. Columns
    follow the lexicon names in sorted order, whatever the order of the dict.

    Parameters
    ----------
    lexicons : dict of str -> list of str
        Named word lists. ``framing.load().lexicons`` gives the ones the bundled model uses.

    Examples
    --------
    >>> from framing.features import LexiconFeatures
    >>> f = LexiconFeatures({"hedge": ["perhaps", "it seems"]}).fit([])
    >>> [round(float(v), 2) for v in f.transform(["Perhaps it seems so."]).toarray()[0]]
    [1.1, 1.0]
    """

    def __init__(self, lexicons=None):
        self.lexicons = lexicons

    def fit(self, X=None, y=None):
        """Index the word lists (``X`` is not needed and may be anything)."""
        lex = _check_lexicons(self.lexicons)
        index: dict[str, list[int]] = {}
        for j, entries in enumerate(lex.values()):
            for e in set(entries):
                index.setdefault(e, []).append(j)
        self.names_ = list(lex)
        self.index_ = index
        self.max_len_ = max((e.count(" ") + 1 for e in index), default=1)
        return self

    def transform(self, X):
        """Texts to a sparse matrix with two columns per word list (``log1p`` count, any)."""
        check_is_fitted(self, "index_")
        texts = as_texts(X)
        k = len(self.names_)
        rows: list[int] = []
        cols: list[int] = []
        for r, t in enumerate(texts):
            for g in ngrams(words(t), 1, self.max_len_):
                hit = self.index_.get(g)
                if hit:
                    rows.extend([r] * len(hit))
                    cols.extend(hit)
        counts = csr(rows, cols, [1.0] * len(rows), len(texts), k)
        logs = counts.copy()
        logs.data = np.log1p(logs.data)
        anys = counts.copy()
        anys.data[:] = 1.0
        return sp.hstack([logs, anys], format="csr", dtype=np.float32)

    def get_feature_names_out(self, input_features=None):
        """``lexicon:NAME:log_count`` then ``lexicon:NAME:any`` names."""
        check_is_fitted(self, "index_")
        return np.array(
            [f"lexicon:{n}:log_count" for n in self.names_] + [f"lexicon:{n}:any" for n in self.names_], dtype=object
        )
