"""Style cues of slanted writing: word lists, punctuation and one pattern, each readable here."""
from __future__ import annotations

import re

import numpy as np
import scipy.sparse as sp

from framing.scoring.features.base import PhraseIndex, SHAPES, TextTransformer, TokenBatch

WORD_CUES: dict[str, tuple[str, ...]] = {
    "superlative": tuple(
        "most least best worst biggest greatest largest smallest highest lowest strongest weakest richest "
        "poorest fastest deadliest worst-ever ever".split()
    ),
    "intensifier": tuple(
        "very extremely totally completely utterly absolutely really truly incredibly deeply highly entirely "
        "hugely massively wildly outright sheer so-called literally simply just".split()
    ),
    "first_person": tuple("i we us our ours my mine me".split()),
    "second_person": ("you", "your", "yours"),
    "negation": tuple(
        "not no never nothing nobody none cannot can't don't doesn't didn't won't isn't aren't wasn't weren't "
        "shouldn't wouldn't couldn't hasn't haven't hadn't".split()
    ),
    "modal_obligation": ("must", "should", "ought", "need to", "have to"),
    "attribution": ("said", "says", "told", "according to", "reported", "stated", "announced", "added"),
}
"""Cue -> words or phrases, matched on lower-cased tokens (curly apostrophes count as straight ones)."""

PUNCTUATION_CUES: dict[str, tuple[str, ...]] = {
    "exclamation": ("!",),
    "question": ("?",),
    "quote_mark": ('"', "“", "”"),
    "ellipsis": (". . .", "…"),
}
"""Cue -> punctuation tokens or token sequences (". . ." is three dots in a row)."""

SCARE_QUOTE = re.compile(r"[\"“][^\S\n]*[^\s\"“”]+(?:[^\S\n]+[^\s\"“”]+){0,2}[^\S\n]*[\"”]")
"""One to three words in double quotes."""

CUES: tuple[str, ...] = (*WORD_CUES, *PUNCTUATION_CUES, "scare_quote", "all_caps_word", "number")
"""Every cue, in column order (then ``log_length``)."""

_ALL_CAPS, _DIGIT = 1 << SHAPES.index("all_caps"), 1 << SHAPES.index("digit")
_TOKEN_CUES = {**WORD_CUES, **PUNCTUATION_CUES}
_ENTRIES = [(cue, w.replace("'", "’")) for cue, ws in _TOKEN_CUES.items() for w in ws]
_ENTRIES += [(cue, w) for cue, ws in _TOKEN_CUES.items() for w in ws if "'" in w]
_INDEX = PhraseIndex([w for _, w in _ENTRIES])
ENTRY_CUES = np.array([list(_TOKEN_CUES).index(cue) for cue, _ in _ENTRIES], dtype=np.int64)


class StyleFeatures(TextTransformer):
    """``log1p`` counts of the ``CUES`` plus ``log1p`` of the length in tokens.

    Stateless: ``fit`` learns nothing but is there for pipelines. ``WORD_CUES``,
    ``PUNCTUATION_CUES`` and ``SCARE_QUOTE`` hold the definitions; an all-caps word has
    three or more letters, a number is a token with a digit.

    Examples
    --------
    >>> from framing.features import StyleFeatures
    >>> StyleFeatures().fit_transform(["What a DISGRACE!"]).shape
    (1, 15)
    """

    _fitted_attribute = None  # stateless: fitted from the start, as scikit-learn's HashingVectorizer

    def fit(self, X=None, y=None):
        """Nothing to learn; returns ``self``."""
        return self

    def token_vocabularies(self) -> list[dict[str, int]]:
        """The words of the cues (see :class:`~framing.features.Extractor`)."""
        return [_INDEX.vocabulary]

    @staticmethod
    def matches(batch: TokenBatch) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every word cue found in ``batch``: ``(start token, length in tokens, entry number)``; entry
        ``e`` is a word of cue ``CUES[ENTRY_CUES[e]]``."""
        return _INDEX.find(batch)

    def counts(self, batch: TokenBatch) -> np.ndarray:
        """Raw cue counts and token counts, shape (n_texts, 15)."""
        n = len(batch.texts)
        k = len(CUES) + 1
        starts, _, entries = self.matches(batch)
        out = np.bincount(batch.row[starts] * k + ENTRY_CUES[entries], minlength=n * k).reshape(n, k).astype(np.float32)
        j = len(_TOKEN_CUES)
        out[:, j] = [len(SCARE_QUOTE.findall(t)) if ('"' in t or "“" in t) else 0 for t in batch.texts]
        codes = batch.shapes
        caps = ((codes & _ALL_CAPS) > 0) & (batch.lengths >= 3)
        out[:, j + 1] = np.bincount(batch.row[caps], minlength=n)
        out[:, j + 2] = np.bincount(batch.row[(codes & _DIGIT) > 0], minlength=n)
        out[:, -1] = np.diff(batch.indptr)
        return out

    def finalize(self, counts) -> np.ndarray:
        """Counts to ``log1p`` counts."""
        return np.log1p(np.asarray(counts.toarray() if sp.issparse(counts) else counts, dtype=np.float32))

    def get_feature_names_out(self, input_features=None):
        """``style:CUE`` names, then ``style:log_length``."""
        return np.array([f"style:{n}" for n in CUES] + ["style:log_length"], dtype=object)
