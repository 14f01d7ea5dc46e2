"""Adapt a model to a user's own news: ``framing.adapt(nlp, texts, labels=...)`` returns a new ``Scorer``.

What moves is what ``doc.loaded_score`` and ``doc.loaded`` (and each sentence's ``bias``) are made of:

1. **Bias head, toward the user's data with a prior.** Each labelled text is represented by its
   most biased sentence (under the model being adapted) and the head is refitted as a logistic
   regression on the user's rows whose offset is the model's own log-odds: ``logit = old + X @ d + b``
   with an L2 penalty ``lam / 2 * |d|^2``. ``d = 0`` is the model as it is, so a strong penalty keeps
   few labels from overfitting; ``lam`` is chosen by cross-validation on the user's labels among
   :data:`PENALTIES` (``None``: leave the bias weights alone).
2. **Paragraph head, recalibrated.** The ``loaded_score`` head (3 inputs: the most biased sentence's
   log-odds, the most loaded token, the number of loaded tokens) is either Platt-scaled (its log-odds
   scaled and shifted) or refitted the same way as the bias head (offset plus a lightly penalised
   residual), whichever cross-validates better (jointly with the penalty; of choices within one
   standard error of the best, the one that changes the model least): its scores become
   probabilities for the user's corpus. A text's label goes to each of its paragraphs, weighted so a
   text counts once.
3. **Threshold** for ``loaded``: the macro-F1 best on the out-of-fold scores; with ``prevalence``, the
   scores are moved to that prevalence (prior shift: ``logit += logit(prevalence) - logit(share of
   positives among the labels)``) and the threshold is chosen with the labels reweighted to it.

Without labels, ``prevalence`` (with unlabelled ``texts`` of the user's corpus) moves the paragraph
head's intercept until the mean ``loaded_score`` over ``texts`` is the prevalence, and puts the
threshold where that share of ``texts`` is flagged.

The adapted model has the structure of the one it came from (same features, same shapes, other
numbers), so it scores at the same speed. The tagger, the technique and the frame heads are not
adapted.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize
from sklearn.model_selection import StratifiedKFold
from threadpoolctl import threadpool_limits

from framing._version import __version__
from framing.scoring import persist
from framing.scoring.featurize import paragraph_features, stack, with_tagger
from framing.scoring.heads import LinearHead, sigmoid
from framing.scoring.scorer import Scorer
from framing.training.evaluate import auc

PENALTIES = (None, 100.0, 30.0, 10.0, 3.0, 1.0)
"""The bias head's L2 penalties toward the model's weights tried by cross-validation (None: unchanged)."""
LOADED_PENALTY = 1.0
"""The paragraph head's penalty toward its weights when it is refitted (``"refit"``)."""
LOADED_MODES = ("platt", "refit")
"""How the paragraph head moves: ``"platt"`` scales and shifts its log-odds (Platt scaling: the ranking of
texts stays the bias head's), ``"refit"`` refits its 3 weights toward its own; chosen by cross-validation."""
MIN_PER_CLASS = 5
"""Labels of each class needed to adapt (and to cross-validate the choice)."""
FOLDS = 5
BINS = 10
"""Equal-width bins of the expected calibration error."""


def expected_calibration_error(y, p, bins: int = BINS) -> float:
    """ECE: over ``bins`` equal-width bins of the scores ``p``, the share of rows in each bin times
    the gap between its mean score and its share of positives, summed (a score of 1.0 falls in the last bin).

    >>> round(expected_calibration_error([0, 1, 1, 0], [0.1, 0.2, 0.8, 0.9]), 3)
    0.5
    """
    y, p = np.asarray(y, dtype=np.float64), np.asarray(p, dtype=np.float64)
    if len(y) == 0:
        raise ValueError("expected_calibration_error needs at least one row")
    which = np.minimum((p * bins).astype(int), bins - 1)
    n = np.bincount(which, minlength=bins)
    gap = np.abs(np.bincount(which, y, bins) - np.bincount(which, p, bins))
    return float(gap.sum() / len(y)) if n.any() else 0.0


def binary_metrics(y, p, threshold) -> dict[str, float]:
    """AUC, macro-F1, precision, recall (of the positive class) and ECE of scores ``p`` decided at ``threshold``
    (one cut, or one per row)."""
    y = np.asarray(y).astype(bool)
    on = np.asarray(p) >= threshold
    tp, fp, fn, tn = (y & on).sum(), (~y & on).sum(), (y & ~on).sum(), (~y & ~on).sum()
    f1_pos = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    f1_neg = 2 * tn / (2 * tn + fp + fn) if tn else 0.0
    return {"auc": round(auc(y, p), 4) if y.any() and not y.all() else None,
            "macro_f1": round(float((f1_pos + f1_neg) / 2), 4),
            "precision": round(float(tp / (tp + fp)) if tp + fp else 0.0, 4),
            "recall": round(float(tp / (tp + fn)) if tp + fn else 0.0, 4),
            "ece": round(expected_calibration_error(y, p), 4)}


@dataclass
class Featurized:
    """What the bias and paragraph heads read for a list of texts, computed once by one model.

    ``X`` is the sentences' features with the tagger's summary (the bias head's input), ``owner``
    the text of each sentence, ``paragraph`` its paragraph and ``paragraph_owner`` each paragraph's text.
    """

    X: sp.csr_matrix
    summary: np.ndarray
    owner: np.ndarray
    paragraph: np.ndarray
    paragraph_owner: np.ndarray
    n_texts: int

    @classmethod
    def of(cls, scorer: Scorer, texts: list[str], batch_size: int = 512, progress=None) -> "Featurized":
        """Featurize ``texts`` with ``scorer`` (``progress.update(n)`` is called as batches finish)."""
        X, summary, owner, paragraph, paragraph_owner = [], [], [], [], []
        n_par = 0
        for lo in range(0, len(texts), batch_size):
            scored = scorer.score(texts[lo:lo + batch_size], keep=True)
            seg = scored.segments
            for chunk in scored.chunks:
                if chunk.hi > chunk.lo:
                    X.append(stack(with_tagger(chunk.blocks, chunk.summary)))
                    summary.append(chunk.summary)
            owner.append(seg.owner + lo)
            paragraph.append(seg.paragraph + n_par)
            paragraph_owner.append(seg.paragraph_owner + lo)
            n_par += len(seg.paragraph_owner)
            if progress is not None:
                progress.update(len(seg.texts))
        width = scorer.bias_head.coef.shape[0]
        return cls(sp.vstack(X, format="csr") if X else sp.csr_matrix((0, width), dtype=np.float32),
                   np.concatenate(summary) if summary else np.zeros((0, scorer.tagger.coef.shape[1] + 1)),
                   _cat(owner), _cat(paragraph), _cat(paragraph_owner), len(texts))

    def subset(self, rows) -> "Featurized":
        """The texts ``rows`` (indices, in that order) alone."""
        rows = np.asarray(rows, dtype=np.int64)
        new = np.full(self.n_texts, -1)
        new[rows] = np.arange(len(rows))
        keep_s = new[self.owner] >= 0
        keep_p = new[self.paragraph_owner] >= 0
        new_p = np.full(len(self.paragraph_owner), -1)
        new_p[keep_p] = np.arange(keep_p.sum())
        return Featurized(self.X[keep_s], self.summary[keep_s], new[self.owner[keep_s]], new_p[self.paragraph[keep_s]],
                          new[self.paragraph_owner[keep_p]], len(rows))


def _cat(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, np.int64)


def loaded_scores(bias_head: LinearHead, loaded_head: LinearHead, F: Featurized) -> np.ndarray:
    """Each text's ``loaded_score`` (unrounded) as :class:`Scorer` computes it: the mean of its paragraphs' scores."""
    P = paragraph_features(bias_head.scores(F.X)[:, 0], F.summary, F.paragraph, len(F.paragraph_owner))
    scores = loaded_head.scores(P)[:, 0]
    count = np.bincount(F.paragraph_owner, minlength=F.n_texts)
    total = np.bincount(F.paragraph_owner, scores, minlength=F.n_texts)
    return np.divide(total, count, out=np.zeros(F.n_texts), where=count > 0)


def fit_offset(X, y, offset, lam: float, weight=None) -> tuple[np.ndarray, float]:
    """``(d, b)`` minimising the logistic loss of ``offset + X @ d + b`` plus ``lam / 2 * |d|^2``
    (``b`` unpenalised): a logistic regression pulled toward the model whose log-odds are ``offset``."""
    y = np.asarray(y, dtype=np.float64)
    w = np.ones(len(y)) if weight is None else np.asarray(weight, dtype=np.float64)
    sparse = sp.issparse(X)
    X = sp.csr_matrix(X, dtype=np.float64) if sparse else np.asarray(X, dtype=np.float64)
    m = X.shape[1]

    def loss(theta):
        d, b = theta[:m], theta[m]
        z = offset + X @ d + b
        # log(1 + exp(z)) - y z, stably; gradient (sigmoid(z) - y)
        value = np.sum(w * (np.logaddexp(0.0, z) - y * z)) + 0.5 * lam * d @ d
        r = w * (sigmoid(z) - y)
        return value, np.concatenate([X.T @ r + lam * d, [r.sum()]])

    res = minimize(loss, np.zeros(m + 1), jac=True, method="L-BFGS-B", options={"maxiter": 500})
    return res.x[:m], float(res.x[m])


def _representatives(z: np.ndarray, F: Featurized) -> np.ndarray:
    """Per text, the index of its sentence with the highest ``z`` (-1 for a text without sentences)."""
    rep = np.full(F.n_texts, -1)
    order = np.lexsort((-z, F.owner))
    first = np.r_[True, F.owner[order][1:] != F.owner[order][:-1]] if len(order) else np.zeros(0, bool)
    rep[F.owner[order][first]] = order[first]
    return rep


def _fit_heads(bias_head: LinearHead, loaded_head: LinearHead, F: Featurized, y: np.ndarray,
               choice: tuple, weight: np.ndarray) -> tuple[LinearHead, LinearHead]:
    """The bias and paragraph heads moved toward the labels ``y`` of the texts of ``F`` (see the module);
    ``choice`` is the bias head's penalty and the paragraph head's mode (:data:`LOADED_MODES`)."""
    lam, mode = choice
    if lam is not None:
        z = bias_head.logits(F.X)[:, 0]
        rep = _representatives(z, F)
        has = rep >= 0
        Xr = F.X[rep[has]]
        cols = np.unique(Xr.indices)  # a column no row uses keeps its weight under the L2 prior
        d, b = fit_offset(Xr[:, cols], y[has], z[rep[has]], lam, weight[has])
        coef = bias_head.coef.copy()
        coef[cols, 0] += d.astype(coef.dtype)
        bias_head = replace(bias_head, coef=coef, intercept=bias_head.intercept + b)
    P = paragraph_features(bias_head.scores(F.X)[:, 0], F.summary, F.paragraph, len(F.paragraph_owner))
    per_text = np.bincount(F.paragraph_owner, minlength=F.n_texts)
    pw = weight[F.paragraph_owner] / per_text[F.paragraph_owner]
    z = loaded_head.logits(P)[:, 0]
    if mode == "platt":  # logit' = (1 + a) * logit + b
        (a,), b = fit_offset(z[:, None], y[F.paragraph_owner], z, 1e-6, pw)
        if 1 + a < 0.05:  # a few labels that the model ranks the wrong way round must not turn it upside down
            a, b = 0.0, fit_offset(np.zeros((len(z), 0)), y[F.paragraph_owner], z, 0.0, pw)[1]
        return bias_head, replace(loaded_head, coef=loaded_head.coef * np.float32(1 + a),
                                  intercept=loaded_head.intercept * (1 + a) + b)
    d, b = fit_offset(P, y[F.paragraph_owner], z, LOADED_PENALTY, pw)
    loaded_head = replace(loaded_head, coef=loaded_head.coef + d[:, None].astype(loaded_head.coef.dtype),
                          intercept=loaded_head.intercept + b)
    return bias_head, loaded_head


def _weights(y: np.ndarray, prevalence: float | None) -> np.ndarray:
    """Row weights that make the labels' share of positives ``prevalence`` (all 1 without it)."""
    if prevalence is None:
        return np.ones(len(y))
    share = y.mean()
    return np.where(y == 1, prevalence / share, (1 - prevalence) / (1 - share))


def _prior_shift(head: LinearHead, y: np.ndarray, prevalence: float | None) -> LinearHead:
    """``head`` with its log-odds moved from the labels' share of positives to ``prevalence``."""
    if prevalence is None:
        return head
    shift = _logit(prevalence) - _logit(y.mean())
    return replace(head, intercept=head.intercept + shift)


def _logit(p: float) -> float:
    return float(np.log(p / (1 - p)))


def weighted_threshold(y, p, weight=None, floor: float = 0.05) -> float:
    """The score cut that maximises macro-F1 of labels ``y`` with row weights ``weight``."""
    y = np.asarray(y).astype(bool)
    w = np.ones(len(y)) if weight is None else np.asarray(weight, dtype=np.float64)
    order = np.argsort(-np.asarray(p), kind="stable")
    tp = np.cumsum(w[order] * y[order])
    flagged = np.cumsum(w[order])
    pos, neg = (w * y).sum(), (w * ~y).sum()
    fp = flagged - tp
    tn = neg - fp
    f1 = (2 * tp / (flagged + pos) + 2 * tn / ((w.sum() - flagged) + neg + 1e-12)) / 2
    return float(max(np.asarray(p)[order][int(np.argmax(f1))], floor))


def _folds(y: np.ndarray, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    k = int(min(FOLDS, np.bincount(y, minlength=2).min()))
    return list(StratifiedKFold(n_splits=k, shuffle=True, random_state=seed).split(np.zeros(len(y)), y))


def _out_of_fold(base: Scorer, F: Featurized, y: np.ndarray, lam, prevalence, seed: int) -> np.ndarray:
    """Out-of-fold ``loaded_score`` of every labelled text for ``lam`` (see :func:`_fit_heads`'s ``choice``)."""
    oof = np.zeros(len(y))
    for tr, te in _folds(y, seed):
        bias, loaded = _fit_heads(base.bias_head, base.loaded_head, F.subset(tr), y[tr], lam, _weights(y[tr], prevalence))
        loaded = _prior_shift(loaded, y[tr], prevalence)
        oof[te] = loaded_scores(bias, loaded, F.subset(te))
    return oof


def _row_losses(y, p, weight) -> np.ndarray:
    """Each row's weighted log-loss (their mean is the weighted mean log-loss)."""
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return -weight * (y * np.log(p) + (1 - y) * np.log(1 - p)) / weight.mean()


def _one_standard_error(choices: list, rows: dict) -> tuple:
    """The first (most conservative) of ``choices`` whose mean loss is within one standard error (of its
    per-row difference) of the best's: few labels give noisy estimates, and a noisy gain is not worth
    moving the model for (the one-standard-error rule)."""
    best = min(choices, key=lambda c: rows[c].mean())
    for c in choices:
        diff = rows[c] - rows[best]
        if diff.mean() <= diff.std() / np.sqrt(len(diff)):
            return c
    return best


@dataclass
class Fitted:
    """An adaptation fitted on labelled texts: the heads, the chosen (penalty, paragraph mode), its out-of-fold scores."""

    bias_head: LinearHead
    loaded_head: LinearHead
    choice: tuple
    oof: np.ndarray
    losses: dict


def fit_labels(base: Scorer, F: Featurized, y: np.ndarray, prevalence: float | None = None, seed: int = 0) -> Fitted:
    """Choose the bias head's penalty and the paragraph head's mode by cross-validated log-loss (the
    least change within one standard error of the best), fit both
    heads on all of ``y`` and tune the ``loaded`` threshold on the chosen one's out-of-fold scores."""
    with threadpool_limits(1):
        return _fit_labels(base, F, y, prevalence, seed)


def _fit_labels(base: Scorer, F: Featurized, y: np.ndarray, prevalence: float | None, seed: int) -> Fitted:
    w = _weights(y, prevalence)
    choices = [(lam, mode) for lam in PENALTIES for mode in LOADED_MODES]  # from the least change to the most
    runs = {c: _out_of_fold(base, F, y, c, prevalence, seed) for c in choices}
    rows = {c: _row_losses(y, oof, w) for c, oof in runs.items()}
    losses = {f"{c[0]}/{c[1]}": round(float(r.mean()), 4) for c, r in rows.items()}
    best = _one_standard_error(choices, rows)
    bias, loaded = _fit_heads(base.bias_head, base.loaded_head, F, y, best, w)
    loaded = _prior_shift(loaded, y, prevalence)
    loaded = replace(loaded, thresholds=np.array([weighted_threshold(y, runs[best], w)]))
    rep = _representatives(bias.logits(F.X)[:, 0], F)
    has = rep >= 0
    # a new head: with no penalty chosen, bias is still the base model's own head
    bias = replace(bias, thresholds=np.array([weighted_threshold(y[has], bias.scores(F.X[rep[has]])[:, 0], w[has])]))
    return Fitted(bias, loaded, best, runs[best], losses)


def _check_labels(texts: list, labels) -> np.ndarray:
    if len(labels) != len(texts):
        raise ValueError(f"got {len(texts)} texts but {len(labels)} labels; give one label (0 or 1) per text")
    bad = [(i, v) for i, v in enumerate(labels) if not (isinstance(v, (bool, np.bool_)) or v in (0, 1))]
    if bad:
        i, v = bad[0]
        raise ValueError(f"labels must be 0 or 1 (or True/False); label {i} is {v!r}")
    y = np.asarray(labels, dtype=np.int64)
    counts = np.bincount(y, minlength=2)
    if counts.min() < MIN_PER_CLASS:
        which = "slanted (1)" if counts[1] < counts[0] else "not slanted (0)"
        raise ValueError(f"too few labels of one class: {counts[1]} slanted and {counts[0]} not slanted; adapting "
                         f"needs at least {MIN_PER_CLASS} of each (label more {which} texts)")
    return y


def _check_inputs(nlp, texts, prevalence) -> list[str]:
    if not isinstance(nlp, Scorer):
        raise TypeError(f"adapt() takes a framing Scorer (framing.load()), got {type(nlp).__name__}")
    if isinstance(texts, str):
        raise TypeError("texts must be a list of str, got one str; wrap it in a list")
    texts = list(texts)
    for i, t in enumerate(texts):
        reason = nlp.rejection(t)
        if reason is not None:
            raise (ValueError if isinstance(t, str) else TypeError)(f"{reason} (text {i})")
    if prevalence is not None and not 0 < prevalence < 1:
        raise ValueError(f"prevalence must be a share between 0 and 1 (exclusive), e.g. 0.1; got {prevalence!r}")
    return texts


def _cross_validated(base: Scorer, F: Featurized, y: np.ndarray, prevalence, seed: int, progress=None) -> dict:
    """Before (the model as it is) and after (adapting on the other folds) on every labelled text."""
    before = loaded_scores(base.bias_head, base.loaded_head, F)
    after = np.zeros(len(y))
    thresholds = np.zeros(len(y))
    for tr, te in _folds(y, seed + 1):
        fitted = _fit_labels(base, F.subset(tr), y[tr], prevalence, seed)
        after[te] = loaded_scores(fitted.bias_head, fitted.loaded_head, F.subset(te))
        thresholds[te] = fitted.loaded_head.thresholds[0]
        if progress is not None:
            progress.update()
    # each fold is decided at the threshold its own adaptation chose
    out = {"before": binary_metrics(y, before, float(base.loaded_head.thresholds[0])),
           "after": binary_metrics(y, after, thresholds)}
    return out


def adapt(nlp: Scorer, texts, labels=None, prevalence: float | None = None, measure: bool = True,
          seed: int = 0, progress=None, source: str | None = None) -> Scorer:
    """A new :class:`Scorer` adapted to the user's corpus; ``nlp`` is left as it was.

    ``labels`` (0/1 per text: slanted or not, as ``framing evaluate`` reads them) move the bias and
    paragraph heads toward the user's data and recalibrate ``loaded_score`` (see the module).
    ``prevalence`` is the share of slanted texts in the user's corpus: with labels it corrects for a
    labelled sample whose mix differs; without labels, ``texts`` are unlabelled texts of the corpus and
    the scores and threshold are moved to that prevalence. With ``measure`` (and labels) the result's
    ``meta["adapted"]["measured"]`` holds a cross-validated before/after (AUC, macro-F1, precision,
    recall, expected calibration error). ``progress`` (e.g. :class:`framing.corpus.progress.Progress`)
    is updated as texts are featurized and folds finish; ``source`` names the data in the model card.

    >>> import framing
    >>> nlp = framing.load()
    >>> texts = ["Officials released the figures on Monday.", "The reckless scheme is a disaster."] * 5
    >>> adapted = framing.adapt(nlp, texts, labels=[0, 1] * 5, measure=False)
    >>> adapted is nlp, adapted.meta["adapted"]["records"]
    (False, 10)
    """
    with threadpool_limits(1):  # many small solves: idle BLAS threads would spin and slow them many times over
        return _adapt(nlp, texts, labels, prevalence, measure, seed, progress, source)


def _adapt(nlp: Scorer, texts, labels, prevalence, measure: bool, seed: int, progress, source) -> Scorer:
    texts = _check_inputs(nlp, texts, prevalence)
    if labels is None and prevalence is None:
        raise ValueError("nothing to adapt to: give labels (0/1 per text) and/or prevalence (the share of slanted texts)")
    if labels is None and not texts:
        raise ValueError("prevalence without labels needs unlabelled texts of your corpus to set the scores on")
    y = _check_labels(texts, labels) if labels is not None else None
    F = Featurized.of(nlp, texts, progress=progress)
    info: dict = {"framing_version": __version__, "source": source, "records": len(texts),
                  "base": nlp.meta.get("adapted", {}).get("base") or (nlp.path.name if nlp.path else None),
                  "prevalence": prevalence}
    if y is None:
        loaded = _to_prevalence(nlp.bias_head, nlp.loaded_head, F, prevalence)
        bias = nlp.bias_head
        info.update(method="prevalence without labels: intercept shifted so the mean loaded_score of the texts is the "
                           "prevalence; threshold at the score that flags that share of them")
    else:
        fitted = _fit_labels(nlp, F, y, prevalence, seed)
        bias, loaded = fitted.bias_head, fitted.loaded_head
        info.update(positives=int(y.sum()), penalty=fitted.choice[0], paragraph_mode=fitted.choice[1],
                    cv_log_loss=fitted.losses,
                    method="bias head: L2 toward the model's weights (penalty by cross-validation); paragraph head: "
                           "Platt-scaled or refitted toward its weights (by cross-validation); threshold: macro-F1 "
                           "best out of fold")
        if measure:
            info["measured"] = {"label": _cross_validated(nlp, F, y, prevalence, seed, progress)}
    meta = {**nlp.meta, "adapted": info}
    return replace(nlp, bias_head=bias, loaded_head=loaded, meta=meta, path=None, derived={})


def _to_prevalence(bias_head: LinearHead, loaded_head: LinearHead, F: Featurized, prevalence: float) -> LinearHead:
    """``loaded_head`` shifted so the mean ``loaded_score`` of ``F``'s texts is ``prevalence``, and its
    threshold where that share of them is flagged."""
    has = np.bincount(F.paragraph_owner, minlength=F.n_texts) > 0
    lo, hi = -30.0, 30.0
    for _ in range(60):  # the mean score grows with the shift: bisect
        mid = (lo + hi) / 2
        mean = loaded_scores(bias_head, replace(loaded_head, intercept=loaded_head.intercept + mid), F)[has].mean()
        lo, hi = (mid, hi) if mean < prevalence else (lo, mid)
    head = replace(loaded_head, intercept=loaded_head.intercept + (lo + hi) / 2)
    scores = np.sort(loaded_scores(bias_head, head, F)[has])[::-1]
    flag = int(np.clip(round(prevalence * len(scores)), 1, max(len(scores) - 1, 1)))
    # halfway between the last text flagged and the first not, so rounding cannot move a text across
    cut = (scores[flag - 1] + scores[flag]) / 2 if len(scores) > flag else scores[-1]
    return replace(head, thresholds=np.array([float(cut)]))


def adapted_section(info: dict) -> list[str]:
    """The model card's "Adapted" section for ``meta["adapted"]``."""
    lines = ["## Adapted",
             f"Adapted by framing {info['framing_version']} with `framing adapt` from the model `{info.get('base')}`, on "
             f"{info['records']} texts of {info.get('source') or 'the user'}"
             + (f" ({info['positives']} labelled slanted)" if "positives" in info else " (no labels)")
             + (f", for a prevalence of {info['prevalence']}" if info.get("prevalence") is not None else "") + ".",
             f"Method: {info['method']}."]
    if "penalty" in info:
        lines.append(f"Chosen: bias head penalty {info['penalty']}, paragraph head {info['paragraph_mode']} "
                     "(cross-validated log-loss per penalty/mode: "
                     + ", ".join(f"{k} {v}" for k, v in info["cv_log_loss"].items()) + ").")
    lines.append("Only the sentence-bias and `loaded_score` heads changed; the tagger, techniques and frames are the "
                 "base model's.")
    if "measured" in info:
        lines += ["", "Measured by cross-validation on those texts (after: each fold scored by a model adapted on the "
                  "other folds; before: the base model):", "", measured_table(info["measured"])]
    return lines


def measured_table(measured: dict) -> str:
    """Before/after metrics per head as a markdown table."""
    keys = ("auc", "macro_f1", "precision", "recall", "ece")
    lines = ["| head | | AUC | macro-F1 | precision | recall | calibration error (ECE) |", "|---|---|---|---|---|---|---|"]
    for head, m in measured.items():
        for when in ("before", "after"):
            lines.append(f"| {head} | {when} | " + " | ".join("n/a" if m[when][k] is None else f"{m[when][k]:.3f}"
                                                             for k in keys) + " |")
    return "\n".join(lines)


def adapted_card(base_card: str, info: dict, name: str) -> str:
    """The adapted model's card: its own title and "Adapted" section, then the base model's card one level down."""
    body = base_card.split("\n", 1)[1] if base_card.startswith("# ") else base_card
    body = "\n".join("#" + line if line.startswith("## ") else line for line in body.splitlines())
    return "\n".join([f"# framing model `{name}` (adapted)", "", *adapted_section(info), "", "## The base model",
                      body.strip(), ""])


def check_destination(directory: str | Path) -> Path:
    """``directory`` as a path, if an adapted model may be written there: it does not exist, or is empty, or is
    a model directory (which is then replaced); anything else raises ``ValueError``."""
    out = Path(directory)
    if out.exists() and not out.is_dir():
        raise ValueError(f"{out} exists and is not a directory; choose another --out")
    if out.is_dir() and any(out.iterdir()) and not (out / persist.SUMS).is_file():
        raise ValueError(f"{out} is a non-empty directory that is not a framing model; choose another --out")
    return out


def save_adapted(scorer: Scorer, directory: str | Path, base_dir: str | Path | None) -> Path:
    """Write ``scorer`` (from :func:`adapt`) to ``directory`` atomically: into a temporary directory beside
    it, checked, then renamed into place, so a failure leaves ``directory`` as it was. The model card
    and ``LICENSE`` are the base model's (from ``base_dir``) with the "Adapted" section added."""
    out = check_destination(directory)
    base = Path(base_dir) if base_dir else None
    card = (base / "MODEL_CARD.md").read_text(encoding="utf-8") if base and (base / "MODEL_CARD.md").is_file() else ""
    terms = (base / "LICENSE").read_text(encoding="utf-8") if base and (base / "LICENSE").is_file() else None
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.partial-{os.getpid()}")
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    try:
        scorer.save(tmp, adapted_card(card, scorer.meta["adapted"], out.name), terms)
        persist.verify(tmp)
        if out.exists():
            out.rename(old)
        tmp.rename(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    return out
