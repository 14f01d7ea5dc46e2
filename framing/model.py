"""``Scorer``: segment a batch of texts, featurize it at once, run the heads, assemble ``Doc``s."""
from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from . import persist, state
from .doc import Doc, Sentence
from .heads import LinearHead
from .spans import SpanTagger
from .text import split_sentences, tokenize


HEADS = ("bias_head", "technique_head", "frame_head", "loaded_head")
SENTENCE_MAX_FRAMES = 2
"""A sentence carries at most its two strongest frames: frames are learned from whole
articles, and one sentence rarely gives evidence for more."""


def bundled_model_dir() -> Path:
    """Where the model that ships with framing lives."""
    return Path(str(resources.files("framing.models") / "default"))


@dataclass
class Scorer:
    """A trained model. Call it on a text for a ``Doc``; use :meth:`pipe` for many texts.

    ``extractors`` are (extractor, weight) pairs whose outputs, side by side, are the
    sentence features; the tagger's per-sentence maxima are appended for the bias and
    technique heads. Frames read the plain sentence features of a sentence or a whole text.
    """

    extractors: list[tuple[object, float]]
    tagger: SpanTagger
    bias_head: LinearHead
    technique_head: LinearHead
    frame_head: LinearHead
    loaded_head: LinearHead
    meta: dict

    @property
    def lexicons(self) -> dict[str, list[str]]:
        """The word lists the model's lexicon features use."""
        for est, _ in self.extractors:
            if hasattr(est, "lexicons") and est.lexicons:
                return dict(est.lexicons)
        return {}

    def features(self, texts: list[str]) -> sp.csr_matrix:
        """Plain sentence features of ``texts`` (all extractors side by side)."""
        blocks = []
        for est, weight in self.extractors:
            m = est.transform(texts)
            blocks.append(sp.csr_matrix(m, dtype=np.float32) * weight)
        return sp.hstack(blocks, format="csr", dtype=np.float32)

    def with_tagger(self, X: sp.csr_matrix, token_scores: list[np.ndarray]) -> sp.csr_matrix:
        """``X`` with the tagger's summary of each sentence appended."""
        return sp.hstack([X, sp.csr_matrix(tagger_summary(token_scores, len(self.tagger.labels), self.tagger.threshold))], format="csr")

    def __call__(self, text: str) -> Doc:
        """Score one text (a paragraph or a whole article)."""
        return self._score_batch([text])[0]

    def pipe(self, texts: Iterable[str], batch_size: int = 256, n_process: int = 1) -> Iterator[Doc]:
        """Score many texts in batches, yielding ``Doc`` objects in input order."""
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        if n_process != 1:
            raise NotImplementedError("n_process > 1 is not available yet; use n_process=1")
        it = iter(texts)
        while batch := list(itertools.islice(it, batch_size)):
            yield from self._score_batch(batch)

    def _score_batch(self, texts: list[str]) -> list[Doc]:
        for i, t in enumerate(texts):
            if not isinstance(t, str):
                raise TypeError(f"framing expects str, got {type(t).__name__} at position {i}")
        bounds = [split_sentences(t) for t in texts]
        sents = [(d, s, e) for d, b in enumerate(bounds) for s, e in b]
        sent_texts = [texts[d][s:e] for d, s, e in sents]
        toks = [tokenize(texts[d], s, e) for d, s, e in sents]
        words = [[texts[d][a:b] for a, b in tk] for (d, _, _), tk in zip(sents, toks)]
        flat = self.tagger.token_scores(words)
        cuts = np.cumsum([len(w) for w in words])[:-1] if words else []
        token_scores = np.split(flat, cuts) if words else []
        X = self.features(sent_texts)
        Xt = self.with_tagger(X, token_scores)
        bias = self.bias_head.scores(Xt)[:, 0]
        biased = self.bias_head.decide(bias[:, None])[:, 0]
        tech = self.technique_head.scores(Xt)
        tech_on = self.technique_head.decide(tech)
        frame_s = self.frame_head.scores(X)
        frame_on = self.frame_head.decide(frame_s, max_labels=SENTENCE_MAX_FRAMES)
        doc_frames = self.frame_head.scores(self.features(texts))
        tl, fl = self.technique_head.labels, self.frame_head.labels
        per_doc: list[list[Sentence]] = [[] for _ in texts]
        for k, (d, s, e) in enumerate(sents):
            per_doc[d].append(
                Sentence(
                    text=sent_texts[k],
                    start=s,
                    end=e,
                    bias=round(float(bias[k]), 4),
                    biased=bool(biased[k]),
                    label_scores={l: round(float(p), 4) for l, p in zip(tl, tech[k])},
                    labels=[l for l, on in zip(tl, tech_on[k]) if on],
                    frame_scores={l: round(float(p), 4) for l, p in zip(fl, frame_s[k])},
                    frames=[l for l, on in zip(fl, frame_on[k]) if on],
                    spans=self.tagger.spans(texts[d], toks[k], token_scores[k]),
                )
            )
        owner = np.array([d for d, _, _ in sents], dtype=np.int64)
        F = paragraph_features(bias, token_scores, owner, len(texts), self.tagger.threshold)
        loaded = self.loaded_head.scores(F)[:, 0]
        loaded_on = self.loaded_head.decide(loaded[:, None])[:, 0]
        docs = []
        for d, text in enumerate(texts):
            sentences = per_doc[d]
            docs.append(
                Doc(
                    text=text,
                    loaded_score=round(float(loaded[d]), 4) if sentences else 0.0,
                    loaded=bool(loaded_on[d]) and bool(sentences),
                    sentences=sentences,
                    frame_scores={l: round(float(p), 4) for l, p in zip(fl, doc_frames[d])},
                    frames=[l for l, on in zip(fl, self.frame_head.decide(doc_frames[d])) if on] if sentences else [],
                )
            )
        return docs

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
        return cls(extractors, state.tagger_from_state(config["tagger"], arrays, "tagger"), meta=config["meta"], **heads)


def tagger_summary(token_scores: list[np.ndarray], n_labels: int, threshold: float) -> np.ndarray:
    """Per sentence: the tagger's highest probability for each label, and ``log1p`` of tokens over ``threshold``."""
    out = np.zeros((len(token_scores), n_labels + 1), dtype=np.float32)
    for k, p in enumerate(token_scores):
        if len(p):
            out[k, :-1] = p.max(axis=0)
            out[k, -1] = np.log1p((p.max(axis=1) >= threshold).sum())
    return out


def paragraph_features(
    bias: np.ndarray, token_scores: list[np.ndarray], owner: np.ndarray, n_texts: int, threshold: float
) -> np.ndarray:
    """Per text: log-odds of its most biased sentence, its most loaded token's probability, and
    ``log1p`` of its tokens over ``threshold`` (``owner[k]`` is the text of sentence ``k``)."""
    out = np.zeros((n_texts, 3), dtype=np.float64)
    out[:, 0] = -10.0
    if len(owner):
        p = np.clip(bias, 1e-6, 1 - 1e-6)
        np.maximum.at(out[:, 0], owner, np.log(p / (1 - p)))
        best = np.array([t.max() if len(t) else 0.0 for t in token_scores])
        count = np.array([(t.max(axis=1) >= threshold).sum() if len(t) else 0 for t in token_scores])
        np.maximum.at(out[:, 1], owner, best)
        np.add.at(out[:, 2], owner, count)
    out[:, 2] = np.log1p(out[:, 2])
    return out


def load(path: str | Path | None = None) -> Scorer:
    """Load a model: the bundled one when ``path`` is None, else the directory at ``path``."""
    directory = bundled_model_dir() if path is None else Path(path)
    if not directory.is_dir():
        raise FileNotFoundError(f"no model directory at {directory}; pass the folder `framing train --out` wrote")
    return Scorer.from_dir(directory)
