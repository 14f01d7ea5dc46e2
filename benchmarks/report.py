"""How long ``framing report`` takes against ``framing score`` on the same SemEval paragraphs, and how big it is.

    python benchmarks/report.py --paragraphs 4900

Writes the first N paragraphs of ``../shared/data/semeval2023_en/techniques_paragraphs_train.jsonl`` to a
temporary file (never into the repository), runs each command as a process (model load included) and
prints a markdown table: wall time, output size.
"""
from __future__ import annotations

import argparse
import itertools
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "semeval2023_en" / "techniques_paragraphs_train.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paragraphs", type=int, default=4900)
    ap.add_argument("--data", type=Path, default=DATA)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="framing-report-bench-"))
    src = work / "paragraphs.jsonl"
    with args.data.open(encoding="utf-8") as f:
        src.write_text("".join(itertools.islice(f, args.paragraphs)), encoding="utf-8")
    framing = [sys.executable, "-m", "framing.cli"]
    runs = [
        ("framing score (compact JSON lines)", [*framing, "score", str(src), "-o", str(work / "s.jsonl"), "-q"], work / "s.jsonl"),
        ("framing score --level sentence (CSV)", [*framing, "score", str(src), "-o", str(work / "s.csv"), "--level",
                                                  "sentence", "-q"], work / "s.csv"),
        ("framing report (first 250 in full)", [*framing, "report", str(src), "-o", str(work / "r.html"), "-q"], work / "r.html"),
        (f"framing report --max-records {args.paragraphs} (all in full)",
         [*framing, "report", str(src), "-o", str(work / "all.html"), "--max-records", str(args.paragraphs), "-q"],
         work / "all.html"),
    ]
    print(f"{args.paragraphs:,} SemEval paragraphs ({src.stat().st_size / 1e6:.1f} MB of JSON lines)\n")
    print("| command | seconds | output MB |\n|---|---|---|")
    for name, cmd, out in runs:
        t = time.perf_counter()
        subprocess.run(cmd, check=True)
        print(f"| {name} | {time.perf_counter() - t:.1f} | {out.stat().st_size / 1e6:.1f} |", flush=True)


if __name__ == "__main__":
    main()
