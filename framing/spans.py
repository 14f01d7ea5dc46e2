"""The loaded-phrase tagger: token probabilities, phrase lists, and merging into spans."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .doc import Span
from .features import TokenFeatures
from .features._base import SHAPES, PhraseIndex, TokenBatch
from .heads import sigmoid

IDIOMS_FILE = Path(__file__).with_name("resources") / "idioms.txt"


def read_idioms(path: str | Path = IDIOMS_FILE) -> list[str]:
    """The hand-written idiom list: one phrase a line, ``#`` comments skipped, lower-cased."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [" ".join(line.lower().split()) for line in lines if line.strip() and not line.startswith("#")]


def windows(words: list[str], window: int) -> list[tuple[str, ...]]:
    """``(w[i-window], ..., w[i], ..., w[i+window])`` for each word of one sentence, '' past the ends."""
    padded = [""] * window + words + [""] * window
    return [tuple(padded[i : i + 2 * window + 1]) for i in range(len(words))]


_PUNCT = 1 << SHAPES.index("punctuation")


@dataclass
class SpanTagger:
    """Scores each token for each span label, then merges neighbours into phrases.

    A run of tokens whose best probability reaches ``extend`` becomes a span when one of
    them reaches ``threshold``; punctuation is trimmed from its ends. Tokens inside a
    listed phrase (``phrases``: lower-cased phrase -> probability) get at least that
    phrase's probability, so idioms such as "left on the sidelines" come out whole.
    """

    features: TokenFeatures
    labels: tuple[str, ...]
    coef: np.ndarray
    intercept: np.ndarray
    threshold: float
    extend: float
    phrases: dict[str, float]
    _index: PhraseIndex = field(init=False, repr=False)
    _phrase_scores: np.ndarray = field(init=False, repr=False)
    _tables: list[np.ndarray] = field(init=False, repr=False)
    _shape_table: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        names = sorted(self.phrases)
        self._index = PhraseIndex(names)
        self._phrase_scores = np.array([self.phrases[p] for p in names], dtype=np.float64)
        # X @ coef for one-hot blocks is a sum of table rows: one table per block, the word's
        # lexicon weights folded into the word table, a zero row last for id -1.
        V = len(self.features.vocabulary_)
        n_blocks = 2 * self.features.window + 1
        coef = np.asarray(self.coef, dtype=np.float64)
        lex = coef[n_blocks * V : n_blocks * V + self.features.word_lexicons_.shape[1]]
        shape = coef[n_blocks * V + len(lex) :]
        zero = np.zeros((1, coef.shape[1]))
        self._tables = [np.vstack([coef[b * V : (b + 1) * V], zero]) for b in range(n_blocks)]
        self._tables[0][:-1] += self.features.word_lexicons_ @ lex
        codes = np.arange(1 << len(SHAPES))
        self._shape_table = ((codes[:, None] >> np.arange(len(SHAPES))) & 1) @ shape

    def token_scores(self, batch: TokenBatch) -> np.ndarray:
        """Probabilities (n_tokens, n_labels) for every token of ``batch``.

        The same as ``sigmoid(self.features.transform_batch(batch) @ coef + intercept)``,
        computed by table lookups.
        """
        logits = self._shape_table[batch.shapes] + self.intercept
        for table, ids in zip(self._tables, self.features.context_ids(batch)):
            logits += table[ids]
        return sigmoid(logits)

    def best(self, batch: TokenBatch, scores: np.ndarray) -> np.ndarray:
        """Each token's highest probability, raised to the score of any listed phrase it is part of."""
        best = scores.max(axis=1) if len(scores) else np.zeros(0)
        starts, lengths, values = self._index.find(batch)
        if len(starts):
            first = np.repeat(np.cumsum(lengths) - lengths, lengths)
            positions = np.repeat(starts, lengths) + np.arange(int(lengths.sum())) - first
            np.maximum.at(best, positions, np.repeat(self._phrase_scores[values], lengths))
        return best

    def tag(self, batch: TokenBatch, scores: np.ndarray, offsets: list[int]) -> list[list[Span]]:
        """Spans of every text of ``batch``; ``offsets[i]`` is where text ``i`` starts in the scored text."""
        out: list[list[Span]] = [[] for _ in batch.texts]
        best = self.best(batch, scores)
        above = np.flatnonzero(best >= self.extend)
        if not len(above):
            return out
        row = batch.row
        # runs of neighbouring tokens above `extend`, within one text
        cut = np.flatnonzero((np.diff(above) != 1) | (np.diff(row[above]) != 0)) + 1
        first, last = above[np.r_[0, cut]], above[np.r_[cut - 1, len(above) - 1]]
        # trim punctuation from both ends
        words = np.flatnonzero((batch.shapes & _PUNCT) == 0)
        lo = words[np.minimum(np.searchsorted(words, first), len(words) - 1)] if len(words) else first
        hi = words[np.maximum(np.searchsorted(words, last, side="right") - 1, 0)] if len(words) else first - 1
        keep = (lo >= first) & (hi <= last) & (lo <= hi) & (len(words) > 0)
        lo, hi = lo[keep], hi[keep]
        if not len(lo):
            return out
        bounds = np.column_stack([lo, hi + 1]).ravel()
        padded_best, padded_scores = np.append(best, 0.0), np.vstack([scores, np.zeros((1, scores.shape[1]))])
        peak = np.maximum.reduceat(padded_best, bounds)[::2]
        label = np.add.reduceat(padded_scores, bounds, axis=0)[::2].argmax(axis=1)
        strong = peak >= self.threshold
        lo, hi, peak, label = lo[strong], hi[strong], np.round(peak[strong], 4).tolist(), label[strong].tolist()
        starts, ends = np.split(batch.char_offsets(np.concatenate([lo, hi])), 2)
        ends += batch.lengths[hi]
        for i, a, b, score, k in zip(row[lo].tolist(), starts.tolist(), ends.tolist(), peak, label):
            text = batch.texts[i]
            out[i].append(Span(text[a:b], offsets[i] + a, offsets[i] + b, score, self.labels[k]))
        return out
