"""What the model says about 36k AllSides articles from 484 outlets: score the whole corpus, then compare.

    python benchmarks/corpus.py [--data ../shared/data] [--work benchmarks/results/corpus] [--reuse] [--dedupe]

1. Decompresses ``news_unlabelled/allsides_articles.jsonl.gz`` into WORK and runs
   ``framing score --n-process 2 --keep source,leaning,topic,date`` on it in a subprocess,
   recording wall time, sentences per second (of wall time, and of the processes' CPU time, which
   other jobs on the machine do not change) and the peak memory of the whole process tree
   (sampled from /proc every 0.5 s: RSS summed, and PSS, which splits shared pages; also the
   largest RSS of any one process from ``getrusage(RUSAGE_CHILDREN)``). ``--reuse`` skips this
   when WORK already holds a finished run (its numbers are read back from ``score.json``).
2. ``framing compare`` on the whole scored file in a subprocess (time and peak memory), then
   ``framing.compare`` by ``leaning`` against ``center`` and by the 20 largest outlets (articles),
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
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

import framing
from common import run_sampled
from framing.corpus.compare import fingerprint
from framing.training.corpora import default_data_dir

ROOT = Path(__file__).resolve().parents[1]
KEEP = "source,leaning,topic,date"


def score(data_dir: Path, work: Path, n_process: int) -> dict:
    """Score the whole corpus into WORK/scored.jsonl; the run's numbers (also written to WORK/score.json)."""
    src, scored = work / "allsides.jsonl", work / "scored.jsonl"
    with gzip.open(data_dir / "news_unlabelled" / "allsides_articles.jsonl.gz", "rb") as f, src.open("wb") as out:
        shutil.copyfileobj(f, out, 1 << 20)
    cmd = [sys.executable, "-m", "framing.cli", "score", str(src), "-o", str(scored), "-q", "--n-process",
           str(n_process), "--id-field", "id", "--keep", KEEP, "--skip-errors", "--errors", str(work / "errors.jsonl")]
    status, seconds, peak_rss, peak_pss = run_sampled(cmd, every=0.5)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    if status:
        raise SystemExit(f"framing score failed with exit status {status}")
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
    ap.add_argument("--top", type=int, default=20, help="how many of the largest outlets to compare (default: 20)")
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
    analyse(args.work, args.top)
    return 0


SLIM_FIELDS = ("id", "source", "leaning", "topic", "date", "loaded_score", "loaded")
SENTENCE_FIELDS = ("text", "bias", "biased", "labels", "frames", "quoted")


def slim(work: Path, top: int, keep_sentences: int = 6) -> tuple[list[str], dict, np.ndarray, np.ndarray]:
    """One pass over the scored file: the fields compare reads, to WORK/slim.jsonl (much smaller, so the
    comparisons that follow read fast); the outlets by articles; each outlet's most biased sentences; and
    how many articles each sentence fingerprint is found in."""
    outlets: Counter = Counter()
    best: dict[str, list] = {}
    prints = []
    with (work / "scored.jsonl").open(encoding="utf-8") as f, (work / "slim.jsonl").open("w", encoding="utf-8") as out:
        for n, line in enumerate(f):
            r = json.loads(line)
            sentences = [{k: s.get(k) for k in SENTENCE_FIELDS} for s in r["sentences"]]
            out.write(json.dumps({**{k: r.get(k) for k in SLIM_FIELDS}, "sentences": sentences}, ensure_ascii=False) + "\n")
            outlets[r["source"]] += 1
            heap = best.setdefault(r["source"], [])
            for k, s in enumerate(sentences):
                item = (s["bias"], n, k, s["text"], s["labels"], s["quoted"], r.get("id"))
                (heapq.heappush if len(heap) < keep_sentences else heapq.heappushpop)(heap, item)
            prints.extend({fingerprint(s["text"]) for s in sentences})
    values, counts = np.unique(np.array(prints, dtype=np.int64), return_counts=True)
    return [o for o, _ in outlets.most_common(top)], best, values, counts


def articles_with(text: str, values: np.ndarray, counts: np.ndarray) -> int:
    """In how many articles of the corpus the sentence ``text`` is found."""
    i = np.searchsorted(values, fingerprint(text))
    return int(counts[i]) if i < len(values) and values[i] == fingerprint(text) else 0


def command_line_compare(work: Path) -> None:
    """``framing compare`` on the whole scored file, in a subprocess: its time and peak memory."""
    cmd = [sys.executable, "-m", "framing.cli", "compare", str(work / "scored.jsonl"), "--by", "source", "-q",
           "-o", str(work / "all_outlets.csv")]
    status, seconds, peak, _ = run_sampled(cmd)
    if status:
        raise SystemExit(f"framing compare failed with exit status {status}")
    size = (work / "scored.jsonl").stat().st_size
    print(f"\n`framing compare scored.jsonl --by source -o all_outlets.csv` on the whole scored file ({size / 1e9:.1f} GB "
          f"of JSON lines): {seconds:.0f} s, peak RSS {peak / 1024:.0f} MB")


def analyse(work: Path, top: int) -> None:
    """Compare by leaning and by the largest outlets; print the tables and what drives the outlets' ranking."""
    command_line_compare(work)
    start = time.perf_counter()
    outlets, best, values, counts = slim(work, top)
    slim_file = work / "slim.jsonl"
    print(f"\n(one pass over the scored file to {slim_file.name}: {time.perf_counter() - start:.0f} s)")

    start = time.perf_counter()
    leaning = framing.compare(slim_file, by="leaning", against="center")
    seconds = time.perf_counter() - start
    leaning.to_markdown(path=work / "leaning.md")
    leaning.to_csv(work / "leaning.csv")
    (work / "leaning.html").write_text(framing.render_comparison(leaning, title="AllSides articles by leaning"), encoding="utf-8")
    print(f"\n### By leaning (AllSides' rating of the outlet), against center\n\n`framing.compare(..., by='leaning', "
          f"against='center')`: {seconds:.0f} s for {sum(g['articles'] for g in leaning.groups):,} articles\n")
    print(leaning.to_markdown())
    print(leaning.to_markdown(differences=True))
    outlets_unit = framing.compare(slim_file, by="leaning", against="center", unit="source")
    units = {g["leaning"]: r["units"] for g, r in zip(outlets_unit.groups, outlets_unit.rows[:: len(outlets_unit.measures)])}
    print("\nThe same, resampling whole outlets (`unit='source'`: the claim is then about outlets, not these articles; "
          + ", ".join(f"{k} {v} outlets" for k, v in units.items()) + ")\n")
    print(outlets_unit.to_markdown(differences=True))

    by_source = framing.compare(slim_file, by="source")
    largest = by_source.select(source=outlets)
    largest.to_csv(work / "outlets.csv")
    (work / "outlets.html").write_text(framing.render_comparison(largest, title=f"The {top} largest AllSides outlets"),
                                       encoding="utf-8")
    ranked = sorted((r for r in largest.rows if r["measure"] == "loaded_score"), key=lambda r: -r["value"])
    order = [r["source"] for r in ranked]
    print(f"\n### The {top} outlets with the most articles, by mean loaded score\n")
    print(largest.select(source=order).to_markdown(measures=("loaded_score", "biased", "Loaded_Language", "Doubt")))

    start = time.perf_counter()
    deduped = framing.compare(slim_file, by="source", dedupe=2)
    seconds = time.perf_counter() - start
    measure = "biased"  # dedupe drops sentences: the sentence measures move; an article's loaded_score is the model's
    before = {r["source"]: r for r in largest.rows if r["measure"] == measure}
    after = {r["source"]: r for r in deduped.select(source=order).rows if r["measure"] == measure}
    rank_before, rank_after = (sorted(order, key=lambda o: -rows[o]["value"]) for rows in (before, after))
    print(f"\n### What repeated sentences do to the ranking (`dedupe=2` leaves out the {deduped.dropped_sentences:,} "
          f"sentences found in 2 or more articles; {seconds:.0f} s)\n")
    print("| outlet | articles | share of sentences biased | rank | deduped | rank, deduped | sentences kept |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for o in rank_before:
        r, d = before[o], after[o]
        print(f"| {o} | {r['articles']:,} | {r['value']:.3f} ({r['low']:.3f}-{r['high']:.3f}) | {rank_before.index(o) + 1} "
              f"| {d['value']:.3f} ({d['low']:.3f}-{d['high']:.3f}) | {rank_after.index(o) + 1} | {d['sentences'] / r['sentences']:.0%} |")

    print("\n### The sentences found in the most articles\n\n| articles | sentence |\n|---:|---|")
    texts = {}
    with slim_file.open(encoding="utf-8") as f:
        wanted = set(values[np.argsort(-counts)[:15]].tolist())
        for line in f:
            for s in json.loads(line)["sentences"]:
                p = fingerprint(s["text"])
                if p in wanted and p not in texts:
                    texts[p] = s["text"]
            if len(texts) == len(wanted):
                break
    for p in sorted(texts, key=lambda p: -articles_with(texts[p], values, counts)):
        print(f"| {articles_with(texts[p], values, counts):,} | {texts[p][:120].replace('|', '/')} |")

    repeated = {r["source"]: r for r in largest.rows if r["measure"] == "loaded_score"}
    for name, chosen in (("highest", order[:3]), ("lowest", order[-3:])):
        print(f"\n### The {name}-scoring of these outlets: their most biased sentences\n")
        for o in chosen:
            print(f"**{o}** (mean loaded score {repeated[o]['value']:.3f})\n")
            for bias, _, _, text, labels, quoted, _ in sorted(best[o], reverse=True):
                print(f"- {bias:.2f} {'[quoted] ' if quoted and quoted > 0.5 else ''}"
                      f"(in {articles_with(text, values, counts)} articles) {text[:200]!r} {', '.join(labels)}")
            print()


if __name__ == "__main__":
    sys.exit(main())
