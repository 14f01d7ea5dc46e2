"""What scoring returns: ``Doc`` holds ``Sentence`` objects, which hold ``Span`` objects.

All of it is plain data with character offsets into the text that was scored, so
``doc.text[span.start:span.end] == span.text`` always holds. Score dictionaries, and a
doc's ``Sentence`` objects, are built from the heads' arrays when first read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

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


@dataclass
class SentenceTable:
    """The scored sentences of a batch, as arrays: what a ``Doc`` makes its ``Sentence``
    objects from, the first time they are asked for (most corpus work reads only a doc's
    scores, labels and spans, and never pays for them)."""

    texts: list[str]
    starts: list[int]
    """Where each sentence starts in the text it belongs to."""
    bias: list[float]
    biased: list[bool]
    technique_names: tuple[str, ...]
    technique_probs: np.ndarray
    technique_on: np.ndarray
    frame_names: tuple[str, ...]
    frame_probs: np.ndarray
    frame_on: np.ndarray
    spans: list[list[Span]]

    @cached_property
    def technique_lists(self) -> list[list[str]]:
        """Each sentence's technique labels (made for the whole table at once, when first read)."""
        return chosen(self.technique_on, self.technique_names)

    @cached_property
    def frame_lists(self) -> list[list[str]]:
        """Each sentence's frames (made for the whole table at once, when first read)."""
        return chosen(self.frame_on, self.frame_names)

    @cached_property
    def sentences(self) -> list[Sentence]:
        """Every sentence as an object (made for the whole table at once, when first read)."""
        tn, fn = self.technique_names, self.frame_names
        return [Sentence(text, start, start + len(text), bias, biased, techniques, frames, spans, tn, tp, fn, fp)
                for text, start, bias, biased, techniques, frames, spans, tp, fp in zip(
                    self.texts, self.starts, self.bias, self.biased, self.technique_lists, self.frame_lists, self.spans,
                    self.technique_probs, self.frame_probs)]

    def labels(self, lo: int, hi: int) -> list[str]:
        """Technique labels of any of sentences ``lo:hi``, in first-seen order."""
        lists = self.technique_lists
        if hi - lo == 1:
            return list(lists[lo])
        return list(dict.fromkeys(label for k in range(lo, hi) for label in lists[k]))

    def span_list(self, lo: int, hi: int) -> list[Span]:
        """The spans of sentences ``lo:hi``, in text order."""
        return list(self.spans[lo]) if hi - lo == 1 else [span for k in range(lo, hi) for span in self.spans[k]]

    @classmethod
    def concat(cls, tables: list["SentenceTable"]) -> "SentenceTable":
        """One table holding the sentences of ``tables``, in order."""
        first = tables[0]
        return cls(
            [t for x in tables for t in x.texts], [s for x in tables for s in x.starts],
            [b for x in tables for b in x.bias], [b for x in tables for b in x.biased], first.technique_names,
            np.concatenate([x.technique_probs for x in tables]), np.concatenate([x.technique_on for x in tables]),
            first.frame_names, np.concatenate([x.frame_probs for x in tables]),
            np.concatenate([x.frame_on for x in tables]), [s for x in tables for s in x.spans],
        )


def chosen(on: np.ndarray, names: tuple[str, ...]) -> list[list[str]]:
    """Per row of the boolean matrix ``on``, the names of its set columns."""
    rows, cols = np.nonzero(on)
    out: list[list[str]] = [[] for _ in range(len(on))]
    for r, c in zip(rows.tolist(), cols.tolist()):
        out[r].append(names[c])
    return out


class Doc:
    """A scored text: how loaded it is, its sentences, techniques, frames and loaded spans.

    ``error`` is None, except for an input that ``pipe(..., on_error="skip")`` could not
    score: then it says why, and the doc has no sentences and ``loaded_score`` 0.0.
    ``sentences`` are built when first read (``labels``, ``spans`` and ``frames`` do not need them).
    """

    __slots__ = ("text", "loaded_score", "loaded", "frame_names", "frame_probs", "error",
                 "_sentences", "_frames", "_table", "_lo", "_hi", "_frame_on")

    def __init__(self, text: str, loaded_score: float, loaded: bool, sentences: list[Sentence], frames: list[str],
                 frame_names: tuple[str, ...], frame_probs: np.ndarray, error: str | None = None):
        self.text, self.loaded_score, self.loaded, self.error = text, loaded_score, loaded, error
        self.frame_names, self.frame_probs = frame_names, frame_probs
        self._sentences, self._frames = list(sentences), list(frames)
        self._table, self._lo, self._hi, self._frame_on = None, 0, 0, None

    @classmethod
    def of_table(cls, text: str, loaded_score: float, loaded: bool, table: SentenceTable, lo: int, hi: int,
                 frames: list[str], frame_on: np.ndarray, frame_names: tuple[str, ...], frame_probs: np.ndarray) -> "Doc":
        """A doc whose sentences are ``table``'s ``lo:hi`` (``frame_on``: ``frames`` as a row of flags)."""
        doc = cls.__new__(cls)
        doc.text, doc.loaded_score, doc.loaded, doc.error = text, loaded_score, loaded, None
        doc.frame_names, doc.frame_probs = frame_names, frame_probs
        doc._sentences, doc._frames = None, frames
        doc._table, doc._lo, doc._hi, doc._frame_on = table, lo, hi, frame_on
        return doc

    @property
    def sentences(self) -> list[Sentence]:
        """The sentences, in text order, with offsets into ``text``."""
        if self._sentences is None:
            self._sentences = self._table.sentences[self._lo : self._hi]
        return self._sentences

    @property
    def frames(self) -> list[str]:
        """The frames of the whole text."""
        return self._frames

    @property
    def frame_scores(self) -> dict[str, float]:
        """Every frame -> probability for the whole text (rounded to 4 decimals)."""
        return _scores(self.frame_names, self.frame_probs)

    @property
    def labels(self) -> list[str]:
        """Technique labels of any sentence, in first-seen order."""
        if self._sentences is None:
            return self._table.labels(self._lo, self._hi)
        return list(dict.fromkeys(label for s in self._sentences for label in s.labels))

    @property
    def spans(self) -> list[Span]:
        """All loaded spans, in text order."""
        if self._sentences is None:
            return self._table.span_list(self._lo, self._hi)
        return [span for s in self._sentences for span in s.spans]

    def __repr__(self) -> str:
        return (f"Doc(text={self.text!r}, loaded_score={self.loaded_score!r}, loaded={self.loaded!r}, "
                f"sentences={self.sentences!r}, frames={self.frames!r}"
                f", error={self.error!r})")

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


def pack(docs: list[Doc]) -> dict:
    """Docs made by ``Scorer.pipe`` as arrays, to send to another process: no text (the receiver
    has the texts it sent), no ``Sentence`` object, a few strings (see :func:`unpack`)."""
    tables: list[SentenceTable] = []
    offsets: dict[int, int] = {}  # id of a table -> where its rows start among all tables' rows
    bounds = np.zeros((len(docs), 2), dtype=np.int64)
    for i, d in enumerate(docs):
        if d._table is not None:
            if id(d._table) not in offsets:
                offsets[id(d._table)] = sum(len(t.texts) for t in tables)
                tables.append(d._table)
            bounds[i] = (d._lo + offsets[id(d._table)], d._hi + offsets[id(d._table)])
    out = {
        "loaded_score": np.array([d.loaded_score for d in docs], dtype=np.float64),
        "loaded": np.array([d.loaded for d in docs], dtype=bool), "bounds": bounds,
        "errors": {i: d.error for i, d in enumerate(docs) if d.error is not None},
        "frame_names": docs[0].frame_names if docs else (),
        "frame_on": np.array([np.zeros(len(d.frame_names), bool) if d._frame_on is None else d._frame_on for d in docs]),
        "frame_probs": np.array([d.frame_probs for d in docs]), "sentences": None,
    }
    if tables:
        t = tables[0] if len(tables) == 1 else SentenceTable.concat(tables)
        spans = [(k, x.start, x.end, x.score, x.label) for k, row in enumerate(t.spans) for x in row]
        labels = sorted({x[4] for x in spans})
        out["sentences"] = {
            "starts": np.array(t.starts, dtype=np.int64), "lengths": np.array([len(x) for x in t.texts], dtype=np.int64),
            "bias": np.array(t.bias, dtype=np.float64), "biased": np.array(t.biased, dtype=bool),
            "technique_names": t.technique_names, "technique_probs": t.technique_probs, "technique_on": t.technique_on,
            "frame_names": t.frame_names, "frame_probs": t.frame_probs, "frame_on": t.frame_on,
            "span_labels": labels, "spans": np.array([(k, a, b, labels.index(lab)) for k, a, b, _, lab in spans],
                                                     dtype=np.int64).reshape(-1, 4),
            "span_scores": np.array([x[3] for x in spans], dtype=np.float64),
        }
    return out


def unpack(packed: dict, texts: list[str]) -> list[Doc]:
    """The docs :func:`pack` packed, ``texts`` being the texts they were scored from."""
    names, frame_on, frame_probs = packed["frame_names"], packed["frame_on"], packed["frame_probs"]
    bounds, sent = packed["bounds"].tolist(), packed["sentences"]
    table = None
    if sent is not None:
        owner = np.zeros(len(sent["starts"]), dtype=np.int64)
        for d, (lo, hi) in enumerate(bounds):
            owner[lo:hi] = d
        starts, owner_l = sent["starts"].tolist(), owner.tolist()
        spans: list[list[Span]] = [[] for _ in starts]
        labels = sent["span_labels"]
        for (k, a, b, label), score in zip(sent["spans"].tolist(), sent["span_scores"].tolist()):
            spans[k].append(Span(texts[owner_l[k]][a:b], a, b, score, labels[label]))
        table = SentenceTable(
            [texts[d][s : s + n] for d, s, n in zip(owner_l, starts, sent["lengths"].tolist())], starts,
            sent["bias"].tolist(), sent["biased"].tolist(), sent["technique_names"], sent["technique_probs"],
            sent["technique_on"], sent["frame_names"], sent["frame_probs"], sent["frame_on"], spans,
        )
    docs = []
    frames = chosen(frame_on, names)
    for d, (text, loaded_score, loaded) in enumerate(zip(texts, packed["loaded_score"].tolist(), packed["loaded"].tolist())):
        if d in packed["errors"]:
            docs.append(Doc(text, loaded_score, loaded, [], [], names, frame_probs[d], packed["errors"][d]))
        else:
            docs.append(Doc.of_table(text, loaded_score, loaded, table, *bounds[d], frames[d], frame_on[d], names,
                                     frame_probs[d]))
    return docs
