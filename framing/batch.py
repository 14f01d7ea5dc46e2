"""Scoring corpora: one model per process, and ``datasets`` tables."""
from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .doc import Doc

_MODELS: dict = {}  # this process's models, by model directory
_LOADS: Counter[str] = Counter()  # how often this process loaded each model directory
_LOCK = threading.Lock()  # one load per process, even with several threads


def _model(path: str | None):
    """This process's model at ``path`` (None: the bundled one), loaded on first use and kept."""
    from .model import bundled_model_dir, load

    directory = str(bundled_model_dir() if path is None else path)
    with _LOCK:
        if directory not in _MODELS:
            _MODELS[directory] = load(directory)
            _LOADS[directory] += 1
        return _MODELS[directory]


def load_counts() -> dict[str, int]:
    """How many times this process loaded each model directory (at most once each)."""
    return dict(_LOADS)


@contextmanager
def forking_with(scorer, path: str) -> Iterator[None]:
    """While worker processes are forked, they find ``scorer`` as this process's model at ``path``
    (no second load; workers that are spawned load it from ``path``)."""
    before = _MODELS.get(path)
    _MODELS[path] = scorer
    try:
        yield
    finally:
        if before is None:
            del _MODELS[path]
        else:
            _MODELS[path] = before


def json_lines(docs: Iterable[Doc]) -> list[tuple[str | None, str | None]]:
    """Per doc, ``(its to_dict() as a JSON line, None)``, or ``(None, error)`` for an error doc."""
    return [(None, d.error) if d.error is not None else (json.dumps(d.to_dict(), ensure_ascii=False), None)
            for d in docs]


COLUMNS = ("loaded_score", "loaded", "labels", "frames", "spans")


def doc_columns(docs: Iterable[Doc]) -> dict[str, list]:
    """The columns framing adds to a table, one value per doc."""
    out: dict[str, list] = {c: [] for c in COLUMNS}
    for doc in docs:
        out["loaded_score"].append(doc.loaded_score)
        out["loaded"].append(doc.loaded)
        out["labels"].append(doc.labels)
        out["frames"].append(list(doc.frames))
        out["spans"].append([s.to_dict() for s in doc.spans])
    return out


def score_dataset(ds, text_column: str = "text", batch_size: int = 1024, num_proc: int | None = None,
                  model: str | Path | None = None):
    """Add framing's columns to a ``datasets.Dataset`` (or stream them onto an ``IterableDataset``).

    The new columns are ``loaded_score`` (float), ``loaded`` (bool), ``labels`` and ``frames``
    (lists of strings) and ``spans`` (a list of ``{text, start, end, score, label}`` structs,
    offsets into the text). ``num_proc`` worker processes each load the model once;
    ``model`` is a model directory (default: the bundled model).
    """
    import datasets

    if text_column not in (ds.column_names or []):
        raise KeyError(f"no column {text_column!r} in the dataset (columns: {', '.join(ds.column_names or [])})")
    clash = [c for c in COLUMNS if c in ds.column_names]
    if clash:
        raise ValueError(f"the dataset already has {', '.join(clash)}; remove or rename them first")
    span = {"text": datasets.Value("string"), "start": datasets.Value("int64"), "end": datasets.Value("int64"),
            "score": datasets.Value("float64"), "label": datasets.Value("string")}
    new = {"loaded_score": datasets.Value("float64"), "loaded": datasets.Value("bool"),
           "labels": [datasets.Value("string")], "frames": [datasets.Value("string")], "spans": [span]}
    features = datasets.Features({**(ds.features or {}), **new}) if ds.features is not None else None
    kwargs = {"fn_kwargs": {"path": str(model) if model else None, "batch_size": batch_size, "column": text_column},
              "batched": True, "batch_size": batch_size, "features": features}
    if isinstance(ds, datasets.IterableDataset):
        if num_proc not in (None, 1):
            raise ValueError("an IterableDataset streams in one process; drop num_proc or load the data as a Dataset")
        return ds.map(_map_batch, **kwargs)
    return ds.map(_map_batch, num_proc=num_proc, desc="framing", **kwargs)


def _map_batch(batch: dict, path: str | None, batch_size: int, column: str) -> dict:
    return doc_columns(_model(path).pipe(batch[column], batch_size=batch_size))
