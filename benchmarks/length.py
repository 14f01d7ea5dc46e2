"""Does a document's score grow with its length? On whole articles, the correlation of ``loaded_score``
with length, and how the share of loaded documents moves from the shortest to the longest third.

    python benchmarks/length.py [--data ../shared/data] [--allsides 3000] [--json OUT]

Articles: the SemEval-2023 training articles (one paragraph a line) and the first ``--allsides``
articles of ``news_unlabelled/allsides_articles.jsonl.gz`` (paragraphs separated by line breaks).
Also reports, per sentence-length band, the share of sentences given any technique next to the
share with a loaded phrase (labels should follow evidence, not length).
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import json
import sys
from pathlib import Path

import numpy as np

import framing
from common import has_data, write_json
from framing.training import corpora as data

BANDS = ((0, 10), (10, 20), (20, 30), (30, 40), (40, 50), (50, 60), (60, 10_000))


def _articles(data_dir: Path, allsides: int) -> dict[str, list[str]]:
    out = {"semeval": [r["text"] for r in data.load_semeval(data_dir, "techniques_articles")]}
    path = data_dir / "news_unlabelled" / "allsides_articles.jsonl.gz"
    if allsides and path.is_file():
        with gzip.open(path, "rt", encoding="utf-8") as f:
            out["allsides"] = [t for t in (json.loads(line)["text"] for line in itertools.islice(f, allsides)) if t.strip()]
    return out


def measure(nlp, texts: list[str]) -> dict:
    """Length correlations of the docs of ``texts`` and the technique and phrase shares by sentence length."""
    docs = list(nlp.pipe(texts))
    chars = np.array([len(t) for t in texts], dtype=float)
    paragraphs = np.array([len(d.paragraphs) for d in docs], dtype=float)
    score = np.array([d.loaded_score for d in docs])
    loaded = np.array([d.loaded for d in docs], dtype=float)
    third = np.argsort(chars)
    short, long = third[: len(third) // 3], third[-(len(third) // 3):]
    bands = []
    words = [(len(s.text.split()), bool(s.labels), bool(s.spans)) for d in docs for s in d.sentences]
    for lo, hi in BANDS:
        inside = [(t, p) for n, t, p in words if lo <= n < hi]
        if inside:
            bands.append({"words": f"{lo}-{hi - 1}" if hi < 10_000 else f"{lo}+", "sentences": len(inside),
                          "with_technique": round(float(np.mean([t for t, _ in inside])), 3),
                          "with_phrase": round(float(np.mean([p for _, p in inside])), 3)})
    return {"documents": len(docs), "r_score_chars": round(float(np.corrcoef(score, chars)[0, 1]), 3),
            "r_score_paragraphs": round(float(np.corrcoef(score, paragraphs)[0, 1]), 3),
            "loaded_share_shortest_third": round(float(loaded[short].mean()), 3),
            "loaded_share_longest_third": round(float(loaded[long].mean()), 3),
            "mean_score": round(float(score.mean()), 3), "loaded_share": round(float(loaded.mean()), 3), "bands": bands}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=data.default_data_dir(), help="the corpora directory")
    ap.add_argument("--allsides", type=int, default=3000, help="how many AllSides articles (0: none)")
    ap.add_argument("--model", type=Path, default=None, help="a model directory (default: the bundled model)")
    ap.add_argument("--json", type=Path, default=None, help="also write the numbers here as JSON")
    args = ap.parse_args(argv)
    if not has_data(args.data):
        return 2
    nlp = framing.load(args.model)
    results = {name: measure(nlp, texts) for name, texts in _articles(args.data, args.allsides).items()}
    print("| articles | documents | r(score, characters) | r(score, paragraphs) | loaded: shortest third | longest third |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, r in results.items():
        print(f"| {name} | {r['documents']} | {r['r_score_chars']:.3f} | {r['r_score_paragraphs']:.3f} | "
              f"{r['loaded_share_shortest_third']:.3f} | {r['loaded_share_longest_third']:.3f} |")
    print("\n| articles | sentence words | sentences | with a technique | with a loaded phrase |\n|---|---|---:|---:|---:|")
    for name, r in results.items():
        for b in r["bands"]:
            print(f"| {name} | {b['words']} | {b['sentences']} | {b['with_technique']:.3f} | {b['with_phrase']:.3f} |")
    write_json(args.json, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
