"""Read the training corpora from a data directory (default ``../shared/data``).

Nothing here is shipped data: these functions read the annotated corpora at training
and benchmark time. Validation splits are fixed by a hash of the normalised sentence
text (bias corpora) or of the article id (SemEval), so they never depend on a seed,
and a sentence that BABE and MBIC share always falls on the same side.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from framing.scoring.features.lexicon import loaded_emotion

BIAS_CORPORA = ("babe", "mbic", "wiki_npov")
_BIAS_FILES = {"babe": "babe_sg2.jsonl", "mbic": "mbic.jsonl", "wiki_npov": "wiki_npov.jsonl"}
VALIDATION_FRACTION = 0.2


def default_data_dir() -> Path:
    """``../shared/data`` next to the repository (where CI and developers keep it)."""
    return Path(__file__).resolve().parents[3] / "shared" / "data"


def _check_dir(data_dir: str | Path) -> Path:
    path = Path(data_dir)
    if not (path / "bias_sentences").is_dir() or not (path / "semeval2023_en").is_dir():
        raise FileNotFoundError(
            f"no training data at {path}: expected bias_sentences/ and semeval2023_en/ there; "
            "pass the directory that holds them (for example --data ../shared/data)"
        )
    return path


def normalise(text: str) -> str:
    """Lower-case ``text`` and collapse every run of non-word characters to one space (the split key)."""
    return re.sub(r"\W+", " ", text.lower()).strip()


def is_validation(key: str) -> bool:
    """True when ``key`` (normalised text or article id) belongs to the fixed validation split."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < VALIDATION_FRACTION


def _json(path: Path):
    import datasets

    datasets.disable_progress_bars()
    return datasets.load_dataset("json", data_files=str(path), split="train")


def load_bias(data_dir: str | Path, name: str):
    """One sentence-bias corpus (``babe``, ``mbic`` or ``wiki_npov``) with a boolean ``validation`` column."""
    if name not in _BIAS_FILES:
        raise ValueError(f"unknown bias corpus {name!r}; choose one of {', '.join(BIAS_CORPORA)}")
    ds = _json(_check_dir(data_dir) / "bias_sentences" / _BIAS_FILES[name])
    return ds.map(lambda row: {"validation": is_validation(normalise(row["text"]))})


def load_semeval(data_dir: str | Path, part: str):
    """SemEval-2023 Task 3 English: ``techniques_articles``, ``techniques_paragraphs`` or ``frames_articles``."""
    files = {p: f"{p}_train.jsonl" for p in ("techniques_articles", "techniques_paragraphs", "frames_articles")}
    if part not in files:
        raise ValueError(f"unknown SemEval part {part!r}; choose one of {', '.join(files)}")
    ds = _json(_check_dir(data_dir) / "semeval2023_en" / files[part])
    return ds.map(lambda row: {"validation": is_validation(str(row["article_id"]))})


def _read_lines(path: Path) -> list[str]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith((";", "#"))]


def load_lexicons(data_dir: str | Path, exclude=()) -> dict[str, list[str]]:
    """Research word lists, lower-cased and de-duplicated, keyed by a short name; the names in
    ``exclude`` are left out (never read), e.g. ``("strong_subjective", "weak_subjective")`` for a
    model without the MPQA clues.

    Adds framing's own hand-written ``loaded_emotion`` list. Multi-word entries are kept with single spaces; the numbered ``npov_lexicon`` lines lose
    their numbers. (Riloff's strong/weak subjectives are the MPQA clue lists, so MPQA is not read twice.)
    """
    lex_dir = _check_dir(data_dir) / "lexicons"
    files = {
        "strong_subjective": "strong_subjectives_riloff2003.txt",
        "weak_subjective": "weak_subjectives_riloff2003.txt",
        "hedge": "hedges_hyland2005.txt",
        "factive": "factives_hooper1975.txt",
        "assertive": "assertives_hooper1975.txt",
        "implicative": "implicatives_karttunen1971.txt",
        "report_verb": "report_verbs.txt",
        "entailing": "entailing_berant2012.txt",
        "entailed": "entailed_berant2012.txt",
        "positive": "positive_liu2005.txt",
        "negative": "negative_liu2005.txt",
        "npov": "npov_lexicon.txt",
        "babe_bias": "babe_bias_words.txt",
    }
    if unknown := set(exclude) - set(files) - {"loaded_emotion"}:
        raise ValueError(f"unknown word list {sorted(unknown)} to exclude; known: {', '.join([*files, 'loaded_emotion'])}")
    out: dict[str, list[str]] = {}
    for name, file in files.items():
        if name in exclude:
            continue
        words = (re.sub(r"^\d+:", "", line).lower() for line in _read_lines(lex_dir / file))
        out[name] = sorted({" ".join(w.split()) for w in words if w})
    if "loaded_emotion" not in exclude:
        out["loaded_emotion"] = loaded_emotion()
    return out
