"""Training the loaded-phrase tagger: both passes out of fold, thresholds tuned on character F1."""
from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression

from framing.scoring.features import TokenFeatures
from framing.scoring.features.base import TokenBatch
from framing.scoring.features.forms import NAME
from framing.training.heads import fit_head
from framing.scoring.labels import SPAN_TECHNIQUES
from framing.scoring.spans import SpanTagger, context_names, read_idioms, windows
from framing.training.config import TrainConfig
from framing.training.distill import Distilled, token_vectors
from framing.training.evaluate import char_prf
from framing.training.phrases import learn_edges, learn_phrases, usually_marked
from framing.training.sentences import FOLDS, Sentences

HAND_WRITTEN_SCORE = 0.75  # what the tokens of a hand-written idiom or loaded-emotion noun score at least


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
                 tolerance: float = 0.005) -> tuple[float, float, float]:
    """Pick ``threshold``, ``extend`` and ``relative`` for the best character F1 on SemEval sentences
    (on the bias corpora's sentences with marked words when SemEval is held out; ``scores``: out
    of fold), preferring precision: of the settings whose F1 is within ``tolerance`` of the best,
    the most precise one; return the chosen setting's character precision, recall and F1."""
    idx = np.array([i for i, c in enumerate(sents.corpus) if c == "semeval"])
    if not len(idx):
        idx = np.array([i for i, l in enumerate(sents.token_labels) if len(l) and l[:, 0].min() >= 0])
    sem = TokenBatch.from_texts([sents.texts[i] for i in idx])
    sem_scores = np.concatenate([scores[batch.indptr[i] : batch.indptr[i + 1]] for i in idx])
    gold = []
    for i in idx:
        on = sents.token_labels[i].max(axis=1) > 0 if len(sents.offsets[i]) else []
        gold.append({c for (a, b), f in zip(sents.offsets[i], on) if f for c in range(a, b)})
    results = []  # (precision, recall, F1, relative, threshold, extend)
    for relative in (0.0, 0.2, 0.3, 0.4):
        for threshold in (0.1, 0.12, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5):
            for extend in (0.02, 0.03, 0.05, 0.08, 0.1, 0.15, 0.2, 0.3):
                if extend > threshold:
                    continue
                tagger.threshold, tagger.extend, tagger.relative = threshold, extend, relative
                spans = tagger.tag(sem, sem_scores, [0] * len(idx))
                prf = char_prf(gold, [{c for s in ss for c in range(s.start, s.end)} for ss in spans])
                results.append((*prf, relative, threshold, extend))
    top = max(r[2] for r in results)
    *prf, tagger.relative, tagger.threshold, tagger.extend = max((r for r in results if r[2] >= top - tolerance))
    return tuple(prf)


def train_tagger(sents: Sentences, batch: TokenBatch, lexicons: dict, folds: np.ndarray,
                 cfg: TrainConfig, distilled: Distilled | None = None) -> tuple[SpanTagger, np.ndarray, tuple]:
    """The loaded-phrase tagger, its out-of-fold token scores on ``batch`` (``sents``' texts) and
    the out-of-fold character precision, recall and F1 of the setting its thresholds were tuned to.

    A first pass from each token's features and a second pass from the first pass's scores
    around the token (see :class:`~framing.scoring.spans.SpanTagger`) are fitted out of fold
    (``folds``: one per sentence), so the second pass learns from scores like those of
    unseen text, and the thresholds are tuned on both passes out of fold. The out-of-fold
    scores include the hand-written idioms' and loaded-emotion nouns' floors, not the learned
    phrases' (learned from these very spans, they would leak them). The word vectors
    are ``distilled`` ones when given, else learned from ``sents``.
    """
    # with distilled vectors nothing is learned in fit (dim 0); they are set right after
    tok_feats = TokenFeatures(lexicons=lexicons, min_count=2, window=2, dim=0 if distilled else cfg.tagger_dim)
    forms = [batch.lower[a:b] for a, b in zip(batch.indptr[:-1].tolist(), batch.indptr[1:].tolist())]
    tok_feats.fit([t for w in forms for t in windows(w, tok_feats.window)])
    if distilled is not None:
        vocabulary = list(tok_feats.vocabulary_)
        tok_feats.set_vocabulary(vocabulary, tok_feats.pairs_, tok_feats.affixes_,
                                 token_vectors(distilled, vocabulary, cfg.tagger_dim))
    Xtok = tok_feats.transform_batch(batch)
    Ytok = np.concatenate([l for l in sents.token_labels if len(l)])
    Ytok[np.asarray(batch.lower) == NAME] = -1  # a name is not evidence either way: its own weight stays 0
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
    parts = dict(features=tok_feats, labels=SPAN_TECHNIQUES, coef=coef, intercept=b)
    tagger = SpanTagger(**parts, context_coef=np.zeros(len(context_names())), context_intercept=0.0, threshold=0.5,
                        extend=0.3, phrases=hand_written)
    context = tagger.context_features(batch, first)
    second = np.zeros(len(context))
    for k in range(FOLDS):
        w, c = _fit_context(context[tok_fold != k], Ytok[tok_fold != k, -1], cfg.tagger_context_C, cfg.seed)
        second[tok_fold == k] = context[tok_fold == k] @ w + c
    w, c = _fit_context(context, Ytok[:, -1], cfg.tagger_context_C, cfg.seed)
    edges = learn_edges(sents)
    parts.update(context_coef=w, context_intercept=c, edges=edges)
    tagger = SpanTagger(**parts, threshold=0.5, extend=0.3, phrases=hand_written)
    oof = tagger.raise_listed(batch, SpanTagger.combine(first, second))
    oof_prf = _tune_tagger(tagger, sents, batch, oof)
    tagger = SpanTagger(**parts, threshold=tagger.threshold, extend=tagger.extend, relative=tagger.relative,
                        phrases={**learn_phrases(sents), **hand_written})
    return tagger, oof, oof_prf
