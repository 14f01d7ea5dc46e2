"""``Scorer``: segment a batch of texts, featurize it at once, run the heads, assemble ``Doc``s."""
from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from . import persist, state
from .batch import pipe_processes
from .doc import Doc, Sentence
from .features._base import TokenBatch, VocabularyUnion, sum_rows
from .heads import LinearHead
from .spans import SpanTagger
from .text import split_sentences

if TYPE_CHECKING:
    from .explain import Explainer, Explanation

HEADS = ("bias_head", "technique_head", "frame_head", "loaded_head")
SENTENCE_MAX_FRAMES = 2
"""A sentence carries at most its two strongest frames: frames are learned from whole
articles, and one sentence rarely gives evidence for more."""


def bundled_model_dir() -> Path:
    """Where the model that ships with framing lives."""
    return Path(str(resources.files("framing.models") / "default"))


@dataclass
class Segments:
    """A batch of texts cut into sentences and tokenized once."""

    texts: list[str]
    owner: np.ndarray  # the text of each sentence
    starts: list[int]  # where each sentence starts in its text
    tokens: TokenBatch  # one "text" per sentence

    @classmethod
    def of(cls, texts: list[str]) -> "Segments":
        owner, starts, sentences = [], [], []
        for d, text in enumerate(texts):
            for s, e in split_sentences(text):
                owner.append(d)
                starts.append(s)
                sentences.append(text[s:e])
        return cls(texts, np.asarray(owner, dtype=np.int64), starts, TokenBatch.from_texts(sentences))

    @property
    def text_starts(self) -> np.ndarray:
        """Text ``d`` is made of sentences ``text_starts[d]:text_starts[d + 1]``."""
        return np.searchsorted(self.owner, np.arange(len(self.texts) + 1))


def stack(blocks: list) -> sp.csr_matrix:
    """Column blocks side by side, as one CSR matrix (what scikit-learn fits on)."""
    return sp.hstack([sp.csr_matrix(b) for b in blocks], format="csr", dtype=np.float32)


@dataclass
class Scorer:
    """A trained model. Call it on a text for a ``Doc``; use :meth:`pipe` for many texts.

    ``extractors`` are (extractor, weight) pairs whose outputs, side by side, are the
    sentence features; the tagger's per-sentence maxima are appended for the bias and
    technique heads. Frames read the same features of a sentence, or of a whole text
    (from its sentences' summed counts). A text's ``loaded_score`` comes from
    ``loaded_head`` over :func:`paragraph_features`.
    """

    extractors: list[tuple[object, float]]
    tagger: SpanTagger
    bias_head: LinearHead
    technique_head: LinearHead
    frame_head: LinearHead
    loaded_head: LinearHead
    meta: dict
    path: Path | None = None
    """The directory the model was loaded from (worker processes load it from there)."""

    @property
    def lexicons(self) -> dict[str, list[str]]:
        """The word lists the model's lexicon features use."""
        for est, _ in self.extractors:
            if getattr(est, "lexicons", None):
                return dict(est.lexicons)
        return {}

    def counts(self, batch: TokenBatch) -> list:
        """Each extractor's raw counts for the texts of ``batch`` (they add up across sentences)."""
        return [est.counts(batch) for est, _ in self.extractors]

    def finalize(self, counts: list) -> list:
        """Raw counts to feature blocks (one per extractor, weighted); :func:`stack` joins them."""
        blocks = []
        for (est, weight), c in zip(self.extractors, counts):
            block = est.finalize(c)
            if sp.issparse(block):
                block.data *= np.float32(weight)
            else:
                block = block * np.float32(weight)
            blocks.append(block)
        return blocks

    def text_features(self, texts: list[str]) -> sp.csr_matrix:
        """Features of whole texts, from the summed counts of their sentences (what frames read)."""
        seg = Segments.of(texts)
        return stack(self.finalize([sum_rows(c, seg.text_starts) for c in self.counts(seg.tokens)]))

    @staticmethod
    def with_tagger(blocks: list, summary: np.ndarray) -> list:
        """Feature blocks with the tagger's summary of each sentence appended (its count as ``log1p``)."""
        return [*blocks, np.column_stack([summary[:, :-1], np.log1p(summary[:, -1])])]

    def __call__(self, text: str) -> Doc:
        """Score one text (a paragraph or a whole article)."""
        if not isinstance(text, str):
            raise TypeError(_type_error(text))
        return self._score_batch([text])[0]

    def explain(self, text: str, top: int = 5) -> "Explanation":
        """Why ``self(text)`` scores as it does: for its loaded score and each flagged sentence
        (biased, or with a technique or a span) and span, the ``top`` features that pushed the
        score up, with their contributions in log-odds. See :mod:`framing.explain`."""
        if not isinstance(text, str):
            raise TypeError(_type_error(text))
        if top < 1:
            raise ValueError(f"top must be at least 1, got {top}")
        return self._explainer.explain(text, top)

    @cached_property
    def _explainer(self) -> "Explainer":
        from .explain import Explainer

        return Explainer(self)

    def pipe(self, texts: Iterable[str], batch_size: int = 256, n_process: int = 1) -> Iterator[Doc]:
        """Score many texts in batches, yielding ``Doc`` objects in input order.

        With ``n_process > 1`` the texts are scored in that many worker processes, each of
        which loads this model from its directory once; results are the same as with one.
        """
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        if n_process < 1:
            raise ValueError(f"n_process must be at least 1, got {n_process}")
        checked = self._checked(texts)
        if n_process > 1:
            if self.path is None:
                raise ValueError("n_process > 1 needs a model loaded from a directory: save() it and framing.load() it")
            yield from pipe_processes(self, checked, batch_size, n_process)
            return
        while batch := list(itertools.islice(checked, batch_size)):
            yield from self._score_batch(batch)

    @staticmethod
    def _checked(texts: Iterable[str]) -> Iterator[str]:
        for i, t in enumerate(texts):
            if not isinstance(t, str):
                raise TypeError(f"{_type_error(t)} (at position {i} of the input)")
            yield t

    @cached_property
    def _vocabularies(self) -> VocabularyUnion:
        vocabularies = [est._index.vocabulary if hasattr(est, "_index") else est.vocabulary_
                        for est, _ in self.extractors if hasattr(est, "_index") or hasattr(est, "vocabulary_")]
        return VocabularyUnion(vocabularies + [self.tagger._index.vocabulary, self.tagger.features.vocabulary_])

    def _score_batch(self, texts: list[str]) -> list[Doc]:
        seg = Segments.of(texts)
        batch = seg.tokens
        self._vocabularies.fill(batch)
        counts = self.counts(batch)
        X = self.finalize(counts)
        tok = self.tagger.token_scores(batch)
        summary = tagger_summary(tok, batch, self.tagger.threshold)
        Xt = self.with_tagger(X, summary)
        bias = self.bias_head.scores(Xt)[:, 0]
        biased = self.bias_head.decide(bias[:, None])[:, 0].tolist()
        tech = self.technique_head.scores(Xt)
        tech_on = self.technique_head.decide(tech)
        frame_s = self.frame_head.scores(X)
        frame_on = self.frame_head.decide(frame_s, max_labels=SENTENCE_MAX_FRAMES)
        doc_frame_s = self.frame_head.scores(self.finalize([sum_rows(c, seg.text_starts) for c in counts]))
        doc_frame_on = self.frame_head.decide(doc_frame_s)
        spans = self.tagger.tag(batch, tok, seg.starts)
        loaded = self.loaded_head.scores(paragraph_features(bias, summary, seg.owner, len(texts)))[:, 0]
        loaded_on = self.loaded_head.decide(loaded[:, None])[:, 0].tolist()
        tl, fl = self.technique_head.labels, self.frame_head.labels
        tech_labels = _chosen(tech_on, tl)
        frame_labels = _chosen(frame_on, fl)
        bias_r = np.round(bias, 4).tolist()
        per_doc: list[list[Sentence]] = [[] for _ in texts]
        for k, d in enumerate(seg.owner.tolist()):
            start = seg.starts[k]
            text = batch.texts[k]
            per_doc[d].append(
                Sentence(text, start, start + len(text), bias_r[k], biased[k], tech_labels[k], frame_labels[k],
                         spans[k], tl, tech[k], fl, frame_s[k])
            )
        loaded_r = np.round(loaded, 4).tolist()
        doc_frames = _chosen(doc_frame_on, fl)
        return [
            Doc(text, loaded_r[d] if per_doc[d] else 0.0, loaded_on[d] and bool(per_doc[d]), per_doc[d],
                doc_frames[d] if per_doc[d] else [], fl, doc_frame_s[d])
            for d, text in enumerate(texts)
        ]

    def save(self, directory: str | Path, model_card: str) -> Path:
        """Write the model as JSON + ``.npz`` + ``MODEL_CARD.md`` with SHA-256 sums."""
        config: dict = {"meta": self.meta, "extractors": []}
        arrays: dict[str, np.ndarray] = {}
        for i, (est, weight) in enumerate(self.extractors):
            c, a = state.extractor_state(est, f"extractor{i}")
            config["extractors"].append({**c, "weight": weight})
            arrays.update(a)
        for name in HEADS:
            c, a = state.head_state(getattr(self, name), name)
            config[name] = c
            arrays.update(a)
        config["tagger"], a = state.tagger_state(self.tagger, "tagger")
        arrays.update(a)
        return persist.save(directory, config, arrays, {"MODEL_CARD.md": model_card})

    @classmethod
    def from_dir(cls, directory: str | Path) -> "Scorer":
        """Load a model directory written by :meth:`save` (checked, never unpickled)."""
        config, arrays = persist.load(directory)
        extractors = [
            (state.extractor_from_state(c, arrays, f"extractor{i}"), float(c["weight"]))
            for i, c in enumerate(config["extractors"])
        ]
        heads = {n: state.head_from_state(config[n], arrays, n) for n in HEADS}
        tagger = state.tagger_from_state(config["tagger"], arrays, "tagger")
        return cls(extractors, tagger, meta=config["meta"], path=Path(directory).resolve(), **heads)


def _type_error(value) -> str:
    fix = "; decode it first, e.g. data.decode('utf-8')" if isinstance(value, (bytes, bytearray)) else "; pass text"
    return f"framing expects str, got {type(value).__name__}{fix}"


def _chosen(on: np.ndarray, names: tuple[str, ...]) -> list[list[str]]:
    """Per row, the names whose column is True."""
    out: list[list[str]] = [[] for _ in range(len(on))]
    for r, c in zip(*np.nonzero(on)):
        out[r].append(names[c])
    return out


def tagger_summary(token_scores: np.ndarray, batch: TokenBatch, threshold: float) -> np.ndarray:
    """Per text of ``batch``: the tagger's highest probability for each label, then how many tokens reach ``threshold``."""
    n = len(batch.texts)
    out = np.zeros((n, token_scores.shape[1] + 1))
    if len(token_scores):
        has = np.diff(batch.indptr) > 0
        out[has, :-1] = np.maximum.reduceat(token_scores, batch.indptr[:-1][has], axis=0)
        out[:, -1] = np.bincount(batch.row[token_scores.max(axis=1) >= threshold], minlength=n)
    return out


def paragraph_features(bias: np.ndarray, summary: np.ndarray, owner: np.ndarray, n_texts: int) -> np.ndarray:
    """Per text: log-odds of its most biased sentence, its most loaded token's probability, and
    ``log1p`` of its loaded tokens (``owner[k]`` is the text of sentence ``k``; ``summary`` from
    :func:`tagger_summary`)."""
    out = np.zeros((n_texts, 3))
    out[:, 0] = -10.0
    if len(owner):
        p = np.clip(bias, 1e-6, 1 - 1e-6)
        np.maximum.at(out[:, 0], owner, np.log(p / (1 - p)))
        np.maximum.at(out[:, 1], owner, summary[:, :-1].max(axis=1))
        np.add.at(out[:, 2], owner, summary[:, -1])
    out[:, 2] = np.log1p(out[:, 2])
    return out


def load(path: str | Path | None = None) -> Scorer:
    """Load a model: the bundled one when ``path`` is None, else the directory at ``path``."""
    directory = bundled_model_dir() if path is None else Path(path)
    if not directory.is_dir():
        raise FileNotFoundError(f"no model directory at {directory}; pass the folder `framing train --out` wrote")
    return Scorer.from_dir(directory)
