"""Where ``framing score`` writes: JSON-lines files that are never left half-written, and
runs that an interruption does not waste.

Lines go to ``OUTPUT.part`` (and ``ERRORS.part``); every batch, both are flushed and
``OUTPUT.progress`` records how many input records they account for and how many bytes
of each that is. A finished run renames the parts into place, so ``OUTPUT`` is always
either absent, the previous file, or complete. After a crash, Ctrl-C or ``kill -9``,
``--resume`` cuts the parts back to the last checkpoint, skips that many input records and
goes on: the result is byte-identical to an uninterrupted run.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO


def _open(path: Path, mode: str) -> IO[str]:
    # A lone surrogate (valid in a Python str, e.g. from a JSON "\ud800" escape) is written as
    # the JSON escape it came from, which reads back as the same string.
    return path.open(mode, encoding="utf-8", errors="backslashreplace", newline="\n")


class ResumableOutput:
    """The output (and errors) files of one run; ``done`` is how many input records they cover."""

    def __init__(self, output: Path, errors: Path | None, options: dict, resume: bool, header: str | None = None):
        self.output, self.errors = output, errors
        self.parts = [p.with_name(p.name + ".part") for p in (output, errors) if p is not None]
        self.progress = output.with_name(output.name + ".progress")
        self.options = options
        self.done = 0
        self.resumed = False
        sizes = [0] * len(self.parts)
        if resume and self.progress.is_file():
            state = json.loads(self.progress.read_text(encoding="utf-8"))
            if state["options"] != options:
                changed = sorted(k for k in options if state["options"].get(k) != options[k])
                raise ValueError(f"{output} was started with different {', '.join(changed)}; "
                                 "run again without --resume to start over")
            self.done, sizes = state["records"], state["bytes"]
            self.resumed = True
        for part, size in zip(self.parts, sizes):
            if self.resumed:
                os.truncate(part, size)  # drop what was written after the last checkpoint
        self.files = [_open(part, "a" if self.resumed else "w") for part in self.parts]
        if header is not None and not self.resumed:
            self.files[0].write(header + "\n")

    def write(self, text: str) -> None:
        """The output of one scored record: its lines (none when ``text`` is empty)."""
        if text:
            self.files[0].write(text + "\n")
        self.done += 1

    def fail(self, record: dict) -> None:
        """One error record (to the errors file when there is one)."""
        if self.errors is not None:
            self.files[1].write(json.dumps(record, ensure_ascii=False) + "\n")
        self.done += 1

    def checkpoint(self) -> None:
        """Flush the parts and record how far they go (atomically: a crash keeps the last checkpoint)."""
        for f in self.files:
            f.flush()
        state = {"options": self.options, "records": self.done, "bytes": [f.tell() for f in self.files]}
        tmp = self.progress.with_name(self.progress.name + ".tmp")
        tmp.write_text(json.dumps(state), encoding="utf-8")
        os.replace(tmp, self.progress)

    def finish(self, footer: str | None = None) -> None:
        """Write ``footer``, make the parts durable and rename them into place; forget the checkpoint."""
        if footer is not None:
            self.files[0].write(footer + "\n")
        for f, part, final in zip(self.files, self.parts, (self.output, self.errors)):
            f.flush()
            os.fsync(f.fileno())
            f.close()
            os.replace(part, final)
        self.progress.unlink(missing_ok=True)

    def close(self) -> None:
        """Stop without finishing: the parts and the last checkpoint stay for ``--resume``."""
        for f in self.files:
            f.close()

    def discard(self) -> None:
        """Stop and remove every trace of this run (the input could not be read at all)."""
        self.close()
        for p in (*self.parts, self.progress):
            p.unlink(missing_ok=True)
