"""What scoring returns: ``Doc`` holds ``Sentence`` objects, which hold ``Span`` objects.

All of it is plain data with character offsets into the text that was scored, so
``doc.text[span.start:span.end] == span.text`` always holds.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """A loaded phrase: ``text`` at ``[start, end)`` of the scored text, its ``score`` and ``label``."""

    text: str
    start: int
    end: int
    score: float
    label: str = "loaded"

    def to_dict(self) -> dict:
        """JSON-ready fields."""
        return {"text": self.text, "start": self.start, "end": self.end, "score": self.score, "label": self.label}


@dataclass(frozen=True)
class Sentence:
    """One sentence with its bias (0..1), technique labels, frames and loaded spans."""

    text: str
    start: int
    end: int
    bias: float
    biased: bool
    label_scores: dict[str, float]
    labels: list[str]
    frame_scores: dict[str, float]
    frames: list[str]
    spans: list[Span] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON-ready fields (``label_scores`` and ``frame_scores`` included)."""
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "bias": self.bias,
            "biased": self.biased,
            "labels": list(self.labels),
            "label_scores": dict(self.label_scores),
            "frames": list(self.frames),
            "frame_scores": dict(self.frame_scores),
            "spans": [s.to_dict() for s in self.spans],
        }


@dataclass(frozen=True)
class Doc:
    """A scored text: how loaded it is, its sentences, techniques, frames and loaded spans."""

    text: str
    loaded_score: float
    loaded: bool
    sentences: list[Sentence]
    frame_scores: dict[str, float]
    frames: list[str]

    @property
    def labels(self) -> list[str]:
        """Technique labels of any sentence, in first-seen order."""
        return list(dict.fromkeys(label for s in self.sentences for label in s.labels))

    @property
    def spans(self) -> list[Span]:
        """All loaded spans, in text order."""
        return [span for s in self.sentences for span in s.spans]

    def to_dict(self) -> dict:
        """JSON-ready fields, sentences included."""
        return {
            "text": self.text,
            "loaded_score": self.loaded_score,
            "loaded": self.loaded,
            "labels": self.labels,
            "frames": list(self.frames),
            "frame_scores": dict(self.frame_scores),
            "spans": [s.to_dict() for s in self.spans],
            "sentences": [s.to_dict() for s in self.sentences],
        }
