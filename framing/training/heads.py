"""One trainer per head: each fits its head (out of fold where its thresholds need it) and returns it.

Rows and folds come from :mod:`framing.training.sentences`; the features they read are the
scorer's own (:mod:`framing.scoring.featurize`), so what is learned is what is served.
"""
from __future__ import annotations

from collections import Counter

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from framing.scoring.featurize import Featurizer, Segments, paragraph_features
from framing.scoring.heads import LinearHead
from framing.scoring.labels import FRAMES, TECHNIQUES
from framing.scoring.scorer import SENTENCE_MAX_FRAMES
from framing.training.sentences import FOLDS, Sentences, fold_of


def fit_head(X, Y: np.ndarray, labels, C: float = 1.0, class_weight=None, seed: int = 0,
             row_space: bool = False) -> LinearHead:
    """Fit one L2 logistic regression per column of the 0/1 matrix ``Y``.

    A label with no positive example gets zero weights and a probability of zero, so
    it is never chosen. Thresholds start at 0.5; tune them with :func:`tune_thresholds`.
    With ``row_space=True`` each regression is solved in the span of the rows of ``X``,
    where its optimum lies: the same model, solved to a tighter tolerance, and much
    faster when there are far fewer rows than columns (a few hundred articles).
    """
    Y = np.asarray(Y)
    n_features, n_labels = X.shape[1], Y.shape[1]
    coef = np.zeros((n_features, n_labels), dtype=np.float32)
    intercept = np.full(n_labels, -30.0, dtype=np.float32)
    if row_space:
        Z, to_coef = _row_space(X)
    for j in range(n_labels):
        y = Y[:, j]
        if y.min() == y.max():
            continue
        if row_space:
            lr = LogisticRegression(C=C, class_weight=class_weight, max_iter=5000, tol=1e-6, random_state=seed)
            lr.fit(Z, y)
            coef[:, j] = to_coef(lr.coef_[0])
        else:
            lr = LogisticRegression(C=C, class_weight=class_weight, max_iter=2000, random_state=seed)
            lr.fit(X, y)
            coef[:, j] = lr.coef_[0]
        intercept[j] = lr.intercept_[0]
    return LinearHead(tuple(labels), coef, intercept, np.full(n_labels, 0.5, dtype=np.float32))


def _row_space(X) -> tuple[np.ndarray, object]:
    """Coordinates ``Z`` of the rows of ``X`` in an orthonormal basis of their span, and the map
    from weights on ``Z`` back to weights on the columns of ``X``.

    ``X @ w`` and ``|w|`` are the same for ``w = to_coef(v)`` as ``Z @ v`` and ``|v|``, so an
    L2-penalised linear model fitted on ``Z`` is the one fitted on ``X``.
    """
    X = sp.csr_matrix(X, dtype=np.float64) if sp.issparse(X) else np.asarray(X, dtype=np.float64)
    gram = X @ X.T
    gram = gram.toarray() if sp.issparse(gram) else np.asarray(gram)
    lam, U = np.linalg.eigh(gram)
    keep = lam > 1e-10 * max(lam.max(), 1e-300)
    scale = U[:, keep] / np.sqrt(lam[keep])
    return U[:, keep] * np.sqrt(lam[keep]), lambda v: np.asarray(X.T @ (scale @ v)).ravel()


def best_threshold(y: np.ndarray, p: np.ndarray, floor: float = 0.05, average: str = "binary") -> float:
    """The probability cut that maximises F1 of 0/1 labels ``y`` given scores ``p``.

    ``average="binary"`` maximises the positive class's F1 (for sparse labels);
    ``"macro"`` the mean of both classes' F1 (for balanced yes/no decisions).
    Returns 0.5 when ``y`` has no positive.
    """
    y = np.asarray(y).astype(bool)
    if not y.any():
        return 0.5
    order = np.argsort(-p, kind="stable")
    tp = np.cumsum(y[order])
    k = np.arange(1, len(p) + 1)
    f1 = 2 * tp / (k + y.sum())
    if average == "macro":
        tn = (~y).sum() - (k - tp)
        f1 = (f1 + 2 * tn / ((len(p) - k) + (~y).sum())) / 2
    elif average != "binary":
        raise ValueError(f"average must be 'binary' or 'macro', got {average!r}")
    best = int(np.argmax(f1))
    return float(max(p[order][best], floor))


def tune_thresholds(Y: np.ndarray, P: np.ndarray, floor: float = 0.05) -> np.ndarray:
    """Per-column F1-maximising thresholds for label matrix ``Y`` and score matrix ``P``."""
    return np.array([best_threshold(Y[:, j], P[:, j], floor) for j in range(Y.shape[1])], dtype=np.float32)


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


class Teacher:
    """Soft labels for the bias head from a teacher that reads sentence-transformer vectors.

    The teacher is a logistic regression on the vectors with one intercept per corpus (served
    with the ``reference`` corpus's, as the bias head is), fitted to the labelled bias sentences
    of each fit. It labels the unlabelled training sentences (``pool``: SemEval's) and, when
    given, sampled news sentences (``news``: their feature rows and vectors). A pool sentence
    enters the bias head twice, as biased with weight ``weight * p`` and as not with
    ``weight * (1 - p)``, under a corpus of its own ("teacher"); the news sentences share
    ``news_weight`` times the labelled rows' total weight among them.
    """

    def __init__(self, vectors: np.ndarray, bias: np.ndarray, corpus: np.ndarray, pool: np.ndarray, weight: float,
                 corpus_weights: dict, reference: str, news: tuple | None = None, news_weight: float = 0.0,
                 C: float = 1.0):
        self.vectors, self.bias, self.corpus, self.pool, self.weight = vectors, bias, corpus, pool, weight
        self.corpus_weights, self.reference, self.C = corpus_weights, reference, C
        self.news, self.news_weight = news, news_weight

    def fit(self, use: np.ndarray) -> LinearHead:
        """The teacher fitted to the labelled sentences among ``use``."""
        labelled = np.flatnonzero(use & (self.bias >= 0))
        w = np.array([self.corpus_weights.get(c, 0.0) for c in self.corpus[labelled]])
        return fit_bias_head(self.vectors[labelled], self.bias[labelled], self.corpus[labelled], w, self.C, 0,
                             self.reference)

    def extend(self, X, use: np.ndarray, Xb, yb, corpus, w) -> tuple:
        """The bias head's training rows ``(Xb, yb, corpus, w)`` plus the pool sentences among ``use`` and the
        news sentences, labelled by a teacher fitted to the labelled sentences among ``use`` (so out-of-fold
        rows teach nothing)."""
        pool = np.flatnonzero(use & self.pool)
        teacher = self.fit(use)
        rows, weights = [X[pool]], [np.full(len(pool), self.weight)]
        p = [teacher.scores(self.vectors[pool])[:, 0]]
        if self.news is not None and self.news_weight > 0:
            news_X, news_vectors = self.news
            rows.append(news_X)
            weights.append(np.full(news_X.shape[0], self.news_weight * w.sum() / news_X.shape[0]))
            p.append(teacher.scores(news_vectors)[:, 0])
        P, W, R = np.concatenate(p), np.concatenate(weights), sp.vstack(rows, format="csr")
        n = len(P)
        if not n:
            return Xb, yb, corpus, w
        return (sp.vstack([Xb, R, R], format="csr"),
                np.concatenate([yb, np.ones(n, yb.dtype), np.zeros(n, yb.dtype)]),
                np.concatenate([corpus, np.full(2 * n, "teacher")]),
                np.concatenate([w, W * P, W * (1 - P)]))


def train_bias_head(Xt, sents: Sentences, folds: np.ndarray, C: float, corpus_weights: dict, seed: int,
                    teacher: "Teacher | None") -> tuple[LinearHead, np.ndarray]:
    """The sentence-bias head and its out-of-fold scores on the labelled sentences.

    One intercept per corpus while fitting, the BABE one when serving (when BABE is held out,
    that of the corpus with the most labelled sentences); the threshold is the macro-F1 best
    on that corpus's out-of-fold scores. ``teacher``'s soft labels on unlabelled sentences
    join the rows of each fit (fitted on that fit's rows only).
    """
    corpus = np.array(sents.corpus)
    rows = np.array([b >= 0 for b in sents.bias])
    y = np.array(sents.bias)[rows]
    w = np.array([corpus_weights.get(c, 0.0) for c in corpus[rows]])
    reference = reference_corpus(sents)
    bias_oof = np.zeros(rows.sum())
    for k in range(FOLDS):
        tr = folds[rows] != k
        fit = (Xt[rows][tr], y[tr], corpus[rows][tr], w[tr])
        if teacher is not None:
            fit = teacher.extend(Xt, folds != k, *fit)
        h = fit_bias_head(*fit, C, seed, reference)
        bias_oof[~tr] = h.scores(Xt[rows][~tr])[:, 0]
    fit = (Xt[rows], y, corpus[rows], w)
    if teacher is not None:
        fit = teacher.extend(Xt, np.ones(len(corpus), bool), *fit)
    head = fit_bias_head(*fit, C, seed, reference)
    ref = corpus[rows] == reference
    head.thresholds = np.array([best_threshold(y[ref], bias_oof[ref], floor=0.05, average="macro")])
    return head, bias_oof


def reference_corpus(sents: Sentences) -> str:
    """The corpus whose intercept and threshold the bias and paragraph heads serve with: BABE,
    or (BABE held out) the corpus with the most labelled sentences."""
    labelled = [c for c, b in zip(sents.corpus, sents.bias) if b >= 0]
    return "babe" if "babe" in labelled else Counter(labelled).most_common(1)[0][0]


def paragraphs(sents: Sentences) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The SemEval sentences, the paragraph of each (an index into the paragraphs), and the paragraph keys."""
    sem = np.flatnonzero(np.array(sents.corpus) == "semeval")
    keys, inv = np.unique(np.array([sents.paragraph[i] for i in sem]), return_inverse=True)
    return sem, inv, keys


def train_loaded_head(bias_head: LinearHead, bias_oof: np.ndarray, Xt, summary: np.ndarray, sents: Sentences,
                      corpus_weights: dict) -> LinearHead:
    """The paragraph (``loaded_score``) head over :func:`paragraph_features`: the bias corpora's
    sentences as one-sentence texts (with their out-of-fold bias), and SemEval paragraphs labelled
    by whether any of their sentences has Loaded_Language; threshold as the bias head's."""
    rows = np.array([b >= 0 for b in sents.bias])
    labelled = np.flatnonzero(rows)
    y = np.array(sents.bias)[rows]
    w = np.array([corpus_weights.get(c, 0.0) for c in np.array(sents.corpus)[rows]])
    sem, inv, keys = paragraphs(sents)
    sem_ll = np.zeros(len(keys))
    np.maximum.at(sem_ll, inv, [float("Loaded_Language" in sents.techniques[i]) for i in sem])
    F = np.vstack([
        paragraph_features(bias_oof, summary[labelled], np.arange(len(labelled)), len(labelled)),
        paragraph_features(bias_head.scores(Xt[sem])[:, 0], summary[sem], inv, len(keys)),
    ])
    yF = np.concatenate([y, sem_ll])
    wF = np.concatenate([w, np.full(len(keys), corpus_weights.get("semeval_paragraphs", 0.5))])
    lr = LogisticRegression(C=1.0, max_iter=1000).fit(F, yF, sample_weight=wF)
    head = LinearHead(("loaded",), lr.coef_.T.astype(np.float32), lr.intercept_, np.array([0.5]))
    ref = np.array(sents.corpus)[rows] == reference_corpus(sents)
    head.thresholds = np.array([best_threshold(y[ref], head.scores(F[: len(y)][ref])[:, 0], floor=0.05, average="macro")])
    return head


def train_technique_head(Xt, sents: Sentences, folds: np.ndarray, C: float, seed: int) -> LinearHead:
    """The technique head: SemEval sentence rows; one threshold for all techniques, the best
    out of fold on paragraphs (a paragraph's score is its sentences' highest)."""
    sem, inv, keys = paragraphs(sents)
    Y = np.array([[t in sents.techniques[i] for t in TECHNIQUES] for i in sem], dtype=np.int8)
    P = np.zeros(Y.shape)
    for k in range(FOLDS):
        tr = folds[sem] != k
        h = fit_head(Xt[sem][tr], Y[tr], TECHNIQUES, C=C, seed=seed)
        P[~tr] = h.scores(Xt[sem][~tr])
    head = fit_head(Xt[sem], Y, TECHNIQUES, C=C, seed=seed)
    Yp = np.zeros((len(keys), len(TECHNIQUES)), dtype=np.int8)
    Pp = np.zeros((len(keys), len(TECHNIQUES)))
    np.maximum.at(Yp, inv, Y)
    np.maximum.at(Pp, inv, P)
    # One cut for all techniques: per-technique cuts overfit the rare ones (out-of-fold, by article).
    head.thresholds = np.full(len(TECHNIQUES), best_threshold(Yp.ravel(), Pp.ravel(), floor=0.1))
    return head


def train_frame_head(features: Featurizer, articles: list[dict], blocks, C: float, class_weight: str | None,
                     seed: int) -> LinearHead:
    """The frame head: article rows over the features of the extractors named in ``blocks``;
    one threshold for all frames and a cap on frames per article, both the best out of fold
    by article, a threshold for single sentences (see :func:`_sentence_threshold`) and what an
    article's frame needs from its strongest sentence (see :func:`_evidence_threshold`)."""
    texts = [r["text"] for r in articles]
    Xf = features.text_features(texts) @ sp.diags(features.columns_of(blocks))
    Yf = np.array([[f in r["frames"] for f in FRAMES] for r in articles], dtype=np.int8)
    ff = np.array([fold_of(str(r["article_id"])) for r in articles])
    owner = Segments.of(texts).owner
    Xs = features.sentence_features(texts)  # the articles' sentences
    Pf, Ps = np.zeros(Yf.shape), np.zeros((Xs.shape[0], len(FRAMES)))
    for k in range(FOLDS):
        h = fit_head(Xf[ff != k], Yf[ff != k], FRAMES, C=C, class_weight=class_weight, seed=seed, row_space=True)
        Pf[ff == k] = h.scores(Xf[ff == k])
        Ps[ff[owner] == k] = h.scores(Xs[ff[owner] == k])
    head = fit_head(Xf, Yf, FRAMES, C=C, class_weight=class_weight, seed=seed, row_space=True)
    # Per-frame thresholds tuned on ~360 articles overfit the rare frames; one cut for all does not.
    head.thresholds = np.full(len(FRAMES), best_threshold(Yf.ravel(), Pf.ravel(), floor=0.1))
    head.max_labels = _best_cap(head, Yf, Pf)
    head.sentence_thresholds = np.full(len(FRAMES), _sentence_threshold(Yf, Ps, owner))
    head.evidence_thresholds = np.full(len(FRAMES), _evidence_threshold(head, Yf, Pf, Ps, owner))
    return head


def empty_head(labels: tuple[str, ...], n_features: int) -> LinearHead:
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


def _evidence_threshold(head: LinearHead, Y: np.ndarray, P: np.ndarray, Ps: np.ndarray, owner: np.ndarray,
                        tolerance: float = 0.005) -> float:
    """What an article's frame needs from at least one of its sentences (its probability of that
    frame): the highest cut whose out-of-fold micro-F1 (``P`` of articles, ``Ps`` of their sentences,
    ``owner[k]`` the article of sentence ``k``) is within ``tolerance`` of the best, so a frame is
    never the article's without a sentence that shows it, at no cost in accuracy."""
    strongest = np.zeros(P.shape)
    np.maximum.at(strongest, owner, Ps)
    on = head.decide(P)

    def micro(cut):
        kept = on & (strongest >= cut)
        return 2 * (kept & (Y > 0)).sum() / max(kept.sum() + (Y > 0).sum(), 1)

    cuts = np.round(np.arange(0.0, 1.0, 0.01), 2)
    scores = np.array([micro(c) for c in cuts])
    return float(cuts[np.flatnonzero(scores >= scores.max() - tolerance).max()])
