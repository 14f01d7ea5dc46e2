"""What the model says about 36k AllSides articles from 484 outlets: score the whole corpus, then compare.

    python benchmarks/corpus.py [--data ../shared/data] [--work benchmarks/results/corpus] [--reuse] [--dedupe]

1. Decompresses ``news_unlabelled/allsides_articles.jsonl.gz`` into WORK and runs
   ``framing score --n-process 2 --keep source,leaning,topic,date`` on it in a subprocess,
   recording wall time, sentences per second (of wall time, and of the processes' CPU time, which
   other jobs on the machine do not change) and the peak memory of the whole process tree
   (sampled from /proc every 0.5 s: RSS summed, and PSS, which splits shared pages; also the
   largest RSS of any one process from ``getrusage(RUSAGE_CHILDREN)``). ``--reuse`` skips this
   when WORK already holds a finished run (its numbers are read back from ``score.json``).
2. ``framing.compare`` by ``leaning`` against ``center`` and by the 20 largest outlets (articles),
   printing the markdown tables the README shows, and writing ``leaning.html`` and ``outlets.html``
   (forest plots) and ``.md``/``.csv`` tables to WORK (``benchmarks/results/`` is ignored by git).
3. For the highest- and lowest-scoring of those outlets, prints their most loaded sentences and
   how many of them are repeated across articles (boilerplate, wire copy), and the outlets'
   ranking with ``dedupe=True`` next to it.
"""
from __future__ import annotations

import argparse
import gzip
import heapq
import json
import resource
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import framing
from framing.training.corpora import default_data_dir
from stream import _tree_memory_kib

ROOT = Path(__file__).resolve().parents[1]
KEEP = "source,leaning,topic,date"


def score(data_dir: Path, work: Path, n_process: int) -> dict:
    """Score the whole corpus into WORK/scored.jsonl; the run's numbers (also written to WORK/score.json)."""
    src, scored = work / "allsides.jsonl", work / "scored.jsonl"
    with gzip.open(data_dir / "news_unlabelled" / "allsides_articles.jsonl.gz", "rb") as f, src.open("wb") as out:
        shutil.copyfileobj(f, out, 1 << 20)
    cmd = [sys.executable, "-m", "framing.cli", "score", str(src), "-o", str(scored), "-q", "--n-process",
           str(n_process), "--id-field", "id", "--keep", KEEP, "--skip-errors", "--errors", str(work / "errors.jsonl")]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd)
    peak_rss = peak_pss = 0
    while proc.poll() is None:
        rss, pss = _tree_memory_kib(proc.pid)
        peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
        time.sleep(0.5)
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        raise SystemExit(f"framing score failed with exit status {proc.returncode}")
    articles = sentences = 0
    with scored.open(encoding="utf-8") as f:
        for line in f:
            articles += 1
            sentences += len(json.loads(line)["sentences"])
    stats = {"command": "framing score allsides.jsonl --n-process %d --id-field id --keep %s" % (n_process, KEEP),
             "articles": articles, "sentences": sentences, "seconds": round(seconds, 1),
             "sentences_per_second": round(sentences / seconds), "articles_per_second": round(articles / seconds, 1),
             "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
             "sentences_per_cpu_second": round(sentences / (usage.ru_utime + usage.ru_stime)),
             "peak_rss_mb_summed": round(peak_rss / 1024), "peak_pss_mb_summed": round(peak_pss / 1024),
             "largest_process_rss_mb": round(usage.ru_maxrss / 1024),
             "errors": sum(1 for _ in (work / "errors.jsonl").open(encoding="utf-8"))}
    (work / "score.json").write_text(json.dumps(stats, indent=2), encoding="utf-8")
    src.unlink()
    return stats


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=default_data_dir())
    ap.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "results" / "corpus")
    ap.add_argument("--n-process", type=int, default=2)
    ap.add_argument("--reuse", action="store_true", help="use the scored file of an earlier run in WORK")
    ap.add_argument("--score-only", action="store_true", help="stop after scoring")
    args = ap.parse_args(argv)
    if not (args.data / "news_unlabelled" / "allsides_articles.jsonl.gz").is_file():
        print(f"no AllSides corpus under {args.data}: nothing to measure (pass --data DIR)", file=sys.stderr)
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    if args.reuse and (args.work / "score.json").is_file():
        stats = json.loads((args.work / "score.json").read_text(encoding="utf-8"))
    else:
        stats = score(args.data, args.work, args.n_process)
    print(f"`{stats['command']}`\n")
    print("| articles | sentences | wall time | sentences/s | CPU time | sentences per CPU-second "
          "| peak RSS, summed over processes | peak PSS, summed | largest process RSS |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {stats['articles']:,} | {stats['sentences']:,} | {stats['seconds']:.0f} s | {stats['sentences_per_second']:,} "
          f"| {stats['cpu_seconds']:.0f} s | {stats['sentences_per_cpu_second']:,} "
          f"| {stats['peak_rss_mb_summed']:,} MB | {stats['peak_pss_mb_summed']:,} MB | {stats['largest_process_rss_mb']:,} MB |")
    if args.score_only:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
