"""Speed, load time, size and memory of framing next to VADER, TextBlob and TF-IDF + LR.

    python benchmarks/speed.py [--data ../shared/data] [--sentences 20000] [--repeat 3] [--json OUT]

Every system scores the same real news sentences in the same run: the first N
sentences of the SemEval-2023 training paragraphs, cut with framing's own
``split_sentences``. Each system is warmed up once on a few hundred sentences,
then timed over all N sentences ``--repeat`` times, the systems taking turns; the table gives
the best and the median run, and framing's default row over VADER is printed for every round. TextBlob is timed on the first 5,000 sentences only when one run over all N
would take over 5 s (the table then says so). The TF-IDF + LogisticRegression baseline is fitted on BABE
before timing and scores batches of 256.

framing rows have every head on (bias, 23 techniques, 14 frames, loaded spans);
VADER and TextBlob score sentiment only, the baseline one bias probability. A doc builds
its Sentence objects when they are first read: one row reads every doc's labels, frames,
spans and sentences, and one turns every doc into JSON (what `framing score` pays).

Also measured: model load time (median of 5 fresh interpreters; import + load,
and load alone, interpreter start-up excluded; next to importing numpy and scipy.sparse alone), model size on disk, and peak RSS
of a fresh process that loads the model and scores all N sentences at the default batch
(the output is consumed as it streams, as the CLI does), next to one that only
imports framing. MB are 10^6 bytes.

Machines, and other work on them, change the absolute numbers from run to run:
compare the ratios (framing / VADER, batch sizes against each other), not the
sentences per second.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from itertools import islice
from pathlib import Path

import framing
from framing.scoring.scorer import bundled_model_dir
from framing.scoring.text import split_sentences
from framing.scoring.workers import MIN_PARALLEL_CHARS

PARAGRAPHS = Path("semeval2023_en") / "techniques_paragraphs_train.jsonl"
BABE = Path("bias_sentences") / "babe_sg2.jsonl"
WARMUP = 300  # sentences each system scores once before it is timed
SLOW_SUBSET = 5000  # sentences a slow system (TextBlob) is timed on
SLOW_BUDGET_S = 5.0  # ... when one run over all N would take longer than this
BASELINE_BATCH = 256
LOADS = 5
ALL_HEADS = f"every head on: bias, {len(framing.TECHNIQUES)} techniques, {len(framing.FRAMES)} frames, spans"

Runner = Callable[[list[str]], None]
"""Scores a list of sentences and consumes every result."""

LOAD_CODE = """\
import time
t0 = time.perf_counter()
import framing
t1 = time.perf_counter()
framing.load()
t2 = time.perf_counter()
print(t2 - t0, t2 - t1)
"""
FLOOR_CODE = """\
import time
t0 = time.perf_counter()
import numpy, scipy.sparse
print(time.perf_counter() - t0)
"""
"""What any scorer on numpy and scipy.sparse pays before its own code: the peer of the load time."""
RSS_IMPORT_WORK = "import framing"
RSS_SCORE_WORK = """\
import json, sys
from collections import deque
import framing
deque(framing.load().pipe(json.load(sys.stdin)), maxlen=0)
"""
PEAK_RSS_CODE = """\
import os, resource, sys, traceback
if os.fork() == 0:
    try:
        exec(sys.argv[1])
    except BaseException:
        traceback.print_exc()
        os._exit(1)
    os._exit(0)
_, status = os.wait()
if os.waitstatus_to_exitcode(status):
    sys.exit("the measured process failed")
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""
"""Runs the code in ``argv[1]`` and prints its peak RSS (KiB on Linux). Linux carries a process's
high-water mark across ``exec``, so a child of this (large) benchmark process would start at the
benchmark's own peak; a fork of the fresh, small interpreter does not."""


@dataclass
class System:
    """A table row to measure: ``factory`` builds its runner (lazily, so a missing package only loses
    this row); with ``may_subset`` it is timed on ``SLOW_SUBSET`` sentences if it is slow."""

    name: str
    heads: str
    factory: Callable[[], Runner]
    may_subset: bool = False


@dataclass
class Row:
    """One system's throughput; ``sentences_per_s`` is None when it could not run (``unavailable`` says why)."""

    system: str
    heads: str
    sentences: int
    best_seconds: float | None = None
    sentences_per_s: float | None = None
    unavailable: str | None = None
    run_seconds: list[float] | None = None
    """Every timed run, in the order of the rounds (see :func:`measure`)."""

    @property
    def median_per_s(self) -> float | None:
        return None if not self.run_seconds else self.sentences / statistics.median(self.run_seconds)


# --- data -------------------------------------------------------------------------------------------

def read_jsonl(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def news_sentences(data: Path, n: int) -> list[str]:
    """The first ``n`` non-empty sentences of the SemEval training paragraphs, in file order."""

    def all_sentences() -> Iterator[str]:
        for row in read_jsonl(data / PARAGRAPHS):
            text = row["text"]
            for start, end in split_sentences(text):
                if text[start:end].strip():
                    yield text[start:end]

    return list(islice(all_sentences(), n))


# --- systems ------------------------------------------------------------------------------------------

def framing_runner(nlp: framing.Scorer, batch_size: int, n_process: int = 1, as_json: bool = False,
                   read: bool = False) -> Runner:
    """Scores texts; with ``read`` each doc's labels, frames, spans and sentences are read too
    (sentences are built when first read), with ``as_json`` each doc becomes a JSON line."""
    def run(texts: list[str]) -> None:
        docs = nlp.pipe(texts, batch_size=batch_size, n_process=n_process)
        if as_json:
            docs = (json.dumps(d.to_dict()) for d in docs)
        elif read:
            docs = ((d.loaded_score, d.labels, d.frames, d.spans, d.sentences) for d in docs)
        deque(docs, maxlen=0)

    return run


def vader_runner() -> Runner:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    return lambda texts: deque(map(analyzer.polarity_scores, texts), maxlen=0)


def textblob_runner() -> Runner:
    from textblob import TextBlob

    return lambda texts: deque((TextBlob(s).sentiment for s in texts), maxlen=0)


def tfidf_lr_runner(data: Path) -> Runner:
    """TF-IDF + LogisticRegression fitted on BABE; scores in batches of ``BASELINE_BATCH``."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    rows = list(read_jsonl(data / BABE))
    vec = TfidfVectorizer(sublinear_tf=True, min_df=2)
    lr = LogisticRegression(max_iter=1000).fit(vec.fit_transform([r["text"] for r in rows]), [r["label"] for r in rows])

    def run(texts: list[str]) -> None:
        for i in range(0, len(texts), BASELINE_BATCH):
            lr.predict_proba(vec.transform(texts[i : i + BASELINE_BATCH]))

    return run


def parallel_speedup(nlp: framing.Scorer, texts: list[str], total: int, repeat: int) -> dict[str, float]:
    """Sentences/s of ``pipe(n_process=1)`` and ``pipe(n_process=2)`` (batch 1024) over ``texts`` repeated
    to ``total`` sentences, so that starting the worker is a small part of the time, and their ratio:
    the best of ``repeat`` runs each, taking turns (one process, two, one, two, ...)."""
    corpus = (texts * (total // max(len(texts), 1) + 1))[:total]
    run_one, run_two = framing_runner(nlp, 1024), framing_runner(nlp, 1024, n_process=2)
    one = two = float("inf")
    for _ in range(repeat):
        one, two = min(one, seconds(run_one, corpus)), min(two, seconds(run_two, corpus))
    return {"sentences": len(corpus), "one_process": len(corpus) / one, "two_processes": len(corpus) / two,
            "speedup": one / two, "runs": repeat}


def systems(nlp: framing.Scorer, data: Path) -> list[System]:
    return [
        System("framing, batch 1024 (default)", ALL_HEADS, lambda: framing_runner(nlp, 1024)),
        System("framing, batch 256", ALL_HEADS, lambda: framing_runner(nlp, 256)),
        System("framing, batch 1024, every doc's labels, frames, spans and sentences read", ALL_HEADS,
               lambda: framing_runner(nlp, 1024, read=True)),
        System("framing, batch 4096", ALL_HEADS, lambda: framing_runner(nlp, 4096)),
        System("framing + to_dict + json.dumps, batch 1024", f"{ALL_HEADS}; what the CLI pays",
               lambda: framing_runner(nlp, 1024, as_json=True)),
        System("VADER", "sentiment only", vader_runner),
        System("TextBlob", "sentiment only (polarity, subjectivity)", textblob_runner, may_subset=True),
        System("TF-IDF + LR (BABE)", "bias probability only", lambda: tfidf_lr_runner(data)),
    ]


# --- timing -------------------------------------------------------------------------------------------

def seconds(run: Runner, texts: list[str]) -> float:
    t0 = time.perf_counter()
    run(texts)
    return time.perf_counter() - t0


def too_slow(run: Runner, texts: list[str]) -> bool:
    """Would one run over ``texts`` take over ``SLOW_BUDGET_S``? (Projected from their first ``SLOW_SUBSET``.)"""
    probe = texts[:SLOW_SUBSET]
    return len(probe) < len(texts) and seconds(run, probe) * len(texts) / len(probe) > SLOW_BUDGET_S


def measure(systems: list[System], texts: list[str], repeat: int) -> list[Row]:
    """Best of ``repeat`` timed runs over ``texts`` per system, after one warm-up on ``WARMUP``
    sentences each. The runs take turns (every system once, then every system again, ...), so
    that a slower spell of the machine falls on all of them alike, and each starts after a full
    garbage collection."""
    ready: list[tuple[System, str, Runner, list[str]]] = []
    rows: dict[str, Row] = {}
    for system in systems:
        name, subset = system.name, texts
        try:
            run = system.factory()
            if system.may_subset and too_slow(run, texts):
                subset = texts[:SLOW_SUBSET]
                name = f"{name} (slow: first {len(subset):,} sentences only)"
            run(subset[:WARMUP])
        except NotImplementedError as e:
            rows[system.name] = Row(name, system.heads, len(subset), unavailable=str(e))
            continue
        except ImportError as e:
            missing = e.name or str(e)
            rows[system.name] = Row(name, system.heads, len(subset),
                                    unavailable=f"{missing} is not installed (pip install 'framing[bench]')")
            continue
        ready.append((system, name, run, subset))
    # All systems are loaded in this one process: keep what they loaded out of the garbage
    # collector while timing, so that one system's objects do not slow another's collections
    # (as in a process of its own).
    gc.collect()
    gc.freeze()
    runs: dict[str, list[float]] = {system.name: [] for system, *_ in ready}
    for _ in range(repeat):
        for system, _, run, subset in ready:
            gc.collect()  # the garbage of the system before is not collected on this one's time
            runs[system.name].append(seconds(run, subset))
    gc.unfreeze()
    for system, name, _, subset in ready:
        best = min(runs[system.name])
        rows[system.name] = Row(name, system.heads, len(subset), best, len(subset) / best, run_seconds=runs[system.name])
    return [rows[system.name] for system in systems]


# --- fresh processes ----------------------------------------------------------------------------------

def python(code: str, *args: str, stdin: str | None = None) -> str:
    """stdout of ``code`` run with ``args`` in a fresh interpreter (the one running this script)."""
    done = subprocess.run([sys.executable, "-c", code, *args], input=stdin, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"fresh interpreter failed:\n{done.stderr}")
    return done.stdout


def load_times() -> dict[str, float | list[list[float]]]:
    """Median seconds over ``LOADS`` fresh interpreters: import framing + load, and load alone."""
    runs, floor = [], []
    for _ in range(LOADS):  # taking turns, so that a busier spell of the machine falls on both
        runs.append([float(x) for x in python(LOAD_CODE).split()])
        floor.append(float(python(FLOOR_CODE)))
    return {
        "import_and_load": statistics.median(r[0] for r in runs),
        "load": statistics.median(r[1] for r in runs),
        "numpy_and_scipy_sparse": statistics.median(floor),
        "runs": runs,
    }


def peak_rss_mb(texts: list[str]) -> dict[str, float]:
    """Peak RSS of a process that only imports framing, and of one that loads the model and scores ``texts``."""

    def mb(kib: str) -> float:
        return int(kib) * 1024 / 1e6  # ru_maxrss is in KiB on Linux

    return {
        "import_only": mb(python(PEAK_RSS_CODE, RSS_IMPORT_WORK)),
        "load_and_score": mb(python(PEAK_RSS_CODE, RSS_SCORE_WORK, stdin=json.dumps(texts))),
    }


def model_size_mb() -> float:
    return sum(f.stat().st_size for f in bundled_model_dir().rglob("*") if f.is_file()) / 1e6


# --- report -------------------------------------------------------------------------------------------

def table(rows: list[Row]) -> str:
    vader = next((r.sentences_per_s for r in rows if r.system == "VADER"), None)
    vader_median = next((r.median_per_s for r in rows if r.system == "VADER"), None)
    lines = ["| system | sentences/s (best) | ÷ VADER (best) | sentences/s (median) | ÷ VADER (median) | heads |",
             "|---|---:|---:|---:|---:|---|"]
    for r in rows:
        if r.sentences_per_s is None:
            lines.append(f"| {r.system} | not available | | | | {r.unavailable} |")
            continue
        ratio = f"{r.sentences_per_s / vader:.2f}×" if vader else "n/a"
        median = f"{r.median_per_s / vader_median:.2f}×" if vader_median else "n/a"
        lines.append(f"| {r.system} | {r.sentences_per_s:,.0f} | {ratio} | {r.median_per_s:,.0f} | {median} | {r.heads} |")
    return "\n".join(lines)


def round_ratios(rows: list[Row], system: str) -> list[float]:
    """``system``'s sentences/s over VADER's in each round (the runs of one round follow each other)."""
    mine = next((r for r in rows if r.system == system and r.run_seconds), None)
    vader = next((r for r in rows if r.system == "VADER" and r.run_seconds), None)
    if mine is None or vader is None:
        return []
    return [(mine.sentences / a) / (vader.sentences / b) for a, b in zip(mine.run_seconds, vader.run_seconds)]


def positive(value: str) -> int:
    n = int(value)
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {n}")
    return n


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data",
                    help="data directory (default: ../shared/data beside the repository)")
    ap.add_argument("--sentences", type=positive, default=20000, help="how many sentences to score (default 20000)")
    ap.add_argument("--repeat", type=positive, default=3, help="timed runs per system; the best counts (default 3)")
    ap.add_argument("--parallel-sentences", type=positive, default=300_000,
                    help="corpus size for the 1-vs-2-process comparison (default 300000)")
    ap.add_argument("--json", type=Path, default=None, help="also write every number here as JSON")
    args = ap.parse_args(argv)
    missing = [p for p in (args.data / PARAGRAPHS, args.data / BABE) if not p.is_file()]
    if missing:
        print(f"speed benchmark: {', '.join(map(str, missing))} not found; pass --data DIR. Skipping.", file=sys.stderr)
        return 0

    texts = news_sentences(args.data, args.sentences)
    mean_chars = sum(map(len, texts)) / len(texts)
    short = f" (the data has only {len(texts):,})" if len(texts) < args.sentences else ""
    print(f"framing {framing.__version__}, Python {platform.python_version()}, {os.cpu_count()} CPUs")
    print(f"{len(texts):,} sentences{short} from {PARAGRAPHS}, mean {mean_chars:.1f} characters; "
          f"best of {args.repeat} runs after a warm-up\n")

    nlp = framing.load()
    rows = measure(systems(nlp, args.data), texts, args.repeat)
    print(table(rows))
    per_round = round_ratios(rows, "framing, batch 1024 (default)")
    if per_round:
        print(f"\nframing, batch 1024 (default) ÷ VADER in each round: {', '.join(f'{x:.2f}×' for x in per_round)} "
              f"(lowest {min(per_round):.2f}×)")
    parallel = parallel_speedup(nlp, texts, args.parallel_sentences, args.repeat)
    print(f"\nprocesses ({parallel['sentences']:,} sentences, batch 1024, worker start included, "
          f"best of {parallel['runs']} runs taking turns): "
          f"1 process {parallel['one_process']:,.0f}/s, 2 processes {parallel['two_processes']:,.0f}/s, "
          f"speed-up {parallel['speedup']:.2f}x")

    small = {}
    for n in (2000, len(texts)):
        small[n] = parallel_speedup(nlp, texts[:n], n, args.repeat)
        print(f"small input ({n:,} sentences, {sum(map(len, texts[:n])):,} characters; workers start above "
              f"{MIN_PARALLEL_CHARS:,}): 1 process {small[n]['one_process']:,.0f}/s, 2 processes "
              f"{small[n]['two_processes']:,.0f}/s, ratio {small[n]['speedup']:.2f}x")

    loads = load_times()
    size = model_size_mb()
    rss = peak_rss_mb(texts)
    print(f"\nmodel load, median of {LOADS} fresh processes: import + load {loads['import_and_load']:.2f} s, "
          f"load alone {loads['load']:.2f} s; importing numpy and scipy.sparse alone "
          f"{loads['numpy_and_scipy_sparse']:.2f} s")
    print(f"model size on disk: {size:.1f} MB ({bundled_model_dir()})")
    print(f"peak RSS: import framing {rss['import_only']:.0f} MB; "
          f"load + score {len(texts):,} sentences at the default batch {rss['load_and_score']:.0f} MB")
    total = time.perf_counter() - started
    print(f"\nbenchmark took {total:.0f} s")

    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "framing_version": framing.__version__,
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "sentences": len(texts),
            "mean_characters": mean_chars,
            "repeat": args.repeat,
            "throughput": [asdict(r) for r in rows],
            "default_over_vader_per_round": per_round,
            "processes": parallel,
            "small_inputs": small,
            "load_seconds": loads,
            "model_size_mb": size,
            "peak_rss_mb": rss,
            "total_seconds": total,
        }, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
