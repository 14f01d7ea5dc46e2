"""Real news sentences for the teacher to label: sampled from AllSides, embedded in resumable chunks.

    pip install -e ".[distill]"
    python -m framing.training.news --data ../shared/data --out ~/news_vectors --sentences 300000
    framing train ... with TrainConfig(distilled=..., news="~/news_vectors", news_sentences=300000)

The sentences of ``news_unlabelled/allsides_articles.jsonl.gz`` (paragraphs are lines) are
kept when they look like prose (:func:`is_prose`), deduplicated by normalised text, stripped of
every sentence that any annotated corpus holds (training or validation: no leak into an
evaluation) and ordered by a hash of their text. The first ``n`` of that order is a uniform
sample, and the sample of 100k sentences is the start of the sample of 300k, so a curve of
student quality over the sample size reads nested samples. Chunks of ``CHUNK`` sentences are
embedded by the sentence transformer one file at a time (``chunk_0000.npz``, ...); a run
skips the chunks already written, so it can be stopped and started again.

The outlet's ``leaning`` is never read: it rates an outlet, not a sentence.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

from framing.scoring.text import split_sentences
from framing.training import corpora as data
from framing.training.distill import corpus_sentences, encode, transformer_dir

CHUNK = 20000
ARTICLES = Path("news_unlabelled") / "allsides_articles.jsonl.gz"


def is_prose(sentence: str) -> bool:
    """A sentence worth labelling: 6 to 60 words, mostly letters, ending like a sentence (not a
    photo credit, a byline or a menu line)."""
    words = sentence.split()
    if not 6 <= len(words) <= 60 or sentence.rstrip()[-1:] not in ".!?\"'”’":
        return False
    return sum(c.isalpha() for c in sentence) >= 0.7 * len(sentence.replace(" ", ""))


def annotated_keys(data_dir: str | Path) -> set[str]:
    """Normalised texts of every sentence the annotated corpora hold (the frame articles' too)."""
    keys = {data.normalise(t) for t in corpus_sentences(data_dir)}
    for text in data.load_semeval(data_dir, "frames_articles")["text"]:
        keys.update(data.normalise(text[s:e]) for s, e in split_sentences(text))
    return keys


def _order(key: str) -> bytes:
    return hashlib.sha256(("news:" + key).encode("utf-8")).digest()[:8]


def sample(data_dir: str | Path, n: int | None = None) -> list[str]:
    """The first ``n`` (all when None) prose sentences of AllSides in hash order (see the module docstring)."""
    path = Path(data_dir) / ARTICLES
    if not path.is_file():
        raise FileNotFoundError(f"no {path}: pass --data, the directory that holds news_unlabelled/")
    skip = annotated_keys(data_dir)
    seen: dict[str, str] = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            for paragraph in json.loads(line)["text"].splitlines():
                for s, e in split_sentences(paragraph):
                    sentence = paragraph[s:e].strip()
                    if is_prose(sentence):
                        key = data.normalise(sentence)
                        if key not in skip:
                            seen.setdefault(key, sentence)
    keys = sorted(seen, key=_order)
    return [seen[k] for k in keys[:n]]


def chunk_path(out: Path, i: int) -> Path:
    return out / f"chunk_{i:04d}.npz"


def load(directory: str | Path, n: int) -> tuple[list[str], np.ndarray]:
    """The first ``n`` sentences of the chunks in ``directory`` and their vectors (float32)."""
    directory = Path(directory).expanduser()
    texts, vectors, i = [], [], 0
    while len(texts) < n:
        path = chunk_path(directory, i)
        if not path.is_file():
            raise FileNotFoundError(f"{directory} holds {len(texts)} embedded news sentences, fewer than the {n} asked "
                                    f"for; embed more with `python -m framing.training.news --out {directory} --sentences {n}`")
        with np.load(path, allow_pickle=False) as z:
            texts += [str(t) for t in z["sentences"]]
            vectors.append(z["vectors"])
        i += 1
    return texts[:n], np.concatenate(vectors)[:n].astype(np.float32)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=data.default_data_dir(), help="the corpora directory")
    ap.add_argument("--out", type=Path, required=True, help="directory of the chunks (outside the repository)")
    ap.add_argument("--sentences", type=int, default=None, help="how many sentences to embed (default: all)")
    ap.add_argument("--model", type=Path, default=None, help="a sentence-transformers model directory")
    args = ap.parse_args(argv)
    out = args.out.expanduser()
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    texts = sample(args.data, args.sentences)
    print(f"{len(texts)} news sentences sampled in {time.time() - t0:.0f}s", file=sys.stderr, flush=True)
    model_dir = transformer_dir(args.model)
    for i, lo in enumerate(range(0, len(texts), CHUNK)):
        path = chunk_path(out, i)
        if path.is_file():
            continue
        t1 = time.time()
        part = texts[lo : lo + CHUNK]
        vectors = encode(part, model_dir, batch_size=128).astype(np.float16)
        tmp = path.with_suffix(".tmp.npz")
        np.savez(tmp, sentences=np.array(part, dtype=str), vectors=vectors)
        tmp.rename(path)
        print(f"{path.name}: {len(part)} sentences, {len(part) / (time.time() - t1):.0f}/s", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
