"""Leave-one-corpus-out: how well ``loaded_score`` ranks a corpus the model never saw.

    python benchmarks/generalization.py [--data ../shared/data] [--corpora babe,mbic] [--json OUT]

For each corpus X (BABE, MBIC, WikiNPOV, SemEval) a model is trained with
``TrainConfig(holdout=X)``: no row of X, and no sentence whose normalised text occurs in X
(BABE and MBIC share most sentences), feeds the tagger, the learned phrases, the word
vectors or the heads. Its ``loaded_score`` is then ranked against X's labels on all of X
(training and validation rows): sentence labels for the bias corpora, paragraph-level
Loaded_Language for SemEval. Peers are measured on the same sets in the same run:
a TF-IDF + LogisticRegression trained on the same rows of the other bias corpora, the
number of subjectivity clue words (Riloff and Wiebe's strong + weak lists), and, with
``--distilled``, a LogisticRegression on all-MiniLM-L6-v2 sentence vectors trained on those
rows too: the frozen-transformer classifier framing is distilled from. Its vectors come
from the distilled file (the transformer ran once, offline); a SemEval paragraph scores as
its most biased sentence, as framing's do, and the few paragraph sentences the file lacks
(cut differently from their article's) are skipped.
"""
from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from common import chosen, has_data, write_json
from framing.training import corpora as data
from framing.training import evaluate
from framing.training.card import generalization_table
from framing.training.distill import Distilled
from framing.scoring.features import LexiconFeatures
from framing.scoring.features.base import TokenBatch
from framing.scoring.text import split_sentences
from framing.training.recipe import TrainConfig, train
from framing.training.sentences import HOLDOUTS, held_out_texts



def held_out_set(data_dir: Path, corpus: str) -> tuple[list[str], np.ndarray]:
    """Every text of ``corpus`` with its 0/1 label (SemEval: paragraphs, Loaded_Language)."""
    if corpus == "semeval":
        rows = data.load_semeval(data_dir, "techniques_paragraphs")
        return list(rows["text"]), np.array([int("Loaded_Language" in t) for t in rows["techniques"]])
    rows = data.load_bias(data_dir, corpus)
    return list(rows["text"]), np.array(rows["label"])


def peer_training_rows(data_dir: Path, corpus: str) -> tuple[list[str], list[int]]:
    """The training-split rows of the other bias corpora, minus sentences that ``corpus`` holds too."""
    held = held_out_texts(data_dir, corpus)
    texts, labels = [], []
    for name in data.BIAS_CORPORA:
        if name == corpus:
            continue
        for r in data.load_bias(data_dir, name):
            if not r["validation"] and data.normalise(r["text"]) not in held:
                texts.append(r["text"])
                labels.append(int(r["label"]))
    return texts, labels


def tfidf_lr_scores(train_texts: list[str], train_labels: list[int], texts: list[str]) -> np.ndarray:
    """TF-IDF (words, sublinear tf, min_df 2) + logistic regression, probabilities for ``texts``."""
    vec = TfidfVectorizer(sublinear_tf=True, min_df=2)
    lr = LogisticRegression(max_iter=2000).fit(vec.fit_transform(train_texts), train_labels)
    return lr.predict_proba(vec.transform(texts))[:, 1]


def sentence_vector_lr_scores(distilled: Distilled, train_texts: list[str], train_labels: list[int],
                              texts: list[str], paragraphs: bool) -> np.ndarray:
    """Logistic regression on the distilled sentence vectors, probabilities for ``texts`` (for
    ``paragraphs``, each text's highest over its sentences that the file holds; 0 for none)."""
    lr = LogisticRegression(max_iter=3000).fit(distilled.sentence_rows(train_texts), train_labels)
    if not paragraphs:
        return lr.predict_proba(distilled.sentence_rows(texts))[:, 1]
    owner, rows = [], []
    for i, text in enumerate(texts):
        for a, b in split_sentences(text):
            row = distilled.sentences.get(data.normalise(text[a:b]))
            if row is not None:
                owner.append(i)
                rows.append(row)
    p = lr.predict_proba(distilled.sentence_vectors[rows].astype(np.float32))[:, 1]
    out = np.zeros(len(texts))
    np.maximum.at(out, np.array(owner, dtype=np.int64), p)
    return out


def subjective_counts(lexicons: dict[str, list[str]], texts: list[str]) -> np.ndarray:
    """How many strong or weak subjectivity clues each text contains."""
    clues = sorted(set(lexicons["strong_subjective"]) | set(lexicons["weak_subjective"]))
    counts = LexiconFeatures({"subjective": clues}).fit().counts(TokenBatch.from_texts(texts))
    return counts[:, 0]


def measure(data_dir: Path, corpus: str, config: TrainConfig | None = None, log=print) -> dict:
    """AUCs of framing (trained as ``config`` says, without ``corpus``) and of both peers on all of ``corpus``."""
    t0 = time.time()
    texts, y = held_out_set(data_dir, corpus)
    config = replace(config or TrainConfig(), holdout=corpus)
    scorer, _ = train(data_dir, config, log=lambda m: log(f"  [{corpus}] {m}"))
    ours = np.array([d.loaded_score for d in scorer.pipe(texts, batch_size=512)])
    peer_texts, peer_labels = peer_training_rows(data_dir, corpus)
    out = {
        "rows": len(texts),
        "positives": int(y.sum()),
        "framing": evaluate.auc(y, ours),
        "tfidf_lr": evaluate.auc(y, tfidf_lr_scores(peer_texts, peer_labels, texts)),
        "subjective_clues": evaluate.auc(y, subjective_counts(data.load_lexicons(data_dir), texts)),
    }
    if config.distilled:
        scores = sentence_vector_lr_scores(Distilled.load(config.distilled), peer_texts, peer_labels, texts,
                                           paragraphs=corpus == "semeval")
        out["minilm_lr"] = evaluate.auc(y, scores)
    return {**out, "seconds": round(time.time() - t0, 1)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=data.default_data_dir(), help="training data directory")
    ap.add_argument("--corpora", default=",".join(HOLDOUTS), help=f"comma-separated subset of {','.join(HOLDOUTS)}")
    ap.add_argument("--json", type=Path, default=None, help="also write the numbers here as JSON")
    ap.add_argument("--distilled", type=Path, default=None,
                    help="train with this file of distilled vectors (python -m framing.training.distill)")
    ap.add_argument("--news", type=Path, default=None,
                    help="news sentences the teacher labels (python -m framing.training.news)")
    ap.add_argument("--news-sentences", type=int, default=TrainConfig.news_sentences,
                    help="how many --news sentences to label (default: as the bundled recipe)")
    ap.add_argument("--quiet", action="store_true", help="do not print training progress")
    args = ap.parse_args(argv)
    if not has_data(args.data):
        return 2
    corpora = chosen(ap, args.corpora, HOLDOUTS, "corpus")
    log = (lambda m: None) if args.quiet else (lambda m: print(m, file=sys.stderr, flush=True))
    config = TrainConfig(distilled=str(args.distilled) if args.distilled else None,
                         news=str(args.news) if args.news else None, news_sentences=args.news_sentences)
    results = {c: measure(args.data, c, config, log) for c in corpora}
    print(generalization_table(results))
    print("\nAUC of each score on every row of the held-out corpus; "
          f"{sum(r['seconds'] for r in results.values()):.0f}s in all")
    write_json(args.json, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
