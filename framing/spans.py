"""The loaded-phrase tagger: token probabilities, phrase lists, and merging into spans."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .doc import Span
from .features import TokenFeatures
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


def _is_punct(word: str) -> bool:
    return not any(c.isalnum() for c in word)


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

    def __post_init__(self) -> None:
        self._phrase_lengths: dict[str, list[int]] = {}
        for p in self.phrases:
            first, _, _ = p.partition(" ")
            self._phrase_lengths.setdefault(first, []).append(p.count(" ") + 1)
        for lengths in self._phrase_lengths.values():
            lengths.sort(reverse=True)

    def token_scores(self, sentences: list[list[str]]) -> np.ndarray:
        """Probabilities (n_tokens, n_labels) for the tokens of all sentences, concatenated."""
        rows = [t for words in sentences for t in windows(words, self.features.window)]
        if not rows:
            return np.zeros((0, len(self.labels)))
        return sigmoid(np.asarray(self.features.transform(rows) @ self.coef) + self.intercept)

    def _boost(self, words: list[str], p: np.ndarray) -> None:
        lower = [w.lower() for w in words]
        for i, w in enumerate(lower):
            for n in self._phrase_lengths.get(w, ()):
                score = self.phrases.get(" ".join(lower[i : i + n]))
                if score is not None:
                    p[i : i + n] = np.maximum(p[i : i + n], score)

    def spans(self, text: str, tokens: list[tuple[int, int]], scores: np.ndarray) -> list[Span]:
        """Spans of one sentence from its token offsets and their rows of :meth:`token_scores`."""
        if not tokens:
            return []
        words = [text[s:e] for s, e in tokens]
        best = scores.max(axis=1)
        self._boost(words, best)
        spans: list[Span] = []
        i, n = 0, len(tokens)
        while i < n:
            if best[i] < self.extend:
                i += 1
                continue
            j = i
            while j < n and best[j] >= self.extend:
                j += 1
            lo, hi = i, j
            while lo < hi and _is_punct(words[lo]):
                lo += 1
            while hi > lo and _is_punct(words[hi - 1]):
                hi -= 1
            if hi > lo and best[lo:hi].max() >= self.threshold:
                label = self.labels[int(scores[lo:hi].sum(axis=0).argmax())]
                start, end = tokens[lo][0], tokens[hi - 1][1]
                spans.append(Span(text[start:end], start, end, round(float(best[lo:hi].max()), 4), label))
            i = j
        return spans
