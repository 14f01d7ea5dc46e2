"""Fitted components to plain data (JSON-ready dicts and numpy arrays) and back.

Only the classes named in ``EXTRACTORS`` can be rebuilt, from their parameters and
learned vocabularies: a model directory names data, never code.
"""
from __future__ import annotations

import numpy as np

from framing.scoring.features import EmbeddingFeatures, LexiconFeatures, NgramFeatures, StyleFeatures, TokenFeatures
from framing.scoring.heads import LinearHead
from framing.scoring.spans import SpanTagger

EXTRACTORS = {cls.__name__: cls for cls in (NgramFeatures, LexiconFeatures, StyleFeatures, TokenFeatures, EmbeddingFeatures)}
LEARNED_ARRAYS = {"idf_": "idf", "vectors_": "vectors", "pairs_": "pairs", "affixes_": "affixes"}
"""Fitted array attribute -> set_vocabulary argument (word vectors are kept at half precision)."""


def extractor_state(est, prefix: str) -> tuple[dict, dict[str, np.ndarray]]:
    """``(config, arrays)`` for a fitted extractor; array names start with ``prefix``."""
    config = {"class": type(est).__name__, "params": est.get_params()}
    arrays = {}
    if hasattr(est, "vocabulary_"):
        config["vocabulary"] = sorted(est.vocabulary_, key=est.vocabulary_.get)
    for attr, name in LEARNED_ARRAYS.items():
        if hasattr(est, attr):
            value = np.asarray(getattr(est, attr))
            arrays[f"{prefix}.{name}"] = value.astype(np.float16) if name == "vectors" else value
    return config, arrays


def extractor_from_state(config: dict, arrays: dict[str, np.ndarray], prefix: str):
    """Rebuild an extractor saved by :func:`extractor_state`."""
    name = config.get("class")
    if name not in EXTRACTORS:
        raise ValueError(f"unknown feature extractor {name!r} in model config; known: {', '.join(EXTRACTORS)}")
    params = dict(config["params"])
    if "ngram_range" in params:
        params["ngram_range"] = tuple(params["ngram_range"])
    est = EXTRACTORS[name](**params)
    if "vocabulary" not in config:
        return est.fit()
    learned = {n: arrays[f"{prefix}.{n}"] for n in LEARNED_ARRAYS.values() if f"{prefix}.{n}" in arrays}
    return est.set_vocabulary(config["vocabulary"], **learned)


def head_state(head: LinearHead, prefix: str) -> tuple[dict, dict[str, np.ndarray]]:
    """``(config, arrays)`` for a linear head."""
    config = {"labels": list(head.labels), "thresholds": [float(t) for t in head.thresholds], "max_labels": head.max_labels}
    for name in ("sentence_thresholds", "evidence_thresholds"):
        if getattr(head, name) is not None:
            config[name] = [float(t) for t in getattr(head, name)]
    arrays = {f"{prefix}.coef": head.coef.astype(np.float32), f"{prefix}.intercept": head.intercept.astype(np.float32)}
    return config, arrays


def head_from_state(config: dict, arrays: dict[str, np.ndarray], prefix: str) -> LinearHead:
    """Rebuild a head saved by :func:`head_state`."""
    return LinearHead(
        labels=tuple(config["labels"]),
        coef=arrays[f"{prefix}.coef"].astype(np.float32, copy=False),
        intercept=arrays[f"{prefix}.intercept"].astype(np.float64),
        thresholds=np.asarray(config["thresholds"], dtype=np.float64),
        max_labels=config.get("max_labels"),
        **{name: None if config.get(name) is None else np.asarray(config[name], dtype=np.float64)
           for name in ("sentence_thresholds", "evidence_thresholds")},
    )


def tagger_state(tagger: SpanTagger, prefix: str) -> tuple[dict, dict[str, np.ndarray]]:
    """``(config, arrays)`` for the span tagger."""
    feat_config, feat_arrays = extractor_state(tagger.features, f"{prefix}.features")
    config = {
        "features": feat_config,
        "labels": list(tagger.labels),
        "threshold": tagger.threshold,
        "extend": tagger.extend,
        "phrases": tagger.phrases,
        "edges": tagger.edges,
        "relative": tagger.relative,
    }
    arrays = {
        f"{prefix}.coef": tagger.coef.astype(np.float32),
        f"{prefix}.intercept": tagger.intercept.astype(np.float32),
        f"{prefix}.context_coef": np.asarray(tagger.context_coef, dtype=np.float64),
        f"{prefix}.context_intercept": np.array([tagger.context_intercept], dtype=np.float64),
    }
    return config, {**feat_arrays, **arrays}


def tagger_from_state(config: dict, arrays: dict[str, np.ndarray], prefix: str) -> SpanTagger:
    """Rebuild a tagger saved by :func:`tagger_state`."""
    return SpanTagger(
        features=extractor_from_state(config["features"], arrays, f"{prefix}.features"),
        labels=tuple(config["labels"]),
        coef=arrays[f"{prefix}.coef"].astype(np.float32, copy=False),
        intercept=arrays[f"{prefix}.intercept"].astype(np.float64),
        context_coef=arrays[f"{prefix}.context_coef"].astype(np.float64),
        context_intercept=float(arrays[f"{prefix}.context_intercept"][0]),
        threshold=float(config["threshold"]),
        extend=float(config["extend"]),
        phrases={str(k): float(v) for k, v in config["phrases"].items()},
        edges={str(k): [str(w) for w in v] for k, v in config.get("edges", {}).items()},
        relative=float(config.get("relative", 0.0)),
    )
