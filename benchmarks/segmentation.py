"""Sentence-boundary accuracy and speed of framing.scoring.text on SemEval-2023 articles.

The articles (title, blank line, then one paragraph per line) give gold
boundaries at every line end, but none inside a line. So this reports:

1. recall of line-end boundaries when each article's lines are joined with a
   single space, so they must be found from punctuation alone (titles seldom
   end in punctuation, hence the rows with and without them);
2. on the original text, sentences per line and how many boundaries fall
   inside a line;
3. agreement of those in-line boundaries with pysbd, a rule-based segmenter,
   if installed (`pip install pysbd`);
4. speed of split_sentences over all articles.

Usage: python benchmarks/segmentation.py [--data ../shared/data] [--show N]
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from framing.scoring.text import split_sentences  # noqa: E402

ARTICLES = Path("semeval2023_en") / "techniques_articles_train.jsonl"
TERMINAL = tuple(".!?…")
CLOSERS = "\"'”’)]"


def load_articles(data: Path) -> list[str]:
    with open(data / ARTICLES, encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f if line.strip()]


def article_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line, trimmed."""
    lines, pos = [], 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = pos + line.index(stripped[0])
            lines.append((start, start + len(stripped)))
        pos += len(line) + 1
    return lines


def ends_in_punctuation(line: str) -> bool:
    return line.rstrip(CLOSERS).endswith(TERMINAL)


def joined_recall(articles: list[str], show: int) -> dict[str, tuple[int, int]]:
    """Line-end boundaries found when lines are joined by spaces: name -> (found, total)."""
    counts = {"all line ends": [0, 0], "without titles": [0, 0], "titles only": [0, 0],
              "lines ending in .!?…": [0, 0], "other lines": [0, 0]}
    misses = []
    for text in articles:
        lines = [text[s:e] for s, e in article_lines(text)]
        joined = " ".join(lines)
        ends = {e for _, e in split_sentences(joined)}
        pos = 0
        for i, line in enumerate(lines[:-1]):
            pos += len(line)
            found = pos in ends
            groups = ["all line ends", "titles only" if i == 0 else "without titles"]
            groups.append("lines ending in .!?…" if ends_in_punctuation(line) else "other lines")
            for g in groups:
                counts[g][0] += found
                counts[g][1] += 1
            if not found and i > 0 and ends_in_punctuation(line):
                misses.append(joined[max(0, pos - 60) : pos + 40])
            pos += 1
    for m in misses[:show]:
        print("  missed:", repr(m))
    return {k: tuple(v) for k, v in counts.items()}


def inline_boundaries(articles: list[str]) -> tuple[list[int], list[list[int]], list[str], int]:
    """Per line: sentence count and in-line boundary offsets (sentence starts
    after the first, relative to the line); plus lines and line ends missed."""
    per_line, bounds, texts, crossing = [], [], [], 0
    for text in articles:
        spans = split_sentences(text)
        starts = [s for s, _ in spans]
        j = 0
        for ls, le in article_lines(text):
            while j < len(spans) and spans[j][1] <= ls:
                j += 1
            if j < len(spans) and spans[j][0] < ls:
                crossing += 1  # a sentence runs across this line start
            k = j
            while k < len(spans) and spans[k][0] < le:
                k += 1
            inside = [s - ls for s in starts[j:k] if s > ls]
            per_line.append(k - j)
            bounds.append(inside)
            texts.append(text[ls:le])
    return per_line, bounds, texts, crossing


def pysbd_boundaries(lines: list[str]) -> list[list[int]] | None:
    """pysbd's in-line sentence starts, or None if pysbd is not installed."""
    try:
        import pysbd
    except ImportError:
        return None
    seg = pysbd.Segmenter(language="en", clean=False)
    out = []
    for line in lines:
        starts, cursor = [], 0
        for sent in seg.segment(line):
            sent = sent.strip()
            at = line.find(sent, cursor) if sent else -1
            if at < 0:
                starts = None  # pysbd changed the text: leave this line out
                break
            starts.append(at)
            cursor = at + len(sent)
        out.append(None if starts is None else [s for s in starts if s > 0])
    return out


def inside_quotation(line: str, p: int) -> bool:
    before = line[:p]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def compare(lines: list[str], ours: list[list[int]], ref: list[list[int] | None], show: int) -> dict:
    """(agreed, ours only, pysbd only) over all in-line boundaries and outside quotations."""
    counts = {"all in-line boundaries": [0, 0, 0], "outside quotations": [0, 0, 0]}
    shown = 0
    for line, a, b in zip(lines, ours, ref):
        if b is None:
            continue
        a, b = set(a), set(b)
        for p in a | b:
            which = 0 if p in a and p in b else 1 if p in a else 2
            counts["all in-line boundaries"][which] += 1
            if not inside_quotation(line, p):
                counts["outside quotations"][which] += 1
            if which and shown < show:
                who = "ours only " if which == 1 else "pysbd only"
                print(f"   {who}: {line[max(0, p - 50):p]!r} | {line[p:p + 30]!r}")
                shown += 1
    return counts


def speed(articles: list[str], repeat: int = 5) -> tuple[float, float, int]:
    n = sum(len(split_sentences(t)) for t in articles)
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for t in articles:
            split_sentences(t)
        best = min(best, time.perf_counter() - t0)
    return n / best, sum(map(len, articles)) / best / 1e6, n


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f}%" if b else "  n/a"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data",
                        help="data directory (default: ../shared/data from the repo root)")
    parser.add_argument("--show", type=int, default=0, help="print N examples of misses and disagreements")
    args = parser.parse_args()
    if not (args.data / ARTICLES).is_file():
        where = args.data / ARTICLES
        print(f"segmentation benchmark: {where} not found; pass --data DIR. Skipping.", file=sys.stderr)
        return 0

    articles = load_articles(args.data)
    print(f"{len(articles)} articles, {sum(map(len, articles)):,} characters\n")

    print("1. Line-end recall, lines joined with one space (boundary from punctuation only)")
    for name, (found, total) in joined_recall(articles, args.show).items():
        print(f"   {name:24s} {found:6d} / {total:6d}  {pct(found, total)}")

    per_line, ours, lines, crossing = inline_boundaries(articles)
    n_inline = sum(map(len, ours))
    print("\n2. Original text (line breaks kept)")
    print(f"   lines (paragraphs)                {len(lines):7d}")
    print(f"   line ends inside a sentence       {crossing:7d}")
    print(f"   sentences per line: mean {statistics.mean(per_line):.2f}, "
          f"median {statistics.median(per_line):g}, max {max(per_line)}; "
          f"1: {pct(sum(c == 1 for c in per_line), len(per_line))}, "
          f"2: {pct(sum(c == 2 for c in per_line), len(per_line))}, "
          f"3+: {pct(sum(c >= 3 for c in per_line), len(per_line))}")
    print(f"   predicted in-line boundaries      {n_inline:7d}")

    print("\n3. In-line boundaries vs pysbd (a reference, not gold; pysbd keeps quotations whole)")
    ref = pysbd_boundaries(lines)
    if ref is None:
        print("   skipped: pysbd is not installed (pip install pysbd)")
    else:
        for name, (both, only_ours, only_ref) in compare(lines, ours, ref, args.show).items():
            p_, r_ = both / max(1, both + only_ours), both / max(1, both + only_ref)
            f1 = 2 * p_ * r_ / max(1e-9, p_ + r_)
            print(f"   {name:26s} agreed {both:5d}, ours only {only_ours:4d}, pysbd only {only_ref:4d}: "
                  f"precision {100 * p_:.1f}%  recall {100 * r_:.1f}%  F1 {100 * f1:.1f}%")
        print(f"   lines pysbd altered (left out): {sum(b is None for b in ref)}")

    sps, mbs, n = speed(articles)
    print(f"\n4. Speed of split_sentences: {n:,} sentences, {sps:,.0f} sentences/s "
          f"({mbs:.1f} MB/s), best of 5")
    return 0


if __name__ == "__main__":
    sys.exit(main())
