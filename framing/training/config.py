"""The knobs of training (``TrainConfig``): its defaults make the bundled model."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class TrainConfig:
    """Knobs of training; the defaults make the bundled model."""

    seed: int = 0
    ngram_max_features: int = 60000
    tagger_C: float = 0.5
    tagger_context_C: float = 1.0
    tagger_dim: int = 32
    """Size of the span tagger's word vectors. Distilled ones did as well at 32 dimensions as at 64
    (validation span character F1 0.357 and 0.355, WikiNPOV AUC 0.812 and 0.810) in half the space."""
    bias_C: float = 2.0
    technique_C: float = 4.0
    frame_C: float = 32.0
    frame_class_weight: str | None = None
    """``"balanced"`` chooses the rare frames (20-30 articles) more often: out of fold by article,
    macro-F1 0.526 instead of 0.517, but micro-F1 0.684 instead of 0.702 (C 8 and 32, each its best)."""
    frame_blocks: tuple = ("NgramFeatures", "EmbeddingFeatures")
    """The extractors whose features the frame head reads. Both are unit-length per text, so
    an article and a sentence score on one scale; lexicon and style counts grow with length."""
    corpus_weights: dict = field(
        default_factory=lambda: {"babe": 1.0, "mbic": 1.0, "wiki_npov": 0.5, "semeval_paragraphs": 0.25}
    )
    lexicon_weight: float = 0.3
    style_weight: float = 0.3
    embedding_dim: int = 64
    embedding_weight: float = 1.0
    distilled: str | None = None
    """The ``.npz`` that ``python -m framing.training.distill`` writes: its word vectors replace the ones
    learned from the training text, and its sentence vectors make a teacher whose soft labels
    on the SemEval sentences the bias head learns from too (weighted ``teacher_weight``)."""
    teacher_weight: float = 1.0
    news: str | None = None
    """The directory of news sentences and their vectors that ``python -m framing.training.news`` writes
    (outside the repository; needs ``distilled``): the teacher labels the first ``news_sentences`` of them
    for the bias head. None: no news sentences."""
    news_sentences: int = 20000
    news_weight: float = 1.0
    """The news sentences' total weight in the bias head, as a multiple of the labelled sentences' total weight."""
    tagger_learned_vectors: bool = False
    """Let the span tagger learn its own word vectors from the training sentences (PPMI + SVD)
    even when ``distilled`` is given; by default it reads the distilled ones (reduced to
    ``tagger_dim``). On the validation split, learned ones (64 dimensions) gave loaded-span
    character F1 0.336 instead of 0.357, WikiNPOV AUC 0.815 instead of 0.812."""
    topic_directions: int = 8
    """How many directions that tell BABE's and MBIC's topics apart (abortion, immigration, gun
    control, ...) are projected out of the word vectors (0: none): a topic is not bias."""
    technique_without: tuple = ("style:log_length",)
    """Feature columns the technique head never reads (``fnmatch`` patterns over the names of
    ``get_feature_names_out`` and :func:`~framing.scoring.featurize.summary_names`). A sentence's
    length is not evidence of a technique, however often long SemEval sentences hold one. Leaving
    out every count as well (``"style:*", "lexicon:*:log_count", "tagger:loaded_tokens"``) gave validation
    technique micro-F1 0.388 instead of 0.392 (two runs whose distilled files differ a little) and did not make the share of sentences with a technique
    rise less with their length (AllSides: 10% -> 48% of sentences without a loaded phrase, against
    9% -> 53% with the length alone left out)."""
    exclude_lexicons: tuple = ()
    """Names of word lists (keys of :func:`framing.training.corpora.load_lexicons`) to leave out of
    the model, e.g. ``("strong_subjective", "weak_subjective", "babe_bias")``: the MPQA clues (GPL)
    and BABE's bias word lexicon (AGPL-3.0). The model card measures what leaving them out costs."""
    holdout: str | None = None
    """Leave this corpus (``HOLDOUTS``) out of training entirely, to measure how ``loaded_score``
    generalizes to it. Only what ``loaded_score`` needs is trained then (tagger, bias and
    paragraph heads); the technique and frame heads are left empty (never chosen)."""
