"""The featurize stage: a batch of texts cut into sentences, and the feature matrices the heads read."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from framing.scoring.features.base import Extractor, TokenBatch, sum_rows
from framing.scoring.text import paragraph_starts, split_each


@dataclass
class Segments:
    """A batch of texts cut into sentences."""

    texts: list[str]
    owner: np.ndarray  # the text of each sentence
    starts: list[int]  # where each sentence starts in its text
    sentences: list[str]
    paragraph: np.ndarray  # the paragraph of each sentence, numbered across the batch
    paragraph_owner: np.ndarray  # the text of each paragraph

    @classmethod
    def of(cls, texts: list[str]) -> "Segments":
        """Cut ``texts`` into paragraphs and sentences (see :func:`framing.scoring.text.split_each`
        and :func:`~framing.scoring.text.paragraph_starts`)."""
        owner, starts, sentences, paragraph, paragraph_owner = [], [], [], [], []
        for d, (text, spans) in enumerate(zip(texts, split_each(texts))):
            new = set(paragraph_starts(text, spans)) if len(spans) > 1 else {0}
            for k, (s, e) in enumerate(spans):
                owner.append(d)
                starts.append(s)
                sentences.append(text[s:e])
                if k in new:
                    paragraph_owner.append(d)
                paragraph.append(len(paragraph_owner) - 1)
        return cls(texts, np.asarray(owner, dtype=np.int64), starts, sentences, np.asarray(paragraph, dtype=np.int64),
                   np.asarray(paragraph_owner, dtype=np.int64))

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
class Featurizer:
    """Sentence features: ``extractors`` are (extractor, weight) pairs whose outputs, side by
    side and weighted, are the features; counts add up, so a whole text's features come from
    its sentences' summed counts."""

    extractors: list[tuple[Extractor, float]]

    @property
    def lexicons(self) -> dict[str, list[str]]:
        """The word lists the lexicon features use."""
        for est, _ in self.extractors:
            if getattr(est, "lexicons", None):
                return dict(est.lexicons)
        return {}

    def token_vocabularies(self) -> list[dict[str, int]]:
        """Every vocabulary the extractors look a batch's tokens up in."""
        return [v for est, _ in self.extractors for v in est.token_vocabularies()]

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

    def sentence_features(self, texts: list[str]) -> sp.csr_matrix:
        """Features of each sentence of ``texts`` (in order), as one matrix."""
        return stack(self.finalize(self.counts(Segments.of(texts).tokens())))

    def text_features(self, texts: list[str]) -> sp.csr_matrix:
        """Features of whole texts, from the summed counts of their sentences (what frames read)."""
        seg = Segments.of(texts)
        return stack(self.finalize([sum_rows(c, seg.text_starts()) for c in self.counts(seg.tokens())]))

    def columns_of(self, names) -> np.ndarray:
        """1 for the feature columns of the extractors (by class name) in ``names``, 0 elsewhere."""
        known = [type(est).__name__ for est, _ in self.extractors]
        if unknown := set(names) - set(known):
            raise ValueError(f"no feature extractor named {sorted(unknown)}; the model has {known}")
        return np.concatenate([np.full(len(est.get_feature_names_out()), float(type(est).__name__ in names))
                               for est, _ in self.extractors])


def with_tagger(blocks: list, summary: np.ndarray) -> list:
    """Feature blocks with the tagger's summary of each sentence appended (its count as ``log1p``):
    what the bias and technique heads read."""
    return [*blocks, np.column_stack([summary[:, :-1], np.log1p(summary[:, -1])])]


def summary_names(labels) -> list[str]:
    """Names of the columns :func:`with_tagger` appends: ``tagger:LABEL`` (the highest token score of
    each of the tagger's ``labels``), then ``tagger:loaded_tokens``."""
    return [f"tagger:{label}" for label in labels] + ["tagger:loaded_tokens"]


def tagger_summary(token_scores: np.ndarray, batch: TokenBatch, threshold: float) -> np.ndarray:
    """Per text of ``batch``: the tagger's highest probability for each label, then how many tokens reach ``threshold``."""
    n = len(batch.texts)
    out = np.zeros((n, token_scores.shape[1] + 1))
    if len(token_scores):
        has = np.diff(batch.indptr) > 0
        out[has, :-1] = np.maximum.reduceat(token_scores, batch.indptr[:-1][has], axis=0)
        out[:, -1] = np.bincount(batch.row[token_scores.max(axis=1) >= threshold], minlength=n)
    return out


PARAGRAPH_FEATURES = ("most biased sentence", "most loaded word", "loaded words")
"""Readable names of the columns of :func:`paragraph_features`."""


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
