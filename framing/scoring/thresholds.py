"""The cut-offs that turn scores into decisions, readable and settable by name (``nlp.thresholds``).

Every decision framing makes is a score reaching a threshold: ``biased`` (a sentence's ``bias``),
``loaded`` (a paragraph's and a document's ``loaded_score``), each technique label (a sentence's
``label_scores``), each frame of a text (``frame_scores``) and of a sentence. Changing a threshold
changes those decisions, never a score. A loaded phrase's cut-offs are not here: the tagger's
per-sentence summary, which the bias and technique heads read, counts tokens at its threshold, so
moving it would change scores too.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping

import numpy as np

from framing.scoring.heads import LinearHead

NAMES = ("bias", "loaded", "technique", "frame", "frame_evidence", "sentence_frame")
"""The names of the settable thresholds, in the order they are shown."""

MEANING = {
    "bias": "a sentence is biased when its bias reaches it",
    "loaded": "a paragraph (and a document, by its mean) is loaded when its loaded_score reaches it",
    "technique": "a sentence carries a technique when that technique's score reaches it",
    "frame": "a text carries a frame when that frame's score reaches it (at most the head's cap of frames)",
    "frame_evidence": "a text's frame also needs one of its sentences to score the frame at least this",
    "sentence_frame": "a sentence carries a frame when its score reaches it (at most 2 frames)",
}
"""What each threshold decides, in words (for the report, ``--help`` and the model card)."""
_HEAD = {"sentence_frame": "frame", "frame_evidence": "frame"}
"""The head of each threshold not named after its head."""


class Thresholds(MutableMapping):
    """The decision thresholds of a scorer's heads, by name (see :data:`NAMES` and :data:`MEANING`).

    A value is a float when the head uses one cut for all its labels (the bundled model does), else a
    dict of label -> float. Setting a float sets it for every label; a dict sets the labels it names.
    Values must lie in [0, 1]; names cannot be added or removed.
    """

    def __init__(self, heads: Mapping[str, LinearHead]):
        self._heads = heads  # name of a threshold -> the head it belongs to

    def _array(self, name: str) -> np.ndarray:
        if name not in NAMES:
            raise KeyError(f"no threshold {name!r}; the thresholds are {', '.join(NAMES)}")
        head = self._heads[_HEAD.get(name, name)]
        if name == "sentence_frame":
            if head.sentence_thresholds is None:  # a head without its own sentence cut uses the text's
                head.sentence_thresholds = head.thresholds.copy()
            return head.sentence_thresholds
        if name == "frame_evidence":
            if head.evidence_thresholds is None:  # a head without an evidence cut asks nothing of sentences
                head.evidence_thresholds = np.zeros(len(head.labels))
            return head.evidence_thresholds
        return head.thresholds

    def labels(self, name: str) -> tuple[str, ...]:
        """The labels threshold ``name`` decides."""
        self._array(name)
        return self._heads[_HEAD.get(name, name)].labels

    def __getitem__(self, name: str) -> float | dict[str, float]:
        values = self._array(name)
        if np.all(values == values[0]):
            return round(float(values[0]), 4)
        return {label: round(float(v), 4) for label, v in zip(self.labels(name), values.tolist())}

    def __setitem__(self, name: str, value) -> None:
        values, labels = self._array(name), self.labels(name)
        items = value.items() if isinstance(value, Mapping) else [(None, value)]
        checked = []
        for label, v in items:
            if label is not None and label not in labels:
                raise KeyError(f"threshold {name!r} has no label {label!r}; its labels are {', '.join(labels)}")
            try:
                v = float(v)
            except (TypeError, ValueError):
                raise ValueError(f"threshold {name!r} must be a number between 0 and 1, got {v!r}") from None
            if not 0.0 <= v <= 1.0:
                raise ValueError(f"threshold {name!r} must be between 0 and 1, got {v}")
            checked.append((label, v))
        for label, v in checked:
            if label is None:
                values[:] = v
            else:
                values[labels.index(label)] = v

    def __delitem__(self, name: str) -> None:
        raise TypeError("thresholds cannot be removed; set another value instead")

    def __iter__(self) -> Iterator[str]:
        return iter(NAMES)

    def __len__(self) -> int:
        return len(NAMES)

    def __repr__(self) -> str:
        return f"Thresholds({dict(self)!r})"


def parse_thresholds(text: str) -> dict[str, float]:
    """``"loaded=0.5,bias=0.6"`` -> ``{"loaded": 0.5, "bias": 0.6}`` (what ``--threshold`` takes)."""
    out: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or name not in NAMES:
            raise ValueError(f"--threshold takes NAME=VALUE pairs separated by commas, NAME one of {', '.join(NAMES)}; "
                             f"got {item!r}")
        try:
            out[name] = float(value)
        except ValueError:
            raise ValueError(f"--threshold {name} must be a number between 0 and 1, got {value.strip()!r}") from None
        if not 0.0 <= out[name] <= 1.0:
            raise ValueError(f"--threshold {name} must be between 0 and 1, got {out[name]}")
    return out
