"""Adapting to a corpus the model never saw, from k of its labels: ``framing.adapt`` against peers.

    python benchmarks/adapt.py --distilled minilm.npz --cache ~/.cache/framing-adapt [--corpora babe,mbic]
                               [--draws 5] [--ks 0,25,50,100,200,400,800] [--svg benchmarks/adapt.svg] [--json OUT]

For each corpus X of BABE, MBIC, WikiNPOV and SemEval (Loaded_Language paragraphs), the recipe is
trained without X (``TrainConfig(holdout=X)``, as ``benchmarks/generalization.py`` does; with
``--cache DIR`` the four left-out models are kept in DIR and reused). Then, for each k and each of
``--draws`` random draws of k labelled rows of X (redrawn until each class has the 5 rows adapting
needs), it is adapted on those rows and measured on the rest of X: AUC, macro-F1 and expected
calibration error (10 bins) of ``loaded_score``. k = 0 is the left-out model as it is. Peers, on the
same k rows and measured on the same rest, in the same run:

- the left-out model with only its ``loaded`` threshold re-tuned on the k rows (macro-F1 best);
- TF-IDF + LogisticRegression trained on the k rows alone (decided at 0.5);
- with ``--distilled`` (the file ``python -m framing.training.distill`` writes with the ``distill``
  extra): frozen all-MiniLM-L6-v2 sentence vectors of each text + LogisticRegression on the k rows
  (the SetFit-style baseline, decided at 0.5). The vectors are the file's, computed once, offline;
  a SemEval paragraph's is the mean of its sentences'.

It prints a markdown table (means over the draws), the smallest k from which each corpus's adapted
AUC is within 0.01 of its best, the scoring speed of the left-out and an adapted model on the same texts,
and writes the curves as an SVG plot.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from common import chosen, has_data, write_json
from generalization import held_out_set, tfidf_lr_scores
from framing.scoring.scorer import Scorer
from framing.training import corpora as data
from framing.training.adapt import MIN_PER_CLASS, Featurized, binary_metrics, fit_labels, loaded_scores
from framing.scoring.text import split_sentences
from framing.training.card import NAMES, SYSTEMS, adaptation_table
from framing.training.distill import Distilled
from framing.training.heads import best_threshold
from framing.training.recipe import TrainConfig, train
from framing.training.sentences import HOLDOUTS

KS = (0, 25, 50, 100, 200, 400, 800)


def left_out_model(data_dir: Path, corpus: str, config: TrainConfig, cache: Path | None, log) -> Scorer:
    """The recipe trained without ``corpus`` (from ``cache`` when it holds it; trained and kept there otherwise)."""
    where = cache / "left_out" / corpus if cache else None
    if where is not None and (where / "SHA256SUMS").is_file():
        return Scorer.from_dir(where)
    scorer, _ = train(data_dir, replace(config, holdout=corpus), log=lambda m: log(f"  [{corpus}] {m}"))
    if where is not None:
        scorer.save(where, f"# trained without {corpus} by benchmarks/adapt.py\n")
    return scorer


def minilm_vectors(distilled: Distilled, texts: list[str]) -> np.ndarray:
    """The distilled file's all-MiniLM-L6-v2 vector of each text (a paragraph: the mean of its sentences'
    vectors that the file holds; zeros for none)."""
    out = np.zeros((len(texts), distilled.sentence_vectors.shape[1]), dtype=np.float32)
    for i, text in enumerate(texts):
        rows = [distilled.sentences.get(data.normalise(text[a:b])) for a, b in split_sentences(text)]
        rows = [r for r in rows if r is not None] or [distilled.sentences.get(data.normalise(text))]
        rows = [r for r in rows if r is not None]
        if rows:
            out[i] = distilled.sentence_vectors[rows].astype(np.float32).mean(axis=0)
    return out


def draw(y: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k random rows with at least ``MIN_PER_CLASS`` of each class."""
    for _ in range(1000):
        rows = rng.choice(len(y), size=k, replace=False)
        if np.bincount(y[rows], minlength=2).min() >= MIN_PER_CLASS:
            return rows
    raise ValueError(f"could not draw {k} rows with {MIN_PER_CLASS} of each class")


def measure(data_dir: Path, corpus: str, ks, draws: int, config: TrainConfig, cache: Path | None, log) -> dict:
    """Every system's AUC, macro-F1 and ECE on the rest of ``corpus`` for each k and draw."""
    texts, y = held_out_set(data_dir, corpus)
    model = left_out_model(data_dir, corpus, config, cache, log)
    t0 = time.time()
    F = Featurized.of(model, texts)
    log(f"  [{corpus}] featurized {len(texts)} texts in {time.time() - t0:.0f}s")
    vectors = minilm_vectors(Distilled.load(config.distilled), texts) if config.distilled else None
    zero = loaded_scores(model.bias_head, model.loaded_head, F)
    out: dict = {"rows": len(texts), "positives": int(y.sum()), "k": {}}
    fitted = None
    for k in ks:
        runs: dict[str, list] = {s: [] for s in SYSTEMS}
        for d in range(1 if k == 0 else draws):
            rng = np.random.default_rng(1000 * d + k)
            rows = draw(y, k, rng) if k else np.zeros(0, np.int64)
            rest = np.setdiff1d(np.arange(len(y)), rows)
            if k == 0:
                runs["adapted"].append(binary_metrics(y, zero, float(model.loaded_head.thresholds[0])))
                continue
            t1 = time.time()
            fitted = fit_labels(model, F.subset(rows), y[rows])
            seconds = time.time() - t1
            p = loaded_scores(fitted.bias_head, fitted.loaded_head, F.subset(rest))
            runs["adapted"].append({**binary_metrics(y[rest], p, float(fitted.loaded_head.thresholds[0])),
                                    "seconds": round(seconds, 2), "choice": list(fitted.choice)})
            cut = best_threshold(y[rows], zero[rows], floor=0.0, average="macro")
            runs["threshold"].append(binary_metrics(y[rest], zero[rest], cut))
            p = tfidf_lr_scores([texts[i] for i in rows], list(y[rows]), [texts[i] for i in rest])
            runs["tfidf"].append(binary_metrics(y[rest], p, 0.5))
            if vectors is not None:
                lr = LogisticRegression(max_iter=3000).fit(vectors[rows], y[rows])
                runs["minilm"].append(binary_metrics(y[rest], lr.predict_proba(vectors[rest])[:, 1], 0.5))
        out["k"][k] = {s: {**_mean(r), "draws": r} for s, r in runs.items() if r}
        a = out["k"][k]["adapted"]
        log(f"  [{corpus}] k={k}: adapted AUC {a['auc']:.3f} macro-F1 {a['macro_f1']:.3f} ECE {a['ece']:.3f} "
            f"(chosen {[r.get('choice') for r in runs['adapted']]})")
    if fitted is not None:
        out["speed"] = speed(model, fitted, texts[:2000])
    return out


def _mean(runs: list[dict]) -> dict:
    keys = ("auc", "macro_f1", "ece") + (("seconds",) if "seconds" in runs[0] else ())
    return {k: round(float(np.mean([r[k] for r in runs])), 4) for k in keys} | (
        {f"{k}_sd": round(float(np.std([r[k] for r in runs])), 4) for k in ("auc", "macro_f1", "ece")} if len(runs) > 1 else {})


def speed(model: Scorer, fitted, texts: list[str], repeat: int = 3) -> dict:
    """Texts per second of ``model`` and of it with ``fitted``'s heads on the same ``texts`` (best of ``repeat``, interleaved)."""
    adapted = replace(model, bias_head=fitted.bias_head, loaded_head=fitted.loaded_head, derived={})
    best = {"left_out": 0.0, "adapted": 0.0}
    for _ in range(repeat):
        for name, s in (("left_out", model), ("adapted", adapted)):
            t0 = time.process_time()
            for _doc in s.pipe(texts):
                pass
            best[name] = max(best[name], len(texts) / (time.process_time() - t0))
    return {k: round(v) for k, v in best.items()}


def flattens(curve: dict) -> int | None:
    """The smallest k whose adapted AUC is within 0.01 of the best at any k measured."""
    ks = [k for k in curve if k]
    top = max((curve[k]["adapted"]["auc"] for k in ks), default=None)
    return next((k for k in ks if curve[k]["adapted"]["auc"] >= top - 0.01), None)


COLOURS = {"adapted": "#1b6ac9", "threshold": "#888888", "tfidf": "#d9822b", "minilm": "#2e9e5b"}


def svg(results: dict) -> str:
    """The AUC curves, one panel per corpus, as a self-contained SVG (x: k on a log scale; k = 0 at the left)."""
    W, H, pad = 300, 220, 40
    panels = []
    for i, (c, r) in enumerate(results.items()):
        ks = list(r["k"])
        x0 = i * (W + 20)

        def px(k):
            pos = ks.index(k)
            return x0 + pad + pos * (W - pad - 10) / max(len(ks) - 1, 1)

        vals = [m[s]["auc"] for m in r["k"].values() for s in m]
        lo, hi = np.floor(min(vals) * 20) / 20, np.ceil(max(vals) * 20) / 20

        def py(v):
            return 20 + (hi - v) * (H - 60) / max(hi - lo, 1e-9)

        parts = [f'<text x="{x0 + W / 2}" y="14" text-anchor="middle" font-weight="bold">{NAMES.get(c, c)}</text>',
                 f'<line x1="{x0 + pad}" y1="{H - 40}" x2="{x0 + W - 10}" y2="{H - 40}" stroke="#444"/>',
                 f'<line x1="{x0 + pad}" y1="20" x2="{x0 + pad}" y2="{H - 40}" stroke="#444"/>']
        for v in np.arange(lo, hi + 1e-9, 0.05):
            parts.append(f'<text x="{x0 + pad - 4}" y="{py(v) + 4:.1f}" text-anchor="end">{v:.2f}</text>')
            parts.append(f'<line x1="{x0 + pad}" y1="{py(v):.1f}" x2="{x0 + W - 10}" y2="{py(v):.1f}" stroke="#ddd"/>')
        for k in ks:
            parts.append(f'<text x="{px(k):.1f}" y="{H - 26}" text-anchor="middle">{k}</text>')
        parts.append(f'<text x="{x0 + W / 2}" y="{H - 10}" text-anchor="middle">labelled rows k</text>')
        for s, colour in COLOURS.items():
            points = [(px(k), py(m[s]["auc"])) for k, m in r["k"].items() if s in m]
            if s != "adapted" and 0 in r["k"]:  # every peer starts where it has no label: the left-out model, or chance
                points = [(px(0), py(r["k"][0]["adapted"]["auc"]))] * (s == "threshold") + points
            if points:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
                parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
                parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>' for x, y in points]
        panels.append("\n".join(parts))
    width = len(results) * (W + 20)
    legend = []
    for j, (s, colour) in enumerate(COLOURS.items()):
        legend.append(f'<rect x="{10 + j * 250}" y="{H + 4}" width="14" height="4" fill="{colour}"/>'
                      f'<text x="{30 + j * 250}" y="{H + 10}">{SYSTEMS[s]}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{H + 20}" viewBox="0 0 {width} {H + 20}" '
            'font-family="sans-serif" font-size="10">\n<rect width="100%" height="100%" fill="white"/>\n'
            f'<text x="4" y="{H / 2}" transform="rotate(-90 8 {H / 2})">AUC</text>\n'
            + "\n".join(panels) + "\n" + "\n".join(legend) + "\n</svg>\n")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=data.default_data_dir(), help="training data directory")
    ap.add_argument("--corpora", default=",".join(HOLDOUTS), help=f"comma-separated subset of {','.join(HOLDOUTS)}")
    ap.add_argument("--ks", default=",".join(map(str, KS)), help="numbers of labelled rows (default: %(default)s)")
    ap.add_argument("--draws", type=int, default=5, help="random draws of rows per k (default: 5)")
    ap.add_argument("--distilled", type=Path, default=None, help="train the left-out models with this distilled file")
    ap.add_argument("--cache", type=Path, default=None,
                    help="keep the left-out models here and reuse them (outside the repository)")
    ap.add_argument("--svg", type=Path, default=None, help="write the AUC curves here as an SVG plot")
    ap.add_argument("--json", type=Path, default=None, help="also write every number here as JSON")
    ap.add_argument("--results", default=None, metavar="A.json,B.json",
                    help="measure nothing: print the table and write the plot from these --json files (e.g. of "
                         "runs over different --corpora in parallel)")
    ap.add_argument("--quiet", action="store_true", help="do not print progress")
    args = ap.parse_args(argv)
    if args.results:
        results = {}
        for name in args.results.split(","):
            for c, r in json.loads(Path(name).read_text(encoding="utf-8")).items():
                results[c] = {**r, "k": {int(k): v for k, v in r["k"].items()}}
    else:
        if not has_data(args.data):
            return 2
        corpora = chosen(ap, args.corpora, HOLDOUTS, "corpus")
        ks = [int(k) for k in args.ks.split(",")]
        log = (lambda m: None) if args.quiet else (lambda m: print(m, file=sys.stderr, flush=True))
        config = TrainConfig(distilled=str(args.distilled) if args.distilled else None)
        results = {c: measure(args.data, c, ks, args.draws, config, args.cache, log) for c in corpora}
    print(adaptation_table(results))
    print()
    for c, r in results.items():
        speeds = (f"; texts per CPU-second, left-out model {r['speed']['left_out']:,} and adapted "
                  f"{r['speed']['adapted']:,}") if "speed" in r else ""
        print(f"- {NAMES.get(c, c)}: {r['rows']} rows ({r['positives']} slanted); adapted AUC within 0.01 of its best from k = "
              f"{flattens(r['k'])}{speeds}")
    draws = max(len(m["adapted"]["draws"]) for r in results.values() for m in r["k"].values())
    print(f"\nmeans over {draws} draws of k rows; each measured on the rest of the corpus")
    if args.svg:
        args.svg.write_text(svg(results), encoding="utf-8")
    write_json(args.json, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
