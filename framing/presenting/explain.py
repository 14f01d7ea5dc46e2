"""Why a score is what it is: each linear score split into its features' contributions.

``explain(nlp, text)`` explains one text; ``Explainer(nlp).pipe(texts)`` scores texts in
batches and explains each from what scoring computed (:meth:`Scorer.score` with ``keep``),
without scoring anything twice.

Each score framing gives is ``sigmoid(intercept + sum_j x_j * w_j)`` over one row of
features (a span's score may instead come from its listed phrase, and then it says so). An
explanation lists the features with the largest positive ``x_j * w_j`` (in log-odds) under
readable names: the n-gram itself, a word list with its words that were found, a style cue,
one "word vectors" total for all embedding dimensions (with the words that pushed it most),
the loaded-phrase tagger's summary (its highest token scores, and how many tokens reach its
threshold); for a span, each token's word, neighbours, word lists and shape. ``rest`` is the
sum of every other contribution, so ``intercept + sum(top) + rest`` is the score's log-odds
exactly, and its ``sigmoid`` is the score the ``Doc`` reports.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

import itertools
from collections.abc import Iterable, Iterator

from framing.scoring.doc import Doc, Span
from framing.scoring.featurize import PARAGRAPH_FEATURES, with_tagger
from framing.scoring.features import CUES, EmbeddingFeatures, LexiconFeatures, StyleFeatures
from framing.scoring.features.base import SHAPES, TokenBatch
from framing.scoring.features.style import ENTRY_CUES
from framing.scoring.features.tokens import positions
from framing.scoring.heads import LinearHead, sigmoid
from framing.scoring.scorer import BATCH_SIZE, Chunk, Scored, Scorer
from framing.scoring.spans import NEIGHBOURS, SpanTagger, context_names
from framing.scoring.text import tokenize


@dataclass(slots=True)
class Contribution:
    """One feature (or group of features) and how much it added to a score's log-odds."""

    kind: str  # n-gram, word list, style, word vectors, tagger, paragraph; for a token: word, neighbour, word list, shape
    feature: str  # readable: the n-gram, the list's name, the cue, "next word 'budget'", ...
    contribution: float
    detail: str = ""  # the words of a word list that were found

    def to_dict(self) -> dict:
        """JSON-ready fields."""
        return {"kind": self.kind, "feature": self.feature, "contribution": round(self.contribution, 6), "detail": self.detail}


@dataclass(slots=True)
class ScoreExplanation:
    """One score: ``sigmoid(intercept + sum(c.contribution for c in top) + rest) == score``."""

    target: str  # "bias", "loaded", a technique, a frame, or a span label
    score: float
    intercept: float
    top: list[Contribution]  # the largest positive contributions, largest first
    rest: float  # every other contribution, added up

    @property
    def logit(self) -> float:
        """The score's log-odds."""
        return self.intercept + sum(c.contribution for c in self.top) + self.rest

    def to_dict(self) -> dict:
        """JSON-ready fields."""
        return {"target": self.target, "score": round(self.score, 6), "logit": round(self.logit, 6),
                "intercept": round(self.intercept, 6), "top": [c.to_dict() for c in self.top],
                "rest": round(self.rest, 6)}


@dataclass(slots=True)
class TokenExplanation:
    """One token of a span: the tagger's probability for its strongest label, and a listed phrase holding it."""

    text: str
    start: int
    end: int
    explanation: ScoreExplanation  # target: the label the tagger scores highest for this token
    phrase: str | None = None  # the listed phrase with the highest score containing this token
    phrase_score: float = 0.0

    @property
    def score(self) -> float:
        """What the token adds to its span's score: the tagger's probability, raised to its phrase's."""
        return max(self.explanation.score, self.phrase_score)

    def to_dict(self) -> dict:
        """JSON-ready fields."""
        return {"text": self.text, "start": self.start, "end": self.end, "score": round(self.score, 6),
                "explanation": self.explanation.to_dict(), "phrase": self.phrase,
                "phrase_score": round(self.phrase_score, 6)}


@dataclass(slots=True)
class SpanExplanation:
    """A loaded span: its score is its strongest token's (see :class:`TokenExplanation`)."""

    text: str
    start: int
    end: int
    label: str
    score: float
    tokens: list[TokenExplanation]

    @property
    def peak(self) -> TokenExplanation:
        """The token whose score is the span's score."""
        return max(self.tokens, key=lambda t: t.score)

    def to_dict(self) -> dict:
        """JSON-ready fields."""
        return {"text": self.text, "start": self.start, "end": self.end, "label": self.label, "score": self.score,
                "tokens": [t.to_dict() for t in self.tokens]}


@dataclass(slots=True)
class SentenceExplanation:
    """A flagged sentence (biased, or with a technique or a span): its bias, techniques, frames and spans."""

    text: str
    start: int
    end: int
    bias: ScoreExplanation
    techniques: list[ScoreExplanation]
    frames: list[ScoreExplanation]
    spans: list[SpanExplanation]

    def to_dict(self) -> dict:
        """JSON-ready fields."""
        return {"text": self.text, "start": self.start, "end": self.end, "bias": self.bias.to_dict(),
                "techniques": [t.to_dict() for t in self.techniques], "frames": [f.to_dict() for f in self.frames],
                "spans": [s.to_dict() for s in self.spans]}


@dataclass(slots=True)
class Explanation:
    """Why a text scored as it did: its ``loaded_score`` (None for a text with no sentence; for a text of
    several paragraphs, the score of its most loaded paragraph, ``Doc.most_loaded``) and its flagged sentences."""

    text: str
    loaded: ScoreExplanation | None
    sentences: list[SentenceExplanation]

    def to_dict(self) -> dict:
        """JSON-ready fields."""
        return {"text": self.text, "loaded": self.loaded.to_dict() if self.loaded else None,
                "sentences": [s.to_dict() for s in self.sentences]}


def _top(target: str, intercept: float, parts: list[Contribution], top: int) -> ScoreExplanation:
    """The score ``sigmoid(intercept + sum(parts))``, keeping the ``top`` largest positive parts; the others go into ``rest``."""
    total = float(sum(p.contribution for p in parts))
    ranked = sorted((p for p in parts if p.contribution > 0), key=lambda p: -p.contribution)[:top]
    rest = total - sum(p.contribution for p in ranked)
    return ScoreExplanation(target, float(sigmoid(intercept + total)), intercept, ranked, rest)


class Explainer:
    """Explanations for one :class:`~framing.scoring.scorer.Scorer` (its feature names are worked out once)."""

    @classmethod
    def of(cls, scorer: Scorer) -> "Explainer":
        """The explainer of ``scorer``, made once and kept in its ``derived`` (naming its features takes a while)."""
        if "explainer" not in scorer.derived:
            scorer.derived["explainer"] = cls(scorer)
        return scorer.derived["explainer"]

    def __init__(self, scorer: Scorer):
        self.scorer = scorer
        self._columns: dict[tuple, np.ndarray] = {}
        self.groups: list[tuple[str, str]] = []  # (kind, feature) of each group of sentence-feature columns
        self._group: dict[tuple[str, str], int] = {}
        self.embedding: tuple[EmbeddingFeatures, float, int] | None = None  # extractor, weight, first column
        group_of: list[int] = []
        for est, weight in scorer.features.extractors:
            names = [str(n) for n in est.get_feature_names_out()]
            if isinstance(est, EmbeddingFeatures):
                self.embedding = (est, weight, len(group_of))
                group_of += [self._add("word vectors", f"{len(names)} dimensions, summed")] * len(names)
            elif isinstance(est, LexiconFeatures):  # lexicon:NAME:log_count and lexicon:NAME:any are one group
                group_of += [self._add("word list", n.split(":")[1]) for n in names]
            elif isinstance(est, StyleFeatures):
                group_of += [self._add("style", "sentence length" if n == "style:log_length" else n[6:]) for n in names]
            else:
                group_of += [self._add("n-gram", n) for n in names]
        self.n_text_columns = len(group_of)  # what the frame head reads; the tagger's summary follows
        group_of += [self._add("tagger", f"highest {label} token score") for label in scorer.tagger.labels]
        group_of.append(self._add("tagger", "tokens above threshold"))
        self.group_of = np.asarray(group_of)

    def _column(self, model, j: int, scale: float = 1.0) -> np.ndarray:
        """Column ``j`` of ``model.coef`` (times ``scale``) as contiguous float64, made once."""
        key = (id(model), j, scale)
        if key not in self._columns:
            self._columns[key] = np.ascontiguousarray(model.coef[:, j], dtype=np.float64) * scale
        return self._columns[key]

    def _add(self, kind: str, feature: str) -> int:
        """The group of ``(kind, feature)``, made when first asked for."""
        key = (kind, feature)
        if key not in self._group:
            self._group[key] = len(self.groups)
            self.groups.append(key)
        return self._group[key]

    def pipe(self, texts: Iterable[str], batch_size: int = BATCH_SIZE, top: int = 5) -> Iterator[tuple[Doc, Explanation]]:
        """Score ``texts`` in batches and yield ``(doc, explanation)`` for each, in order."""
        _check_top(top)
        it = iter(texts)
        while batch := list(itertools.islice(it, batch_size)):
            for text in batch:
                _check_text(self.scorer, text)
            scored = self.scorer.score(batch, keep=True)
            yield from zip(scored.docs, self.explain_scored(scored, top))

    def explain_scored(self, scored: Scored, top: int = 5) -> list[Explanation]:
        """Explanations of the docs of ``scored`` (a :meth:`Scorer.score` result made with ``keep=True``)."""
        if scored.paragraph_features is None:
            raise ValueError("explanations need what scoring computed: score with Scorer.score(texts, keep=True)")
        head = self.scorer.loaded_head
        first_paragraph = np.searchsorted(scored.segments.paragraph_owner, np.arange(len(scored.docs)))
        out, k = [], 0
        views = iter(_ChunkView(self, c) for c in scored.chunks)
        view = next(views, None)
        for d, doc in enumerate(scored.docs):
            sentences = []
            for sent in doc.sentences:
                while k >= view.chunk.hi:
                    view = next(views)
                if sent.biased or sent.labels or sent.spans:
                    sentences.append(view.sentence(k - view.chunk.lo, sent, top))
                k += 1
            loaded = None
            if doc.sentences:
                x = scored.paragraph_features[first_paragraph[d] + doc.most_loaded_index]
                parts = [Contribution("paragraph", n, float(c)) for n, c in zip(PARAGRAPH_FEATURES, x * head.coef[:, 0])]
                loaded = _top("loaded", float(head.intercept[0]), parts, top)
            out.append(Explanation(doc.text, loaded, sentences))
        return out

    def _row(self, head: LinearHead, j: int, target: str, row: tuple, top: int) -> ScoreExplanation:
        """Score ``j`` of ``head`` on one sentence's features, its columns added up by group.

        ``row`` is the feature vector, the words found per group, and the sentence's words
        with what each adds to the word-vector features per unit of weight.
        """
        x, found, (words, vectors), nz = row
        w = self._column(head, j)
        groups, at = np.unique(self.group_of[nz], return_inverse=True)  # only the features the sentence has
        sums = np.bincount(at, weights=x[nz] * w[nz], minlength=len(groups))
        per_group = dict(zip(groups.tolist(), sums.tolist()))
        if self.embedding is not None and len(words):
            _, _, first = self.embedding
            g = self.group_of[first]
            by_word: dict[str, float] = {}
            for word, c in zip(words, (vectors @ w[first : first + vectors.shape[1]]).tolist()):
                by_word[word] = by_word.get(word, 0.0) + c
            found = {**found, g: [word for word, c in sorted(by_word.items(), key=lambda wc: -wc[1])[:4] if c > 0]}
        parts = [Contribution(*self.groups[g], float(c), ", ".join(found.get(g, [])))
                 for g, c in per_group.items() if c != 0]
        return _top(target, float(head.intercept[j]), parts, top)

    def _words_found(self, batch: TokenBatch) -> list[dict[int, list[str]]]:
        """Per sentence: group of a word list or style cue -> its words found there, as written."""
        out: list[dict[int, list[str]]] = [{} for _ in batch.texts]
        for est, _ in self.scorer.features.extractors:
            if isinstance(est, LexiconFeatures):
                m = est.entry_lexicons_
                groups = [[self._group["word list", est.names_[j]] for j in m.indices[m.indptr[e] : m.indptr[e + 1]]]
                          for e in range(m.shape[0])]
            elif isinstance(est, StyleFeatures):
                groups = [[self._group["style", CUES[c]]] for c in ENTRY_CUES.tolist()]
            else:
                continue
            starts, lengths, entries = est.matches(batch)
            for s, n, e in zip(starts.tolist(), lengths.tolist(), entries.tolist()):
                words = " ".join(batch.raw[s : s + n])
                for g in groups[e]:
                    listed = out[batch.row[s]].setdefault(g, [])
                    if words not in listed:
                        listed.append(words)
        return out

    def _word_vectors(self, batch: TokenBatch, k: int) -> tuple[list[str], np.ndarray]:
        """Sentence ``k``'s words that have vectors, and each one's share of its word-vector features.

        The features are ``weight * sum(vectors) / norm(sum(vectors))``, so word ``i`` adds
        ``weight * vector_i / norm`` of them: its part of the word vectors' contribution is
        that times the head's weights.
        """
        if self.embedding is None:
            return [], np.zeros((0, 0))
        est, weight, _ = self.embedding
        a, b = batch.indptr[k], batch.indptr[k + 1]
        ids = batch.ids(est.vocabulary_)[a:b]
        known = ids >= 0
        vectors = est.vectors_[ids[known]].astype(np.float64)
        norm = np.linalg.norm(vectors.sum(axis=0))
        words = [w for w, ok in zip(batch.lower[a:b], known.tolist()) if ok]
        return words, vectors * (weight / norm if norm > 0 else 0.0)

    def _span(self, batch: TokenBatch, k: int, offset: int, span: Span, context: "TaggerContext",
              phrases: dict[int, tuple[str, float]], top: int) -> SpanExplanation:
        """``span`` of sentence ``k`` (which starts at ``offset`` of the text), token by token."""
        first, text = int(batch.indptr[k]), batch.texts[k]
        tokens = [
            TokenExplanation(text[s:e], offset + s, offset + e, self._token(batch, first + i, context, top),
                             *phrases.get(first + i, (None, 0.0)))
            for i, (s, e) in enumerate(tokenize(text))
            if s >= span.start - offset and e <= span.end - offset
        ]
        return SpanExplanation(span.text, span.start, span.end, span.label, span.score, tokens)

    def _phrases(self, batch: TokenBatch) -> dict[int, tuple[str, float]]:
        """Token -> the highest-scoring listed phrase holding it, and its score (the phrase
        ``SpanTagger.raise_listed`` raised it to)."""
        out: dict[int, tuple[str, float]] = {}
        starts, lengths, names, scores = self.scorer.tagger.listed(batch)
        for s, n, name, score in zip(starts.tolist(), lengths.tolist(), names, scores.tolist()):
            for t in range(s, s + n):
                if score > out.get(t, (None, -1.0))[1]:
                    out[t] = (name, score)
        return out

    def _token(self, batch: TokenBatch, t: int, context: "TaggerContext", top: int) -> ScoreExplanation:
        """The tagger's score of token ``t`` for its strongest label, feature by feature, as
        ``SpanTagger.token_scores`` adds them up before a listed phrase raises it.

        That score is the second pass's probability. Its log-odds are the second pass's
        intercept, plus its weight on the token's first-pass "any label" log-odds times those
        log-odds (split here into the first pass's features: word, neighbours, word pairs, word
        lists, affixes, word vectors, shape), plus its weights times the other context features
        (the neighbours' first-pass scores, punctuation around, the sentence's scores).
        """
        tagger, feats = self.scorer.tagger, self.scorer.tagger.features
        layout = feats.layout()
        w_own = float(tagger.context_coef[0])
        coef = self._column(tagger, -1, w_own)  # first pass, "any label", as the second pass weighs it
        parts: list[Contribution] = []
        for (name, offset), ids in zip(positions(feats.window), context.ids):
            i = int(ids[t])
            if i >= 0:
                word = batch.raw[t + offset]
                kind, feature = ("word", f"'{word}'") if offset == 0 else ("neighbour", f"{_where(name)} '{word}'")
                parts.append(Contribution(kind, feature, float(coef[layout[name][0] + i])))
        for (name, _), ids in zip(feats.pair_blocks(), context.pairs):
            j = int(ids[t])
            if j >= 0:
                a, b = feats.pair_words(j)
                parts.append(Contribution("word pair", f"'{a} {b}'", float(coef[layout[name][0] + j])))
        word = int(context.ids[0][t])
        if word >= 0:
            for block, matrix, names, kind in ((layout["lexicon"], feats.word_lexicons_, feats.lexicon_names_, "word list"),
                                               (layout["affix"], feats.word_affixes_, feats.affixes_, "affix")):
                for j in matrix.indices[matrix.indptr[word] : matrix.indptr[word + 1]].tolist():
                    parts.append(Contribution(kind, names[j], float(coef[block[0] + j])))
        by_offset = {offset: (k, name) for k, (name, offset) in enumerate(positions(feats.window))}
        for name, offset in feats.vector_blocks():
            k, position = by_offset[offset]
            i = int(context.ids[k][t])
            if i >= 0:
                a, b = layout[name]
                word = f"'{batch.raw[t + offset]}'"
                parts.append(Contribution("word vectors", word if offset == 0 else f"{_where(position)} {word}",
                                          float(feats.vectors_[i] @ coef[a:b])))
        shape = int(batch.shapes[t])
        start = layout["shape"][0]
        parts += [Contribution("shape", s, float(coef[start + b])) for b, s in enumerate(SHAPES) if shape >> b & 1]
        row = context.features[t]
        k = int(batch.row[t])
        inside = range(int(batch.indptr[k]), int(batch.indptr[k + 1]))
        neighbour = {j: d for j, d in enumerate(NEIGHBOURS + NEIGHBOURS, start=1)}  # scores, then punctuation
        for j, name in enumerate(context_names()[1:], start=1):
            if row[j] != 0:
                d = neighbour.get(j)
                if d is not None:  # name the neighbour, or say there is none
                    name += f" '{batch.raw[t + d]}'" if t + d in inside else f" (none: the sentence {'starts' if d < 0 else 'ends'})"
                parts.append(Contribution("context", name, float(row[j] * tagger.context_coef[j])))
        label = int(np.argmax(context.first[t, :-1]))
        intercept = float(tagger.context_intercept + w_own * tagger.intercept[-1])
        return _top(tagger.labels[label], intercept, parts, top)


@dataclass(slots=True)
class TaggerContext:
    """What the tagger computed for a batch, kept to explain its tokens: word ids of each token
    and its neighbours, its word pairs, its first-pass log-odds and its second-pass features."""

    ids: list[np.ndarray]
    pairs: list[np.ndarray]
    first: np.ndarray
    features: np.ndarray

    @classmethod
    def of(cls, tagger: SpanTagger, batch: TokenBatch, first: np.ndarray) -> "TaggerContext":
        """What the tagger read for ``batch``, from its first-pass log-odds ``first`` (kept by scoring)."""
        ids = tagger.features.context_ids(batch)
        return cls(ids, tagger.features.pair_ids(ids, batch.row), first, tagger.context_features(batch, first))


def _where(position: str) -> str:
    """``prev1`` -> "previous word", ``next2`` -> "2 words after" (the names of ``TokenFeatures`` columns)."""
    before, d = position.startswith("prev"), int(position[4:])
    if d == 1:
        return "previous word" if before else "next word"
    return f"{d} words {'before' if before else 'after'}"


class _ChunkView:
    """What an explanation reads of one :class:`Chunk`, worked out once for all its sentences."""

    def __init__(self, explainer: Explainer, chunk: Chunk):
        self.explainer, self.chunk = explainer, chunk
        tagger = explainer.scorer.tagger
        self.blocks = with_tagger(chunk.blocks, chunk.summary)
        self.found = explainer._words_found(chunk.tokens)
        self.context = TaggerContext.of(tagger, chunk.tokens, chunk.first_pass)
        self.phrases = explainer._phrases(chunk.tokens)

    def sentence(self, k: int, sent, top: int) -> SentenceExplanation:
        """The explanation of the chunk's sentence ``k`` (``sent``, a flagged sentence)."""
        ex, scorer, batch = self.explainer, self.explainer.scorer, self.chunk.tokens
        x = np.hstack([b[k].toarray()[0] if sp.issparse(b) else np.asarray(b[k]) for b in self.blocks]).astype(np.float64)
        row = (x, self.found[k], ex._word_vectors(batch, k), np.flatnonzero(x))
        tl, fl = scorer.technique_head.labels, scorer.frame_head.labels
        bias = ex._row(scorer.bias_head, 0, "bias", row, top)
        techniques = [ex._row(scorer.technique_head, tl.index(t), t, row, top) for t in sent.labels]
        text_row = (x[: ex.n_text_columns], *row[1:3], row[3][row[3] < ex.n_text_columns])
        frames = [ex._row(scorer.frame_head, fl.index(f), f, text_row, top) for f in sent.frames]
        spans = [ex._span(batch, k, sent.start, span, self.context, self.phrases, top) for span in sent.spans]
        return SentenceExplanation(sent.text, sent.start, sent.end, bias, techniques, frames, spans)


def _check_top(top: int) -> None:
    if top < 1:
        raise ValueError(f"top must be at least 1, got {top}")


def _check_text(scorer: Scorer, text) -> None:
    reason = scorer.rejection(text)
    if reason is not None:
        raise (ValueError if isinstance(text, str) else TypeError)(reason)


def explain(nlp: Scorer, text: str, top: int = 5) -> Explanation:
    """Why ``nlp(text)`` scores as it does: for its loaded score and each flagged sentence
    (biased, or with a technique or a span) and span, the ``top`` features that pushed the
    score up, with their contributions in log-odds.

    >>> import framing
    >>> ex = framing.explain(framing.load(), "Pakistan's jealousy is apparent.")
    >>> ex.sentences[0].spans[0].text
    'jealousy'
    """
    _check_text(nlp, text)
    _check_top(top)
    return next(Explainer.of(nlp).pipe([text], top=top))[1]

