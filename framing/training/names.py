"""The list of words that are names wherever they stand (``framing/scoring/resources/names.txt``),
learned from how news text capitalizes them.

    python -m framing.training.names --data ../shared/data [--articles 12000] [--out FILE]

A word is listed when, away from the start of a sentence or quotation, it is written with a
capital at least ``share`` of the time over at least ``min_count`` occurrences in the first
``articles`` AllSides articles (``news_unlabelled/allsides_articles.jsonl.gz``): "trump",
"pelosi", "tuesday", but not "hope" or "rich". A capitalized listed word at the start of a
sentence is then a name too ("Trump said ..."; see :mod:`framing.scoring.features.forms`).
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from framing.scoring.features import forms
from framing.scoring.features.base import TokenBatch
from framing.training import corpora as data

HEADER = "# Words that are names wherever they stand, learned by framing.training.names from AllSides' capitalization.\n"


def usually_capitalized(texts: list[str], min_count: int = 5, share: float = 0.95) -> list[str]:
    """Lower-cased words of ``texts`` written with a capital (not all capitals) at least ``share`` of
    their ``min_count`` or more occurrences away from the start of a sentence or quotation."""
    seen, capital = Counter(), Counter()
    for lo in range(0, len(texts), 2000):
        batch = TokenBatch.from_texts(texts[lo : lo + 2000])
        kinds = np.fromiter(map(forms.kind, batch.raw), dtype=np.int64, count=len(batch.raw))
        inside = np.ones(len(batch.raw), dtype=bool)
        inside[batch.indptr[:-1][np.diff(batch.indptr) > 0]] = False
        inside[1:] &= (kinds[:-1] & forms.OPENER_KIND) == 0
        word = (batch.shapes & 4) == 0  # not punctuation
        cap = ((batch.shapes & forms.CAPITALIZED_BIT) > 0) & ((batch.shapes & forms.ALL_CAPS_BIT) == 0)
        raw = batch.raw
        for i in np.flatnonzero(inside & word).tolist():
            low = raw[i].lower()
            seen[low] += 1
            if cap[i]:
                capital[low] += 1
    return sorted(w for w, n in seen.items() if n >= min_count and capital[w] >= share * n
                  and any(c.isalpha() for c in w) and w not in forms.FUNCTION_WORDS and not forms.is_party(w))


def allsides_paragraphs(data_dir: Path, articles: int) -> list[str]:
    """The paragraphs (lines) of the first ``articles`` AllSides articles."""
    path = Path(data_dir) / "news_unlabelled" / "allsides_articles.jsonl.gz"
    if not path.is_file():
        raise FileNotFoundError(f"no {path}: pass --data, the directory that holds news_unlabelled/")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [p for line in itertools.islice(f, articles) for p in json.loads(line)["text"].splitlines() if p.strip()]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=data.default_data_dir(), help="the corpora directory")
    ap.add_argument("--articles", type=int, default=12000, help="how many AllSides articles to read")
    ap.add_argument("--out", type=Path, default=forms.NAMES_FILE, help="where to write the list")
    args = ap.parse_args(argv)
    names = usually_capitalized(allsides_paragraphs(args.data, args.articles))
    args.out.write_text(HEADER + "".join(f"{w}\n" for w in names), encoding="utf-8")
    print(f"{len(names)} names -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
