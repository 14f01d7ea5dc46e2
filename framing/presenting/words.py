"""Explanations in plain words, for readers who are not engineers.

:func:`reasons` turns a :class:`~framing.presenting.explain.ScoreExplanation` into a few phrases
("the word ‘disastrous’ (strongly subjective)", "the phrase ‘left on the sidelines’", "an
exclamation", "intensifiers: ‘utterly’") and leaves out what only means something to a model's
author (a neighbouring word's score, a word's shape, the intercept, "all other features"); the
numbers stay in the explanation, for the report's log-odds view.
"""
from __future__ import annotations

from framing.presenting.explain import Contribution, ScoreExplanation

WORD_LISTS = {
    "strong_subjective": "strongly subjective", "weak_subjective": "weakly subjective", "negative": "negative",
    "positive": "positive", "hedge": "a hedge", "assertive": "an assertive verb", "factive": "a factive verb",
    "implicative": "an implicative verb", "report_verb": "a reporting verb", "entailing": "an entailing verb",
    "entailed": "an entailed verb", "npov": "often cut as biased by Wikipedia editors",
    "babe_bias": "marked as biased by BABE's annotators", "loaded_emotion": "a loaded emotion word",
}
"""What each word list of the bundled model says about a word on it."""

CUES = {
    "superlative": "superlatives", "intensifier": "intensifiers", "first_person": "the first person (I, we)",
    "second_person": "addressing the reader (you)", "negation": "negation",
    "modal_obligation": "words of obligation (must, should)", "attribution": "attribution (said, according to)",
    "exclamation": "an exclamation", "question": "a question", "quote_mark": "quotation marks",
    "ellipsis": "an ellipsis", "scare_quote": "scare quotes", "all_caps_word": "a word in capitals",
    "number": "numbers", "sentence length": "its length",
}
"""Style cues in words."""

SUMMARY = {"most biased sentence": "its most biased sentence", "most loaded word": "its most loaded word",
           "loaded words": "how many loaded words it has", "tokens above threshold": "how many loaded words it has",
           "loaded words in the sentence": "other loaded words in the sentence"}

FUNCTION_WORDS = frozenset(
    "a an the and or but of to in on at by for from with as is are was were be been being it its this that these "
    "those he she they we you i his her their our your has have had do does did not no so than then there which who "
    "whom what when where will would can could may might shall should must".split())
"""Words too common to be a reason a reader can use (an n-gram made only of them is left out)."""


def _q(text: str) -> str:
    return f"\u2018{text}\u2019"


def _words(detail: str) -> list[str]:
    return [w for w in (x.strip() for x in detail.split(",")) if w]


def plain(c: Contribution) -> str | None:
    """One contribution in words, or None when it says nothing a reader can check."""
    if c.kind == "n-gram":
        if all(w in FUNCTION_WORDS for w in c.feature.split()):
            return None
        if c.feature == "!":
            return "an exclamation mark"
        if c.feature == "?":
            return "a question mark"
        return f"the {'phrase' if ' ' in c.feature else 'word'} {_q(c.feature)}"
    if c.kind == "word list":
        what = WORD_LISTS.get(c.feature, c.feature.replace("_", " "))
        words = _words(c.detail)
        if not words:
            return f"words that are {what}"
        return f"the word{'s' if len(words) > 1 else ''} {', '.join(map(_q, words[:3]))} ({what})"
    if c.kind == "style":
        what = CUES.get(c.feature, c.feature.replace("_", " "))
        words = _words(c.detail)
        return f"{what}: {', '.join(map(_q, words[:3]))}" if words and c.feature not in ("exclamation", "question") else what
    if c.kind == "word vectors":
        words = [w for w in _words(c.detail) if w not in FUNCTION_WORDS]
        if c.feature.startswith("'"):  # a token's own word vector (a neighbour's is named "next word 'x'")
            return f"what {_q(c.feature.strip(chr(39)))} means"
        if not c.feature.endswith("summed"):
            return None
        return f"what {', '.join(map(_q, words[:3]))} mean{'s' if len(words) == 1 else ''}" if words else None
    if c.kind == "tagger":
        if c.feature.startswith("highest "):
            label = c.feature[len("highest "):-len(" token score")]
            return f"a phrase that reads as {label.replace('_', ' ').replace('-', ' / ').lower()}"
        return SUMMARY.get(c.feature)
    if c.kind == "paragraph":
        return SUMMARY.get(c.feature, c.feature)
    if c.kind == "word":
        return f"the word {_q(c.feature.strip(chr(39)))}"
    if c.kind == "word pair":
        pair = c.feature.strip("'")
        return f"the words {_q(pair)}" if all(w.isalnum() for w in pair.split()) else None
    if c.kind == "context":
        return SUMMARY.get(c.feature)
    return None  # neighbours, shapes, affixes: how the tagger reads, not why a reader would


def reasons(e: ScoreExplanation, n: int = 4) -> list[str]:
    """Up to ``n`` plain-word reasons for a score, strongest first, each said once."""
    out: list[str] = []
    for c in e.top:
        text = plain(c)
        if text is not None and text not in out:
            out.append(text)
    return out[:n]
