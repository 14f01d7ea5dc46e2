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
from .batch import json_lines
from .workers import pipe_processes
from .doc import Doc, SentenceTable, chosen
from .features._base import TokenBatch, VocabularyUnion, sum_rows
from .heads import LinearHead
from .spans import SpanTagger
from .text import split_each

if TYPE_CHECKING:
    from .explain import Explainer, Explanation

HEADS = ("bias_head", "technique_head", "frame_head", "loaded_head")
SENTENCE_MAX_FRAMES = 2
"""A sentence carries at most its two strongest frames: frames are learned from whole
articles, and one sentence rarely gives evidence for more."""
BATCH_SIZE = 1024
"""Texts scored together by default: larger batches spread the per-batch work thinner (1024
scores about 10% more sentences per second than 256), and a batch of long texts is still
featurized in slices of ``CHUNK_SENTENCES``."""
CHUNK_SENTENCES = 2048
"""At most this many sentences are featurized at once: a giant text is scored in slices,
so the memory scoring needs does not grow with the length of one text."""


def bundled_model_dir() -> Path:
    """Where the model that ships with framing lives."""
    return Path(str(resources.files("framing.models") / "default"))


@dataclass
class Segments:
    """A batch of texts cut into sentences."""

    texts: list[str]
    owner: np.ndarray  # the text of each sentence
    starts: list[int]  # where each sentence starts in its text
    sentences: list[str]

    @classmethod
    def of(cls, texts: list[str]) -> "Segments":
        owner, starts, sentences = [], [], []
        for d, (text, spans) in enumerate(zip(texts, split_each(texts))):
            for s, e in spans:
                owner.append(d)
                starts.append(s)
                sentences.append(text[s:e])
        return cls(texts, np.asarray(owner, dtype=np.int64), starts, sentences)

    def tokens(self, lo: int = 0, hi: int | None = None) -> TokenBatch:
        """Sentences ``lo:hi`` tokenized, one "text" per sentence."""
        return TokenBatch.from_texts(self.sentences[lo:hi])

    def text_starts(self, lo: int = 0, hi: int | None = None) -> np.ndarray:
        """Of sentences ``lo:hi``, text ``d`` owns those at ``text_starts[d]:text_starts[d + 1]`` (relative to ``lo``)."""
        return np.searchsorted(self.owner[lo:hi], np.arange(len(self.texts) + 1))


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
    max_chars: int | None = None
    """Texts longer than this are refused (None: no limit). Scoring time and memory grow
    linearly with length, so set it when inputs may be giant, e.g. ``nlp.max_chars = 1_000_000``."""

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
        return stack(self.finalize([sum_rows(c, seg.text_starts()) for c in self.counts(seg.tokens())]))

    @staticmethod
    def with_tagger(blocks: list, summary: np.ndarray) -> list:
        """Feature blocks with the tagger's summary of each sentence appended (its count as ``log1p``)."""
        return [*blocks, np.column_stack([summary[:, :-1], np.log1p(summary[:, -1])])]

    def __call__(self, text: str) -> Doc:
        """Score one text (a paragraph or a whole article)."""
        reason = self._rejection(text)
        if reason is not None:
            raise (ValueError if isinstance(text, str) else TypeError)(reason)
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

    def pipe(self, texts: Iterable[str], batch_size: int = BATCH_SIZE, n_process: int = 1,
             on_error: str = "raise") -> Iterator[Doc]:
        """Score many texts in batches, yielding ``Doc`` objects in input order.

        With ``n_process > 1`` the texts are scored in that many worker processes, each of
        which loads this model from its directory once; results are the same as with one.
        A bad item (not a ``str``, or longer than ``max_chars``) raises with its position;
        with ``on_error="skip"`` it yields a ``Doc`` whose ``error`` says why, and goes on.
        """
        self._check_options(batch_size, n_process)
        if on_error not in ("raise", "skip"):
            raise ValueError(f"on_error must be 'raise' or 'skip', got {on_error!r}")
        checked = self._checked(texts, on_error)
        if n_process > 1:
            yield from pipe_processes(self, checked, batch_size, n_process, on_error=on_error)
            return
        while batch := list(itertools.islice(checked, batch_size)):
            yield from self._score_items(batch, on_error)

    def pipe_json(self, texts: Iterable[str], batch_size: int = BATCH_SIZE, n_process: int = 1) -> Iterator[tuple]:
        """Like ``pipe(texts, on_error="skip")``, but yields each doc as ``(its to_dict() as a JSON
        line, None)``, or ``(None, error)`` for an input that could not be scored. With
        ``n_process > 1`` the JSON is made in the worker processes (what ``framing score`` uses)."""
        self._check_options(batch_size, n_process)
        checked = self._checked(texts, "skip")
        if n_process > 1:
            yield from pipe_processes(self, checked, batch_size, n_process, as_json=True, on_error="skip")
            return
        while batch := list(itertools.islice(checked, batch_size)):
            yield from json_lines(self._score_items(batch, "skip"))

    def _check_options(self, batch_size: int, n_process: int) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        if n_process < 1:
            raise ValueError(f"n_process must be at least 1, got {n_process}")
        if n_process > 1 and self.path is None:
            raise ValueError("n_process > 1 needs a model loaded from a directory: save() it and framing.load() it")

    def _rejection(self, text) -> str | None:
        """Why ``text`` cannot be scored, or None when it can."""
        if not isinstance(text, str):
            return _type_error(text)
        if self.max_chars is not None and len(text) > self.max_chars:
            return (f"text of {len(text):,} characters is longer than max_chars={self.max_chars:,}; "
                    "split it (e.g. into paragraphs) or raise max_chars")
        return None

    def _checked(self, texts: Iterable, on_error: str) -> Iterator:
        """The items of ``texts``: ``str`` to score, or (skipping) ``Rejected`` in place of a bad one."""
        for i, t in enumerate(texts):
            reason = None if isinstance(t, Rejected) else self._rejection(t)
            if reason is None:
                yield t
            elif on_error == "skip":
                yield Rejected(reason, t if isinstance(t, str) else "")
            else:
                raise (ValueError if isinstance(t, str) else TypeError)(f"{reason} (at position {i} of the input)")

    def _score_items(self, items: list, on_error: str) -> list[Doc]:
        """Docs for ``items`` (``str`` or ``Rejected``); when skipping, a text that fails is scored
        alone so that only it becomes an error doc."""
        texts = [t for t in items if isinstance(t, str)]
        try:
            docs = iter(self._score_batch(texts))
        except Exception:
            if on_error == "raise":
                raise
            docs = iter([self._score_alone(t) for t in texts])
        return [next(docs) if isinstance(t, str) else self._error_doc(t.text, t.reason) for t in items]

    def _score_alone(self, text: str) -> Doc:
        try:
            return self._score_batch([text])[0]
        except Exception as e:  # noqa: BLE001 - on_error="skip" turns any failure into an error doc
            return self._error_doc(text, f"{type(e).__name__}: {e}")

    def _error_doc(self, text: str, reason: str) -> Doc:
        names = self.frame_head.labels
        return Doc(text, 0.0, False, [], [], names, np.zeros(len(names)), error=reason)

    @cached_property
    def _vocabularies(self) -> VocabularyUnion:
        vocabularies = [est._index.vocabulary if hasattr(est, "_index") else est.vocabulary_
                        for est, _ in self.extractors if hasattr(est, "_index") or hasattr(est, "vocabulary_")]
        return VocabularyUnion(vocabularies + [self.tagger._index.vocabulary, self.tagger.features.vocabulary_])

    def _score_batch(self, texts: list[str]) -> list[Doc]:
        seg = Segments.of(texts)
        n = len(seg.sentences)
        bounds = seg.text_starts()
        # A one-sentence text's frames are its sentence's: only other texts need summed counts.
        multi = np.flatnonzero(np.diff(bounds) != 1)
        tables: list[SentenceTable] = []
        bias_parts, summary_parts, frame_parts, text_counts = [], [], [], None
        for lo in range(0, max(n, 1), CHUNK_SENTENCES):
            hi = min(lo + CHUNK_SENTENCES, n)
            batch = seg.tokens(lo, hi)
            self._vocabularies.fill(batch)
            counts = self.counts(batch)
            bias, summary, frame_s, table = self._score_sentences(batch, counts, seg.starts[lo:hi])
            tables.append(table)
            bias_parts.append(bias)
            summary_parts.append(summary)
            frame_parts.append(frame_s)
            if len(multi):
                sums = [sum_rows(c, seg.text_starts(lo, hi))[multi] for c in counts]
                text_counts = sums if text_counts is None else [a + b for a, b in zip(text_counts, sums)]
        table = tables[0] if len(tables) == 1 else SentenceTable.concat(tables)
        summary = np.concatenate(summary_parts)
        loaded = self.loaded_head.scores(paragraph_features(np.concatenate(bias_parts), summary, seg.owner, len(texts)))[:, 0]
        loaded_on = self.loaded_head.decide(loaded[:, None])[:, 0].tolist()
        loaded_r = np.round(loaded, 4).tolist()
        fl = self.frame_head.labels
        doc_frame_s = np.zeros((len(texts), len(fl)))  # a text with no sentence scores 0 for every frame
        single = np.flatnonzero(np.diff(bounds) == 1)
        doc_frame_s[single] = np.concatenate(frame_parts)[bounds[single]]
        if len(multi):
            doc_frame_s[multi] = self.frame_head.scores(self.finalize(text_counts))
        doc_frame_on = self.frame_head.decide(doc_frame_s)
        doc_frame_on[np.diff(bounds) == 0] = False  # a text with no sentence has no frame
        # a one-sentence text is decided as the sentence it is: the same frames
        doc_frame_on[single] = np.concatenate([t.frame_on for t in tables])[bounds[single]]
        bounds = bounds.tolist()
        frames = chosen(doc_frame_on, fl)
        return [Doc.of_table(text, loaded_r[d] if bounds[d] < bounds[d + 1] else 0.0,
                             loaded_on[d] and bounds[d] < bounds[d + 1], table, bounds[d], bounds[d + 1],
                             frames[d], doc_frame_on[d], fl, doc_frame_s[d])
                for d, text in enumerate(texts)]

    def _score_sentences(self, batch: TokenBatch, counts: list, starts: list[int]) -> tuple:
        """Bias, tagger summary, frame scores and a :class:`SentenceTable` of the sentences of ``batch`` (at ``starts``)."""
        X = self.finalize(counts)
        tok = self.tagger.token_scores(batch)
        summary = tagger_summary(tok, batch, self.tagger.threshold)
        Xt = self.with_tagger(X, summary)
        bias = self.bias_head.scores(Xt)[:, 0]
        tech = self.technique_head.scores(Xt)
        frame_s = self.frame_head.scores(X)
        table = SentenceTable(
            batch.texts, starts, np.round(bias, 4).tolist(), self.bias_head.decide(bias[:, None])[:, 0].tolist(),
            self.technique_head.labels, tech, self.technique_head.decide(tech),
            self.frame_head.labels, frame_s, self.frame_head.decide(frame_s, max_labels=SENTENCE_MAX_FRAMES, sentences=True),
            self.tagger.tag(batch, tok, starts),
        )
        return bias, summary, frame_s, table

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
        try:
            extractors = [
                (state.extractor_from_state(c, arrays, f"extractor{i}"), float(c["weight"]))
                for i, c in enumerate(config["extractors"])
            ]
            heads = {n: state.head_from_state(config[n], arrays, n) for n in HEADS}
            tagger = state.tagger_from_state(config["tagger"], arrays, "tagger")
        except (KeyError, TypeError, ValueError, IndexError) as e:
            raise persist.ModelFileError(
                f"{Path(directory) / 'config.json'} does not describe a model this framing can build "
                f"({type(e).__name__}: {e}); retrain it with `framing train` or use the bundled model"
            ) from None
        return cls(extractors, tagger, meta=config["meta"], path=Path(directory).resolve(), **heads)


@dataclass(frozen=True)
class Rejected:
    """An input ``pipe(..., on_error="skip")`` will not score, and why (it travels to workers
    in place of the input and comes back as an error doc)."""

    reason: str
    text: str = ""


def _type_error(value) -> str:
    fix = "; decode it first, e.g. data.decode('utf-8')" if isinstance(value, (bytes, bytearray)) else "; pass text"
    return f"framing expects str, got {type(value).__name__}{fix}"


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
