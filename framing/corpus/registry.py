"""One model per process, by directory: what ``datasets`` and Dask workers score with."""
from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

from framing.scoring.scorer import Scorer, bundled_model_dir, load

_MODELS: dict[str, Scorer] = {}  # this process's models, by model directory
_LOADS: Counter[str] = Counter()  # how often this process loaded each model directory
_LOCK = threading.Lock()  # one load per process, even with several threads


def model_for(path: str | Path | None) -> Scorer:
    """This process's model at ``path`` (None: the bundled one), loaded on first use and kept."""
    directory = str(bundled_model_dir() if path is None else path)
    with _LOCK:
        if directory not in _MODELS:
            _MODELS[directory] = load(directory)
            _LOADS[directory] += 1
        return _MODELS[directory]


def load_counts() -> dict[str, int]:
    """How many times this process loaded each model directory (at most once each)."""
    return dict(_LOADS)
