"""The form of a token that the model reads: lower-cased, with people's and places' names and
party words masked, so that a name or a side is never evidence of slant.

A capitalized word that does not start a sentence or a quotation is a name ("said Marcia
Fudge", "with Pelosi"); a capitalized word that starts one is a name when news text usually
capitalizes it ("Trump said": the list in ``resources/names.txt``, see
:mod:`framing.training.names`) or when a name follows it ("Hope Hicks said"), unless it is a
function word ("The Senate", "But Pelosi"). In a Title Case text (every word but
function words capitalized) only the listed words are names. Names read as
``<name>``: they match no word list ("Fudge" is not the negative word "fudge", "Trump" not
"trump") and carry one weight whoever is named. Party and ideology words (Democrats,
Republicans, GOP, liberals, conservatives, ...) read as ``<party>``: the model may learn that
naming a side goes with slant, but never which side.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np

NAME = "<name>"
PARTY = "<party>"
PARTY_WORDS = frozenset(
    "democrat democrats dem dems republican republicans gop liberal liberals conservative conservatives "
    "progressives leftists".split()
)
"""Lower-cased words that read as ``<party>`` however they are written (and "Democratic" when capitalized)."""
FUNCTION_WORDS = frozenset(
    """a an the this that these those his her its their our my your some any no every each all both
    in on at by for from with without to of into onto over under after before during since until while
    as when where if but and or nor so yet then than though although because however meanwhile also
    even still now here there what which who whom whose why how i we you he she it they me us him them
    is are was were be been being has have had do does did will would can could may might must should
    not never more most many much few several other such only just again once""".split()
)
"""Words that are never taken for the first word of a name at the start of a sentence."""
OPENERS = frozenset('"“‘\'«‹([{¿¡.!?…')
"""Tokens after which a capitalized word starts a sentence or a quotation (so it may be an ordinary word)."""

TITLE_MIN_WORDS = 4
"""A text of at least this many words (function words aside), every one capitalized, is in Title Case."""
NAMES_FILE = Path(__file__).parents[1] / "resources" / "names.txt"
PARTY_KIND, FUNCTION_KIND, OPENER_KIND, SHORT_KIND, LISTED_KIND = 1, 2, 4, 8, 16
CAPITALIZED_BIT, ALL_CAPS_BIT = 1, 2
"""The shape flags (see :data:`framing.scoring.features.base.SHAPES`) that mark a capitalized token."""


def is_party(token: str) -> bool:
    """Whether ``token`` (as written) reads as ``<party>``."""
    low = token.lower()
    return low in PARTY_WORDS or (low == "democratic" and token[:1].isupper())


@cache
def listed_names() -> frozenset[str]:
    """The lower-cased words news text usually capitalizes (``resources/names.txt``), read once."""
    lines = NAMES_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def kind(token: str) -> int:
    """Bit flags of ``token`` (as written) that :func:`name_flags` reads."""
    low = token.lower()
    return ((PARTY_KIND if is_party(token) else 0) | (FUNCTION_KIND if low in FUNCTION_WORDS else 0)
            | (OPENER_KIND if token in OPENERS else 0) | (SHORT_KIND if len(token) < 2 else 0)
            | (LISTED_KIND if low in listed_names() else 0))


def base_form(token: str) -> str:
    """What ``token`` reads as, whatever its position: ``<party>`` or the token lower-cased."""
    return PARTY if is_party(token) else token.lower()


def name_flags(shapes: np.ndarray, kinds: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """Which tokens are names, for a batch's tokens (their shape codes and :func:`kind` flags;
    ``indptr`` marks where each text starts). See the module's docstring for the rule."""
    n = len(shapes)
    if not n:
        return np.zeros(0, dtype=bool)
    capital = ((shapes & CAPITALIZED_BIT) > 0) & ((shapes & ALL_CAPS_BIT) == 0) & ((kinds & (PARTY_KIND | SHORT_KIND)) == 0)
    start = np.zeros(n, dtype=bool)
    start[indptr[:-1][np.diff(indptr) > 0]] = True
    initial = start.copy()
    initial[1:] |= (kinds[:-1] & OPENER_KIND) > 0
    name = capital & ~initial
    followed = np.zeros(n, dtype=bool)
    followed[:-1] = name[1:] & ~start[1:]
    listed = (kinds & LISTED_KIND) > 0
    name |= capital & initial & (listed | followed) & ((kinds & FUNCTION_KIND) == 0)
    # In Title Case ("Senator Slams Disgraceful Deal") capitals mark no names: only listed words are
    row = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))
    word = (kinds & (FUNCTION_KIND | SHORT_KIND | OPENER_KIND)) == 0
    words = np.bincount(row[word], minlength=len(indptr) - 1)
    capitals = np.bincount(row[capital & word], minlength=len(indptr) - 1)
    title = (words >= TITLE_MIN_WORDS) & (capitals == words)
    return np.where(title[row], capital & listed, name)


def forms(raw: list[str], shapes: np.ndarray, indptr: np.ndarray) -> list[str]:
    """Each token's form (see the module's docstring): what vocabularies are looked up with."""
    out = [base_form(t) for t in raw]
    kinds = np.fromiter(map(kind, raw), dtype=np.int64, count=len(raw))
    for i in np.flatnonzero(name_flags(shapes, kinds, indptr)).tolist():
        out[i] = NAME
    return out

