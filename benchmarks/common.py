"""What the benchmarks share: finding the corpora, choosing from a list, writing JSON, running a command while sampling its memory."""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path


def has_data(data_dir: Path) -> bool:
    """Whether ``data_dir`` holds the corpora; if not, say so on standard error."""
    if (data_dir / "bias_sentences").is_dir():
        return True
    print(f"no data at {data_dir}: nothing to measure (pass --data DIR)", file=sys.stderr)
    return False


def chosen(ap: argparse.ArgumentParser, text: str, allowed, what: str) -> list[str]:
    """The comma-separated names in ``text``; an unknown one stops the program with a usage error."""
    names = [n.strip() for n in text.split(",") if n.strip()]
    if unknown := [n for n in names if n not in allowed]:
        ap.error(f"unknown {what} {unknown[0]!r}; choose among {', '.join(allowed)}")
    return names


def write_json(path: Path | None, results: dict) -> None:
    """Write ``results`` to ``path`` as indented JSON (nothing when ``path`` is None)."""
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(results, indent=2))


def tree_memory_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of ``pid`` and its descendants, KiB. RSS counts pages that forked workers share
    with their parent once per process; PSS splits them, so its sum is the memory really used."""
    rss = pss = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            fields = dict(l.split(":", 1) for l in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines()[1:])
            rss += int(fields["Rss"].split()[0])
            pss += int(fields["Pss"].split()[0])
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, KeyError, ValueError):
            continue
    return rss, pss


def run_sampled(cmd: list[str], every: float = 0.2) -> tuple[int, float, int, int]:
    """Run ``cmd``, sampling its process tree's memory every ``every`` seconds:
    ``(exit status, seconds, peak RSS KiB, peak PSS KiB)``."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd)
    peak_rss = peak_pss = 0
    while proc.poll() is None:
        rss, pss = tree_memory_kib(proc.pid)
        peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
        time.sleep(every)
    return proc.returncode, time.perf_counter() - start, peak_rss, peak_pss
