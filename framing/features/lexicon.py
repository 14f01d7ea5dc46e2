"""Counts of words and phrases from named word lists (subjectivity, hedges, factives, ...)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.utils.validation import check_is_fitted

from ._base import PhraseIndex, TextTransformer, TokenBatch, count_matrix, words


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
        entries = sorted({e for es in lex.values() for e in es})
        number = {e: i for i, e in enumerate(entries)}
        rows = [number[e] for es in lex.values() for e in set(es)]
        cols = [j for j, es in enumerate(lex.values()) for _ in set(es)]
        self.names_ = list(lex)
        self.entry_lexicons_ = sp.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(entries), len(lex))
        )
        self._index = PhraseIndex(entries)
        return self

    def counts(self, batch: TokenBatch) -> sp.csr_matrix:
        """How many entries of each word list each text of ``batch`` contains."""
        check_is_fitted(self, "names_")
        starts, _, entries = self._index.find(batch)
        return count_matrix(batch.row[starts], entries, len(batch.texts), self.entry_lexicons_.shape[0]) @ self.entry_lexicons_

    def finalize(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        """Counts to two columns per word list: ``log1p`` count, any."""
        logs = counts.copy()
        logs.data = np.log1p(logs.data)
        anys = counts.copy()
        anys.data[:] = 1.0
        return sp.hstack([logs, anys], format="csr", dtype=np.float32)

    def get_feature_names_out(self, input_features=None):
        """``lexicon:NAME:log_count`` then ``lexicon:NAME:any`` names."""
        check_is_fitted(self, "names_")
        return np.array(
            [f"lexicon:{n}:log_count" for n in self.names_] + [f"lexicon:{n}:any" for n in self.names_], dtype=object
        )
