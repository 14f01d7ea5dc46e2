"""A dependency-free progress bar for stderr: count, rate, and percentage with ETA when the total is known."""
from __future__ import annotations

import sys
import time

ETA_AFTER = 0.01
"""The share of the work done before an ETA is shown: estimated from the work done, not from the first record."""


class Progress:
    """Call :meth:`update` as records finish and :meth:`close` at the end; redraws at most every ``interval`` s."""

    def __init__(self, total: int | None = None, stream=None, interval: float = 0.2, unit: str = "records"):
        self.total, self.stream, self.interval, self.unit = total, stream or sys.stderr, interval, unit
        self.done, self.start, self._last = 0, time.monotonic(), 0.0

    def _line(self) -> str:
        elapsed = max(time.monotonic() - self.start, 1e-9)
        rate = self.done / elapsed
        if not self.total:
            return f"{self.done} {self.unit} | {rate:,.0f}/s | {elapsed:.0f}s"
        frac = min(self.done / self.total, 1.0)
        bar = "#" * int(frac * 30)
        if self.done < max(2, self.total * ETA_AFTER):  # too little done to tell (the first batch comes out at once)
            return f"[{bar:<30}] {self.done}/{self.total} {self.unit} {frac:4.0%} | ETA after {ETA_AFTER:.0%}"
        eta = (self.total - self.done) / rate if rate else 0.0
        return f"[{bar:<30}] {self.done}/{self.total} {self.unit} {frac:4.0%} | {rate:,.0f}/s | ETA {eta:.0f}s"

    def update(self, n: int = 1) -> None:
        """Count ``n`` more finished records."""
        self.done += n
        now = time.monotonic()
        if now - self._last >= self.interval:
            self._last = now
            self.stream.write("\r" + self._line())
            self.stream.flush()

    def close(self) -> None:
        """Draw the final state and end the line."""
        self.stream.write("\r" + self._line() + "\n")
        self.stream.flush()
