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

__all__ = ["Comparison", "Doc", "Explainer", "FRAMES", "ModelFileError", "Scorer", "Sentence", "Span", "TECHNIQUES", "compare", "explain", "load",
           "render", "render_comparison", "score_dataset", "__version__"]
