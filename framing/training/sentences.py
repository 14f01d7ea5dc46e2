"""Training sentences from the annotated corpora, with their token labels and fixed folds."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from framing.scoring.labels import SPAN_TECHNIQUES
from framing.scoring.text import split_sentences, tokenize
from framing.training import corpora as data

FOLDS = 3
HOLDOUTS = (*data.BIAS_CORPORA, "semeval")


def fold_of(key: str, folds: int = FOLDS) -> int:
    """A fixed fold number for a group key (article id or normalised sentence)."""
    return int.from_bytes(hashlib.sha256(("fold:" + key).encode("utf-8")).digest()[:4], "big") % folds


@dataclass
class Sentences:
    """Training sentences from all corpora, with their tokens and token labels."""

    texts: list[str] = field(default_factory=list)
    corpus: list[str] = field(default_factory=list)
    group: list[str] = field(default_factory=list)
    bias: list[int] = field(default_factory=list)  # -1 where the corpus has no sentence label
    techniques: list[set] = field(default_factory=list)
    paragraph: list[str] = field(default_factory=list)  # "article:line" for SemEval, "" elsewhere
    offsets: list[list[tuple[int, int]]] = field(default_factory=list)  # token offsets into the sentence text
    token_labels: list[np.ndarray] = field(default_factory=list)  # (n_tokens, 3); -1 = not annotated

    @property
    def words(self) -> list[list[str]]:
        return [[t[a:b] for a, b in offs] for t, offs in zip(self.texts, self.offsets)]

    def add(self, text, corpus, group, bias, techniques, paragraph, offsets, token_labels):
        self.texts.append(text)
        self.corpus.append(corpus)
        self.group.append(group)
        self.bias.append(bias)
        self.techniques.append(techniques)
        self.paragraph.append(paragraph)
        self.offsets.append(offsets)
        self.token_labels.append(token_labels)


def _bias_sentences(out: Sentences, data_dir, name: str, exclude: frozenset = frozenset()) -> None:
    ds = data.load_bias(data_dir, name)
    for row in ds:
        text = row["text"]
        if row["validation"] or data.normalise(text) in exclude:
            continue
        toks = tokenize(text)
        words = [text[s:e] for s, e in toks]
        labels = np.full((len(words), len(SPAN_TECHNIQUES)), -1, dtype=np.int8)
        marked = {w.lower() for b in (row.get("biased_words") or []) for w in b.split()}
        if marked or (row["label"] == 0 and name != "wiki_npov"):
            labels[:, 0] = [w.lower() in marked for w in words]
        out.add(text, name, data.normalise(text), int(row["label"]), set(), "", toks, labels)


def held_out_texts(data_dir, holdout: str | None) -> frozenset:
    """Normalised texts of every sentence of the held-out bias corpus (training and validation rows).

    BABE and MBIC share most of their sentences: leaving one of them out means leaving these
    texts out of the others too. Empty for no hold-out and for SemEval (no shared sentences).
    """
    if holdout not in data.BIAS_CORPORA:
        return frozenset()
    return frozenset(data.normalise(t) for t in data.load_bias(data_dir, holdout)["text"])


def _semeval_sentences(out: Sentences, data_dir) -> None:
    ds = data.load_semeval(data_dir, "techniques_articles")
    for row in ds:
        if row["validation"]:
            continue
        text, aid = row["text"], str(row["article_id"])
        line_starts = np.cumsum([0] + [len(line) + 1 for line in text.split("\n")])
        for s, e in split_sentences(text):
            toks = [(a + s, b + s) for a, b in tokenize(text[s:e])]
            labels = np.zeros((len(toks), len(SPAN_TECHNIQUES)), dtype=np.int8)
            techs = set()
            for sp_ in row["spans"]:
                if sp_["start"] < e and sp_["end"] > s:
                    techs.add(sp_["technique"])
                    if sp_["technique"] in SPAN_TECHNIQUES:
                        col = SPAN_TECHNIQUES.index(sp_["technique"])
                        for k, (a, b) in enumerate(toks):
                            if a < sp_["end"] and b > sp_["start"]:
                                labels[k, col] = 1
            line = int(np.searchsorted(line_starts, s, side="right"))
            out.add(text[s:e], "semeval", aid, -1, techs, f"{aid}:{line}", [(a - s, b - s) for a, b in toks], labels)


def read_sentences(data_dir: str | Path, holdout: str | None = None) -> Sentences:
    """The training split's sentences of every corpus but ``holdout`` (and, for a bias corpus,
    without the sentences it shares with the others)."""
    sents = Sentences()
    held = held_out_texts(data_dir, holdout)
    for name in data.BIAS_CORPORA:
        if name != holdout:
            _bias_sentences(sents, data_dir, name, held)
    if holdout != "semeval":
        _semeval_sentences(sents, data_dir)
    return sents
