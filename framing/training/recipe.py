"""Train a model from the annotated corpora: ``framing train --data DIR --out DIR``.

Order: the token tagger first (its out-of-fold scores become sentence features, so the
sentence heads never see a tagger that has memorised their own sentences), then the
sentence features, the sentence-bias head, the paragraph head, the technique head
(sentence rows, thresholds tuned on paragraphs) and the frame head (article rows); each
trainer returns its head (see :mod:`framing.training.heads`) and the ``Scorer`` is built
once, at the end. Folds are fixed by hashing article ids or sentence texts, so the same
data always gives the same model.
"""
from __future__ import annotations

import fnmatch
import time
from collections import Counter
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from framing._version import __version__
from framing.scoring.featurize import Featurizer, stack, summary_names, tagger_summary, with_tagger
from framing.scoring.features import EmbeddingFeatures, LexiconFeatures, NgramFeatures, StyleFeatures
from framing.scoring.features.base import TokenBatch
from framing.scoring.labels import FRAMES, TECHNIQUES
from framing.scoring.scorer import Scorer
from framing.training import corpora as data
from framing.training import news as news_sentences
from framing.training.distill import Distilled, reduce_word_vectors
from framing.training.heads import (Teacher, empty_head, reference_corpus, train_bias_head, train_frame_head, train_loaded_head,
                                    train_technique_head)
from framing.training.config import TrainConfig
from framing.training.sentences import HOLDOUTS, fold_of, held_out_texts, read_sentences
from framing.training.tagger import train_tagger


def train(data_dir: str | Path, config: TrainConfig | None = None, log=print) -> tuple[Scorer, dict]:
    """Train every head from the training split of ``data_dir``; return the scorer and training stats."""
    cfg = config or TrainConfig()
    if cfg.holdout is not None and cfg.holdout not in HOLDOUTS:
        raise ValueError(f"unknown holdout corpus {cfg.holdout!r}; choose one of {', '.join(HOLDOUTS)} or None")
    t0 = time.time()
    sents = read_sentences(data_dir, cfg.holdout)
    log(f"read {len(sents.texts)} training sentences ({Counter(sents.corpus)}) in {time.time() - t0:.0f}s")
    if not any(b >= 0 for b in sents.bias):
        raise ValueError(f"no labelled bias sentence is left in {data_dir} once {cfg.holdout} is held out "
                         "(every other corpus shares its sentences); hold out another corpus")
    lexicons = data.load_lexicons(data_dir, cfg.exclude_lexicons)
    folds = np.array([fold_of(g) for g in sents.group])
    distilled = Distilled.load(cfg.distilled) if cfg.distilled else None
    frame_articles = [] if cfg.holdout == "semeval" else [
        r for r in data.load_semeval(data_dir, "frames_articles") if not r["validation"]
    ]

    batch = TokenBatch.from_texts(sents.texts)
    tagger, oof, (oof_p, oof_r, oof_f1) = train_tagger(sents, batch, lexicons, folds, cfg, None if cfg.tagger_learned_vectors else distilled)
    log(f"tagger: {len(oof)} tokens, {len(tagger.phrases)} phrases, threshold {tagger.threshold}, "
        f"extend {tagger.extend}, relative {tagger.relative}, out-of-fold character F1 {oof_f1:.4f} (precision {oof_p:.4f}, recall {oof_r:.4f}) "
        f"({time.time() - t0:.0f}s)")

    unlabelled = sents.texts + [r["text"] for r in frame_articles]  # training text only
    held_out = held_out_texts(data_dir, cfg.holdout)
    topics = [(r["text"], r["topic"]) for name in ("babe", "mbic") if name != cfg.holdout
              for r in data.load_bias(data_dir, name)
              if not r["validation"] and r.get("topic") and data.normalise(r["text"]) not in held_out]
    features = fit_features(sents.texts, unlabelled, lexicons, cfg, distilled, topics)
    blocks = features.finalize(features.counts(batch))
    summary = tagger_summary(oof, batch, tagger.threshold)
    Xt = stack(with_tagger(blocks, summary))

    teacher = None
    if distilled is not None and (cfg.teacher_weight > 0 or cfg.news):
        news = news_rows(cfg.news, cfg.news_sentences, features, tagger) if cfg.news and cfg.news_sentences else None
        corpus = np.array(sents.corpus)
        teacher = Teacher(distilled.sentence_rows(sents.texts), np.array(sents.bias), corpus,
                          (corpus == "semeval") & (cfg.teacher_weight > 0), cfg.teacher_weight, cfg.corpus_weights,
                          reference_corpus(sents), news, cfg.news_weight)
        if news is not None:
            log(f"teacher: {news[0].shape[0]} news sentences from {cfg.news} ({time.time() - t0:.0f}s)")
    bias_head, bias_oof = train_bias_head(Xt, sents, folds, cfg.bias_C, cfg.corpus_weights, cfg.seed, teacher)
    log(f"bias head: {len(bias_oof)} sentences, threshold {bias_head.thresholds[0]:.3f} ({time.time() - t0:.0f}s)")
    loaded_head = train_loaded_head(bias_head, bias_oof, Xt, summary, sents, cfg.corpus_weights)
    log(f"paragraph head: weights {np.round(loaded_head.coef[:, 0], 2).tolist()}, threshold {loaded_head.thresholds[0]:.3f}")

    stats = {"sentences": dict(Counter(sents.corpus))}
    if cfg.holdout is not None:
        technique_head = empty_head(TECHNIQUES, Xt.shape[1])
        frame_head = empty_head(FRAMES, sum(b.shape[1] for b in blocks))
        log(f"held out {cfg.holdout}: technique and frame heads not trained ({time.time() - t0:.0f}s)")
    else:
        names = [str(n) for est, _ in features.extractors for n in est.get_feature_names_out()]
        names += summary_names(tagger.labels)
        dropped = [[fnmatch.fnmatchcase(n, pattern) for n in names] for pattern in cfg.technique_without]
        if unknown := [p for p, hits in zip(cfg.technique_without, dropped) if not any(hits)]:
            raise ValueError(f"technique_without: {unknown} match no feature column (names as in get_feature_names_out)")
        keep = np.where(np.any(dropped, axis=0), 0.0, 1.0).astype(np.float32) if dropped else np.ones(Xt.shape[1], np.float32)
        technique_head = train_technique_head(Xt @ sp.diags(keep), sents, folds, cfg.technique_C, cfg.seed)
        log(f"technique head: threshold {technique_head.thresholds[0]:.3f} ({time.time() - t0:.0f}s)")
        frame_head = train_frame_head(features, frame_articles, cfg.frame_blocks, cfg.frame_C, cfg.frame_class_weight,
                                      cfg.seed)
        log(f"frame head: {len(frame_articles)} articles, threshold {frame_head.thresholds[0]:.3f} (sentences "
            f"{frame_head.sentence_thresholds[0]:.2f}), at most {frame_head.max_labels} frames ({time.time() - t0:.0f}s)")
        stats.update({"tokens": len(oof), "frame_articles": len(frame_articles), "phrases": len(tagger.phrases),
                      "tagger_oof_char_f1": round(oof_f1, 4),
                      "tagger_oof_char_precision": round(oof_p, 4), "tagger_oof_char_recall": round(oof_r, 4), "seconds": round(time.time() - t0, 1)})
    meta = {"config": cfg.__dict__, "training": stats, "framing_version": __version__}
    scorer = Scorer(features=features, tagger=tagger, bias_head=bias_head, technique_head=technique_head,
                    frame_head=frame_head, loaded_head=loaded_head, meta=meta)
    return scorer, stats


def news_rows(directory: str, n: int, features: Featurizer, tagger, chunk: int = 50000) -> tuple:
    """The bias head's feature rows and the sentence vectors of the first ``n`` news sentences embedded in
    ``directory`` (see :mod:`framing.training.news`), the tagger's summary from the trained tagger."""
    texts, vectors = news_sentences.load(directory, n)
    rows = []
    for lo in range(0, len(texts), chunk):
        batch = TokenBatch.from_texts(texts[lo : lo + chunk])
        blocks = features.finalize(features.counts(batch))
        rows.append(stack(with_tagger(blocks, tagger_summary(tagger.token_scores(batch), batch, tagger.threshold))))
    return sp.vstack(rows, format="csr"), vectors


def fit_features(texts: list[str], unlabelled: list[str], lexicons: dict[str, list[str]], cfg: TrainConfig,
                 distilled: Distilled | None, topics: list[tuple[str, str]] = ()) -> Featurizer:
    """The sentence features: n-grams of ``texts``, the word lists, the style cues and word vectors
    (learned from ``unlabelled`` training text, or ``distilled`` ones; with ``topics``, (sentence,
    topic) pairs, the directions that tell topics apart are taken out, see :func:`without_topics`),
    weighted as ``cfg`` says."""
    ngrams = NgramFeatures(ngram_range=(1, 2), min_df=2, max_features=cfg.ngram_max_features).fit(texts)
    vectors = _word_vectors(cfg.embedding_dim, unlabelled, lexicons, distilled)
    if cfg.topic_directions and topics:
        vectors = without_topics(vectors, topics, cfg.topic_directions)
    return Featurizer([
        (ngrams, 1.0),
        (LexiconFeatures(lexicons).fit(), cfg.lexicon_weight),
        (StyleFeatures().fit(), cfg.style_weight),
        (vectors, cfg.embedding_weight),
    ])


def without_topics(vectors: EmbeddingFeatures, topics: list[tuple[str, str]], k: int) -> EmbeddingFeatures:
    """``vectors`` with the ``k`` directions that best tell topics apart projected out of every word
    vector: the principal axes of the topics' mean sentence vectors (``topics``: (sentence, topic)
    pairs), so that what a sentence is about moves its word-vector features little."""
    texts, labels = [t for t, _ in topics], np.array([topic for _, topic in topics])
    X = np.asarray(vectors.transform(texts), dtype=np.float64)
    names = np.unique(labels)
    centroids = np.array([X[labels == n].mean(axis=0) for n in names])
    _, _, vt = np.linalg.svd(centroids - centroids.mean(axis=0), full_matrices=False)
    axes = vt[: min(k, len(names) - 1)].T
    vocabulary = sorted(vectors.vocabulary_, key=vectors.vocabulary_.get)
    kept = vectors.vectors_ - (vectors.vectors_ @ axes) @ axes.T
    return EmbeddingFeatures(**vectors.get_params()).set_vocabulary(vocabulary, kept)


def _word_vectors(dim: int, texts: list[str], lexicons: dict[str, list[str]], distilled: Distilled | None) -> EmbeddingFeatures:
    """Word vectors learned from ``texts``, or distilled ones kept for the words of ``texts`` and the word lists."""
    if distilled is None:
        return EmbeddingFeatures(dim=dim).fit(texts)
    listed = {w for ws in lexicons.values() for w in ws}
    return reduce_word_vectors(distilled.words, distilled.word_vectors, distilled.general, texts, listed, dim=dim)
