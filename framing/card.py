"""Write ``MODEL_CARD.md``: what the model is, what it was trained on, and what it measured."""
from __future__ import annotations

from . import __version__
from .evaluate import ROWS

SOURCES = """\
| data | used for | source and terms |
|---|---|---|
| BABE (SG2) | sentence bias, loaded words | Spinde et al., Findings of EMNLP 2021; repository licence AGPL-3.0 |
| MBIC | sentence bias, loaded words | Spinde et al., iConference 2021; see the MBIC release for terms |
| WikiNPOV | sentence bias | Hube & Fetahu, WSDM 2019; sentences from Wikipedia (CC BY-SA) |
| SemEval-2023 Task 3, English | techniques, spans, frames | Piskorski et al., SemEval 2023 (from the PTC corpus of Da San Martino et al.); research release, see the task's terms |
| Riloff & Wiebe subjectivity clues (MPQA) | lexicon features | Wilson et al. 2005; MPQA releases them under the GNU GPL |
| Hyland hedges, Hooper factives and assertives, Karttunen implicatives, Berant entailment verbs, Liu opinion words, Recasens NPOV words, BABE bias words | lexicon features | as collected by Recasens et al. 2013, Pryzant et al. 2020 and Spinde et al. 2021; see each source for terms |

The word lists are part of the model (`config.json`, under the lexicon extractor), so the
terms of those lists travel with the model directory. No sentence of any corpus is stored
in the model: it holds n-gram and word vocabularies, weights and thresholds.
"""


def model_card(name: str, stats: dict, metrics: dict[str, float] | None) -> str:
    """The model card text for a model trained with ``stats`` and measured as ``metrics``."""
    lines = [
        f"# framing model `{name}`",
        "",
        f"Trained by framing {__version__} with `framing train`, from the training split of the corpora below.",
        "It scores English news text: a bias probability per sentence (and the paragraph's `loaded_score`,",
        "the highest of its sentences), loaded phrases with character offsets, the 23 SemEval-2023",
        "persuasion techniques per sentence, and the 14 frames per sentence and per text.",
        "",
        "## Heads",
        "- **Sentence bias**: logistic regression on word 1-2-grams (TF-IDF), lexicon counts, style cues, the mean",
        "  of 64-dimensional word vectors learned from the unlabelled training text (PPMI + SVD), and the",
        "  tagger's per-sentence maxima; trained on BABE, MBIC and WikiNPOV with one intercept per corpus,",
        "  served with BABE's (expert-annotated news), threshold tuned for macro-F1 on BABE out-of-fold scores.",
        "- **Loaded-phrase tagger**: logistic regression per token (the word, two neighbours each side, lexicon",
        "  flags, shape) for Loaded_Language, Name_Calling-Labeling and Exaggeration-Minimisation; trained on",
        "  the SemEval spans and the BABE/MBIC `biased_words`; neighbouring tokens merge into phrases, and",
        "  tokens inside a listed phrase (learned from annotated spans, plus a hand-written idiom list) score",
        "  at least that phrase's score.",
        "- **Techniques**: one logistic regression per technique on SemEval sentences (a sentence carries the",
        "  techniques of the spans it overlaps); per-technique thresholds tuned on paragraphs, by 3-fold",
        "  cross-validation split by article.",
        "- **Frames**: one logistic regression per frame on whole SemEval articles, thresholds tuned by",
        "  cross-validation; sentences get the same model's scores, which are lower and less reliable than",
        "  a whole text's.",
        "",
        "## Training",
        f"- Sentences: {stats.get('sentences')}; tagger tokens: {stats.get('tokens')};"
        f" frame articles: {stats.get('frame_articles')}; phrases: {stats.get('phrases')}.",
        f"- Took {stats.get('seconds')} s on one CPU core; deterministic for the same data and framing version.",
        "",
        "## Measured on the fixed validation split (never trained on)",
    ]
    if metrics:
        lines += ["| benchmark | metric | value |", "|---|---|---|"]
        lines += [f"| {label} | {metric} | {metrics[key]:.3f} |" for label, metric, key in ROWS if key in metrics]
        lines += ["", "`python benchmarks/accuracy.py` repeats these and compares a TF-IDF + LogisticRegression baseline."]
    else:
        lines.append("Not measured (trained without a validation split).")
    lines += [
        "",
        "## Known limits",
        "- English news only; other languages get scores but they mean little.",
        "- Appeal_to_Time, Appeal_to_Values, Consequential_Oversimplification and Questioning_the_Reputation have",
        "  no example in the English SemEval training data: their score is always 0 and they are never chosen.",
        "- Rare techniques (Straw_Man, Whataboutism, Red_Herring, ...) have a few dozen examples and are seldom found.",
        "- Repetition is judged per sentence, without the rest of the article, so it is mostly missed.",
        "- Quoted speech is scored like the author's own words: a neutral report of a loaded quote looks loaded.",
        "- Sentence bias learned from 2017-2020 US political news (BABE/MBIC) leans on topic words of that time.",
        "",
        "## Sources and licences",
        SOURCES,
    ]
    return "\n".join(lines) + "\n"
