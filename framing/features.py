"""Feature extractors: scikit-learn transformers that turn text into sparse matrices.

The public home of :mod:`framing.scoring.features`: they are what the bundled model's heads
use, and they work in your own ``Pipeline``/``FeatureUnion`` and grid searches.
"""
from framing.scoring.features import (CUES, EmbeddingFeatures, Extractor, LexiconFeatures, NgramFeatures,
                                      NotFittedError, StyleFeatures, TokenFeatures)

__all__ = ["CUES", "EmbeddingFeatures", "Extractor", "LexiconFeatures", "NgramFeatures", "NotFittedError",
           "StyleFeatures", "TokenFeatures"]
