"""What the accuracy benchmarks share: finding the corpora, choosing from a list, writing JSON."""
from __future__ import annotations

import argparse
import json
import sys
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
