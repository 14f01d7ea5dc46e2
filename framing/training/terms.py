"""What a trained model directory is made from, under which terms: the ``LICENSE`` that ``framing train``
writes next to the model, and the terms section of its model card.

The facts are as far as they could be found (the sources and the searches behind them are in
``models/default/LICENSE``); where a source states no terms, this says so rather than guessing.
"""
from __future__ import annotations

from framing._version import __version__

WORD_LISTS: dict[str, tuple[str, str, str]] = {
    # lexicon name -> (source, terms, status)
    "strong_subjective": ("MPQA subjectivity clues (Wilson, Wiebe & Hoffmann 2005; Riloff & Wiebe 2003): the "
                          "`type=strongsubj` words", "GNU GPL (as MPQA releases them)", "copyleft"),
    "weak_subjective": ("MPQA subjectivity clues: the `type=weaksubj` words (plus \"skyrocketing\")",
                        "GNU GPL (as MPQA releases them)", "copyleft"),
    "babe_bias": ("BABE's bias word lexicon (Spinde et al. 2021)", "AGPL-3.0, the licence of the BABE repository",
                  "copyleft"),
    "positive": ("Liu opinion lexicon (Hu & Liu 2004)", "no licence found; the file asks for a citation", "unclear"),
    "negative": ("Liu opinion lexicon (Hu & Liu 2004)", "no licence found; the file asks for a citation", "unclear"),
    "hedge": ("Hyland 2005 hedges, as released by Recasens et al. 2013", "no licence found; a citation is asked", "unclear"),
    "factive": ("Hooper 1975 factives, as released by Recasens et al. 2013", "no licence found; a citation is asked", "unclear"),
    "assertive": ("Hooper 1975 assertives, as released by Recasens et al. 2013", "no licence found; a citation is asked",
                  "unclear"),
    "implicative": ("Karttunen 1971 implicatives, as released by Recasens et al. 2013",
                    "no licence found; a citation is asked", "unclear"),
    "report_verb": ("report verbs, as released by Recasens et al. 2013", "no licence found; a citation is asked", "unclear"),
    "entailing": ("Berant et al. 2012 entailment verbs", "no licence found", "unclear"),
    "entailed": ("Berant et al. 2012 entailment verbs", "no licence found", "unclear"),
    "npov": ("NPOV bias lexicon (Recasens et al. 2013, from Wikipedia NPOV edits)", "no licence found; a citation is asked",
             "unclear"),
    "loaded_emotion": ("framing's own hand-written list", "Apache-2.0, as framing", "clear"),
}
"""Each word list a model may carry: where it comes from, its terms, and whether they are clear,
copyleft (allow commercial use, with conditions on redistribution) or unclear (none found)."""

CORPORA: dict[str, tuple[str, str, str, str]] = {
    # corpus -> (source, what of the model it shaped, terms, status)
    "babe": ("BABE SG2 (Spinde et al. 2021)", "bias labels, loaded words, n-grams",
             "AGPL-3.0 (the repository's licence); the sentences are news excerpts, copyright of their outlets",
             "copyleft"),
    "mbic": ("MBIC (Spinde et al. 2021)", "bias labels, loaded words, n-grams", "no licence found", "unclear"),
    "wiki_npov": ("WikiNPOV (Hube & Fetahu 2019)", "bias labels, n-grams",
                  "sentences from Wikipedia (CC BY-SA); no separate terms found for the release", "share-alike"),
    "semeval": ("SemEval-2023 Task 3, English (Piskorski et al. 2023; PTC, Da San Martino et al.)",
                "every technique and frame weight, most of the phrase tagger and of its learned phrases, n-grams",
                "a research release, had by registering for the task; no written licence was found", "research only"),
}

COPYLEFT_LISTS = ("strong_subjective", "weak_subjective", "babe_bias")
"""The word lists whose terms stop a company that ships no GPL or AGPL material:
``framing train --exclude-lexicons strong_subjective,weak_subjective,babe_bias`` leaves them out."""


def _parts(lexicons: list[str], corpora: list[str], distilled: bool) -> list[str]:
    lines = ["| part of the model | made from | terms | status |", "|---|---|---|---|"]
    for name in lexicons:
        source, terms, status = WORD_LISTS.get(name, (f"a word list named {name}", "not known to framing", "unclear"))
        lines.append(f"| word list `{name}` (`config.json`, verbatim) | {source} | {terms} | {status} |")
    for name in corpora:
        source, shaped, terms, status = CORPORA[name]
        lines.append(f"| weights, thresholds and vocabularies: {shaped} | {source} | {terms} | {status} |")
    if distilled:
        lines.append("| word vectors in `weights.npz` (PCA of its embeddings; no transformer weights are shipped) | "
                     "all-MiniLM-L6-v2 (Reimers & Gurevych 2019) | Apache-2.0: keep the attribution | clear |")
    lines.append("| idioms and loaded-emotion nouns (`tagger.phrases`), style cues | framing's own | Apache-2.0 | clear |")
    return lines


def model_license(meta: dict, lexicons: list[str]) -> str:
    """The ``LICENSE`` of a model directory trained with ``meta`` (its config and training stats) and
    carrying the word lists ``lexicons``."""
    corpora = [c for c in CORPORA if c in meta.get("training", {}).get("sentences", {})]
    distilled = bool(meta.get("config", {}).get("distilled"))
    copyleft = [n for n in lexicons if WORD_LISTS.get(n, ("", "", ""))[2] == "copyleft"]
    lines = [
        "# Terms of this model directory",
        "",
        f"Made by `framing train` (framing {__version__}). framing's code is Apache-2.0 (the `LICENSE` of the",
        "repository); the model directory is not only framing's: it holds word lists copied from their sources",
        "and weights learned from annotated corpora, each under its own terms. This is what the maintainers",
        "found, not legal advice: check the terms yourself before you redistribute the model or build a product on it.",
        "",
        *_parts(lexicons, corpora, distilled),
        "",
        "No sentence of any corpus is stored whole; n-grams of up to 2 words and learned phrases of 2 to 6",
        "words from the corpora are.",
        "",
        "## What it means",
    ]
    if copyleft:
        lines += [f"- **Copyleft word lists** ({', '.join(f'`{n}`' for n in copyleft)}) are copied into `config.json`.",
                  "  Redistributing the directory passes their GPL/AGPL terms on (AGPL also counts serving it over a",
                  "  network); a company that ships no GPL or AGPL material cannot ship this directory as it is.",
                  "  `framing train --exclude-lexicons " + ",".join(COPYLEFT_LISTS) + "` trains one without",
                  "  them; the model card measures what that costs."]
    else:
        lines.append("- No copyleft word list is in this model.")
    if "semeval" in corpora:
        lines += ["- **SemEval-2023 Task 3** is a research release: if its terms are research-only, so are the",
                  "  technique and frame heads and most of the phrase tagger. No retraining short of leaving",
                  "  SemEval out (`TrainConfig(holdout=\"semeval\")`: no technique or frame head) removes that question."]
    if "babe" in corpora or "wiki_npov" in corpora:
        lines += ["- **BABE** (AGPL-3.0) and **WikiNPOV** (CC BY-SA) labels shape the bias weights; whether learned",
                  "  weights are a work based on them is an open question."]
    lines += ["- Word lists with no licence found ask only for a citation; redistribution is not expressly granted.",
              "",
              "## Attribution",
              "Wilson, Wiebe & Hoffmann 2005 and Riloff & Wiebe 2003 (MPQA); Hu & Liu 2004 (opinion lexicon); Hooper",
              "1975; Karttunen 1971; Hyland 2005; Berant et al. 2012; Recasens, Danescu-Niculescu-Mizil & Jurafsky",
              "2013; Spinde et al. 2021 (BABE, MBIC, bias word lexicon); Hube & Fetahu 2019 and Wikipedia",
              "contributors (WikiNPOV); Piskorski et al. 2023 and Da San Martino et al. 2019/2020 (SemEval-2023",
              "Task 3, PTC); Reimers & Gurevych 2019 (all-MiniLM-L6-v2, Apache-2.0)."]
    return "\n".join(lines) + "\n"
