"""Style cues of slanted writing, each a regular expression a reader can check."""
from __future__ import annotations

import re

import numpy as np

from ._base import TextTransformer, as_texts

_W = r"(?<![\w'’-])(?:{})(?![\w'’-])"

CUES: dict[str, str] = {
    "exclamation": r"!",
    "question": r"\?",
    "quote_mark": r"[\"“”]",
    "scare_quote": r"[\"“]\s*[^\s\"“”]+(?:\s+[^\s\"“”]+){0,2}\s*[\"”]",
    "all_caps_word": r"(?<!\w)[A-Z]{3,}(?!\w)",
    "superlative": _W.format(
        r"most|least|best|worst|biggest|greatest|largest|smallest|highest|lowest|strongest|weakest|"
        r"richest|poorest|fastest|deadliest|worst-ever|ever"
    ),
    "intensifier": _W.format(
        r"very|extremely|totally|completely|utterly|absolutely|really|truly|incredibly|deeply|highly|"
        r"entirely|hugely|massively|wildly|outright|sheer|so-called|literally|simply|just"
    ),
    "first_person": _W.format(r"i|we|us|our|ours|my|mine|me"),
    "second_person": _W.format(r"you|your|yours"),
    "negation": _W.format(r"not|no|never|nothing|nobody|none|n't|cannot"),
    "modal_obligation": _W.format(r"must|should|ought|need to|have to"),
    "attribution": _W.format(r"said|says|told|according to|reported|stated|announced|added"),
    "number": r"\d+(?:[.,]\d+)*",
    "ellipsis": r"\.\.\.|…",
}
"""Cue name -> pattern; matched case-insensitively except ``all_caps_word``."""

_COMPILED = [re.compile(p) if name == "all_caps_word" else re.compile(p, re.IGNORECASE) for name, p in CUES.items()]
_TOKEN = re.compile(r"\S+")


class StyleFeatures(TextTransformer):
    """``log1p`` counts of the ``CUES`` patterns plus ``log1p`` of the length in words.

    Stateless: ``fit`` learns nothing but is there for pipelines.

    Examples
    --------
    >>> from framing.features import StyleFeatures
    >>> StyleFeatures().fit_transform(["What a DISGRACE!"]).shape
    (1, 15)
    """

    def fit(self, X=None, y=None):
        """Nothing to learn; returns ``self``."""
        return self

    def transform(self, X):
        """Texts to a dense float32 array of shape (n_texts, 15)."""
        texts = as_texts(X)
        out = np.zeros((len(texts), len(_COMPILED) + 1), dtype=np.float32)
        for r, t in enumerate(texts):
            out[r, : len(_COMPILED)] = [len(p.findall(t)) for p in _COMPILED]
            out[r, -1] = len(_TOKEN.findall(t))
        return np.log1p(out)

    def get_feature_names_out(self, input_features=None):
        """``style:CUE`` names, then ``style:log_length``."""
        return np.array([f"style:{n}" for n in CUES] + ["style:log_length"], dtype=object)
