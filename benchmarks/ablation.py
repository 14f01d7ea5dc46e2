"""Ablations of the training recipe: what each part adds, on the fixed validation split.

    python benchmarks/ablation.py --distilled FILE --news DIR [--data ../shared/data] [--json OUT]

Trains the bundled model's recipe and variants of it, each with one part taken away, and
measures every row of ``framing.training.evaluate.ROWS`` on the validation split. Each training takes
a few minutes (``--only NAME,...`` runs some). ``FILE`` is what ``python -m framing.training.distill``
writes, ``DIR`` what ``python -m framing.training.news`` writes (the news variants are the curve of
student quality over how many news sentences the teacher labels).
"""
from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

from common import chosen, has_data, write_json
from framing.training import corpora as data
from framing.training import evaluate
from framing.training.card import ablation_table
from framing.training.recipe import TrainConfig, train
from framing.training.terms import COPYLEFT_LISTS

VARIANTS: dict[str, tuple[str, dict]] = {
    "full": ("the bundled recipe", {}),
    "no_news": ("without teacher-labelled news sentences (the bundled recipe: 20k)", {"news": None}),
    "news_100k": ("the teacher labels 100k news sentences", {"news_sentences": 100000}),
    "no_teacher": ("without the teacher's soft labels on SemEval and news sentences", {"teacher_weight": 0.0, "news": None}),
    "no_distillation": ("word vectors learned from the training text (PPMI + SVD), no teacher", {"distilled": None}),
    "no_word_lists": ("without the word-list and style-cue features", {"lexicon_weight": 0.0, "style_weight": 0.0}),
    "no_mpqa": ("without the MPQA subjectivity clues (GPL)", {"exclude_lexicons": ("strong_subjective", "weak_subjective")}),
    "no_babe_lexicon": ("without BABE's bias word lexicon (AGPL-3.0)", {"exclude_lexicons": ("babe_bias",)}),
    "no_copyleft_lists": ("without either", {"exclude_lexicons": COPYLEFT_LISTS}),
}
"""name -> (what it is, the TrainConfig fields it changes)."""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=data.default_data_dir(), help="training data directory")
    ap.add_argument("--distilled", type=Path, required=True, help="the file `python -m framing.training.distill` wrote")
    ap.add_argument("--news", type=Path, default=None, help="the directory `python -m framing.training.news` wrote")
    ap.add_argument("--only", default=",".join(VARIANTS), help=f"comma-separated subset of {','.join(VARIANTS)}")
    ap.add_argument("--json", type=Path, default=None, help="also write the numbers here as JSON")
    args = ap.parse_args(argv)
    if not has_data(args.data):
        return 2
    names = chosen(ap, args.only, VARIANTS, "variant")
    base = TrainConfig(distilled=str(args.distilled), news=str(args.news) if args.news else None)
    val = evaluate.validation(args.data)
    results = {}
    for name in names:
        t0 = time.time()
        scorer, _ = train(args.data, replace(base, **VARIANTS[name][1]), log=lambda m: print(f"  [{name}] {m}", file=sys.stderr))
        results[name] = {**evaluate.evaluate_scorer(scorer, val), "what": VARIANTS[name][0],
                         "seconds": round(time.time() - t0)}
    print(ablation_table(results))
    write_json(args.json, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
