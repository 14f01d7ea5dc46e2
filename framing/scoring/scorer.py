"""``Scorer``: segment a batch of texts, featurize it at once, run the heads, assemble ``Doc``s.

One direction: :class:`~framing.scoring.featurize.Segments` -> :class:`~framing.scoring.featurize.Featurizer`
and the :class:`~framing.scoring.spans.SpanTagger` -> the :class:`~framing.scoring.heads.LinearHead` heads ->
:class:`~framing.scoring.doc.Doc`. :meth:`Scorer.score` can keep what each stage computed
(:class:`Chunk`), so that explanations are made from it rather than by scoring again.
"""
from __future__ import annotations

import itertools
from itertools import compress
from bisect import bisect_right
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from pathlib import Path

import numpy as np

from framing.scoring import persist, state
from framing.scoring.batches import next_batch
from framing.scoring.doc import Doc, SentenceTable, chosen
from framing.scoring.featurize import Featurizer, Segments, paragraph_features, tagger_summary, with_tagger
from framing.scoring.features.base import TokenBatch, VocabularyUnion, sum_rows
from framing.scoring.heads import LinearHead
from framing.scoring.spans import SpanTagger
from framing.scoring.text import QUOTE_MARK, quote_spans
from framing.scoring.thresholds import Thresholds
from framing.scoring.wire import json_lines

HEADS = ("bias_head", "technique_head", "frame_head", "loaded_head")
SENTENCE_MAX_FRAMES = 2
"""A sentence carries at most its two strongest frames: frames are learned from whole
articles, and one sentence rarely gives evidence for more."""
PHRASE_TECHNIQUES = ("Loaded_Language", "Name_Calling-Labeling")
"""Techniques that are phrases: a sentence has one only when it also has a loaded phrase, so a
label is never without a phrase the explanation can show."""
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
class Chunk:
    """What scoring computed for sentences ``lo:hi`` of a batch, on the way to its docs."""

    lo: int
    hi: int
    tokens: TokenBatch
    blocks: list
    """The sentences' feature blocks (see :meth:`Featurizer.finalize`), without the tagger's summary."""
    first_pass: np.ndarray
    """The tagger's first-pass log-odds of each token (see :meth:`SpanTagger.first_pass`)."""
    token_scores: np.ndarray
    summary: np.ndarray
    """The tagger's summary of each sentence (see :func:`~framing.scoring.featurize.tagger_summary`)."""
    bias: np.ndarray


@dataclass
class Scored:
    """A scored batch: its docs, and (when kept) what scoring computed on the way."""

    docs: list[Doc]
    segments: Segments
    chunks: list[Chunk] = field(default_factory=list)
    paragraph_features: np.ndarray | None = None
    """What the loaded head read for each paragraph (see :func:`~framing.scoring.featurize.paragraph_features`;
    ``segments.paragraph_owner`` says whose)."""


@dataclass(kw_only=True)
class Scorer:
    """A trained model. Call it on a text for a ``Doc``; use :meth:`pipe` for many texts.

    ``features`` are the sentence features; the tagger's per-sentence summary is appended
    for the bias and technique heads. Frames read the same features of a sentence, or of a
    whole text (from its sentences' summed counts). A text's ``loaded_score`` comes from
    ``loaded_head`` over :func:`~framing.scoring.featurize.paragraph_features`.
    """

    features: Featurizer
    tagger: SpanTagger
    bias_head: LinearHead
    technique_head: LinearHead
    frame_head: LinearHead
    loaded_head: LinearHead
    meta: dict = field(default_factory=dict)
    path: Path | None = None
    """The directory the model was loaded from (spawned worker processes load it from there)."""
    max_chars: int | None = None
    """Texts longer than this are refused (None: no limit). Scoring time and memory grow
    linearly with length, so set it when inputs may be giant, e.g. ``nlp.max_chars = 1_000_000``."""
    derived: dict = field(default_factory=dict, repr=False, compare=False)
    """What other parts of framing derive from this model and keep with it (e.g. its explainer)."""

    @property
    def thresholds(self) -> Thresholds:
        """The cut-offs of its decisions by name (``bias``, ``loaded``, ``technique``, ``frame``,
        ``frame_evidence``, ``sentence_frame``), settable: ``nlp.thresholds["loaded"] = 0.5`` changes which texts are
        loaded, not their scores (see :mod:`framing.scoring.thresholds`)."""
        return Thresholds({"bias": self.bias_head, "loaded": self.loaded_head, "technique": self.technique_head,
                           "frame": self.frame_head})

    @property
    def lexicons(self) -> dict[str, list[str]]:
        """The word lists the model's lexicon features use."""
        return self.features.lexicons

    def __call__(self, text: str) -> Doc:
        """Score one text (a paragraph or a whole article)."""
        reason = self.rejection(text)
        if reason is not None:
            raise (ValueError if isinstance(text, str) else TypeError)(reason)
        return self.score([text]).docs[0]

    def pipe(self, texts: Iterable, batch_size: int = BATCH_SIZE, n_process: int = 1, on_error: str = "raise",
             as_tuples: bool = False) -> Iterator:
        """Score many texts in batches, yielding ``Doc`` objects in input order.

        With ``n_process > 1`` the texts are scored in that many processes (this one and
        ``n_process - 1`` workers, each with this model); results are the same as with one. The
        workers start only when the input holds more than ``MIN_PARALLEL_CHARS`` characters (see
        :mod:`framing.scoring.workers`): a smaller one is scored here, faster than with workers.
        A bad item (not a ``str``, or longer than ``max_chars``) raises with its position;
        with ``on_error="skip"`` it yields a ``Doc`` whose ``error`` says why, and goes on.
        With ``as_tuples=True`` the items are ``(text, context)`` pairs and ``(doc, context)``
        pairs come out, as in spaCy.
        """
        if as_tuples:
            yield from _with_contexts(texts, lambda t: self.pipe(t, batch_size, n_process, on_error))
            return
        self._check_options(batch_size, n_process)
        if on_error not in ("raise", "skip"):
            raise ValueError(f"on_error must be 'raise' or 'skip', got {on_error!r}")
        checked = self._checked(texts, on_error)
        if n_process > 1:
            from framing.scoring.workers import pipe_processes, worth_workers  # multiprocessing: only now

            head, large = worth_workers(checked)
            checked = itertools.chain(head, checked)
            if large:
                yield from pipe_processes(self, type(self).from_dir, checked, batch_size, n_process, on_error=on_error)
                return
        while batch := next_batch(checked, batch_size):
            yield from self._score_items(batch, on_error)

    def pipe_json(self, texts: Iterable, batch_size: int = BATCH_SIZE, n_process: int = 1,
                  as_tuples: bool = False, all_scores: bool = True) -> Iterator[tuple]:
        """Like ``pipe(texts, on_error="skip")``, but yields each doc as ``(its to_dict() as a JSON
        line, None)``, or ``(None, error)`` for an input that could not be scored (with
        ``as_tuples``, ``((line, error), context)``); ``all_scores=False`` writes the compact form (see
        :meth:`Doc.to_dict`). With ``n_process > 1`` the JSON is made in the worker processes (what
        ``framing score`` uses)."""
        if as_tuples:
            yield from _with_contexts(texts, lambda t: self.pipe_json(t, batch_size, n_process, all_scores=all_scores))
            return
        self._check_options(batch_size, n_process)
        checked = self._checked(texts, "skip")
        if n_process > 1:
            from framing.scoring.workers import pipe_processes, worth_workers

            head, large = worth_workers(checked)
            checked = itertools.chain(head, checked)
            if large:
                yield from pipe_processes(self, type(self).from_dir, checked, batch_size, n_process, as_json=True,
                                          on_error="skip", all_scores=all_scores)
                return
        while batch := next_batch(checked, batch_size):
            yield from json_lines(self._score_items(batch, "skip"), all_scores)

    def _check_options(self, batch_size: int, n_process: int) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        if n_process < 1:
            raise ValueError(f"n_process must be at least 1, got {n_process}")
        if n_process > 1 and self.path is None:
            raise ValueError("n_process > 1 needs a model loaded from a directory: save() it and framing.load() it")

    def rejection(self, text) -> str | None:
        """Why ``text`` cannot be scored (not a ``str``, or longer than ``max_chars``), or None when it can."""
        if not isinstance(text, str):
            return _type_error(text)
        if self.max_chars is not None and len(text) > self.max_chars:
            return (f"text of {len(text):,} characters is longer than max_chars={self.max_chars:,}; "
                    "split it (e.g. into paragraphs) or raise max_chars")
        return None

    def _checked(self, texts: Iterable, on_error: str) -> Iterator:
        """The items of ``texts``: ``str`` to score, or (skipping) ``Rejected`` in place of a bad one."""
        for i, t in enumerate(texts):
            reason = None if isinstance(t, Rejected) else self.rejection(t)
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
            docs = iter(self.score(texts).docs)
        except Exception:
            if on_error == "raise":
                raise
            docs = iter([self._score_alone(t) for t in texts])
        return [next(docs) if isinstance(t, str) else self._error_doc(t.text, t.reason) for t in items]

    def _score_alone(self, text: str) -> Doc:
        try:
            return self.score([text]).docs[0]
        except Exception as e:  # noqa: BLE001 - on_error="skip" turns any failure into an error doc
            return self._error_doc(text, f"{type(e).__name__}: {e}")

    def _error_doc(self, text: str, reason: str) -> Doc:
        return Doc(text, frame_names=self.frame_head.labels, error=reason)

    @cached_property
    def _vocabularies(self) -> VocabularyUnion:
        return VocabularyUnion(self.features.token_vocabularies() + self.tagger.token_vocabularies())

    def score(self, texts: list[str], keep: bool = False) -> Scored:
        """Score a batch of texts at once (checked ``str`` items; see :meth:`pipe` for any input).

        With ``keep``, the result also holds what each stage computed (its :class:`Chunk`
        objects and the loaded head's input), e.g. for :mod:`framing.presenting.explain`;
        without it that is freed slice by slice, so memory does not grow with the input.
        Matrix products run on one BLAS thread: they are small, and a second thread waiting
        for a busy core costs more than it gives (a quarter of the speed on a loaded machine).
        """
        with _blas().limit(limits=1, user_api="blas"):
            return self._score(texts, keep)

    def _score(self, texts: list[str], keep: bool) -> Scored:
        seg = Segments.of(texts)
        n = len(seg.sentences)
        bounds = seg.text_starts()
        # A one-sentence text's frames are its sentence's: only other texts need summed counts.
        multi = np.flatnonzero(np.diff(bounds) != 1)
        tables: list[SentenceTable] = []
        chunks: list[Chunk] = []
        bias_parts, summary_parts, frame_parts, text_counts = [], [], [], None
        for lo in range(0, max(n, 1), CHUNK_SENTENCES):
            hi = min(lo + CHUNK_SENTENCES, n)
            batch = seg.tokens(lo, hi)
            self._vocabularies.fill(batch)
            counts = self.features.counts(batch)
            chunk, frame_s, table = self._score_sentences(lo, hi, batch, counts, seg.starts[lo:hi])
            if keep:
                chunks.append(chunk)
            tables.append(table)
            bias_parts.append(chunk.bias)
            summary_parts.append(chunk.summary)
            frame_parts.append(frame_s)
            if len(multi):
                sums = [sum_rows(c, seg.text_starts(lo, hi))[multi] for c in counts]
                text_counts = sums if text_counts is None else [a + b for a, b in zip(text_counts, sums)]
        table = tables[0] if len(tables) == 1 else SentenceTable.concat(tables)
        _mark_quotes(texts, bounds, table)
        summary = np.concatenate(summary_parts)
        para = paragraph_features(np.concatenate(bias_parts), summary, seg.paragraph, len(seg.paragraph_owner))
        rows, loaded_r, loaded_on = self._paragraphs(seg, self.loaded_head.scores(para)[:, 0], bounds)
        fl = self.frame_head.labels
        doc_frame_s = np.zeros((len(texts), len(fl)))  # a text with no sentence scores 0 for every frame
        single = np.flatnonzero(np.diff(bounds) == 1)
        doc_frame_s[single] = np.concatenate(frame_parts)[bounds[single]]
        if len(multi):
            doc_frame_s[multi] = self.frame_head.scores(self.features.finalize(text_counts))
        doc_frame_on = self.frame_head.decide(doc_frame_s)
        if len(multi) and self.frame_head.evidence_thresholds is not None:
            # a text's frame needs a sentence that shows it (see LinearHead.evidence_thresholds)
            strongest = np.zeros((len(texts), len(fl)))
            filled = np.flatnonzero(np.diff(bounds) > 0)  # consecutive: each reduces up to the next one's start
            strongest[filled] = np.maximum.reduceat(np.concatenate(frame_parts), bounds[filled], axis=0)
            doc_frame_on[multi] &= strongest[multi] >= self.frame_head.evidence_thresholds
        doc_frame_on[np.diff(bounds) == 0] = False  # a text with no sentence has no frame
        # a one-sentence text is decided as the sentence it is: the same frames
        doc_frame_on[single] = np.concatenate([t.frame_on for t in tables])[bounds[single]]
        bounds = bounds.tolist()
        frames = chosen(doc_frame_on, fl)
        docs = [Doc(text, loaded_r[d], loaded_on[d], frame_names=fl, frame_probs=doc_frame_s[d], frame_on=doc_frame_on[d],
                    frames=frames[d], table=table, lo=bounds[d], hi=bounds[d + 1], paragraph_rows=rows[d])
                for d, text in enumerate(texts)]
        return Scored(docs, seg, chunks, para if keep else None)

    def _paragraphs(self, seg: Segments, scores: np.ndarray, bounds: np.ndarray) -> tuple[list, list, list]:
        """Per text: its paragraphs' rows (see ``Doc.paragraph_rows``) from their loaded ``scores``, its
        loaded score (their mean, rounded; 0.0 without sentences) and its decision."""
        n = len(seg.texts)
        first = np.searchsorted(seg.paragraph, np.arange(len(seg.paragraph_owner) + 1))  # each paragraph's sentences
        per_text = np.searchsorted(seg.paragraph_owner, np.arange(n + 1))  # each text's paragraphs
        counts = np.diff(per_text)
        mean = np.zeros(n)
        np.add.at(mean, seg.paragraph_owner, scores)
        mean[counts > 0] /= counts[counts > 0]
        doc_on = (self.loaded_head.decide(mean[:, None])[:, 0] & (counts > 0)).tolist()
        on = self.loaded_head.decide(scores[:, None])[:, 0].tolist()
        rounded = np.round(scores, 4).tolist()
        lengths = [len(x) for x in seg.sentences]
        rows = []
        for d in range(n):
            base = bounds[d]
            rows.append([(seg.starts[first[k]], seg.starts[first[k + 1] - 1] + lengths[first[k + 1] - 1], rounded[k], on[k],
                          int(first[k] - base), int(first[k + 1] - base)) for k in range(per_text[d], per_text[d + 1])])
        return rows, np.round(mean, 4).tolist(), doc_on

    def _score_sentences(self, lo: int, hi: int, batch: TokenBatch, counts: list,
                         starts: list[int]) -> tuple[Chunk, np.ndarray, SentenceTable]:
        """The :class:`Chunk`, frame scores and :class:`SentenceTable` of sentences ``lo:hi`` (``batch``, at ``starts``)."""
        X = self.features.finalize(counts)
        first, tok = self.tagger.passes(batch)
        summary = tagger_summary(tok, batch, self.tagger.threshold)
        Xt = with_tagger(X, summary)
        bias = self.bias_head.scores(Xt)[:, 0]
        tech = self.technique_head.scores(Xt)
        frame_s = self.frame_head.scores(X)
        spans = self.tagger.tag(batch, tok, starts)
        table = SentenceTable(
            batch.texts, starts, np.round(bias, 4).tolist(), self.bias_head.decide(bias[:, None])[:, 0].tolist(),
            self.technique_head.labels, tech, self._techniques(tech, spans),
            self.frame_head.labels, frame_s, self.frame_head.decide(frame_s, max_labels=SENTENCE_MAX_FRAMES, sentences=True),
            spans,
        )
        return Chunk(lo, hi, batch, X, first, tok, summary, bias), frame_s, table

    def _techniques(self, scores: np.ndarray, spans: list[list]) -> np.ndarray:
        """The technique decisions of sentences with technique ``scores`` and loaded phrases ``spans``:
        a :data:`PHRASE_TECHNIQUES` label agrees with the tagger (see there)."""
        on = self.technique_head.decide(scores)
        labels = self.technique_head.labels
        columns = [labels.index(n) for n in PHRASE_TECHNIQUES if n in labels]
        on[np.array([not s for s in spans], dtype=bool)[:, None] & np.isin(np.arange(len(labels)), columns)] = False
        return on

    def save(self, directory: str | Path, model_card: str, terms: str | None = None) -> Path:
        """Write the model as JSON + ``.npz`` + ``MODEL_CARD.md`` (and ``terms`` as ``LICENSE``) with SHA-256 sums."""
        config: dict = {"meta": self.meta, "extractors": []}
        arrays: dict[str, np.ndarray] = {}
        for i, (est, weight) in enumerate(self.features.extractors):
            c, a = state.extractor_state(est, f"extractor{i}")
            config["extractors"].append({**c, "weight": weight})
            arrays.update(a)
        for name in HEADS:
            c, a = state.head_state(getattr(self, name), name)
            config[name] = c
            arrays.update(a)
        config["tagger"], a = state.tagger_state(self.tagger, "tagger")
        arrays.update(a)
        texts = {"MODEL_CARD.md": model_card, **({"LICENSE": terms} if terms is not None else {})}
        return persist.save(directory, config, arrays, texts)

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
        return cls(features=Featurizer(extractors), tagger=tagger, meta=config["meta"],
                   path=Path(directory).resolve(), **heads)


@cache
def _blas():
    """This process's BLAS thread pools (found once: finding them takes a millisecond, limiting them microseconds)."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


@dataclass(frozen=True)
class Rejected:
    """An input ``pipe(..., on_error="skip")`` will not score, and why (it travels to workers
    in place of the input and comes back as an error doc)."""

    reason: str
    text: str = ""


def _type_error(value) -> str:
    fix = "; decode it first, e.g. data.decode('utf-8')" if isinstance(value, (bytes, bytearray)) else "; pass text"
    return f"framing expects str, got {type(value).__name__}{fix}"


def _with_contexts(pairs: Iterable, run) -> Iterator[tuple]:
    """``run`` over the first items of ``(item, context)`` pairs, each result paired with its context again
    (``run`` yields one result per item, in order, reading its input lazily)."""
    contexts: deque = deque()

    def items():
        for i, pair in enumerate(pairs):
            try:
                item, context = pair
            except (TypeError, ValueError):
                raise TypeError(f"as_tuples=True takes (text, context) pairs, got {type(pair).__name__} "
                                f"at position {i}") from None
            contexts.append(context)
            yield item

    for result in run(items()):
        yield result, contexts.popleft()


def _mark_quotes(texts: list[str], bounds: np.ndarray, table: SentenceTable) -> None:
    """Set each sentence's share of characters in quotation marks, and which spans are quoted, in ``table``
    (in time linear in the sentences, spans and quotes: all three come in text order)."""
    quoted = None
    bounds = bounds.tolist()
    # only texts with a quotation mark can have a quote (found for the whole batch in one pass of C)
    for d in compress(range(len(texts)), map(QUOTE_MARK.search, texts)):
        text = texts[d]
        regions = quote_spans(text) if bounds[d] < bounds[d + 1] else []
        if not regions:
            continue
        quoted = quoted or [0.0] * len(table.texts)
        starts, ends = [a for a, _ in regions], [b for _, b in regions]
        covered = list(itertools.accumulate((b - a for a, b in regions), initial=0))  # quoted before each region

        def quoted_before(x: int) -> int:
            """How many characters before offset ``x`` lie in quotes."""
            j = bisect_right(starts, x)  # regions starting at or before x
            return covered[j] - max(0, ends[j - 1] - x) if j else 0

        for k in range(bounds[d], bounds[d + 1]):
            a = table.starts[k]
            b = a + len(table.texts[k])
            quoted[k] = round((quoted_before(b) - quoted_before(a)) / max(b - a, 1), 4)
            for span in table.spans[k]:
                j = bisect_right(starts, span.start) - 1
                span.quoted = j >= 0 and span.end <= ends[j]
    table.quoted = quoted


def load(path: str | Path | None = None) -> Scorer:
    """Load a model: the bundled one when ``path`` is None, else the directory at ``path``."""
    directory = bundled_model_dir() if path is None else Path(path)
    if not directory.is_dir():
        raise FileNotFoundError(f"no model directory at {directory}; pass the folder `framing train --out` wrote")
    return Scorer.from_dir(directory)
