"""Cutting a stream of texts into the batches that are scored together."""
from __future__ import annotations

from collections.abc import Iterator

BATCH_CHARS = 1_000_000
"""A batch ends before it holds more than this many characters of text (and always after
``batch_size`` texts): 1,024 sentences are about 120,000 characters, but 1,024 whole articles can be
several MB, and a batch's docs are all in memory at once, in every process."""


def next_batch(items: Iterator, batch_size: int, max_chars: int = BATCH_CHARS) -> list:
    """The next texts of ``items`` (``str``, or anything with a ``text``): at most ``batch_size``
    of them, and no more characters than ``max_chars`` unless the first alone has more."""
    batch, chars = [], 0
    for item in items:
        batch.append(item)
        chars += len(item if isinstance(item, str) else item.text)
        if len(batch) >= batch_size or chars >= max_chars:
            break
    return batch
