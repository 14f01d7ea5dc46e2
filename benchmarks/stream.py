"""Stream a large JSONL file through `framing score` and measure time and peak memory.

    python benchmarks/stream.py [--lines 1000000] [--n-process 2] [--data ../shared/data]

Writes a temporary JSONL file of LINES records (real news sentences from the SemEval
paragraphs, cycled, each with an "id"), runs `framing score FILE -o OUT --n-process N
--id-field id` in a subprocess, samples the resident memory of that process and its
workers every 0.2 s from /proc, and checks that the output has one record per input line
with the ids in order. Peak memory is the largest sum over the process tree at any sample, as RSS (shared pages
counted in every process) and as PSS (shared pages split between the processes sharing them).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from common import run_sampled
from framing.training.corpora import default_data_dir
from framing.scoring.text import split_sentences


def write_input(data_dir: Path, path: Path, lines: int) -> None:
    """LINES JSON records {"id", "text"} cycling over real news sentences."""
    src = data_dir / "semeval2023_en" / "techniques_paragraphs_train.jsonl"
    sentences = []
    for line in src.read_text(encoding="utf-8").splitlines()[:3000]:
        text = json.loads(line)["text"]
        sentences += [text[s:e] for s, e in split_sentences(text)]
    with path.open("w", encoding="utf-8") as f:
        for i in range(lines):
            f.write(json.dumps({"id": i, "text": sentences[i % len(sentences)]}) + "\n")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--n-process", type=int, default=2)
    ap.add_argument("--data", type=Path, default=default_data_dir())
    args = ap.parse_args(argv)
    if not (args.data / "semeval2023_en").is_dir():
        print(f"no data at {args.data}: nothing to measure (pass --data DIR)", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "big.jsonl", Path(tmp) / "out.jsonl"
        write_input(args.data, src, args.lines)
        cmd = [sys.executable, "-m", "framing.cli", "score", str(src), "-o", str(out), "-q",
               "--n-process", str(args.n_process), "--id-field", "id", "--batch-size", "1024"]
        status, seconds, peak_rss, peak_pss = run_sampled(cmd)
        if status:
            print(f"framing score failed with exit status {status}", file=sys.stderr)
            return 1
        n = 0
        with out.open(encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if json.loads(line)["id"] != n - 1:
                    print(f"output record {n} has the wrong id", file=sys.stderr)
                    return 1
        print("| input lines | output records | n_process | seconds | lines/s | peak RSS, summed over processes | peak PSS, summed |")
        print("|---|---|---|---|---|---|---|")
        print(f"| {args.lines:,} | {n:,} | {args.n_process} | {seconds:.1f} | {args.lines / seconds:,.0f} "
              f"| {peak_rss / 1024:.0f} MB | {peak_pss / 1024:.0f} MB |")
        return 0 if n == args.lines else 1


if __name__ == "__main__":
    sys.exit(main())
