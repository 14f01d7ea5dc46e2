"""Counts of words and phrases from named word lists (subjectivity, hedges, factives, ...)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from framing.scoring.features.base import PhraseIndex, TextTransformer, TokenBatch, check_fitted, words


LOADED_EMOTION_FILE = Path(__file__).parents[1] / "resources" / "loaded_emotion.txt"


def loaded_emotion() -> list[str]:
    """framing's own hand-written word list of loaded emotion and character nouns ("jealousy",
    "hysteria"), lower-cased and sorted: the word lists' default when none are given."""
    lines = LOADED_EMOTION_FILE.read_text(encoding="utf-8").splitlines()
    return sorted({line.strip().lower() for line in lines if line.strip() and not line.startswith("#")})


def _check_lexicons(lexicons) -> dict[str, list[str]]:
    """Validate word lists (None: framing's own ``loaded_emotion`` list); return them tokenized and
    lower-cased, ordered by name (the column order)."""
    if lexicons is None:
        lexicons = {"loaded_emotion": loaded_emotion()}
    if not isinstance(lexicons, Mapping) or not lexicons:
        raise ValueError(
            "lexicons must be a non-empty dict {name: [word or phrase, ...]}, "
            f"got {type(lexicons).__name__}; framing.load().lexicons holds the bundled ones"
        )
    for name, entries in lexicons.items():
        if isinstance(entries, str) or not isinstance(entries, Sequence):
            raise ValueError(f"lexicon {name!r} must be a list of words or phrases, got {type(entries).__name__}")
    given = {name: list(entries) for name, entries in lexicons.items()}
    if _LAST and _LAST[0] == given:  # a model's sentence and token features name the same lists
        return {name: list(entries) for name, entries in _LAST[1].items()}
    out = {str(name): [n for n in map(_entry, entries) if n] for name, entries in sorted(given.items())}
    _LAST[:] = [given, out]
    return {name: list(entries) for name, entries in out.items()}


_LAST: list = []
"""The word lists :func:`_check_lexicons` was last given, and what it returned."""


def _entry(entry: str) -> str:
    """A word-list entry as it is matched: its tokens lower-cased, joined by spaces ('' for none)."""
    if entry.isalnum():
        return entry.lower()
    chunks = entry.split()
    if all(map(str.isalnum, chunks)):  # each chunk is one token (see token_strings): no pattern needed
        return " ".join(chunks).lower()
    return " ".join(words(entry))


class LexiconFeatures(TextTransformer):
    """For each word list: ``log1p`` of how many of its entries a text contains, and whether it has any.

    Entries may be phrases ("in my opinion"); matching is on lower-cased tokens. Columns
    follow the lexicon names in sorted order, whatever the order of the dict.

    Parameters
    ----------
    lexicons : dict of str -> list of str, default None
        Named word lists. ``framing.load().lexicons`` gives the ones the bundled model uses;
        None uses framing's own hand-written list of loaded-emotion nouns (``loaded_emotion``).

    Examples
    --------
    >>> from framing.features import LexiconFeatures
    >>> f = LexiconFeatures({"hedge": ["perhaps", "it seems"]}).fit([])
    >>> [round(float(v), 2) for v in f.transform(["Perhaps it seems so."])[0]]
    [1.1, 1.0]
    """

    _fitted_attribute = "names_"

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

    def token_vocabularies(self) -> list[dict[str, int]]:
        """The words of the lists' entries (see :class:`~framing.features.Extractor`)."""
        check_fitted(self, "names_")
        return [self._index.vocabulary]

    def matches(self, batch: TokenBatch) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every entry found in ``batch``: ``(start token, length in tokens, entry number)``; entry ``e``
        belongs to the lists of row ``e`` of ``entry_lexicons_``."""
        check_fitted(self, "names_")
        return self._index.find(batch)

    def counts(self, batch: TokenBatch) -> np.ndarray:
        """How many entries of each word list each text of ``batch`` contains, shape (n_texts, n_lists)."""
        check_fitted(self, "names_")
        starts, _, entries = self.matches(batch)
        m = self.entry_lexicons_
        per_entry = np.diff(m.indptr)[entries]
        first = np.repeat(m.indptr[entries] - (np.cumsum(per_entry) - per_entry), per_entry)
        lists = m.indices[first + np.arange(int(per_entry.sum()))]
        rows = np.repeat(batch.row[starts], per_entry)
        n, k = len(batch.texts), len(self.names_)
        return np.bincount(rows * k + lists, minlength=n * k).reshape(n, k).astype(np.float32)

    def finalize(self, counts) -> np.ndarray:
        """Counts to two columns per word list: ``log1p`` count, any (a dense array: word lists are few)."""
        c = np.asarray(counts.toarray() if sp.issparse(counts) else counts, dtype=np.float32)
        return np.hstack([np.log1p(c), (c > 0).astype(np.float32)])

    def get_feature_names_out(self, input_features=None):
        """``lexicon:NAME:log_count`` then ``lexicon:NAME:any`` names."""
        check_fitted(self, "names_")
        return np.array(
            [f"lexicon:{n}:log_count" for n in self.names_] + [f"lexicon:{n}:any" for n in self.names_], dtype=object
        )
