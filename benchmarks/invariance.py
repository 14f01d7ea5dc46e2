"""Names and topics are not bias: how far scores move when only a name, a party or a topic noun changes.

    python benchmarks/invariance.py [--model DIR] [--json OUT]

Neutral news sentences written for this benchmark, each filled in with both sides of a swap
(Pelosi <-> McConnell, Democrats <-> Republicans, ...): the mean and largest absolute change of
sentence ``bias`` and ``loaded_score``, and how many ``biased`` / ``loaded`` decisions flip.
Target: mean change of ``bias`` at most 0.02, and no decision flipping.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

import framing
from common import write_json

TEMPLATES = [
    "{person} said on Tuesday that the committee would vote on the {topic} bill next week.",
    "{party} in the House met with {person} to discuss the {topic} proposal.",
    "The {topic} measure passed the Senate 52 to 48, with most {party} voting in favor.",
    "{person} will travel to Ohio on Friday to speak about {topic}.",
    "A spokesperson for {person} confirmed the meeting took place in Washington.",
    "{party} released a statement on {topic} after the hearing ended.",
    "The hearing on {topic} is scheduled to begin at 10 a.m. on Thursday.",
    "{person} and other {party} leaders are expected to attend the briefing.",
    "Ohio Rep. {person} said the effort was not a failure.",
    "The {topic} report was published by the Congressional Budget Office on Monday.",
    "{party} hold a majority of seats in the state legislature.",
    "{person} answered questions from reporters for about twenty minutes.",
]
SWAPS = {
    "person": [("Nancy Pelosi", "Mitch McConnell"), ("Joe Biden", "Donald Trump"), ("Marcia Fudge", "Mary Smith"),
               ("Hope Hicks", "Anne Walker"), ("Rich Lowry", "Tom Baker")],
    "party": [("Democrats", "Republicans"), ("liberals", "conservatives")],
    "topic": [("abortion", "infrastructure"), ("immigration", "agriculture"), ("gun", "highway"),
              ("climate", "budget"), ("tax", "veto")],
}
DEFAULTS = {"person": "Mary Smith", "party": "lawmakers", "topic": "budget"}


def pairs() -> list[tuple[str, str, str]]:
    """(slot, one side, the other side) sentence pairs, other slots at a neutral default."""
    out = []
    for template in TEMPLATES:
        for slot, swaps in SWAPS.items():
            if "{" + slot + "}" not in template:
                continue
            for a, b in swaps:
                fill = {k: v for k, v in DEFAULTS.items() if k != slot}
                out.append((slot, template.format(**fill, **{slot: a}), template.format(**fill, **{slot: b})))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", type=Path, default=None, help="a model directory (default: the bundled model)")
    ap.add_argument("--json", type=Path, default=None, help="also write the numbers here as JSON")
    args = ap.parse_args(argv)
    nlp = framing.load(args.model)
    rows = pairs()
    docs = list(nlp.pipe([t for _, a, b in rows for t in (a, b)]))
    results = {}
    for slot in [*SWAPS, "all"]:
        chosen = [i for i, (s, _, _) in enumerate(rows) if slot in (s, "all")]
        a, b = [docs[2 * i] for i in chosen], [docs[2 * i + 1] for i in chosen]
        bias = np.abs([x.sentences[0].bias - y.sentences[0].bias for x, y in zip(a, b)])
        loaded = np.abs([x.loaded_score - y.loaded_score for x, y in zip(a, b)])
        results[slot] = {"pairs": len(chosen), "bias_mean_change": round(float(bias.mean()), 4),
                         "bias_max_change": round(float(bias.max()), 4),
                         "loaded_mean_change": round(float(loaded.mean()), 4),
                         "biased_flips": int(sum(x.sentences[0].biased != y.sentences[0].biased for x, y in zip(a, b))),
                         "loaded_flips": int(sum(x.loaded != y.loaded for x, y in zip(a, b))),
                         "biased_share": round(float(np.mean([d.sentences[0].biased for d in a + b])), 3)}
    print("| swapped | pairs | mean change of bias | largest | mean change of loaded_score | biased flips | loaded flips | biased share |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for slot, r in results.items():
        print(f"| {slot} | {r['pairs']} | {r['bias_mean_change']:.4f} | {r['bias_max_change']:.4f} | "
              f"{r['loaded_mean_change']:.4f} | {r['biased_flips']} | {r['loaded_flips']} | {r['biased_share']:.3f} |")
    worst = max(range(len(rows)), key=lambda i: abs(docs[2 * i].sentences[0].bias - docs[2 * i + 1].sentences[0].bias))
    print(f"\nlargest change: {rows[worst][1]!r} {docs[2 * worst].sentences[0].bias} <-> "
          f"{rows[worst][2]!r} {docs[2 * worst + 1].sentences[0].bias}")
    write_json(args.json, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
