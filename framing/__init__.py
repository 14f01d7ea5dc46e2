"""framing: where and how news text is slanted, fast and offline.

>>> import framing
>>> nlp = framing.load()
>>> doc = nlp("Pakistan's jealousy is apparent as India continues to secure high-profile visits.")
>>> [s.text for s in doc.spans]
['jealousy']
"""
from framing._version import __version__
from framing.corpus.compare import Comparison, compare
from framing.corpus.tables import score_dataset
from framing.presenting.explain import Explainer, explain
from framing.presenting.forest import render_comparison
from framing.presenting.render import render
from framing.scoring.doc import Doc, Sentence, Span
from framing.scoring.labels import FRAMES, TECHNIQUES
from framing.scoring.persist import ModelFileError
from framing.scoring.scorer import Scorer, load

__all__ = ["Comparison", "Doc", "Explainer", "FRAMES", "ModelFileError", "Scorer", "Sentence", "Span", "TECHNIQUES", "adapt",
           "compare", "explain", "load", "render", "render_comparison", "score_dataset", "__version__"]


def __getattr__(name: str):
    """``framing.adapt`` (:func:`framing.training.adapt.adapt`), imported when first used: it brings in
    the training tools, which scoring never needs."""
    if name == "adapt":
        from framing.training.adapt import adapt

        return adapt
    raise AttributeError(f"module 'framing' has no attribute {name!r}")
