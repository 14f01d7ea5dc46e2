"""framing's columns on tables: ``datasets`` (:func:`score_dataset`), and the columns Dask adds too."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from framing.corpus.registry import model_for
from framing.scoring.doc import Doc


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
    (lists of strings) and ``spans`` (a list of ``{text, start, end, score, label, quoted}`` structs,
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
            "score": datasets.Value("float64"), "label": datasets.Value("string"), "quoted": datasets.Value("bool")}
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
    return doc_columns(model_for(path).pipe(batch[column], batch_size=batch_size))
