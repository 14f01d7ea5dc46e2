"""What scoring returns: ``Doc`` holds ``Sentence`` objects, which hold ``Span`` objects.

All of it is plain data with character offsets into the text that was scored, so
``doc.text[span.start:span.end] == span.text`` always holds. Score dictionaries are
built from the heads' arrays when first read.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


def _scores(names: tuple[str, ...], values: np.ndarray) -> dict[str, float]:
    return dict(zip(names, np.round(values.astype(np.float64), 4).tolist()))


@dataclass(slots=True)
class Span:
    """A loaded phrase: ``text`` at ``[start, end)`` of the scored text, its ``score`` and ``label``."""

    text: str
    start: int
    end: int
    score: float
    label: str = "Loaded_Language"

    def to_dict(self) -> dict:
        """JSON-ready fields."""
        return {"text": self.text, "start": self.start, "end": self.end, "score": self.score, "label": self.label}


@dataclass(slots=True, eq=False)
class Sentence:
    """One sentence with its bias (0..1), technique labels, frames and loaded spans."""

    text: str
    start: int
    end: int
    bias: float
    biased: bool
    labels: list[str]
    frames: list[str]
    spans: list[Span]
    technique_names: tuple[str, ...] = field(repr=False)
    technique_probs: np.ndarray = field(repr=False)
    frame_names: tuple[str, ...] = field(repr=False)
    frame_probs: np.ndarray = field(repr=False)

    @property
    def label_scores(self) -> dict[str, float]:
        """Every technique -> probability (rounded to 4 decimals)."""
        return _scores(self.technique_names, self.technique_probs)

    @property
    def frame_scores(self) -> dict[str, float]:
        """Every frame -> probability (rounded to 4 decimals)."""
        return _scores(self.frame_names, self.frame_probs)

    def to_dict(self) -> dict:
        """JSON-ready fields (``label_scores`` and ``frame_scores`` included)."""
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "bias": self.bias,
            "biased": self.biased,
            "labels": list(self.labels),
            "label_scores": self.label_scores,
            "frames": list(self.frames),
            "frame_scores": self.frame_scores,
            "spans": [s.to_dict() for s in self.spans],
        }


@dataclass(slots=True, eq=False)
class Doc:
    """A scored text: how loaded it is, its sentences, techniques, frames and loaded spans.

    ``error`` is None, except for an input that ``pipe(..., on_error="skip")`` could not
    score: then it says why, and the doc has no sentences and ``loaded_score`` 0.0.
    """

    text: str
    loaded_score: float
    loaded: bool
    sentences: list[Sentence]
    frames: list[str]
    frame_names: tuple[str, ...] = field(repr=False)
    frame_probs: np.ndarray = field(repr=False)
    error: str | None = None

    @property
    def frame_scores(self) -> dict[str, float]:
        """Every frame -> probability for the whole text (rounded to 4 decimals)."""
        return _scores(self.frame_names, self.frame_probs)

    @property
    def labels(self) -> list[str]:
        """Technique labels of any sentence, in first-seen order."""
        return list(dict.fromkeys(label for s in self.sentences for label in s.labels))

    @property
    def spans(self) -> list[Span]:
        """All loaded spans, in text order."""
        return [span for s in self.sentences for span in s.spans]

    def to_dict(self) -> dict:
        """JSON-ready fields, sentences included (and ``error`` when there is one)."""
        out = {
            "text": self.text,
            "loaded_score": self.loaded_score,
            "loaded": self.loaded,
            "labels": self.labels,
            "frames": list(self.frames),
            "frame_scores": self.frame_scores,
            "spans": [s.to_dict() for s in self.spans],
            "sentences": [s.to_dict() for s in self.sentences],
        }
        if self.error is not None:
            out["error"] = self.error
        return out
