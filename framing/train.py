"""Train a model from the annotated corpora: ``framing train --data DIR --out DIR``.

Order: the token tagger first (its out-of-fold scores become sentence features, so the
sentence heads never see a tagger that has memorised their own sentences), then the
sentence-bias head, the technique head (sentence rows, thresholds tuned on paragraphs)
and the frame head (article rows). Folds are fixed by hashing article ids or sentence
texts, so the same data always gives the same model.
"""
from __future__ import annotations

import hashlib
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from . import data
from .distill import Distilled, reduce_word_vectors, token_vectors
from .evaluate import char_f1
from .features import EmbeddingFeatures, LexiconFeatures, NgramFeatures, StyleFeatures, TokenFeatures
from .heads import LinearHead, best_threshold, fit_head
from .labels import FRAMES, SPAN_TECHNIQUES, TECHNIQUES
from .features._base import TokenBatch
from .model import SENTENCE_MAX_FRAMES, Scorer, Segments, paragraph_features, stack, tagger_summary
from .spans import SpanTagger, context_names, read_idioms, windows
from .text import split_sentences, tokenize

FOLDS = 3
HOLDOUTS = (*data.BIAS_CORPORA, "semeval")
HAND_WRITTEN_SCORE = 0.75  # what the tokens of a hand-written idiom or loaded-emotion noun score at least


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


def learn_phrases(sents: Sentences, min_count: int = 3, min_precision: float = 0.5) -> dict[str, float]:
    """Multi-word phrases (2-6 words) that annotators marked as loaded at least ``min_precision`` of the times they occur."""
    all_words = sents.words
    marked: Counter[str] = Counter()
    for words, labels in zip(all_words, sents.token_labels):
        on = (labels.max(axis=1) > 0) if len(words) else np.zeros(0, bool)
        i = 0
        while i < len(words):
            if on[i]:
                j = i
                while j < len(words) and on[j]:
                    j += 1
                run = [w.lower() for w in words[i:j] if any(c.isalnum() for c in w)]
                for n in range(2, min(6, len(run)) + 1):
                    for k in range(len(run) - n + 1):
                        marked[" ".join(run[k : k + n])] += 1
                i = j
            else:
                i += 1
    candidates = {p for p, c in marked.items() if c >= min_count}
    seen: Counter[str] = Counter()
    for words in all_words:
        lower = [w.lower() for w in words if any(c.isalnum() for c in w)]
        for n in range(2, 7):
            for k in range(len(lower) - n + 1):
                g = " ".join(lower[k : k + n])
                if g in candidates:
                    seen[g] += 1
    return {p: round(marked[p] / seen[p], 4) for p in candidates if seen[p] and marked[p] / seen[p] >= min_precision}


def usually_marked(sents: Sentences, words: list[str], min_count: int = 3, min_rate: float = 0.5) -> list[str]:
    """The ``words`` that annotated phrases hold in at least ``min_rate`` of their annotated occurrences in
    ``sents``, and those annotated fewer than ``min_count`` times (too few to overrule a hand-written list)."""
    wanted = set(words)
    seen: Counter[str] = Counter()
    marked: Counter[str] = Counter()
    for tokens, labels in zip(sents.words, sents.token_labels):
        for word, label in zip(tokens, labels):
            lower = word.lower()
            if lower in wanted and (label >= 0).any():
                seen[lower] += 1
                marked[lower] += int(label.max() > 0)
    return [w for w in words if seen[w] < min_count or marked[w] >= min_rate * seen[w]]


def learn_edges(sents: Sentences, min_count: int = 20, max_rate: float = 0.05, common: int = 100) -> dict[str, list[str]]:
    """Words that annotated SemEval phrases hardly ever start (``no_start``) or end (``no_end``) with:
    among the ``common`` most frequent words of all sentences (function words, not topics), inside
    annotated runs at least ``min_count`` times, and first (last) in at most ``max_rate`` of them."""
    frequent = {w for w, _ in Counter(w.lower() for words in sents.words for w in words).most_common(common)}
    inside: Counter[str] = Counter()
    starts: Counter[str] = Counter()
    ends: Counter[str] = Counter()
    for words, labels, corpus in zip(sents.words, sents.token_labels, sents.corpus):
        if corpus != "semeval" or not len(words):
            continue
        on = np.r_[False, labels.max(axis=1) > 0, False]
        for a, b in zip(np.flatnonzero(np.diff(on.astype(np.int8)) == 1), np.flatnonzero(np.diff(on.astype(np.int8)) == -1)):
            run = [w.lower() for w in words[a:b]]
            inside.update(w for w in run if w in frequent and any(c.isalnum() for c in w))
            starts[run[0]] += 1
            ends[run[-1]] += 1
    return {name: sorted(w for w, n in inside.items() if n >= min_count and edge[w] <= max_rate * n)
            for name, edge in (("no_start", starts), ("no_end", ends))}


def _fit_tagger_columns(X, Y: np.ndarray, C: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """One logistic regression per column of ``Y`` (-1 = not annotated: the row is left out of that column)."""
    coef = np.zeros((X.shape[1], Y.shape[1]), dtype=np.float32)
    intercept = np.full(Y.shape[1], -30.0)  # a label no token is annotated for (SemEval held out) is never tagged
    for j in range(Y.shape[1]):
        rows = Y[:, j] >= 0
        if not rows.any():
            continue
        head = fit_head(X[rows], Y[rows, j : j + 1], ["x"], C=C, seed=seed)
        coef[:, j], intercept[j] = head.coef[:, 0], head.intercept[0]
    return coef, intercept


def _any_label(Y: np.ndarray) -> np.ndarray:
    """Per token: 1 when any label marks it, 0 when a label is annotated and none marks it, else -1."""
    return np.where(Y.max(axis=1) > 0, 1, np.where((Y >= 0).any(axis=1), 0, -1))


def _fit_context(F: np.ndarray, y: np.ndarray, C: float, seed: int) -> tuple[np.ndarray, float]:
    """The tagger's second pass: logistic regression on standardised context features ``F``
    (rows with ``y`` -1 left out), returned as weights and intercept for the raw features."""
    rows = y >= 0
    mean, scale = F[rows].mean(axis=0), F[rows].std(axis=0) + 1e-6
    lr = LogisticRegression(C=C, max_iter=2000, random_state=seed).fit((F[rows] - mean) / scale, y[rows])
    w = lr.coef_[0] / scale
    return w, float(lr.intercept_[0] - mean @ w)


def _tune_tagger(tagger: SpanTagger, sents: Sentences, batch: TokenBatch, scores: np.ndarray,
                 tolerance: float = 0.001) -> float:
    """Pick ``threshold``, ``extend`` and ``relative`` for the best character F1 on SemEval sentences
    (on the bias corpora's sentences with marked words when SemEval is held out; ``scores``: out
    of fold), preferring the largest ``relative`` (the tightest spans) whose F1 is
    within ``tolerance`` of the best; return the F1 of the chosen setting."""
    idx = np.array([i for i, c in enumerate(sents.corpus) if c == "semeval"])
    if not len(idx):
        idx = np.array([i for i, l in enumerate(sents.token_labels) if len(l) and l[:, 0].min() >= 0])
    sem = TokenBatch.from_texts([sents.texts[i] for i in idx])
    sem_scores = np.concatenate([scores[batch.indptr[i] : batch.indptr[i + 1]] for i in idx])
    gold = []
    for i in idx:
        on = sents.token_labels[i].max(axis=1) > 0 if len(sents.offsets[i]) else []
        gold.append({c for (a, b), f in zip(sents.offsets[i], on) if f for c in range(a, b)})
    results = []  # (F1, relative, threshold, extend)
    for relative in (0.0, 0.2, 0.3, 0.4):
        for threshold in (0.1, 0.12, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5):
            for extend in (0.02, 0.03, 0.05, 0.08, 0.1, 0.15, 0.2, 0.3):
                if extend > threshold:
                    continue
                tagger.threshold, tagger.extend, tagger.relative = threshold, extend, relative
                spans = tagger.tag(sem, sem_scores, [0] * len(idx))
                f = char_f1(gold, [{c for s in ss for c in range(s.start, s.end)} for ss in spans])
                results.append((f, relative, threshold, extend))
    top = max(r[0] for r in results)
    f, tagger.relative, tagger.threshold, tagger.extend = max(
        (r for r in results if r[0] >= top - tolerance), key=lambda r: (r[1], r[0]))
    return f


def train_tagger(sents: Sentences, batch: TokenBatch, lexicons: dict, folds: np.ndarray,
                 cfg: "TrainConfig", distilled: Distilled | None = None) -> tuple[SpanTagger, np.ndarray, float]:
    """The loaded-phrase tagger, its out-of-fold token scores on ``batch`` (``sents``' texts) and
    the out-of-fold character F1 its thresholds were tuned to.

    A first pass from each token's features and a second pass from the first pass's scores
    around the token (see :class:`~framing.spans.SpanTagger`) are fitted out of fold
    (``folds``: one per sentence), so the second pass learns from scores like those of
    unseen text, and the thresholds are tuned on both passes out of fold. The out-of-fold
    scores include the hand-written idioms' and loaded-emotion nouns' floors, not the learned
    phrases' (learned from these very spans, they would leak them). The word vectors
    are ``distilled`` ones when given, else learned from ``sents``.
    """
    # with distilled vectors nothing is learned in fit (dim 0); they are set right after
    tok_feats = TokenFeatures(lexicons=lexicons, min_count=2, window=2, dim=0 if distilled else cfg.tagger_dim)
    tok_feats.fit([t for w in sents.words for t in windows(w, tok_feats.window)])
    if distilled is not None:
        vocabulary = list(tok_feats.vocabulary_)
        tok_feats.set_vocabulary(vocabulary, tok_feats.pairs_, tok_feats.affixes_,
                                 token_vectors(distilled, vocabulary, cfg.tagger_dim))
    Xtok = tok_feats.transform_batch(batch)
    Ytok = np.concatenate([l for l in sents.token_labels if len(l)])
    Ytok = np.column_stack([Ytok, _any_label(Ytok)])
    tok_fold = folds[batch.row]
    first = np.zeros(Ytok.shape)  # out-of-fold first-pass log-odds
    for k in range(FOLDS):
        coef, b = _fit_tagger_columns(Xtok[tok_fold != k], Ytok[tok_fold != k], cfg.tagger_C, cfg.seed)
        first[tok_fold == k] = Xtok[tok_fold == k] @ coef + b
    coef, b = _fit_tagger_columns(Xtok, Ytok, cfg.tagger_C, cfg.seed)
    # the hand-written idioms and loaded-emotion nouns ("jealousy") are always spans, except the nouns that
    # annotators mostly leave unmarked ("hate" in "hate speech", "outrage" in "sparked outrage")
    emotion = usually_marked(sents, list(lexicons.get("loaded_emotion", [])))
    hand_written = {p: HAND_WRITTEN_SCORE for p in read_idioms() + emotion}
    # thresholds are tuned with the hand-written entries only: learned phrases would leak the gold spans
    tagger = SpanTagger(tok_feats, SPAN_TECHNIQUES, coef, b, np.zeros(len(context_names())), 0.0, 0.5, 0.3, hand_written)
    context = tagger.context_features(batch, first)
    second = np.zeros(len(context))
    for k in range(FOLDS):
        w, c = _fit_context(context[tok_fold != k], Ytok[tok_fold != k, -1], cfg.tagger_context_C, cfg.seed)
        second[tok_fold == k] = context[tok_fold == k] @ w + c
    w, c = _fit_context(context, Ytok[:, -1], cfg.tagger_context_C, cfg.seed)
    edges = learn_edges(sents)
    tagger = SpanTagger(tok_feats, SPAN_TECHNIQUES, coef, b, w, c, 0.5, 0.3, hand_written, edges)
    oof = tagger.raise_listed(batch, SpanTagger.combine(first, second))
    oof_f1 = _tune_tagger(tagger, sents, batch, oof)
    tagger = SpanTagger(tok_feats, SPAN_TECHNIQUES, coef, b, w, c, tagger.threshold, tagger.extend,
                        {**learn_phrases(sents), **hand_written}, edges, tagger.relative)
    return tagger, oof, oof_f1


@dataclass
class TrainConfig:
    """Knobs of training; the defaults make the bundled model."""

    seed: int = 0
    ngram_max_features: int = 60000
    tagger_C: float = 0.5
    tagger_context_C: float = 1.0
    tagger_dim: int = 32
    """Size of the span tagger's word vectors. Distilled ones did as well at 32 dimensions as at 64
    (validation span character F1 0.357 and 0.355, WikiNPOV AUC 0.812 and 0.810) in half the space."""
    bias_C: float = 2.0
    technique_C: float = 4.0
    frame_C: float = 32.0
    frame_class_weight: str | None = None
    """``"balanced"`` chooses the rare frames (20-30 articles) more often: out of fold by article,
    macro-F1 0.526 instead of 0.517, but micro-F1 0.684 instead of 0.702 (C 8 and 32, each its best)."""
    frame_blocks: tuple = ("NgramFeatures", "EmbeddingFeatures")
    """The extractors whose features the frame head reads. Both are unit-length per text, so
    an article and a sentence score on one scale; lexicon and style counts grow with length."""
    corpus_weights: dict = field(
        default_factory=lambda: {"babe": 1.0, "mbic": 1.0, "wiki_npov": 0.5, "semeval_paragraphs": 0.25}
    )
    lexicon_weight: float = 0.3
    style_weight: float = 0.3
    embedding_dim: int = 64
    embedding_weight: float = 1.0
    distilled: str | None = None
    """The ``.npz`` that ``python -m framing.distill`` writes: its word vectors replace the ones
    learned from the training text, and its sentence vectors make a teacher whose soft labels
    on the SemEval sentences the bias head learns from too (weighted ``teacher_weight``)."""
    teacher_weight: float = 1.0
    tagger_learned_vectors: bool = False
    """Let the span tagger learn its own word vectors from the training sentences (PPMI + SVD)
    even when ``distilled`` is given; by default it reads the distilled ones (reduced to
    ``tagger_dim``). On the validation split, learned ones (64 dimensions) gave loaded-span
    character F1 0.336 instead of 0.357, WikiNPOV AUC 0.815 instead of 0.812."""
    holdout: str | None = None
    """Leave this corpus (``HOLDOUTS``) out of training entirely, to measure how ``loaded_score``
    generalizes to it. Only what ``loaded_score`` needs is trained then (tagger, bias and
    paragraph heads); the technique and frame heads are left empty (never chosen)."""


def train(data_dir: str | Path, config: TrainConfig | None = None, log=print) -> tuple[Scorer, dict]:
    """Train every head from the training split of ``data_dir``; return the scorer and training stats."""
    cfg = config or TrainConfig()
    if cfg.holdout is not None and cfg.holdout not in HOLDOUTS:
        raise ValueError(f"unknown holdout corpus {cfg.holdout!r}; choose one of {', '.join(HOLDOUTS)} or None")
    t0 = time.time()
    sents = Sentences()
    held = held_out_texts(data_dir, cfg.holdout)
    for name in data.BIAS_CORPORA:
        if name != cfg.holdout:
            _bias_sentences(sents, data_dir, name, held)
    if cfg.holdout != "semeval":
        _semeval_sentences(sents, data_dir)
    log(f"read {len(sents.texts)} training sentences ({Counter(sents.corpus)}) in {time.time() - t0:.0f}s")
    if not any(b >= 0 for b in sents.bias):
        raise ValueError(f"no labelled bias sentence is left in {data_dir} once {cfg.holdout} is held out "
                         "(every other corpus shares its sentences); hold out another corpus")
    lexicons = data.load_lexicons(data_dir)
    folds = np.array([fold_of(g) for g in sents.group])

    # 1. token tagger (its out-of-fold scores feed the sentence heads)
    distilled = Distilled.load(cfg.distilled) if cfg.distilled else None
    batch = TokenBatch.from_texts(sents.texts)
    tagger, oof, oof_f1 = train_tagger(sents, batch, lexicons, folds, cfg, None if cfg.tagger_learned_vectors else distilled)
    log(f"tagger: {len(oof)} tokens, {len(tagger.phrases)} phrases, threshold {tagger.threshold}, "
        f"extend {tagger.extend}, relative {tagger.relative}, out-of-fold character F1 {oof_f1:.4f} ({time.time() - t0:.0f}s)")

    # 2. sentence features
    extractors = [
        (NgramFeatures(ngram_range=(1, 2), min_df=2, max_features=cfg.ngram_max_features), 1.0),
        (LexiconFeatures(lexicons), cfg.lexicon_weight),
        (StyleFeatures(), cfg.style_weight),
    ]
    frame_articles = [] if cfg.holdout == "semeval" else [
        r for r in data.load_semeval(data_dir, "frames_articles") if not r["validation"]
    ]
    extractors[0][0].fit(sents.texts)
    extractors[1][0].fit()
    extractors[2][0].fit()
    unlabelled = sents.texts + [r["text"] for r in frame_articles]  # training text only
    extractors.append((_word_vectors(cfg.embedding_dim, unlabelled, lexicons, distilled), cfg.embedding_weight))
    scorer = Scorer(extractors, tagger, None, None, None, None, meta={})
    blocks = scorer.finalize(scorer.counts(batch))
    summary = tagger_summary(oof, batch, tagger.threshold)
    Xt = stack(scorer.with_tagger(blocks, summary))
    corpus = np.array(sents.corpus)

    # 3. sentence bias: one intercept per corpus while fitting, the BABE one when serving
    #    (when BABE is held out, that of the corpus with the most labelled sentences)
    rows = np.array([b >= 0 for b in sents.bias])
    y = np.array(sents.bias)[rows]
    w = np.array([cfg.corpus_weights.get(c, 0.0) for c in corpus[rows]])
    reference = "babe" if cfg.holdout != "babe" else Counter(corpus[rows]).most_common(1)[0][0]
    teacher = _Teacher(distilled.sentence_rows(sents.texts), np.array(sents.bias), corpus == "semeval",
                       cfg.teacher_weight) if distilled is not None and cfg.teacher_weight > 0 else None
    bias_oof = np.zeros(rows.sum())
    for k in range(FOLDS):
        tr = folds[rows] != k
        fit = (Xt[rows][tr], y[tr], corpus[rows][tr], w[tr])
        if teacher is not None:
            fit = teacher.extend(Xt, folds != k, *fit)
        h = fit_bias_head(*fit, cfg.bias_C, cfg.seed, reference)
        bias_oof[~tr] = h.scores(Xt[rows][~tr])[:, 0]
    fit = (Xt[rows], y, corpus[rows], w)
    if teacher is not None:
        fit = teacher.extend(Xt, np.ones(len(corpus), bool), *fit)
    bias_head = fit_bias_head(*fit, cfg.bias_C, cfg.seed, reference)
    ref = corpus[rows] == reference
    bias_head.thresholds = np.array([best_threshold(y[ref], bias_oof[ref], floor=0.05, average="macro")])
    log(f"bias head: {rows.sum()} sentences, threshold {bias_head.thresholds[0]:.3f} ({time.time() - t0:.0f}s)")

    # 3b. paragraph score: bias corpora sentences as one-sentence texts, SemEval paragraphs for Loaded_Language
    sem = np.flatnonzero(corpus == "semeval")
    labelled = np.flatnonzero(rows)
    para = np.array([sents.paragraph[i] for i in sem])
    keys, inv = np.unique(para, return_inverse=True)
    sem_ll = np.zeros(len(keys))
    np.maximum.at(sem_ll, inv, [float("Loaded_Language" in sents.techniques[i]) for i in sem])
    F = np.vstack([
        paragraph_features(bias_oof, summary[labelled], np.arange(len(labelled)), len(labelled)),
        paragraph_features(bias_head.scores(Xt[sem])[:, 0], summary[sem], inv, len(keys)),
    ])
    yF = np.concatenate([y, sem_ll])
    wF = np.concatenate([w, np.full(len(keys), cfg.corpus_weights.get("semeval_paragraphs", 0.5))])
    lr = LogisticRegression(C=1.0, max_iter=1000).fit(F, yF, sample_weight=wF)
    loaded_head = LinearHead(("loaded",), lr.coef_.T.astype(np.float32), lr.intercept_, np.array([0.5]))
    loaded_head.thresholds = np.array(
        [best_threshold(y[ref], loaded_head.scores(F[: len(y)][ref])[:, 0], floor=0.05, average="macro")]
    )
    log(f"paragraph head: weights {np.round(lr.coef_[0], 2).tolist()}, threshold {loaded_head.thresholds[0]:.3f}")
    if cfg.holdout is not None:
        scorer.bias_head, scorer.loaded_head = bias_head, loaded_head
        scorer.technique_head = _empty_head(TECHNIQUES, Xt.shape[1])
        scorer.frame_head = _empty_head(FRAMES, sum(b.shape[1] for b in blocks))
        scorer.meta = {"config": cfg.__dict__, "training": {"sentences": dict(Counter(sents.corpus))}}
        log(f"held out {cfg.holdout}: technique and frame heads not trained ({time.time() - t0:.0f}s)")
        return scorer, scorer.meta["training"]

    # 4. techniques: sentence rows, thresholds tuned on paragraphs (max over sentences)
    Y = np.array([[t in sents.techniques[i] for t in TECHNIQUES] for i in sem], dtype=np.int8)
    P = np.zeros(Y.shape)
    for k in range(FOLDS):
        tr = folds[sem] != k
        h = fit_head(Xt[sem][tr], Y[tr], TECHNIQUES, C=cfg.technique_C, seed=cfg.seed)
        P[~tr] = h.scores(Xt[sem][~tr])
    technique_head = fit_head(Xt[sem], Y, TECHNIQUES, C=cfg.technique_C, seed=cfg.seed)
    Yp = np.zeros((len(keys), len(TECHNIQUES)), dtype=np.int8)
    Pp = np.zeros((len(keys), len(TECHNIQUES)))
    np.maximum.at(Yp, inv, Y)
    np.maximum.at(Pp, inv, P)
    # One cut for all techniques: per-technique cuts overfit the rare ones (out-of-fold, by article).
    technique_head.thresholds = np.full(len(TECHNIQUES), best_threshold(Yp.ravel(), Pp.ravel(), floor=0.1))
    log(f"technique head: {len(sem)} sentences, {len(keys)} paragraphs, threshold "
        f"{technique_head.thresholds[0]:.3f} ({time.time() - t0:.0f}s)")

    # 5. frames: article rows, one threshold for all frames
    fa = frame_articles
    Xf = scorer.text_features([r["text"] for r in fa]) @ sp.diags(_block_mask(scorer, cfg.frame_blocks))
    Yf = np.array([[f in r["frames"] for f in FRAMES] for r in fa], dtype=np.int8)
    ff = np.array([fold_of(str(r["article_id"])) for r in fa])
    seg = Segments.of([r["text"] for r in fa])
    Xs = stack(scorer.finalize(scorer.counts(seg.tokens())))  # the articles' sentences
    Pf, Ps = np.zeros(Yf.shape), np.zeros((Xs.shape[0], len(FRAMES)))
    for k in range(FOLDS):
        h = fit_head(Xf[ff != k], Yf[ff != k], FRAMES, C=cfg.frame_C, class_weight=cfg.frame_class_weight,
                     seed=cfg.seed, row_space=True)
        Pf[ff == k] = h.scores(Xf[ff == k])
        Ps[ff[seg.owner] == k] = h.scores(Xs[ff[seg.owner] == k])
    frame_head = fit_head(Xf, Yf, FRAMES, C=cfg.frame_C, class_weight=cfg.frame_class_weight, seed=cfg.seed,
                          row_space=True)
    # Per-frame thresholds tuned on ~360 articles overfit the rare frames; one cut for all does not.
    frame_head.thresholds = np.full(len(FRAMES), best_threshold(Yf.ravel(), Pf.ravel(), floor=0.1))
    frame_head.max_labels = _best_cap(frame_head, Yf, Pf)
    frame_head.sentence_thresholds = np.full(len(FRAMES), _sentence_threshold(Yf, Ps, seg.owner))
    log(f"frame head: {len(fa)} articles, threshold {frame_head.thresholds[0]:.3f} (sentences "
        f"{frame_head.sentence_thresholds[0]:.2f}), at most {frame_head.max_labels} frames ({time.time() - t0:.0f}s)")

    scorer.bias_head, scorer.technique_head, scorer.frame_head = bias_head, technique_head, frame_head
    scorer.loaded_head = loaded_head
    stats = {"sentences": dict(Counter(sents.corpus)), "tokens": len(oof), "frame_articles": len(fa),
             "phrases": len(tagger.phrases), "tagger_oof_char_f1": round(oof_f1, 4), "seconds": round(time.time() - t0, 1)}
    scorer.meta = {"config": cfg.__dict__, "training": stats}
    return scorer, stats


def _word_vectors(dim: int, texts: list[str], lexicons: dict[str, list[str]], distilled: Distilled | None) -> EmbeddingFeatures:
    """Word vectors learned from ``texts``, or distilled ones kept for the words of ``texts`` and the word lists."""
    if distilled is None:
        return EmbeddingFeatures(dim=dim).fit(texts)
    listed = {w for ws in lexicons.values() for w in ws}
    return reduce_word_vectors(distilled.words, distilled.word_vectors, distilled.general, texts, listed, dim=dim)


class _Teacher:
    """Soft labels for the bias head: a logistic regression on sentence-transformer vectors,
    fitted to the labelled bias sentences, scores the unlabelled SemEval ones.

    ``vectors``, ``bias`` (-1 = unlabelled) and ``pool`` (the sentences to label) are per
    training sentence. Each pool sentence enters the bias head twice, as biased with weight
    ``weight * p`` and as not with ``weight * (1 - p)``, under a corpus of its own ("teacher").
    """

    def __init__(self, vectors: np.ndarray, bias: np.ndarray, pool: np.ndarray, weight: float, C: float = 1.0):
        self.vectors, self.bias, self.pool, self.weight, self.C = vectors, bias, pool, weight, C

    def extend(self, X, use: np.ndarray, Xb, yb, corpus, w) -> tuple:
        """The bias head's training rows ``(Xb, yb, corpus, w)`` plus the pool sentences among ``use``, labelled by a
        teacher fitted to the labelled sentences among ``use`` (so out-of-fold rows teach nothing)."""
        labelled = np.flatnonzero(use & (self.bias >= 0))
        pool = np.flatnonzero(use & self.pool)
        if not len(pool):
            return Xb, yb, corpus, w
        lr = LogisticRegression(C=self.C, max_iter=3000).fit(self.vectors[labelled], self.bias[labelled])
        p = lr.predict_proba(self.vectors[pool])[:, 1]
        n = len(pool)
        return (sp.vstack([Xb, X[pool], X[pool]], format="csr"),
                np.concatenate([yb, np.ones(n, yb.dtype), np.zeros(n, yb.dtype)]),
                np.concatenate([corpus, np.full(2 * n, "teacher")]),
                np.concatenate([w, self.weight * p, self.weight * (1 - p)]))


def _empty_head(labels: tuple[str, ...], n_features: int) -> LinearHead:
    """A head that never chooses any of ``labels`` (for heads a hold-out run does not train)."""
    k = len(labels)
    return LinearHead(tuple(labels), np.zeros((n_features, k), np.float32), np.full(k, -30.0), np.full(k, 0.5))


def _best_cap(head: LinearHead, Y: np.ndarray, P: np.ndarray, tolerance: float = 0.005) -> int | None:
    """The smallest cap on labels per row whose out-of-fold micro-F1 is within ``tolerance`` of the best."""

    def micro(cap):
        on = head.decide(P, max_labels=cap)
        return 2 * (on & (Y > 0)).sum() / (on.sum() + (Y > 0).sum())

    best = micro(None)
    return next((c for c in range(1, Y.shape[1]) if micro(c) >= best - tolerance), None)


def _sentence_threshold(Y: np.ndarray, P: np.ndarray, owner: np.ndarray) -> float:
    """One cut for the frames of single sentences (at most ``SENTENCE_MAX_FRAMES`` each): the one
    whose sentence frames, taken together per article, best match the article's frames (micro-F1).

    There are no sentence-level frame labels. A cut that gave every sentence its article's
    likeliest frames would make a long article's sentences name many frames it does not
    have; one that is too high would leave frames unnamed.
    """
    rank = np.argsort(np.argsort(-P, axis=1, kind="stable"), axis=1)
    top = rank < SENTENCE_MAX_FRAMES

    def f1(cut):
        union = np.zeros(Y.shape, dtype=bool)
        np.logical_or.at(union, owner, top & (P >= cut))
        return 2 * (union & (Y > 0)).sum() / (union.sum() + (Y > 0).sum())

    cuts = np.round(np.arange(0.05, 1.0, 0.01), 2)
    return float(cuts[int(np.argmax([f1(c) for c in cuts]))])


def _block_mask(scorer: Scorer, names) -> np.ndarray:
    """1 for the feature columns of the extractors (by class name) in ``names``, 0 elsewhere."""
    known = [type(est).__name__ for est, _ in scorer.extractors]
    if unknown := set(names) - set(known):
        raise ValueError(f"no feature extractor named {sorted(unknown)}; the model has {known}")
    return np.concatenate([np.full(len(est.get_feature_names_out()), float(type(est).__name__ in names))
                           for est, _ in scorer.extractors])


def fit_bias_head(X, y, corpus, weights, C: float, seed: int, reference: str = "babe") -> LinearHead:
    """Logistic regression with one intercept per corpus, served with the ``reference`` corpus's.

    The corpus columns absorb each corpus's base rate of biased sentences, so the shared
    weights learn what makes a sentence slanted rather than which corpus it came from.
    """
    names = sorted(set(corpus))
    if reference not in names:
        raise ValueError(f"the reference corpus {reference!r} is not among the training corpora {names}")
    onehot = sp.csr_matrix(np.stack([(np.asarray(corpus) == n).astype(np.float32) for n in names], axis=1))
    lr = LogisticRegression(C=C, max_iter=3000, random_state=seed)
    lr.fit(sp.hstack([X, onehot], format="csr"), y, sample_weight=weights)
    coef = lr.coef_[0]
    intercept = lr.intercept_[0] + coef[X.shape[1] + names.index(reference)]
    return LinearHead(("biased",), coef[: X.shape[1], None].astype(np.float32), np.array([intercept]), np.array([0.5]))
