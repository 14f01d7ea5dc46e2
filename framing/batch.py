"""Scoring corpora: several processes, and ``datasets`` tables."""
from __future__ import annotations

import gc
import itertools
import json
import multiprocessing
import threading
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .doc import Doc, pack, unpack

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


def _start_worker(path: str) -> None:
    """Worker start-up: one BLAS thread (the processes are the parallelism), then load the model
    (a forked worker has the caller's already)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    _model(path)


@contextmanager
def _forking_with(scorer, path: str) -> Iterator[None]:
    """While worker processes are forked: they find ``scorer`` as this process's model at ``path``
    (no second load; workers that are spawned load it), and the objects of this process are
    frozen out of the garbage collector, so a worker's collections do not touch, and copy, the
    memory it shares with this one. Both are undone in this process afterwards."""
    before = _MODELS.get(path)
    _MODELS[path] = scorer
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
        if before is None:
            del _MODELS[path]
        else:
            _MODELS[path] = before


def _score_in_worker(path: str, texts: list, as_json: bool, on_error: str) -> tuple | list:
    docs = list(_model(path).pipe(texts, batch_size=len(texts) or 1, on_error=on_error))
    return json_lines(docs) if as_json else pack(docs)


def json_lines(docs: Iterable[Doc]) -> list[tuple[str | None, str | None]]:
    """Per doc, ``(its to_dict() as a JSON line, None)``, or ``(None, error)`` for an error doc."""
    return [(None, d.error) if d.error is not None else (json.dumps(d.to_dict(), ensure_ascii=False), None)
            for d in docs]


def pipe_processes(scorer, texts: Iterable, batch_size: int, n_process: int, as_json: bool = False,
                   on_error: str = "raise") -> Iterator:
    """Score ``texts`` with ``scorer`` in ``n_process`` processes: this one and ``n_process - 1``
    workers, forked with ``scorer`` (or, where processes are spawned, loading it from ``scorer.path``).

    Batches go out to the workers, two per worker in flight. Results come back in input
    order; whenever the next one is not ready yet, this process scores the next batch of
    the input itself instead of waiting, so it takes on as much of the work as turning the
    workers' results into ``Doc`` objects leaves it time for. Every batch holds the same
    texts whoever scores it, so results equal one process's. At most ``4 * n_process``
    batches are in flight, so memory does not grow with the input. Yields ``Doc`` objects,
    or with ``as_json`` the pairs of :func:`json_lines`. ``texts`` were checked by
    ``Scorer.pipe`` (``on_error`` is passed on to the workers).
    """
    it = iter(texts)
    path = str(scorer.path)
    remote_cap, total_cap = 2 * (n_process - 1), 4 * n_process

    def take() -> list:
        return list(itertools.islice(it, batch_size))

    from threadpoolctl import threadpool_limits

    with _forking_with(scorer, path):
        pool = multiprocessing.get_context().Pool(n_process - 1, initializer=_start_worker, initargs=(path,))
    with threadpool_limits(1), pool:
        queue: deque = deque()  # in input order: AsyncResult of a worker, or a list of results scored here
        remote, exhausted = 0, False
        while True:
            while not exhausted and remote < remote_cap and len(queue) < total_cap:
                batch = take()
                if not batch:
                    exhausted = True
                    break
                queue.append(pool.apply_async(_score_in_worker, (path, batch, as_json, on_error)))
                remote += 1
            if not queue:
                return
            head = queue[0]
            if isinstance(head, list) or head.ready() or exhausted or len(queue) >= total_cap:
                queue.popleft()
                if isinstance(head, list):
                    yield from head
                    continue
                remote -= 1
                got = head.get()
                yield from (got if as_json else unpack(got))
                continue
            batch = take()  # the next result is not ready: score the next batch here meanwhile
            if not batch:
                exhausted = True
                continue
            docs = list(scorer.pipe(batch, batch_size=batch_size, on_error=on_error))
            queue.append(json_lines(docs) if as_json else docs)


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
