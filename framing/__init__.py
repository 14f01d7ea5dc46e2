"""framing: where and how news text is slanted, fast and offline.

>>> import framing
>>> nlp = framing.load()
>>> doc = nlp("Pakistan's jealousy is apparent as India continues to secure high-profile visits.")
>>> [s.text for s in doc.spans]
['jealousy']
"""

__version__ = "0.1.0"

from .batch import score_dataset
from .doc import Doc, Sentence, Span
from .labels import FRAMES, TECHNIQUES
from .model import Scorer, load
from .persist import ModelFileError
from .render import render

__all__ = ["Doc", "FRAMES", "ModelFileError", "Scorer", "Sentence", "Span", "TECHNIQUES", "load", "render", "score_dataset", "__version__"]
