"""Feature extractors: scikit-learn transformers that turn text into sparse matrices.

They are what the bundled model's heads use, and they work in your own
``Pipeline``/``FeatureUnion`` and grid searches; :class:`Extractor` is what the scorer
calls on one. Import them from :mod:`framing.features`.
"""
from framing.scoring.features.base import Extractor, NotFittedError
from framing.scoring.features.embeddings import EmbeddingFeatures
from framing.scoring.features.lexicon import LexiconFeatures
from framing.scoring.features.ngrams import NgramFeatures
from framing.scoring.features.style import CUES, StyleFeatures
from framing.scoring.features.tokens import TokenFeatures

__all__ = ["CUES", "EmbeddingFeatures", "Extractor", "LexiconFeatures", "NgramFeatures", "NotFittedError",
           "StyleFeatures", "TokenFeatures"]
