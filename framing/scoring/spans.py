"""The loaded-phrase tagger: token probabilities, phrase lists, and merging into spans."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from framing.scoring.doc import Span
from framing.scoring.features import TokenFeatures
from framing.scoring.features.base import SHAPES, PhraseIndex, TokenBatch
from framing.scoring.features.forms import NAME
from framing.scoring.features.tokens import positions
from framing.scoring.heads import sigmoid

IDIOMS_FILE = Path(__file__).with_name("resources") / "idioms.txt"


def read_idioms(path: str | Path = IDIOMS_FILE) -> list[str]:
    """The hand-written idiom list: one phrase a line, ``#`` comments skipped, lower-cased."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [" ".join(line.lower().split()) for line in lines if line.strip() and not line.startswith("#")]


QUOTE_MARKS = frozenset('"“”„‟«»‹›\'‘’‚')
"""Tokens that are quotation marks: no loaded phrase runs through one."""


def windows(words: list[str], window: int) -> list[tuple[str, ...]]:
    """``(w[i-window], ..., w[i], ..., w[i+window])`` for each word of one sentence, '' past the ends."""
    padded = [""] * window + words + [""] * window
    return [tuple(padded[i : i + 2 * window + 1]) for i in range(len(words))]


_PUNCT = 1 << SHAPES.index("punctuation")
NEIGHBOURS = (-3, -2, -1, 1, 2, 3)
"""Offsets of the tokens whose first-pass scores (and punctuation) the second pass reads."""
REACH = ((-10, -6), (-5, -3), (-2, -1), (1, 2), (3, 5), (6, 10))
"""Ranges of offsets over which the second pass reads the strongest first-pass score."""
FLOOR = -8.0
"""First-pass log-odds are clipped to ``[FLOOR, -FLOOR]`` for the second pass; a missing neighbour reads ``FLOOR``."""


def context_names() -> list[str]:
    """Readable names of :meth:`SpanTagger.context_features`' columns, in order."""
    def where(d):
        return ("previous word" if d == -1 else "next word") if abs(d) == 1 else f"{abs(d)} words {'before' if d < 0 else 'after'}"

    names = ["this word"]
    names += [f"score of the {where(d)}" if abs(d) == 1 else f"score {where(d)}" for d in NEIGHBOURS]
    names += [f"punctuation {where(d)}" if abs(d) > 1 else f"punctuation as the {where(d)}" for d in NEIGHBOURS]
    names += [f"strongest score {abs(a) if a > 0 else abs(b)}-{abs(b) if a > 0 else abs(a)} words {'before' if a < 0 else 'after'}"
              for a, b in REACH]
    return names + ["strongest score in the sentence", "loaded words in the sentence", "sentence length"]


def _runs(above: np.ndarray, row: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last token of each run of consecutive token numbers ``above`` (non-empty) within one text."""
    cut = np.flatnonzero((np.diff(above) != 1) | (np.diff(row[above]) != 0)) + 1
    return above[np.r_[0, cut]], above[np.r_[cut - 1, len(above) - 1]]


class _Padded:
    """First-pass "any label" scores laid out with ``reach`` filler slots around every text, so
    that the score ``d`` tokens away is a shifted view, and the per-text values the second pass reads."""

    def __init__(self, batch: TokenBatch, first: np.ndarray):
        self.batch, n = batch, len(batch.texts)
        self.reach = max(max(abs(a), abs(b)) for a, b in REACH)
        self.at = np.arange(len(first)) + self.reach * (batch.row + 1)  # each token's slot
        self.size = len(first) + self.reach * (n + 1)
        self.z_tokens = np.clip(first[:, -1], FLOOR, -FLOOR)
        self.z = self._padded(self.z_tokens, FLOOR)
        self.punct = self._padded(((batch.shapes & _PUNCT) > 0).astype(np.float64), 1.0)

    def _padded(self, values: np.ndarray, fill: float) -> np.ndarray:
        out = np.full(self.size, fill)
        out[self.at] = values
        return out

    def shifted(self, values: np.ndarray, d: int) -> np.ndarray:
        """``values`` ``d`` slots on, for the slots ``reach .. size - reach`` (a view)."""
        return values[self.reach + d : self.size - self.reach + d]

    def tokens(self, inner: np.ndarray) -> np.ndarray:
        """The tokens' values of an array over the slots ``reach .. size - reach``."""
        return np.take(inner, self.at - self.reach)

    def strongest(self) -> Iterator[np.ndarray]:
        """For each range of ``REACH``, the strongest score within it, over the inner slots."""
        for a, b in REACH:
            out = self.shifted(self.z, a).copy()
            for d in range(a + 1, b + 1):
                np.maximum(out, self.shifted(self.z, d), out=out)
            yield out

    def per_text(self) -> Iterator[np.ndarray]:
        """Per text: its strongest score, ``log1p`` of its summed probabilities, ``log1p`` of its length."""
        batch, n = self.batch, len(self.batch.texts)
        top = np.full(n, FLOOR)
        has = np.diff(batch.indptr) > 0
        if has.any():
            top[has] = np.maximum.reduceat(self.z_tokens, batch.indptr[:-1][has])
        yield top
        yield np.log1p(np.bincount(batch.row, weights=sigmoid(self.z_tokens), minlength=n))
        yield np.log1p(np.diff(batch.indptr))


@dataclass(kw_only=True)
class SpanTagger:
    """Scores each token for each span label, then merges neighbours into phrases.

    Two passes. The first scores each token from its features (see
    :class:`~framing.scoring.features.TokenFeatures`), one logistic output per label and one for
    "any label" (``coef``, ``intercept``; served as table lookups). The second reads the
    first pass's "any label" log-odds of the token and of the tokens around it (see
    :meth:`context_features`) and gives the probability that the token is part of a loaded
    phrase (``context_coef``, ``context_intercept``). A token's score for a label is that
    probability, times the first pass's probability of the label relative to its best
    label's, so its highest score is the second pass's probability.

    A run of tokens whose best probability reaches ``extend`` (and ``relative`` times the
    run's highest) becomes a span when one of them reaches ``threshold``; punctuation is trimmed from its ends, and so are words that
    annotated phrases hardly ever start or end with (``edges``: ``no_start`` and ``no_end``
    word lists, e.g. "of" or "the" at the end). Tokens inside a
    listed phrase (``phrases``: lower-cased phrase -> probability) get at least that
    phrase's probability for their best label, so idioms such as "left on the sidelines"
    come out whole, and the sentence and paragraph scores, which read the token scores, count them.
    """

    features: TokenFeatures
    labels: tuple[str, ...]
    coef: np.ndarray
    intercept: np.ndarray
    context_coef: np.ndarray
    context_intercept: float
    threshold: float
    extend: float
    phrases: dict[str, float]
    edges: dict[str, list[str]] = field(default_factory=dict)
    relative: float = 0.0
    _index: PhraseIndex = field(init=False, repr=False)
    _names: list[str] = field(init=False, repr=False)
    _phrase_scores: np.ndarray = field(init=False, repr=False)
    _tables: list[np.ndarray] = field(init=False, repr=False)
    _pair_tables: list[np.ndarray] = field(init=False, repr=False)
    _shape_table: np.ndarray = field(init=False, repr=False)
    _no_start: np.ndarray = field(init=False, repr=False)
    _no_end: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._names = sorted(self.phrases)
        self._index = PhraseIndex(self._names)
        self._phrase_scores = np.array([self.phrases[p] for p in self._names], dtype=np.float64)
        n_out = len(self.labels) + 1
        if np.shape(self.coef)[1:] != (n_out,) or np.shape(self.context_coef) != (len(context_names()),):
            raise ValueError(
                f"a tagger for {len(self.labels)} labels needs coef of {n_out} columns (each label, then any label) "
                f"and {len(context_names())} context weights, got {np.shape(self.coef)} and {np.shape(self.context_coef)}; "
                "retrain the model with `framing train`"
            )
        # X @ coef for one-hot blocks is a sum of table rows: one table per block, a zero row
        # last for id -1; a word's lexicon, affix and vector weights are folded into its tables.
        f = self.features
        coef = np.asarray(self.coef, dtype=np.float64)
        at = {name: coef[a:b] for name, (a, b) in f.layout().items()}
        zero = np.zeros((1, n_out))
        self._tables = [np.vstack([at[name], zero]) for name, _ in positions(f.window)]
        self._tables[0][:-1] += f.word_lexicons_ @ at["lexicon"] + f.word_affixes_ @ at["affix"]
        offsets = [o for _, o in positions(f.window)]
        for name, offset in f.vector_blocks():
            self._tables[offsets.index(offset)][:-1] += f.vectors_ @ at[name]
        self._pair_tables = [np.vstack([at[name], zero]) for name, _ in f.pair_blocks()]
        codes = np.arange(1 << len(SHAPES))
        self._shape_table = ((codes[:, None] >> np.arange(len(SHAPES))) & 1) @ at["shape"]
        # by vocabulary id, a last entry for id -1
        self._no_start, self._no_end = (np.isin(np.arange(len(f.vocabulary_) + 1),
                                                [f.vocabulary_[w] for w in self.edges.get(key, []) if w in f.vocabulary_])
                                        for key in ("no_start", "no_end"))

    def first_pass(self, batch: TokenBatch) -> np.ndarray:
        """First-pass log-odds (n_tokens, n_labels + 1) of every token of ``batch``: each label, then any label.

        The same as ``self.features.transform_batch(batch) @ coef + intercept``, computed by table lookups.
        """
        logits = np.take(self._shape_table, batch.shapes, axis=0) + self.intercept
        ids = self.features.context_ids(batch)
        # np.take gathers rows several times faster than fancy indexing; id -1 takes the zero row last
        for table, block in zip(self._tables, ids):
            logits += np.take(table, block, axis=0)
        for table, block in zip(self._pair_tables, self.features.pair_ids(ids, batch.row)):
            logits += np.take(table, block, axis=0)
        return logits

    def context_features(self, batch: TokenBatch, first: np.ndarray) -> np.ndarray:
        """What the second pass reads (n_tokens, len(context_names())), from first-pass log-odds ``first``:
        the token's "any label" log-odds, its neighbours' (clipped) and whether they are punctuation,
        the strongest score within ranges of offsets, and of its sentence (the text it belongs to),
        how many loaded words it holds (summed probabilities, ``log1p``) and its length (``log1p``)."""
        out = np.zeros((len(first), len(context_names())))
        for j, column in enumerate(self._context_columns(batch, first)):
            out[:, j] = column
        return out

    def _context_columns(self, batch: TokenBatch, first: np.ndarray) -> Iterator[np.ndarray]:
        """The columns of :meth:`context_features` one at a time (training needs them all)."""
        pad = _Padded(batch, first)
        yield first[:, -1]
        yield from (pad.tokens(pad.shifted(pad.z, d)) for d in NEIGHBOURS)
        yield from (pad.tokens(pad.shifted(pad.punct, d)) for d in NEIGHBOURS)
        yield from (pad.tokens(strongest) for strongest in pad.strongest())
        yield from (np.take(values, batch.row) for values in pad.per_text())

    def second_pass(self, batch: TokenBatch, first: np.ndarray) -> np.ndarray:
        """Second-pass log-odds of every token: ``context_features(batch, first) @ context_coef +
        context_intercept``, summed where the features are laid out (each neighbour's value is a
        shifted view there), so no feature column is built."""
        pad = _Padded(batch, first)
        w = iter(self.context_coef.tolist())
        total = next(w) * first[:, -1] + self.context_intercept
        around = np.zeros(max(pad.size - 2 * pad.reach, 0))
        for values in (pad.z, pad.punct):
            for d in NEIGHBOURS:
                around += next(w) * pad.shifted(values, d)
        for strongest in pad.strongest():
            around += next(w) * strongest
        per_text = sum(next(w) * values for values in pad.per_text())
        return total + pad.tokens(around) + np.take(per_text, batch.row)

    def token_vocabularies(self) -> list[dict[str, int]]:
        """The vocabularies whose ids of a batch's tokens the tagger reads (its phrases' words, its features')."""
        return [self._index.vocabulary, self.features.vocabulary_]

    def passes(self, batch: TokenBatch) -> tuple[np.ndarray, np.ndarray]:
        """The first pass's log-odds (see :meth:`first_pass`) and the token scores (see :meth:`token_scores`)."""
        first = self.first_pass(batch)
        return first, self.raise_listed(batch, self.combine(first, self.second_pass(batch, first)))

    def token_scores(self, batch: TokenBatch) -> np.ndarray:
        """Probabilities (n_tokens, n_labels) for every token of ``batch``, listed phrases' included
        (see the class docstring)."""
        return self.passes(batch)[1]

    def listed(self, batch: TokenBatch) -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray]:
        """Every listed phrase found in ``batch``: start token, length in tokens, the phrase and its score."""
        starts, lengths, values = self._index.find(batch)
        return starts, lengths, [self._names[v] for v in values.tolist()], self._phrase_scores[values]

    @staticmethod
    def combine(first: np.ndarray, second: np.ndarray) -> np.ndarray:
        """Token scores from first-pass log-odds (n_tokens, n_labels + 1) and second-pass log-odds (n_tokens,):
        the second pass's probability, times each label's first-pass probability relative to the best label's
        (log-odds floored at -30, so no probability rounds to zero). Computed label by label, and
        returned in column-major order, where taking each token's best label is fast."""
        label = sigmoid(np.maximum(np.ascontiguousarray(first[:, :-1].T), -30.0))
        label /= label.max(axis=0)
        label *= sigmoid(second)
        return label.T

    def raise_listed(self, batch: TokenBatch, scores: np.ndarray) -> np.ndarray:
        """``scores`` (n_tokens, n_labels) of ``batch``'s tokens with each token's best label raised
        to the score of any listed phrase it is part of, in place; returns ``scores``."""
        starts, lengths, values = self._index.find(batch)
        if len(starts):
            first = np.repeat(np.cumsum(lengths) - lengths, lengths)
            tokens = np.repeat(starts, lengths) + np.arange(int(lengths.sum())) - first
            label = scores[tokens].argmax(axis=1)
            np.maximum.at(scores, (tokens, label), np.repeat(self._phrase_scores[values], lengths))
        return scores

    def tag(self, batch: TokenBatch, scores: np.ndarray, offsets: list[int]) -> list[list[Span]]:
        """Spans of every text of ``batch`` from its :meth:`token_scores` ``scores``; ``offsets[i]`` is
        where text ``i`` starts in the scored text."""
        out: list[list[Span]] = [[] for _ in batch.texts]
        best = scores.max(axis=1) if len(scores) else np.zeros(0)
        reach = best >= self.extend
        above = np.flatnonzero(reach)
        # a phrase never runs through a quotation mark: the writer's words and the quoted ones are apart
        reach[above[np.fromiter((batch.raw[i] in QUOTE_MARKS for i in above.tolist()), dtype=bool, count=len(above))]] = False
        above = np.flatnonzero(reach)
        if not len(above):
            return out
        row = batch.row
        first, last = _runs(above, row)
        if self.relative > 0:  # a run keeps only its tokens within `relative` of its peak
            peak = np.maximum.reduceat(np.append(best, 0.0), np.column_stack([first, last + 1]).ravel())[::2]
            floor = np.zeros(len(best))
            floor[above] = np.repeat(peak, last - first + 1) * self.relative
            above = np.flatnonzero(reach & (best >= floor))
            first, last = _runs(above, row)
        # trim punctuation, names, and words annotators do not start (end) a phrase with, from its start (end)
        ids = batch.ids(self.features.vocabulary_)
        word = (batch.shapes & _PUNCT) == 0
        if NAME in self.features.vocabulary_:  # a name is not loaded: it never starts or ends a phrase
            word &= ids != self.features.vocabulary_[NAME]
        can_start, can_end = np.flatnonzero(word & ~self._no_start[ids]), np.flatnonzero(word & ~self._no_end[ids])
        if not (len(can_start) and len(can_end)):
            return out
        lo = can_start[np.minimum(np.searchsorted(can_start, first), len(can_start) - 1)]
        hi = can_end[np.maximum(np.searchsorted(can_end, last, side="right") - 1, 0)]
        keep = (lo >= first) & (hi <= last) & (lo <= hi)
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
