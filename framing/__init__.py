"""framing: where and how news text is slanted, fast and offline.

>>> import framing
>>> nlp = framing.load()
>>> doc = nlp("Pakistan's jealousy is apparent as India continues to secure high-profile visits.")
>>> [s.text for s in doc.spans]
['jealousy']
"""
from importlib import import_module

from framing._version import __version__
from framing.scoring.doc import Doc, Sentence, Span
from framing.scoring.labels import FRAMES, TECHNIQUES
from framing.scoring.persist import ModelFileError
from framing.scoring.scorer import Scorer, load

__all__ = ["Comparison", "Doc", "Explainer", "FRAMES", "ModelFileError", "Scorer", "Sentence", "Span", "TECHNIQUES", "adapt",
           "compare", "explain", "load", "render", "render_comparison", "score_dataset", "__version__"]


_LAZY = {"Comparison": "framing.corpus.compare", "compare": "framing.corpus.compare",
         "score_dataset": "framing.corpus.tables", "Explainer": "framing.presenting.explain",
         "explain": "framing.presenting.explain", "render_comparison": "framing.presenting.forest",
         "render": "framing.presenting.render", "adapt": "framing.training.adapt"}
"""Public names imported when first used, so that ``import framing`` brings in only what scoring needs
(``framing.adapt`` brings in the training tools, the others comparing, explaining and rendering)."""


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'framing' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
