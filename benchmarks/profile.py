"""Where scoring spends its time: seconds and share per stage of the hot path.

    python benchmarks/profile.py [--data ../shared/data] [--sentences 20000] [--batch-size 1024] [--repeat 3]

Scores the first N sentences of the SemEval-2023 training paragraphs (the sentences
``benchmarks/speed.py`` times), with every head on, at the default batch, then turns every doc into
JSON as ``framing score`` does (the compact form; ``--all-scores`` for every score). Each stage's functions are wrapped with a timer that counts their
own time (a stage called inside another is not counted twice), and the best of ``--repeat``
runs of each stage is shown, with its share of the total. Without ``--data`` or the corpora,
``--texts FILE`` (one text a line) is scored instead.

The wrappers cost a little (a few microseconds per call, and there are a few calls per batch),
so the total is slightly above what the same run costs unwrapped.
"""
from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

import framing
import framing.scoring.doc as doc_module
import framing.scoring.features.base as base
import framing.scoring.featurize as featurize
import framing.scoring.scorer as scorer_module
import framing.scoring.wire as wire
from framing.scoring.features import EmbeddingFeatures, LexiconFeatures, NgramFeatures, StyleFeatures
from framing.scoring.heads import LinearHead
from framing.scoring.spans import SpanTagger
from framing.scoring.text import split_sentences

PARAGRAPHS = Path("semeval2023_en") / "techniques_paragraphs_train.jsonl"
CLOCK = [time.process_time]
"""The clock stages are timed with: this process's CPU time (``--clock cpu``, the default: on a machine
shared with other work, waiting for a core is not counted) or wall time (``--clock wall``)."""


class Timer:
    """Own time per stage: a stage entered inside another pauses the outer one."""

    def __init__(self):
        self.own: dict[str, float] = defaultdict(float)
        self.stack: list[list] = []  # [stage, started, time spent in inner stages]

    @contextmanager
    def stage(self, stage: str):
        """Count the time spent inside the block to ``stage`` (less that of stages entered inside it)."""
        self.stack.append([stage, CLOCK[0](), 0.0])
        try:
            yield
        finally:
            s, t0, inner = self.stack.pop()
            spent = CLOCK[0]() - t0
            self.own[s] += spent - inner
            if self.stack:
                self.stack[-1][2] += spent

    def wrap(self, owner, name: str, stage: str, static: bool = False) -> None:
        original = getattr(owner, name)
        timer = self

        def timed(*args, **kwargs):
            with timer.stage(stage):
                return original(*args, **kwargs)

        setattr(owner, name, staticmethod(timed) if static else timed)


STAGES = [
    # (owner, attribute, stage); heads are told apart by the head object, see head_stage
    (featurize.Segments, "of", "segmentation (paragraphs, sentences)", True),
    (base.TokenBatch, "from_texts", "tokenization", True),
    (base.VocabularyUnion, "fill", "vocabulary lookup (forms, names, shapes)", False),
    (NgramFeatures, "counts", "features: n-gram counts", False),
    (LexiconFeatures, "counts", "features: lexicon counts", False),
    (StyleFeatures, "counts", "features: style counts", False),
    (EmbeddingFeatures, "counts", "features: embedding sums", False),
    (featurize.Featurizer, "finalize", "features: finalize (tf-idf, normalize)", False),
    (base, "sum_rows", "features: text counts (summed)", False),
    (SpanTagger, "first_pass", "tagger: first pass", False),
    (SpanTagger, "second_pass", "tagger: second pass", False),
    (SpanTagger, "combine", "tagger: combine + listed phrases", True),
    (SpanTagger, "raise_listed", "tagger: combine + listed phrases", False),
    (featurize, "tagger_summary", "tagger: sentence summary", False),
    (SpanTagger, "tag", "span tagger: spans", False),
    (scorer_module, "_mark_quotes", "quotes", False),
    (scorer_module.Scorer, "_paragraphs", "paragraphs (loaded head decisions, rows)", False),
    (scorer_module.Scorer, "_techniques", "technique decisions", False),
    (LinearHead, "decide", "head decisions", False),
    (doc_module, "chosen", "assembling docs (label lists)", False),
    (doc_module.Doc, "__init__", "assembling docs", False),
    (doc_module.Doc, "to_dict", "JSON: to_dict", False),
    (doc_module.SentenceTable, "sentences", "JSON: to_dict", False),
    (wire, "json_lines", "JSON: json.dumps", False),
]


def install(timer: Timer, nlp: framing.Scorer) -> None:
    """Wrap every stage's functions, and each head's ``logits`` under its own name."""
    names = {id(getattr(nlp, h)): h.replace("_head", "") for h in scorer_module.HEADS}
    for owner, attr, stage, static in STAGES:
        if attr == "sentences":  # a cached property: wrap the function under it
            prop = owner.__dict__[attr]
            inner = prop.func
            holder = type("Holder", (), {"f": staticmethod(inner)})
            timer.wrap(holder, "f", stage, static=True)
            prop.func = holder.f
            continue
        timer.wrap(owner, attr, stage, static)
    # the scorer module imported some of these by name: point it at the wrapped ones
    sources = {"sum_rows": base, "tagger_summary": featurize, "chosen": doc_module, "json_lines": wire}
    for name, source in sources.items():
        for module in (scorer_module, featurize, wire):
            if module is not source and hasattr(module, name):
                setattr(module, name, getattr(source, name))
    original = LinearHead.logits

    def logits(self, X):
        with timer.stage(f"head: {names.get(id(self), 'other')}"):
            return original(self, X)

    LinearHead.logits = logits


def texts_from(args) -> list[str]:
    if args.texts is not None:
        return [line.rstrip("\n") for line in args.texts.read_text(encoding="utf-8").splitlines() if line.strip()][: args.sentences]
    path = args.data / PARAGRAPHS
    if not path.is_file():
        sys.exit(f"{path} not found: pass --data DIR or --texts FILE")
    out = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            text = json.loads(line)["text"]
            for s, e in split_sentences(text):
                if text[s:e].strip():
                    out.append(text[s:e])
                    if len(out) == args.sentences:
                        return out
    return out


def run(nlp: framing.Scorer, texts: list[str], batch_size: int, all_scores: bool) -> float:
    gc.collect()
    t0 = CLOCK[0]()
    for _ in nlp.pipe_json(texts, batch_size=batch_size, all_scores=all_scores):
        pass
    return CLOCK[0]() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    ap.add_argument("--texts", type=Path, default=None, help="score this file's lines instead of SemEval sentences")
    ap.add_argument("--sentences", type=int, default=20000)
    ap.add_argument("--batch-size", type=int, default=1024)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--all-scores", action="store_true", help="JSON with every score (framing score --all-scores)")
    ap.add_argument("--clock", choices=("cpu", "wall"), default="cpu",
                    help="time stages in this process's CPU seconds (default) or wall-clock seconds")
    args = ap.parse_args(argv)
    CLOCK[0] = time.process_time if args.clock == "cpu" else time.perf_counter
    texts = texts_from(args)
    nlp = framing.load()
    plain = min(run(nlp, texts, args.batch_size, args.all_scores) for _ in range(args.repeat))  # unwrapped, for reference
    timer = Timer()
    install(timer, nlp)
    best: dict[str, float] = {}
    totals = []
    for _ in range(args.repeat):
        timer.own.clear()
        totals.append(run(nlp, texts, args.batch_size, args.all_scores))
        other = totals[-1] - sum(timer.own.values())
        for stage, s in [*timer.own.items(), ("other (pipe, checks, Python glue)", other)]:
            best[stage] = min(best.get(stage, float("inf")), s)
    total = sum(best.values())
    print(f"{len(texts):,} sentences, batch {args.batch_size}, framing.pipe_json (every head; JSON lines as `framing score` "
          f"writes them{' with --all-scores' if args.all_scores else ''}); best of {args.repeat} runs per stage, {args.clock} seconds; "
          f"unwrapped run {plain:.2f} s ({len(texts) / plain:,.0f} sentences/s)\n")
    print("| stage | seconds | share |")
    print("|---|---:|---:|")
    for stage, s in sorted(best.items(), key=lambda kv: -kv[1]):
        print(f"| {stage} | {s:.3f} | {100 * s / total:.1f}% |")
    print(f"| **total** | **{total:.3f}** | 100% |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
