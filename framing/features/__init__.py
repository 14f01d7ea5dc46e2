"""Feature extractors: scikit-learn transformers that turn text into sparse matrices.

They are what the bundled model's heads use, and they work in your own
``Pipeline``/``FeatureUnion`` and grid searches.
"""
from .embeddings import EmbeddingFeatures
from .lexicon import LexiconFeatures
from .ngrams import NgramFeatures
from .style import CUES, StyleFeatures
from .tokens import TokenFeatures

__all__ = ["CUES", "EmbeddingFeatures", "LexiconFeatures", "NgramFeatures", "StyleFeatures", "TokenFeatures"]
