"""Worker processes that score batches for ``Scorer.pipe(n_process=N)``.

Each worker is a process with a pipe for batches and a pipe for results. The calling
process writes and reads them itself, between batches it scores, so no helper thread
competes with it for the interpreter; on Linux the pipes are widened so that a batch or a
result crosses in one write. A forked worker starts with the caller's model; a spawned one
loads it from its directory. Nothing here knows the scorer's class: it is handed the scorer
and the function that loads one from a directory.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import queue
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator

from framing.scoring.batches import next_batch
from framing.scoring.wire import json_lines, pack, unpack

PIPE_BYTES = 1 << 20
"""Pipe capacity asked for (Linux allows up to 1 MiB unprivileged); a scored batch of 1024
sentences is about 0.5 MB."""
IN_FLIGHT = 2
"""Batches a worker holds that it has not finished: one to work on, one waiting."""
MIN_PARALLEL_CHARS = 8_000_000
"""Workers start only for an input with more characters of text than this (about 65,000 news sentences,
four seconds of one process's work): below it, starting them and passing results back costs more than
they give (20,000 sentences took 1.4 times as long with a worker on a loaded 2-core machine), so this
process scores it alone. The environment variable ``FRAMING_MIN_PARALLEL_CHARS`` overrides it
(0: always start them)."""


def worth_workers(items: Iterator) -> tuple[list, bool]:
    """The items read from ``items`` (``str`` or anything with a ``text``) until they hold more than
    :data:`MIN_PARALLEL_CHARS` characters, and whether they do (whether workers would pay)."""
    limit = int(os.environ.get("FRAMING_MIN_PARALLEL_CHARS", MIN_PARALLEL_CHARS))
    head, chars = [], 0
    for item in items:
        head.append(item)
        chars += len(item if isinstance(item, str) else item.text)
        if chars > limit:
            return head, True
    return head, False


def pipe_processes(scorer, load: Callable[[str], object], texts: Iterable, batch_size: int, n_process: int,
                   as_json: bool = False, on_error: str = "raise", all_scores: bool = True) -> Iterator:
    """Score ``texts`` with ``scorer`` in ``n_process`` processes: this one and ``n_process - 1``
    workers.

    Batches go out to the workers, :data:`IN_FLIGHT` unfinished per worker at any time.
    Results come back in input order; whenever the next one is not ready yet, this process
    scores the next batch of the input itself instead of waiting, so it takes on as much of
    the work as receiving the workers' results leaves it time for. Every batch holds the same
    texts whoever scores it, so results equal one process's. At most ``8 * n_process``
    batches are in flight, so memory does not grow with the input. Yields ``Doc`` objects,
    or with ``as_json`` the pairs of :func:`~framing.scoring.wire.json_lines` (``all_scores`` passed on). ``texts`` were checked
    by ``Scorer.pipe`` (``on_error`` is passed on to the workers).
    """
    from threadpoolctl import threadpool_limits

    it = iter(texts)
    path = str(scorer.path)
    context = multiprocessing.get_context()
    # Objects that exist now stay out of garbage collection while the workers run: a collection
    # writes to every object it visits, and each page it writes to is then copied, as it is
    # shared with the forked workers.
    gc.freeze()
    workers: list[Worker] = []
    limits = threadpool_limits(1)  # here too: idle BLAS threads spin, and take a core from the workers
    cap = 8 * n_process
    # forked: no pickling, no second load; spawned: the directory, and the thresholds set on this scorer
    source = scorer if context.get_start_method() == "fork" else (path, dict(scorer.thresholds))
    try:
        for _ in range(n_process - 1):
            workers.append(Worker(context, source, load, (as_json, all_scores), on_error, workers))
        queue: deque = deque()  # in input order: [worker or None (scored here), batch, results or None]
        exhausted = False
        while True:
            for w in workers:
                w.collect()
            while not exhausted and len(queue) < cap:
                w = min(workers, key=lambda w: len(w.waiting))
                if len(w.waiting) >= IN_FLIGHT:
                    break
                batch = next_batch(it, batch_size)
                if not batch:
                    exhausted = True
                    break
                queue.append(w.send([w, batch, None]))
            if not queue:
                return
            worker, batch, result = queue[0]
            if result is None and (exhausted or len(queue) >= cap):
                worker.collect(block=True)
                result = queue[0][2]
            if result is not None:
                queue.popleft()
                if worker is None or as_json:
                    yield from result
                else:
                    yield from unpack(result, [t if isinstance(t, str) else t.text for t in batch])
                continue
            batch = next_batch(it, batch_size)  # the next result is not ready: score a batch here
            if not batch:
                exhausted = True
                continue
            docs = list(scorer.pipe(batch, batch_size=batch_size, on_error=on_error))
            queue.append([None, batch, json_lines(docs, all_scores) if as_json else docs])
    finally:
        limits.restore_original_limits()
        for w in workers:
            w.stop()
        gc.unfreeze()


class Worker:
    """One worker process and its two pipes; results come back in the order batches went out."""

    def __init__(self, context, source, load: Callable[[str], object], as_json: tuple[bool, bool], on_error: str,
                 others: list["Worker"] = ()):
        tasks_end, self._tasks = context.Pipe(duplex=False)
        self._results, results_end = context.Pipe(duplex=False)
        _widen(self._tasks, self._results)
        # A forked worker holds copies of every pipe end this process has: it closes the ones
        # that are not its own, or it would never see this process go away (a pipe stays open
        # while any process holds its other end).
        not_its_own = [end for w in (*others, self) for end in (w._tasks, w._results)]
        self.process = context.Process(target=_work, args=(source, load, tasks_end, results_end, as_json, on_error, not_its_own),
                                       daemon=True, name="framing-worker")
        self.process.start()
        tasks_end.close()
        results_end.close()
        self.waiting: deque = deque()  # entries sent here whose results have not been received

    def send(self, entry: list) -> list:
        """Send ``entry``'s batch (``entry[1]``); its results go to ``entry[2]`` when received. Returns ``entry``."""
        self._tasks.send(entry[1])
        self.waiting.append(entry)
        return entry

    def collect(self, block: bool = False) -> None:
        """Receive every result that is ready (with ``block``, wait for the next one first)."""
        while self.waiting and (block or self._results.poll()):
            try:
                ok, value = self._results.recv()
            except EOFError:
                raise RuntimeError(f"a framing worker process stopped (exit code {self.process.exitcode}); "
                                   "it may have run out of memory: try a smaller batch_size or n_process") from None
            if not ok:
                raise value
            self.waiting.popleft()[2] = value
            block = False

    def stop(self) -> None:
        """Ask the worker to finish, and end it if it does not."""
        try:
            self._tasks.send(None)
        except OSError:
            pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()
        self._tasks.close()
        self._results.close()


def _widen(*connections) -> None:
    try:
        import fcntl
    except ImportError:  # not on this platform: pipes keep their size
        return
    for connection in connections:
        try:
            fcntl.fcntl(connection.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), PIPE_BYTES)
        except OSError:  # not a pipe here, or over the system's limit: it keeps its size
            pass


def _receive(tasks, batches: queue.SimpleQueue) -> None:
    """Move batches from the task pipe to ``batches`` until ``None`` comes or the pipe closes (then ``None``)."""
    while True:
        try:
            batch = tasks.recv()
        except (EOFError, OSError):
            batch = None
        batches.put(batch)
        if batch is None:
            return


def _work(source, load: Callable[[str], object], tasks, results, as_json: tuple[bool, bool], on_error: str,
          not_its_own: list) -> None:
    """A worker's life: score each batch that arrives, until ``None`` comes or the pipe closes.
    ``source`` is the scorer (forked) or the directory to ``load`` it from and its thresholds (spawned);
    ``as_json`` is whether to send JSON lines, and whether with every score."""
    from threadpoolctl import threadpool_limits

    for end in not_its_own:
        end.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the calling process handles Ctrl-C and stops its workers
    threadpool_limits(1)  # the processes are the parallelism
    if isinstance(source, tuple):
        scorer = load(source[0])
        scorer.thresholds.update(source[1])
    else:
        scorer = source
    as_json, all_scores = as_json
    # A thread of this process takes batches off the task pipe as they come. Without it, a batch
    # larger than the pipe (1,024 news articles are several MB) blocks the calling process in
    # send() while this one blocks sending a result larger than its pipe: neither reads, and both
    # wait forever. The calling process never has more than IN_FLIGHT batches here.
    batches: queue.SimpleQueue = queue.SimpleQueue()
    threading.Thread(target=_receive, args=(tasks, batches), daemon=True, name="framing-tasks").start()
    while True:
        batch = batches.get()
        if batch is None:
            return
        try:
            docs = list(scorer.pipe(batch, batch_size=len(batch), on_error=on_error))
            message = (True, json_lines(docs, all_scores) if as_json else pack(docs))
        except Exception as e:  # noqa: BLE001 - the calling process raises it
            message = (False, e)
        try:
            results.send(message)
        except OSError:  # the calling process is gone (killed, or stopped reading): nothing left to do
            return
        except Exception as e:  # noqa: BLE001 - an exception that cannot be pickled goes as its text
            results.send((False, RuntimeError(f"{type(message[1]).__name__}: {message[1]} ({e})")))
