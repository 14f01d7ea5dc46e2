"""Validation tasks from the fixed splits of the training data, and the metrics the benchmarks report."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score, roc_auc_score

from framing.training import corpora as data
from framing.scoring.labels import FRAMES, SPAN_TECHNIQUES, TECHNIQUES


ROWS = [
    ("BABE (expert sentence bias)", "macro-F1 of `loaded`", "babe_macro_f1"),
    ("WikiNPOV", "AUC of `loaded_score`", "wiki_npov_auc"),
    ("SemEval-2023 Loaded_Language, paragraph", "AUC of `loaded_score`", "semeval_loaded_language_auc"),
    ("SemEval-2023 techniques (23), paragraph", "micro-F1 of `labels`", "semeval_techniques_micro_f1"),
    ("Loaded spans (Loaded_Language, Name_Calling-Labeling, Exaggeration-Minimisation)", "character F1 of `spans`", "span_char_f1"),
    ("Loaded spans", "character precision of `spans`", "span_char_precision"),
    ("Loaded spans", "character recall of `spans`", "span_char_recall"),
    ("SemEval-2023 frames (14), article", "micro-F1 of `frames`", "semeval_frames_micro_f1"),
    ("BABE", "AUC of `loaded_score`", "babe_auc"),
    ("MBIC (crowd sentence bias)", "macro-F1 of `loaded`", "mbic_macro_f1"),
    ("MBIC", "AUC of `loaded_score`", "mbic_auc"),
]
"""(benchmark, metric, key of :func:`evaluate_scorer`'s result) for every reported row, in report order."""


def char_prf(gold: list[set], pred: list[set]) -> tuple[float, float, float]:
    """Character-level precision, recall and F1 of predicted against gold character-offset sets,
    pooled over documents."""
    tp = sum(len(g & p) for g, p in zip(gold, pred))
    flagged, marked = sum(map(len, pred)), sum(map(len, gold))
    if not tp:
        return 0.0, 0.0, 0.0
    return tp / flagged, tp / marked, 2 * tp / (flagged + marked)


def micro_f1(gold: list[list[str]], pred: list[list[str]], labels) -> float:
    """Micro-averaged F1 of multi-label predictions."""
    Y = np.array([[l in g for l in labels] for g in gold])
    P = np.array([[l in p for l in labels] for p in pred])
    return float(f1_score(Y, P, average="micro", zero_division=0))


def auc(y, scores) -> float:
    """Area under the ROC curve."""
    return float(roc_auc_score(np.asarray(y), np.asarray(scores)))


def macro_f1(y, decisions) -> float:
    """Macro-averaged F1 of binary decisions."""
    return float(f1_score(np.asarray(y), np.asarray(decisions).astype(int), average="macro"))


def span_chars(spans) -> set[int]:
    """Every character offset covered by ``spans`` (objects or dicts with start/end)."""
    out: set[int] = set()
    for s in spans:
        start, end = (s["start"], s["end"]) if isinstance(s, dict) else (s.start, s.end)
        out.update(range(start, end))
    return out


@dataclass
class Validation:
    """The validation split: texts and gold labels for every benchmark row."""

    bias: dict[str, tuple[list[str], list[int]]]  # corpus -> (sentences, 0/1 labels)
    paragraphs: list[str]
    paragraph_techniques: list[list[str]]
    articles: list[str]  # technique articles
    article_spans: list[set[int]]  # gold characters of the span techniques
    frame_articles: list[str]
    frames: list[list[str]]


def validation(data_dir: str | Path) -> Validation:
    """Read the fixed validation split of every corpus."""
    bias = {}
    for name in data.BIAS_CORPORA:
        rows = [r for r in data.load_bias(data_dir, name) if r["validation"]]
        bias[name] = ([r["text"] for r in rows], [int(r["label"]) for r in rows])
    paras = [r for r in data.load_semeval(data_dir, "techniques_paragraphs") if r["validation"]]
    arts = [r for r in data.load_semeval(data_dir, "techniques_articles") if r["validation"]]
    frames = [r for r in data.load_semeval(data_dir, "frames_articles") if r["validation"]]
    return Validation(
        bias=bias,
        paragraphs=[r["text"] for r in paras],
        paragraph_techniques=[list(r["techniques"]) for r in paras],
        articles=[r["text"] for r in arts],
        article_spans=[span_chars([s for s in r["spans"] if s["technique"] in SPAN_TECHNIQUES]) for r in arts],
        frame_articles=[r["text"] for r in frames],
        frames=[list(r["frames"]) for r in frames],
    )


def evaluate_scorer(scorer, val: Validation, batch_size: int = 1024) -> dict[str, float]:
    """Every benchmark row for a :class:`~framing.scoring.scorer.Scorer` on the validation split."""
    out: dict[str, float] = {}
    for name, (texts, y) in val.bias.items():
        docs = list(scorer.pipe(texts, batch_size=batch_size))
        out[f"{name}_auc"] = auc(y, [d.loaded_score for d in docs])
        out[f"{name}_macro_f1"] = macro_f1(y, [d.loaded for d in docs])
    docs = list(scorer.pipe(val.paragraphs, batch_size=batch_size))
    ll = [int("Loaded_Language" in t) for t in val.paragraph_techniques]
    out["semeval_loaded_language_auc"] = auc(ll, [d.loaded_score for d in docs])
    out["semeval_techniques_micro_f1"] = micro_f1(val.paragraph_techniques, [d.labels for d in docs], TECHNIQUES)
    docs = list(scorer.pipe(val.articles, batch_size=16))
    p, r, out["span_char_f1"] = char_prf(val.article_spans, [span_chars(d.spans) for d in docs])
    out["span_char_precision"], out["span_char_recall"] = p, r
    docs = list(scorer.pipe(val.frame_articles, batch_size=16))
    out["semeval_frames_micro_f1"] = micro_f1(val.frames, [d.frames for d in docs], FRAMES)
    return out
