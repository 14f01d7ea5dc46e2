"""Scoring on a Dask cluster (extra ``framing[dask]``): the public home of :mod:`framing.corpus.dask`."""
from framing.corpus.dask import *  # noqa: F401,F403 - the public names
from framing.corpus.dask import __all__

__all__ = ["parquet_schema", "score_bag", "score_dataframe"]
