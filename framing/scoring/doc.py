"""What scoring returns: ``Doc`` holds ``Sentence`` objects, which hold ``Span`` objects.

All of it is plain data with character offsets into the text that was scored, so
``doc.text[span.start:span.end] == span.text`` always holds. Score dictionaries, and a
doc's ``Sentence`` objects, are built from the heads' arrays when first read.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from framing.scoring.labels import FRAMES


def _scores(names: tuple[str, ...], values: np.ndarray) -> dict[str, float]:
    return dict(zip(names, np.round(values.astype(np.float64), 4).tolist()))


@dataclass(slots=True)
class Span:
    """A loaded phrase: ``text`` at ``[start, end)`` of the scored text, its ``score`` and ``label``, and
    whether it is ``quoted`` (inside quotation marks) or the writer's own words."""

    text: str
    start: int
    end: int
    score: float
    label: str = "Loaded_Language"
    quoted: bool = False
    """Inside quotation marks: someone else's words, quoted (see :func:`framing.scoring.text.quote_spans`)."""

    def to_dict(self) -> dict:
        """JSON-ready fields."""
        return {"text": self.text, "start": self.start, "end": self.end, "score": self.score, "label": self.label,
                "quoted": self.quoted}


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
    quoted: float = 0.0
    """The share of its characters inside quotation marks (0: all the writer's own words, 1: all quoted)."""

    @property
    def label_scores(self) -> dict[str, float]:
        """Every technique -> probability (rounded to 4 decimals)."""
        return _scores(self.technique_names, self.technique_probs)

    @property
    def frame_scores(self) -> dict[str, float]:
        """Every frame -> probability (rounded to 4 decimals)."""
        return _scores(self.frame_names, self.frame_probs)

    def __eq__(self, other) -> bool:
        """Equal when every field is, scores as reported (rounded to 4 decimals): ``a == b`` exactly
        when ``a.to_dict() == b.to_dict()``."""
        if not isinstance(other, Sentence):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None

    def to_dict(self, all_scores: bool = True) -> dict:
        """JSON-ready fields; ``label_scores`` and ``frame_scores`` hold every technique and frame, or with
        ``all_scores=False`` only the sentence's own ``labels`` and ``frames`` (the compact form)."""
        labels, frames = self.label_scores, self.frame_scores
        if not all_scores:
            labels, frames = {k: labels[k] for k in self.labels}, {k: frames[k] for k in self.frames}
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "bias": self.bias,
            "biased": self.biased,
            "labels": list(self.labels),
            "label_scores": labels,
            "frames": list(self.frames),
            "frame_scores": frames,
            "spans": [s.to_dict() for s in self.spans],
            "quoted": self.quoted,
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
    quoted: list[float] | None = None
    """Each sentence's share of characters in quotation marks (None: no sentence has any)."""

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
        quoted = self.quoted or [0.0] * len(self.texts)
        return [Sentence(text, start, start + len(text), bias, biased, techniques, frames, spans, tn, tp, fn, fp, q)
                for text, start, bias, biased, techniques, frames, spans, tp, fp, q in zip(
                    self.texts, self.starts, self.bias, self.biased, self.technique_lists, self.frame_lists, self.spans,
                    self.technique_probs, self.frame_probs, quoted)]

    @cached_property
    def _rounded(self) -> tuple[list[list[float]], list[list[float]]]:
        """Every technique and frame score, rounded as reported (for the whole table at once)."""
        return (np.round(self.technique_probs.astype(np.float64), 4).tolist(),
                np.round(self.frame_probs.astype(np.float64), 4).tolist())

    def sentence_dicts(self, lo: int, hi: int, all_scores: bool = True) -> list[dict]:
        """:meth:`Sentence.to_dict` of sentences ``lo:hi``, made from the table's arrays without
        building ``Sentence`` objects (the same dicts)."""
        techniques, frames = self._rounded
        tn, fn = self.technique_names, self.frame_names
        tl, fl = self.technique_lists, self.frame_lists
        if not all_scores:
            tc, fc = {n: j for j, n in enumerate(tn)}, {n: j for j, n in enumerate(fn)}
        texts, starts, bias, biased, spans, quoted = self.texts, self.starts, self.bias, self.biased, self.spans, self.quoted
        out = []
        for k in range(lo, hi):
            t, f = techniques[k], frames[k]
            if all_scores:
                label_scores, frame_scores = dict(zip(tn, t)), dict(zip(fn, f))
            else:
                label_scores, frame_scores = {n: t[tc[n]] for n in tl[k]}, {n: f[fc[n]] for n in fl[k]}
            text, start = texts[k], starts[k]
            out.append({"text": text, "start": start, "end": start + len(text), "bias": bias[k], "biased": biased[k],
                        "labels": list(tl[k]), "label_scores": label_scores, "frames": list(fl[k]),
                        "frame_scores": frame_scores, "spans": [x.to_dict() for x in spans[k]],
                        "quoted": quoted[k] if quoted else 0.0})
        return out

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
    def from_dicts(cls, sentences: list[dict]) -> "SentenceTable":
        """The table of sentences given as :meth:`Sentence.to_dict` dicts (of one text)."""
        technique_names, frame_names = tuple(sentences[0]["label_scores"]), tuple(sentences[0]["frame_scores"])

        def probs(key: str, names: tuple[str, ...]) -> np.ndarray:
            return np.array([[s[key][n] for n in names] for s in sentences], dtype=np.float64)

        def on(key: str, names: tuple[str, ...]) -> np.ndarray:
            return np.array([[n in s[key] for n in names] for s in sentences], dtype=bool)

        return cls([s["text"] for s in sentences], [s["start"] for s in sentences], [s["bias"] for s in sentences],
                   [s["biased"] for s in sentences], technique_names, probs("label_scores", technique_names),
                   on("labels", technique_names), frame_names, probs("frame_scores", frame_names),
                   on("frames", frame_names), [[Span(**x) for x in s["spans"]] for s in sentences],
                   [s.get("quoted", 0.0) for s in sentences])

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
            None if all(x.quoted is None for x in tables) else [q for x in tables for q in (x.quoted or [0.0] * len(x.texts))],
        )


@dataclass(slots=True)
class Paragraph:
    """A paragraph of a doc: ``text`` at ``[start, end)`` of the doc's text, how loaded it is
    (``loaded_score``, 0..1: the loaded head on its own sentences, as if it were scored alone) and
    the model's decision, and its sentences."""

    text: str
    start: int
    end: int
    loaded_score: float
    loaded: bool
    sentences: list[Sentence]

    def to_dict(self) -> dict:
        """JSON-ready fields (its sentences are the doc's, by offset)."""
        return {"start": self.start, "end": self.end, "loaded_score": self.loaded_score, "loaded": self.loaded}


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
    Its sentences are rows ``lo:hi`` of ``table`` (a :class:`SentenceTable`, shared by the
    docs of one scored batch; None for a doc without sentences), and ``Sentence`` objects
    are built when first read (``labels``, ``spans`` and ``frames`` do not need them).
    ``frame_on`` flags the frames of the whole text, in the order of ``frame_names``.

    ``loaded_score`` is the mean of its paragraphs' loaded scores (each the loaded head on that
    paragraph's sentences alone), so it does not grow with the length of a text; a text of one
    paragraph has that paragraph's score. ``loaded`` is whether it reaches the loaded head's
    threshold; :attr:`most_loaded` is the paragraph with the highest score.
    """

    __slots__ = ("text", "loaded_score", "loaded", "frame_names", "frame_probs", "frame_on", "error",
                 "table", "lo", "hi", "paragraph_rows", "_frames", "_sentences")

    def __init__(self, text: str, loaded_score: float = 0.0, loaded: bool = False, *,
                 frame_names: tuple[str, ...] = FRAMES, frame_probs: np.ndarray | None = None,
                 frame_on: np.ndarray | None = None, frames: list[str] | None = None,
                 table: SentenceTable | None = None, lo: int = 0, hi: int = 0,
                 paragraph_rows: list[tuple] | None = None, error: str | None = None):
        self.text, self.loaded_score, self.loaded, self.error = text, loaded_score, loaded, error
        self.paragraph_rows = [] if paragraph_rows is None else paragraph_rows
        """Per paragraph: ``(start, end, loaded_score, loaded, first sentence, end sentence)``, sentences
        counted from the doc's first (what :attr:`paragraphs` is made from)."""
        self.frame_names = frame_names
        self.frame_probs = np.zeros(len(frame_names)) if frame_probs is None else frame_probs
        self.frame_on = np.zeros(len(frame_names), dtype=bool) if frame_on is None else frame_on
        self._frames = chosen(self.frame_on[None, :], frame_names)[0] if frames is None else frames
        self.table, self.lo, self.hi = table, lo, hi
        self._sentences: list[Sentence] | None = None if table is not None else []

    @classmethod
    def from_dict(cls, data: dict) -> "Doc":
        """The doc whose :meth:`to_dict` is ``data`` (``Doc.from_dict(d.to_dict()).to_dict() == d.to_dict()``).

        It needs every score: the compact form (``to_dict(all_scores=False)``, what ``framing score``
        writes without ``--all-scores``) is refused, as it has no scores for the labels not chosen."""
        frame_names = tuple(data["frame_scores"])
        sentences = data["sentences"]
        if len(frame_names) < len(FRAMES) and set(frame_names) == set(data["frames"]):
            raise ValueError("this is the compact form (scores of the chosen labels and frames only), which "
                             "Doc.from_dict cannot rebuild a Doc from; write it with every score: "
                             "`framing score --all-scores`, or doc.to_dict()")
        table = SentenceTable.from_dicts(sentences) if sentences else None
        starts = [x["start"] for x in sentences]
        rows = [(p["start"], p["end"], p["loaded_score"], p["loaded"], bisect_left(starts, p["start"]),
                 bisect_left(starts, p["end"])) for p in data.get("paragraphs", [])]
        return cls(data["text"], data["loaded_score"], data["loaded"], frame_names=frame_names,
                   frame_probs=np.array([data["frame_scores"][f] for f in frame_names], dtype=np.float64),
                   frame_on=np.array([f in data["frames"] for f in frame_names], dtype=bool), frames=list(data["frames"]),
                   table=table, lo=0, hi=len(sentences), paragraph_rows=rows, error=data.get("error"))

    @property
    def paragraphs(self) -> list[Paragraph]:
        """The paragraphs, in text order, with offsets into ``text`` (see :func:`framing.scoring.text.paragraph_starts`)."""
        sentences = self.sentences
        return [Paragraph(self.text[a:b], a, b, score, on, sentences[lo:hi]) for a, b, score, on, lo, hi in self.paragraph_rows]

    @property
    def most_loaded_index(self) -> int | None:
        """Which paragraph has the highest loaded score (the first of equals), None for a text without sentences."""
        rows = self.paragraph_rows
        return max(range(len(rows)), key=lambda i: rows[i][2]) if rows else None

    @property
    def most_loaded(self) -> Paragraph | None:
        """The paragraph with the highest loaded score (the first of equals), None for a text without sentences."""
        k = self.most_loaded_index
        if k is None:
            return None
        a, b, score, on, lo, hi = self.paragraph_rows[k]
        return Paragraph(self.text[a:b], a, b, score, on, self.sentences[lo:hi])

    @property
    def sentences(self) -> list[Sentence]:
        """The sentences, in text order, with offsets into ``text``."""
        if self._sentences is None:
            self._sentences = self.table.sentences[self.lo : self.hi]
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
    def frame_evidence(self) -> dict[str, Sentence]:
        """Each frame of the whole text -> the sentence that shows it most (the highest
        ``frame_scores`` for that frame; the first of equals). A text's frame is never chosen
        without a sentence reaching the frame head's evidence threshold for it."""
        if self.table is None or self.hi == self.lo:
            return {}
        probs = self.table.frame_probs[self.lo : self.hi]
        column = {f: j for j, f in enumerate(self.frame_names)}
        sentences = self.sentences
        return {f: sentences[int(np.argmax(probs[:, column[f]]))] for f in self.frames}

    @property
    def labels(self) -> list[str]:
        """Technique labels of any sentence, in first-seen order."""
        if self.table is None:
            return []
        return self.table.labels(self.lo, self.hi)

    @property
    def spans(self) -> list[Span]:
        """All loaded spans, in text order."""
        if self.table is None:
            return []
        return self.table.span_list(self.lo, self.hi)

    @property
    def writer_spans(self) -> list[Span]:
        """The loaded spans in the writer's own words (not inside quotation marks), in text order."""
        return [s for s in self.spans if not s.quoted]

    def __repr__(self) -> str:
        return (f"Doc(text={self.text!r}, loaded_score={self.loaded_score!r}, loaded={self.loaded!r}, "
                f"sentences={self.sentences!r}, frames={self.frames!r}"
                f", error={self.error!r})")

    def to_dict(self, all_scores: bool = True) -> dict:
        """JSON-ready fields, sentences included (and ``error`` when there is one).

        ``all_scores=False`` gives the compact form: ``frame_scores`` of the doc and ``label_scores`` and
        ``frame_scores`` of each sentence hold only the labels and frames chosen; every other field is
        the same. :meth:`from_dict` reads only the full form."""
        frame_scores = self.frame_scores
        if not all_scores:
            frame_scores = {k: frame_scores[k] for k in self.frames}
        out = {
            "text": self.text,
            "loaded_score": self.loaded_score,
            "loaded": self.loaded,
            "labels": self.labels,
            "frames": list(self.frames),
            "frame_scores": frame_scores,
            "spans": [s.to_dict() for s in self.spans],
            "paragraphs": [{"start": a, "end": b, "loaded_score": score, "loaded": on}
                           for a, b, score, on, _, _ in self.paragraph_rows],
            "sentences": (self.table.sentence_dicts(self.lo, self.hi, all_scores) if self._sentences is None
                          else [s.to_dict(all_scores) for s in self._sentences]),
        }
        if self.error is not None:
            out["error"] = self.error
        return out
