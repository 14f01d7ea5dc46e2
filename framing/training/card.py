"""Write ``MODEL_CARD.md``: what the model is, what it was trained on, and what it measured."""
from __future__ import annotations

from framing._version import __version__
from framing.training.terms import COPYLEFT_LISTS, CORPORA, WORD_LISTS
from framing.training.evaluate import ROWS

FAILURE_EXAMPLES: list[tuple[str, str]] = [
    ("A quote is scored like the author's own words, so a neutral report of a loaded quote looks loaded.",
     'The senator said the bill was "a disgraceful betrayal of working families."'),
    ("Denying a loaded word does not cancel it: negation and hedges are weak signals.",
     "The report found no evidence that the new policy was a disaster."),
    ("Topic words of 2017-2020 US politics (BABE, MBIC) raise the score of neutral sentences about those topics.",
     "Democrats and Republicans debated abortion rights in the House on Tuesday."),
    ("A slanted label for people counts only as far as its words were marked loaded in training.",
     "Illegal aliens crossed the border near El Paso on Monday."),
    ("Irony is read at face value.", "What a brilliant idea, another tax hike for every family."),
    ("A listed loaded noun is marked even where it is used literally (\"a buying frenzy\", \"treated her paranoia\").",
     "Shoppers joined a buying frenzy before the holiday sale."),
    ("Other languages get scores, but they mean little.", "Le gouvernement a présenté un plan désastreux."),
]
"""(what to watch for, a sentence written for this card); the card shows how the model scores each."""


def thresholds_section(scorer) -> list[str]:
    """The card's lines on every cut-off that turns a score into a decision (see ``Scorer.thresholds``)."""
    from framing.scoring.thresholds import MEANING

    def shown(v) -> str:
        return f"{v:.2f}" if isinstance(v, float) else "per label: " + ", ".join(f"{k} {x:.2f}" for k, x in v.items())

    t = scorer.thresholds
    rows = [f"| `{name}` | {shown(t[name])} | {MEANING[name]} |" for name in t]
    tagger = scorer.tagger
    rows.append(f"| loaded phrase | {tagger.threshold:.2f} (a run of tokens from {tagger.extend:.2f}) | a run of tokens "
                "whose scores reach the lower cut becomes a phrase when one token reaches the higher (fixed: the "
                "bias and technique heads read how many tokens reach it) |")
    return ["## Thresholds",
            "Every decision is a score reaching a cut-off tuned out of fold on the training split. A reader can move the first five",
            "(`nlp.thresholds[\"loaded\"] = 0.5`, or `framing score --threshold loaded=0.5`): decisions change, scores",
            "do not.", "", "| threshold | value | decides |", "|---|---|---|", *rows, ""]


def model_card(name: str, meta: dict, metrics: dict[str, float] | None, scorer=None,
               generalization: dict | None = None, ablation: dict | None = None, terms: dict | None = None,
               adaptation: dict | None = None) -> str:
    """The model card of a model trained with ``meta`` (its config and training stats) and measured as
    ``metrics``; with ``scorer``, the failure examples are scored by it. ``generalization``,
    ``ablation`` and ``terms`` are what ``benchmarks/generalization.py --json`` and
    ``benchmarks/ablation.py --json`` write (``terms``: its ``no_mpqa``, ``no_babe_lexicon`` and
    ``no_copyleft_lists`` variants and ``full``); ``adaptation`` what ``benchmarks/adapt.py --json`` writes."""
    stats, config = meta.get("training", {}), meta.get("config", {})
    distilled = bool(config.get("distilled"))
    vectors = ("distilled from all-MiniLM-L6-v2: each word embedded on its own, reduced to 64 dimensions by PCA and "
               "weighted by frequency" if distilled else "learned from the unlabelled training text (PPMI + SVD)")
    tagger_vectors = (f"the same distilled vectors, reduced to {config.get('tagger_dim', 64)} dimensions by PCA over the "
                      "tagger's words, unit length"
                      if distilled and not config.get("tagger_learned_vectors") else "learned from the training sentences (PPMI + SVD)")
    teacher = (" Unlabelled SemEval sentences join as soft labels from a teacher (logistic regression on "
               "all-MiniLM-L6-v2 sentence vectors of the labelled sentences, refitted in each fold)." if distilled else "")
    weights = ("balanced class weights" if config.get("frame_class_weight") == "balanced"
               else "every article weighted alike (balanced weights choose rare frames more often but lower micro-F1)")
    lines = [
        f"# framing model `{name}`",
        "",
        f"Trained by framing {__version__} with `framing train`, from the training split of the corpora below.",
        "It scores English news text: a bias probability per sentence, the paragraph's `loaded_score`, loaded",
        "phrases with character offsets, the 23 SemEval-2023 persuasion techniques per sentence, and the 14",
        "frames per sentence and per text. Everything is linear over sparse features: no transformer runs",
        "when it scores.",
        "",
        "## Heads",
        "- **Sentence bias**: logistic regression on word 1-2-grams (TF-IDF), word-list counts, style cues, the mean",
        f"  of 64-dimensional word vectors ({vectors}), and the loaded-phrase tagger's per-sentence summary;",
        "  trained on BABE, MBIC and WikiNPOV with one intercept per corpus, served with BABE's (expert-annotated",
        f"  news), threshold tuned for macro-F1 on BABE out-of-fold scores.{teacher}",
        "- **`loaded_score`** (a text): logistic regression on its most biased sentence's log-odds, its most loaded",
        "  token and how many loaded tokens it has; trained on the bias sentences and on SemEval paragraphs",
        "  (Loaded_Language or not).",
        "- **Loaded-phrase tagger**: two passes of logistic regression per token. The first reads the word, two",
        f"  neighbours each side, word pairs, affixes, word lists, word vectors ({tagger_vectors}) and shape; the second reads the",
        "  first pass's scores around the token and in its sentence. Labels Loaded_Language, Name_Calling-Labeling",
        "  and Exaggeration-Minimisation; trained on SemEval spans and the BABE/MBIC `biased_words`. Runs of",
        "  tokens merge into phrases, trimmed of punctuation and of words annotated phrases hardly start or end",
        "  with; listed phrases (learned from annotated spans, plus hand-written idioms and loaded-emotion nouns",
        "  such as \"jealousy\", less the nouns annotators left unmarked in most of at least 3 training uses, such",
        "  as \"hate\" and \"outrage\") come out whole, and their tokens score at least the phrase's score wherever token",
        "  scores are read (sentence and paragraph scores too; in training only the hand-written ones).",
        "- **Techniques**: one logistic regression per technique on SemEval sentences (a sentence carries the",
        "  techniques of the spans it overlaps), one threshold for all, tuned on paragraphs out of fold (by article).",
        "- **Frames**: one logistic regression per frame on whole SemEval articles, reading the n-gram and word-vector",
        f"  features (both unit length, so an article and a sentence score on one scale), {weights}, one",
        "  threshold for all and a cap on frames per text, tuned out of fold. A sentence has its own, higher cut, chosen",
        "  so that an article's sentence frames together best match its frames, and at most 2 frames; a text of one",
        "  sentence has that sentence's frames.",
        "",
        "## Training",
        f"- Sentences: {stats.get('sentences')}; tagger tokens: {stats.get('tokens')};"
        f" frame articles: {stats.get('frame_articles')}; phrases: {stats.get('phrases')}.",
        f"- Took {stats.get('seconds')} s on one CPU core (after the distillation file was made); deterministic"
        " for the same data, distillation file and framing version.",
        "- Recipe: `python -m framing.training.distill --data ../shared/data --out minilm.npz` (needs `pip install"
        " -e \".[distill]\"`), then `framing train --data ../shared/data --distilled minilm.npz --out models/default`."
        if distilled else "- Recipe: `framing train --data ../shared/data --out models/default`.",
        "",
    ]
    if scorer is not None:
        lines += thresholds_section(scorer)
    lines += [
        "## Measured on the fixed validation split (never trained on)",
    ]
    if metrics:
        lines += ["| benchmark | metric | value |", "|---|---|---|"]
        lines += [f"| {label} | {metric} | {metrics[key]:.3f} |" for label, metric, key in ROWS if key in metrics]
        lines += ["", "`python benchmarks/accuracy.py` repeats these and compares a TF-IDF + LogisticRegression baseline;",
                  "`framing evaluate --data YOUR.jsonl` measures the model on your own labelled data."]
    else:
        lines.append("Not measured (trained without a validation split).")
    if generalization:
        lines += ["", "## On corpora it never saw (leave one corpus out)",
                  "Trained by the same recipe without the corpus (and without any sentence it shares with another),",
                  "then ranked on all of it: AUC of `loaded_score`, next to a TF-IDF + LogisticRegression trained on the",
                  "other bias corpora and a count of subjectivity clue words, measured in the same run. With the distilled",
                  "file, a LogisticRegression on all-MiniLM-L6-v2 sentence vectors is measured too, trained on the same",
                  "rows: the frozen transformer the model learns from, which would run on every sentence it scores",
                  "(its vectors were computed once, offline; a SemEval paragraph scores as its most biased sentence).", "",
                  generalization_table(generalization), "",
                  "`python benchmarks/generalization.py --distilled minilm.npz` repeats these."]
    if adaptation:
        lines += ["", "## Adapted to a corpus it never saw (`framing adapt`)",
                  "The recipe trained without the corpus, then adapted (`framing.adapt`) on k of its labelled rows",
                  "(random draws) and measured on the rest of it, next to peers trained on the same k rows in the same",
                  "run: AUC / macro-F1 / expected calibration error of `loaded_score`, means over the draws.", "",
                  adaptation_table(adaptation), "",
                  "`python benchmarks/adapt.py --distilled minilm.npz` repeats these."]
    if ablation:
        lines += ["", "## What each part adds (validation split)",
                  "Each column is a separate training run of the recipe with one part taken away; `full` retrains the",
                  "recipe itself and can differ from the table above in the third decimal (the solvers' floating-point",
                  "order depends on the number of BLAS threads).", "", ablation_table(ablation), "",
                  "`python benchmarks/ablation.py --distilled minilm.npz --news DIR` repeats these (a column named for a previous model is that model as it was measured)."]
    lines += [
        "",
        "## Known limits",
        "- Appeal_to_Time, Appeal_to_Values, Consequential_Oversimplification and Questioning_the_Reputation have",
        "  no example in the English SemEval training data: their score is always 0 and they are never chosen.",
        "- Rare techniques (Straw_Man, Whataboutism, Red_Herring, ...) have a few dozen examples and are seldom found.",
        "- Repetition is judged per sentence, without the rest of the article, so it is mostly missed.",
        "- Frames with few training articles (Economic, Capacity_and_resources, Public_opinion) are seldom chosen,",
        "  and frames lean on topic words.",
        "- Annotated loaded phrases are sparse and uneven in SemEval; long phrases (over 5 words hold half of the",
        "  annotated characters) are often found only in part.",
    ]
    if scorer is not None:
        lines += ["", "Sentences written for this card, as this model scores them:", "",
                  "| what to watch for | sentence | `loaded_score` | loaded phrases |", "|---|---|---|---|"]
        for (watch, text), doc in zip(FAILURE_EXAMPLES, scorer.pipe([t for _, t in FAILURE_EXAMPLES])):
            spans = ", ".join(f'"{s.text}"' for s in doc.spans) or "none"
            lines.append(f"| {watch} | {text} | {doc.loaded_score:.2f} ({'loaded' if doc.loaded else 'not loaded'})"
                         f" | {spans} |")
    lines += ["", *terms_section(meta, list(scorer.lexicons) if scorer is not None else None, terms)]
    return "\n".join(lines) + "\n"


def terms_section(meta: dict, lexicons: list[str] | None, terms: dict | None) -> list[str]:
    """The card's terms of use: the sources in short (the model directory's ``LICENSE`` has them all) and,
    when measured, what the model loses without the copyleft word lists."""
    corpora = [CORPORA[c][0] for c in CORPORA if c in meta.get("training", {}).get("sentences", {})]
    copyleft = [n for n in lexicons or () if WORD_LISTS.get(n, ("", "", ""))[2] == "copyleft"]
    lines = ["## Terms of use",
             "framing's code is Apache-2.0. This directory's `LICENSE` lists which part of it comes from which",
             f"source under which terms. Trained on {', '.join(corpora)}"
             + (", with word vectors distilled from all-MiniLM-L6-v2 (Apache-2.0)" if meta.get("config", {}).get("distilled") else "")
             + "."]
    if copyleft:
        lines += [f"It carries copyleft word lists ({', '.join(f'`{n}`' for n in copyleft)}: the MPQA subjectivity clues,",
                  "GPL, and BABE's bias word lexicon, AGPL-3.0) verbatim in `config.json`, which stops a company that",
                  "ships no GPL or AGPL material from redistributing the model as it is;",
                  "`framing train --exclude-lexicons " + ",".join(COPYLEFT_LISTS) + "` trains one without them."]
    if any(c.startswith("SemEval") for c in corpora):
        lines += ["SemEval-2023 Task 3 is a research release: its terms decide whether the technique and frame heads",
                  "(trained on it alone) may be used commercially; leaving it out leaves the model without them."]
    if terms:
        lines += ["", "What leaving the copyleft word lists out costs, on the validation split (each column a separate",
                  "training of the recipe, one BLAS thread; `full` is the recipe with every list). Retrainings of one",
                  "recipe differ in the third decimal, and MBIC macro-F1 (its threshold is tuned on BABE) by up to a few",
                  "hundredths, from the solvers' floating-point order alone: read smaller differences as noise.", "",
                  ablation_table(terms), "",
                  "`python benchmarks/ablation.py --distilled minilm.npz --only full,no_mpqa,no_babe_lexicon,"
                  "no_copyleft_lists` repeats these."]
    return lines


NAMES = {"babe": "BABE", "mbic": "MBIC", "wiki_npov": "WikiNPOV", "semeval": "SemEval Loaded_Language (paragraphs)"}


def generalization_table(results: dict[str, dict]) -> str:
    """Leave-one-corpus-out results (corpus -> rows, positives and each system's AUC) as a markdown table;
    the MiniLM column appears when every corpus has its ``minilm_lr``."""
    minilm = all("minilm_lr" in r for r in results.values())
    columns = ["framing, trained without it", "TF-IDF + LR, other bias corpora"]
    columns += ["all-MiniLM-L6-v2 sentence vectors + LR, other bias corpora"] * minilm + ["subjectivity clue count"]
    lines = ["| held-out corpus | rows (slanted) | " + " | ".join(columns) + " |", "|---|---|" + "---|" * len(columns)]
    for c, r in results.items():
        values = [r["framing"], r["tfidf_lr"]] + [r.get("minilm_lr")] * minilm + [r["subjective_clues"]]
        lines.append(f"| {NAMES.get(c, c)} | {r['rows']} ({r['positives']}) | " + " | ".join(f"{v:.3f}" for v in values) + " |")
    return "\n".join(lines)


SYSTEMS = {"adapted": "framing adapted", "threshold": "left-out model, threshold re-tuned",
           "tfidf": "TF-IDF + LR on the k rows", "minilm": "all-MiniLM-L6-v2 vectors + LR on the k rows"}
"""The systems of ``benchmarks/adapt.py``, by their keys in its results."""


def adaptation_table(results: dict) -> str:
    """``benchmarks/adapt.py``'s results (corpus -> rows and, per k, each system's means over draws) as a
    markdown table: AUC / macro-F1 / ECE per system."""
    systems = [s for s in SYSTEMS if any(s in kk for r in results.values() for kk in r["k"].values())]
    lines = ["| corpus | k | " + " | ".join(f"{SYSTEMS[s]}: AUC / macro-F1 / ECE" for s in systems) + " |",
             "|---|---|" + "---|" * len(systems)]
    for c, r in results.items():
        for k, m in r["k"].items():
            cells = [(f"{m[s]['auc']:.3f} / {m[s]['macro_f1']:.3f} / {m[s]['ece']:.3f}" if s in m else "") for s in systems]
            if int(k) == 0:  # keys are strings once the results went through JSON
                cells = [cells[0] + " (zero-shot)"] + ["-"] * (len(systems) - 1)
            lines.append(f"| {NAMES.get(c, c)} | {k} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def ablation_table(results: dict[str, dict]) -> str:
    """Ablation results (variant -> metrics and ``what`` it is) as a markdown table, one column per variant."""
    names = list(results)
    lines = ["| benchmark | metric | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
    for label, metric, key in ROWS:
        lines.append(f"| {label} | {metric} | " + " | ".join(f"{results[n][key]:.3f}" if key in results[n] else "-" for n in names) + " |")
    return "\n".join(lines + ["", "; ".join(f"{n}: {results[n]['what']}" for n in names) + "."])
