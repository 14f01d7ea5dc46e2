"""Score text on a Dask cluster: a bag of texts, or a text column of a Dask DataFrame.

Needs the ``dask`` extra, ``pip install "framing[dask]"`` (``dask[dataframe]`` and
``distributed``). ``import framing`` never imports Dask; this module imports it only when one of
its functions is called.

Each worker process loads the model once, the first time it scores something, and keeps it for
every later task and partition: only the model's path (a string, or None for the bundled model)
goes through the scheduler, never the model itself. Every worker needs framing installed, the
same version as the client's; a model other than the bundled one must be readable by every
worker at the path you pass (a shared file system, say).

With an existing cluster::

    import dask.dataframe as dd
    from distributed import Client
    import framing.dask

    client = Client("tcp://scheduler:8786")
    df = dd.read_parquet("articles/")              # a "text" column, and any others
    scored = framing.dask.score_dataframe(df)
    scored.to_parquet("scored/", schema=framing.dask.parquet_schema(scored))

On SLURM, start the workers with dask-jobqueue (``pip install dask-jobqueue``; the jobs run
the same Python environment, framing included) and score the same way::

    from dask_jobqueue import SLURMCluster

    cluster = SLURMCluster(cores=2, memory="4GB")
    cluster.scale(jobs=10)
    client = Client(cluster)
    scored = framing.dask.score_dataframe(dd.read_parquet("articles/"))
    scored.to_parquet("scored/", schema=framing.dask.parquet_schema(scored))

A bag of texts gives a bag of ``Doc.to_dict()`` dicts::

    import json
    import dask.bag as db

    texts = db.read_text("news-*.jsonl").map(json.loads).pluck("text")
    framing.dask.score_bag(texts).map(json.dumps).to_textfiles("scored-*.jsonl")
"""
from __future__ import annotations

import importlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from framing.corpus.registry import load_counts, model_for
from framing.corpus.tables import doc_columns

if TYPE_CHECKING:
    import dask.bag
    import dask.dataframe
    import pandas
    import pyarrow

__all__ = ["COLUMNS", "load_counts", "parquet_schema", "score_bag", "score_dataframe"]

COLUMNS = {"loaded_score": "float64", "loaded": "bool", "labels": object, "frames": object, "spans": object}
"""The columns :func:`score_dataframe` adds, with their dtypes."""

def score_bag(texts: dask.bag.Bag, model: str | Path | None = None, batch_size: int = 1024) -> dask.bag.Bag:
    """A bag of ``Doc.to_dict()`` dicts, one per text of ``texts``, in the same order.

    ``model`` is a model directory as the workers see it; None is the bundled model. Each
    partition is scored with ``Scorer.pipe`` in batches of ``batch_size``.
    """
    db = _require("dask.bag")
    if not isinstance(texts, db.Bag):
        raise TypeError(f"score_bag takes a dask.bag.Bag, not {type(texts).__name__}; use dask.bag.from_sequence")
    return texts.map_partitions(_score_texts, _model_arg(model), _check_batch_size(batch_size))


def score_dataframe(
    df: dask.dataframe.DataFrame,
    text_column: str = "text",
    model: str | Path | None = None,
    batch_size: int = 1024,
) -> dask.dataframe.DataFrame:
    """``df`` with the scores of its ``text_column`` added as the columns of :data:`COLUMNS`.

    ``loaded_score`` is a float, ``loaded`` a bool, ``labels`` and ``frames`` lists of strings
    and ``spans`` a list of span dicts (``text``, ``start``, ``end``, ``score``, ``label``, ``quoted``) per
    row; rows, index and the other columns are kept. Every value of ``text_column`` must be a
    string. ``model`` and ``batch_size`` are as in :func:`score_bag`.
    """
    dd = _require("dask.dataframe")
    if not isinstance(df, dd.DataFrame):
        raise TypeError(f"score_dataframe takes a dask.dataframe.DataFrame, not {type(df).__name__}")
    if text_column not in df.columns:
        raise KeyError(f"no column {text_column!r} to score; the columns are {list(df.columns)}")
    import pandas as pd

    meta = df._meta.assign(**{name: pd.Series(dtype=dtype) for name, dtype in COLUMNS.items()})
    args = (text_column, _model_arg(model), _check_batch_size(batch_size))
    return df.map_partitions(_score_frame, *args, meta=meta)


def parquet_schema(scored: dask.dataframe.DataFrame) -> pyarrow.Schema:
    """The Arrow schema to write ``scored``, a :func:`score_dataframe` result, with ``to_parquet``.

    Dask cannot infer the types of list columns by itself (its stand-in rows for an
    ``object`` column hold no lists), so pass this: ``scored.to_parquet(path, schema=...)``.
    The other columns' types are inferred as Dask would.
    """
    pa = _require("pyarrow")
    span = pa.struct(
        [("text", pa.string()), ("start", pa.int64()), ("end", pa.int64()), ("score", pa.float64()), ("label", pa.string()),
         ("quoted", pa.bool_())]
    )
    lists = {"labels": pa.list_(pa.string()), "frames": pa.list_(pa.string()), "spans": pa.list_(span)}
    others = pa.Schema.from_pandas(scored._meta_nonempty.drop(columns=list(lists)), preserve_index=False)
    return pa.schema([pa.field(c, lists[c]) if c in lists else others.field(str(c)) for c in scored.columns])


def _score_texts(texts: Iterable[str], model: str | None, batch_size: int) -> list[dict]:
    """Score one bag partition (runs on a worker)."""
    return [doc.to_dict() for doc in model_for(model).pipe(texts, batch_size)]


def _score_frame(part: pandas.DataFrame, text_column: str, model: str | None, batch_size: int) -> pandas.DataFrame:
    """Score one DataFrame partition (runs on a worker)."""
    import pandas as pd

    values = doc_columns(model_for(model).pipe(part[text_column].tolist(), batch_size))
    return part.assign(**{name: pd.Series(values[name], index=part.index, dtype=dtype) for name, dtype in COLUMNS.items()})


def _model_arg(model: str | Path | None) -> str | None:
    """The model as it travels to the workers: a path string, or None for the bundled model."""
    return None if model is None else str(model)


def _check_batch_size(batch_size: int) -> int:
    """``batch_size``, refused on the client already when below 1."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    return batch_size


def _require(name: str):
    """Import module ``name``, or say how to install the Dask extra."""
    try:
        return importlib.import_module(name)
    except ImportError as e:
        raise ImportError(f'framing.dask needs Dask: pip install "framing[dask]" ({e})') from e
