"""Scoring corpora: several processes, and ``datasets`` tables."""
from __future__ import annotations

import itertools
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path

from .doc import Doc

_MODELS: dict = {}  # this process's loaded models, by directory ("" for the bundled one)


def _model(path: str | None):
    """The model at ``path`` (None: the bundled one), loaded once per process."""
    from .model import load

    key = path or ""
    if key not in _MODELS:
        _MODELS[key] = load(path)
    return _MODELS[key]


def _score_in_worker(path: str, texts: list[str]) -> list[Doc]:
    return list(_model(path).pipe(texts, batch_size=len(texts) or 1))


def pipe_processes(path: str | Path, texts: Iterable[str], batch_size: int, n_process: int) -> Iterator[Doc]:
    """Score ``texts`` in ``n_process`` worker processes that each load the model at ``path`` once.

    Batches go out in order and come back in order; at most ``2 * n_process`` are in
    flight, so memory does not grow with the input.
    """
    ctx = multiprocessing.get_context()
    it = iter(texts)
    with ctx.Pool(n_process, initializer=_model, initargs=(str(path),)) as pool:
        pending: deque = deque()
        while True:
            while len(pending) < 2 * n_process and (batch := list(itertools.islice(it, batch_size))):
                pending.append(pool.apply_async(_score_in_worker, (str(path), batch)))
            if not pending:
                return
            yield from pending.popleft().get()


COLUMNS = ("loaded_score", "loaded", "labels", "frames", "spans")


def _columns(texts: list[str], path: str | None, batch_size: int) -> dict[str, list]:
    out: dict[str, list] = {c: [] for c in COLUMNS}
    for doc in _model(path).pipe(texts, batch_size=batch_size):
        out["loaded_score"].append(doc.loaded_score)
        out["loaded"].append(doc.loaded)
        out["labels"].append(doc.labels)
        out["frames"].append(doc.frames)
        out["spans"].append([s.to_dict() for s in doc.spans])
    return out


def score_dataset(ds, text_column: str = "text", batch_size: int = 256, num_proc: int | None = None,
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
    return _columns(batch[column], path, batch_size)
