"""Accuracy of a framing model against a TF-IDF + LogisticRegression baseline, same data, same run.

    python benchmarks/accuracy.py [--data ../shared/data] [--model DIR] [--json OUT]

Every row is measured on the fixed validation split of ../shared/data (SemEval split by
article). The baseline is trained per row on that row's own training split (in-domain),
with thresholds tuned by 3-fold cross-validation grouped by article, as ours are.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

import framing
from common import has_data, write_json
from framing.training import corpora as data
from framing.training import evaluate
from framing.training.heads import tune_thresholds
from framing.scoring.labels import FRAMES, SPAN_TECHNIQUES, TECHNIQUES
from framing.scoring.text import split_sentences, tokenize

def _tfidf_lr(train_texts, Y, groups):
    """Fit TF-IDF + one LR per column; thresholds tuned on grouped 3-fold out-of-fold scores."""
    Y = np.asarray(Y).reshape(len(train_texts), -1)
    vec = TfidfVectorizer(sublinear_tf=True, min_df=2)
    X = vec.fit_transform(train_texts)
    oof = np.zeros(Y.shape)
    for tr, te in GroupKFold(n_splits=3).split(X, groups=groups):
        for j in range(Y.shape[1]):
            if Y[tr, j].min() != Y[tr, j].max():
                oof[te, j] = LogisticRegression(max_iter=2000).fit(X[tr], Y[tr, j]).predict_proba(X[te])[:, 1]
    models = [LogisticRegression(max_iter=2000).fit(X, Y[:, j]) if Y[:, j].min() != Y[:, j].max() else None
              for j in range(Y.shape[1])]
    thresholds = tune_thresholds(Y, oof)

    def predict(texts):
        Xt = vec.transform(texts)
        P = np.column_stack([m.predict_proba(Xt)[:, 1] if m else np.zeros(len(texts)) for m in models])
        return P, P >= thresholds

    return predict


def baseline(data_dir: Path, val: evaluate.Validation) -> dict[str, float]:
    """The TF-IDF + LR baseline on every row, trained in-domain."""
    out: dict[str, float] = {}
    for name in data.BIAS_CORPORA:
        rows = [r for r in data.load_bias(data_dir, name) if not r["validation"]]
        vec = TfidfVectorizer(sublinear_tf=True, min_df=2)
        lr = LogisticRegression(max_iter=2000).fit(vec.fit_transform([r["text"] for r in rows]), [r["label"] for r in rows])
        texts, y = val.bias[name]
        p = lr.predict_proba(vec.transform(texts))[:, 1]
        out[f"{name}_auc"], out[f"{name}_macro_f1"] = evaluate.auc(y, p), evaluate.macro_f1(y, p >= 0.5)
    paras = [r for r in data.load_semeval(data_dir, "techniques_paragraphs") if not r["validation"]]
    groups = [r["article_id"] for r in paras]
    Y = [[t in r["techniques"] for t in TECHNIQUES] for r in paras]
    P, on = _tfidf_lr([r["text"] for r in paras], Y, groups)(val.paragraphs)
    ll = [int("Loaded_Language" in t) for t in val.paragraph_techniques]
    out["semeval_loaded_language_auc"] = evaluate.auc(ll, P[:, TECHNIQUES.index("Loaded_Language")])
    out["semeval_techniques_micro_f1"] = evaluate.micro_f1(
        val.paragraph_techniques, [[t for t, o in zip(TECHNIQUES, row) if o] for row in on], TECHNIQUES
    )
    out["span_char_precision"], out["span_char_recall"], out["span_char_f1"] = _baseline_spans(data_dir, val)
    arts = [r for r in data.load_semeval(data_dir, "frames_articles") if not r["validation"]]
    _, on = _tfidf_lr([r["text"] for r in arts], [[f in r["frames"] for f in FRAMES] for r in arts],
                      [r["article_id"] for r in arts])(val.frame_articles)
    out["semeval_frames_micro_f1"] = evaluate.micro_f1(val.frames, [[f for f, o in zip(FRAMES, row) if o] for row in on], FRAMES)
    return out


def _baseline_spans(data_dir: Path, val: evaluate.Validation) -> tuple[float, float, float]:
    """Token classifier on the TF-IDF of the token itself; runs of positive tokens become spans
    (character precision, recall and F1)."""
    words, y, groups = [], [], []
    for r in data.load_semeval(data_dir, "techniques_articles"):
        if r["validation"]:
            continue
        gold = evaluate.span_chars([s for s in r["spans"] if s["technique"] in SPAN_TECHNIQUES])
        for s, e in tokenize(r["text"]):
            words.append(r["text"][s:e].lower())
            y.append(any(c in gold for c in range(s, e)))
            groups.append(r["article_id"])
    predict = _tfidf_lr(words, y, groups)
    pred = []
    for text in val.articles:
        chars: set[int] = set()
        for a, b in split_sentences(text):
            toks = tokenize(text, a, b)
            if not toks:
                continue
            _, on = predict([text[s:e].lower() for s, e in toks])
            run = None
            for (s, e), flag in zip(toks, on[:, 0]):
                if flag:
                    run = (run[0] if run else s, e)
                elif run:
                    chars.update(range(*run))
                    run = None
            if run:
                chars.update(range(*run))
        pred.append(chars)
    return evaluate.char_prf(val.article_spans, pred)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=data.default_data_dir(), help="training data directory")
    ap.add_argument("--model", type=Path, default=None, help="model directory (default: the bundled model)")
    ap.add_argument("--json", type=Path, default=None, help="also write the numbers here as JSON")
    args = ap.parse_args(argv)
    if not has_data(args.data):
        return 2
    t0 = time.time()
    val = evaluate.validation(args.data)
    ours = evaluate.evaluate_scorer(framing.load(args.model), val)
    t1 = time.time()
    base = baseline(args.data, val)
    t2 = time.time()
    print("| benchmark | metric | framing | TF-IDF + LR | framing better |")
    print("|---|---|---|---|---|")
    for label, metric, key in evaluate.ROWS:
        print(f"| {label} | {metric} | {ours[key]:.3f} | {base[key]:.3f} | {'yes' if ours[key] > base[key] else 'NO'} |")
    print(f"\nframing scored the validation split in {t1 - t0:.0f}s; the baseline trained and scored in {t2 - t1:.0f}s")
    write_json(args.json, {"framing": ours, "tfidf_lr": base})
    return 0


if __name__ == "__main__":
    sys.exit(main())
