"""Shared fixtures: the bundled model, a tiny corpus written here, and the real data when present."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import framing
from framing.training.corpora import default_data_dir

ROOT = Path(__file__).resolve().parents[1]
os.environ["FRAMING_MIN_PARALLEL_CHARS"] = "0"  # the tests' small inputs go to worker processes too (and their subprocesses')


@pytest.fixture(scope="session")
def nlp() -> framing.Scorer:
    return framing.load()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = default_data_dir()
    if not (path / "bias_sentences").is_dir():
        pytest.skip(f"the annotated corpora are not at {path} (they live in ../shared/data beside the repository)")
    return path


NEUTRAL = [
    "The {org} said on {day} that it would review the {topic} proposal next month.",
    "Officials from the {org} met on {day} to discuss the {topic} budget.",
    "The {org} published its annual report on {topic} spending on {day}.",
    "A spokesperson for the {org} confirmed the {topic} vote will take place on {day}.",
]
BIASED = [
    "The {loaded} {org} once again sabotaged the {topic} plan in a shameless power grab.",
    "{day}'s {loaded} stunt by the {org} shows its utter contempt for {topic} voters.",
    "The {org} peddled {loaded} lies about {topic}, a disgraceful betrayal of the public.",
    "Radical bureaucrats at the {org} rammed through a {loaded} {topic} scheme.",
]
LOADED = ["reckless", "corrupt", "outrageous", "hysterical", "pathetic"]
ORGS = ["council", "ministry", "agency", "committee", "board"]
DAYS = ["Monday", "Tuesday", "Friday"]
TOPICS = [("tax", "Economic"), ("police", "Crime_and_punishment"), ("election", "Political"), ("hospital", "Health_and_safety")]


def _sentences(templates, loaded=True):
    out = []
    for i, t in enumerate(templates):
        for j, org in enumerate(ORGS):
            for k, (topic, _) in enumerate(TOPICS):
                word = LOADED[(i + j + k) % len(LOADED)]
                out.append((t.format(org=org, day=DAYS[(i + j) % 3], topic=topic, loaded=word), word, topic))
    return out


def _write_jsonl(path: Path, rows) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def write_tiny_corpora(root: Path) -> Path:
    """A small, made-up corpus directory with the layout of ../shared/data."""
    neutral, biased = _sentences(NEUTRAL), _sentences(BIASED)
    bias_rows = [{"text": t, "label": 0, "biased_words": []} for t, _, _ in neutral]
    bias_rows += [{"text": t, "label": 1, "biased_words": [w, "shameless"] if "shameless" in t else [w]} for t, w, _ in biased]
    _write_jsonl(root / "bias_sentences" / "babe_sg2.jsonl", bias_rows)
    _write_jsonl(root / "bias_sentences" / "mbic.jsonl", bias_rows[::2])
    _write_jsonl(root / "bias_sentences" / "wiki_npov.jsonl", [{**r, "subset": "x"} for r in bias_rows[1::2]])
    articles, paragraphs, frames = [], [], []
    for a in range(24):
        topic, frame = TOPICS[a % len(TOPICS)]
        lines, spans = [f"Report {a} on the {topic} plan", ""], []
        for p in range(6):
            text, word, _ = (biased if p % 2 else neutral)[(a * 7 + p) % len(neutral)]
            text = text.replace(TOPICS[0][0], topic)
            offset = sum(len(l) + 1 for l in lines)
            techniques = []
            if p % 2:
                start = text.index(word)
                spans.append({"technique": "Loaded_Language", "start": offset + start, "end": offset + start + len(word)})
                techniques.append("Loaded_Language")
            paragraphs.append({"article_id": str(1000 + a), "line": len(lines) + 1, "text": text, "techniques": techniques})
            lines += [text, ""]
        body = "\n".join(lines).rstrip("\n")
        articles.append({"article_id": str(1000 + a), "text": body, "spans": spans})
        frames.append({"article_id": str(1000 + a), "text": body, "frames": [frame, "Political"] if a % 3 else [frame]})
    _write_jsonl(root / "semeval2023_en" / "techniques_articles_train.jsonl", articles)
    _write_jsonl(root / "semeval2023_en" / "techniques_paragraphs_train.jsonl", paragraphs)
    _write_jsonl(root / "semeval2023_en" / "frames_articles_train.jsonl", frames)
    lex = root / "lexicons"
    lex.mkdir()
    words = {
        "strong_subjectives_riloff2003.txt": "outrageous\nhysterical\ncontempt\n",
        "weak_subjectives_riloff2003.txt": "review\n",
        "hedges_hyland2005.txt": "; a comment line\nperhaps\nit seems\n",
        "factives_hooper1975.txt": "reveal\n",
        "assertives_hooper1975.txt": "claim\n",
        "implicatives_karttunen1971.txt": "manage\n",
        "report_verbs.txt": "said\nconfirmed\n",
        "entailing_berant2012.txt": "abide\n",
        "entailed_berant2012.txt": "accept\n",
        "positive_liu2005.txt": "good\n",
        "negative_liu2005.txt": "corrupt\npathetic\nlies\n",
        "npov_lexicon.txt": "1:reckless\n2:disgraceful\n",
        "babe_bias_words.txt": "sabotaged\nstunt\n",
    }
    for name, text in words.items():
        (lex / name).write_text(text, encoding="latin-1")
    return root


@pytest.fixture(scope="session")
def tiny_data(tmp_path_factory) -> Path:
    return write_tiny_corpora(tmp_path_factory.mktemp("corpora"))


@pytest.fixture(scope="session")
def tiny_model(tiny_data, tmp_path_factory):
    """A model trained on the tiny corpus, and the directory it was saved to."""
    from framing.training.recipe import train

    scorer, stats = train(tiny_data, log=lambda *a: None)
    out = scorer.save(tmp_path_factory.mktemp("model") / "tiny", "# tiny test model\n")
    return scorer, out
