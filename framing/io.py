"""Read texts from corpus files: ``.txt`` (paragraphs), ``.jsonl``, ``.csv``, ``.parquet``."""
from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

from .text import split_paragraphs

FORMATS = (".txt", ".jsonl", ".csv", ".parquet")


class InputError(ValueError):
    """A corpus file or one of its records cannot be read as text."""


def _field(record: dict, field: str, where: str) -> str:
    if field not in record:
        raise InputError(f"{where}: no field {field!r} (fields: {', '.join(map(str, record)) or 'none'}); use --text-field")
    value = record[field]
    if not isinstance(value, str):
        raise InputError(f"{where}: field {field!r} is {type(value).__name__}, not text")
    return value


def count_records(path: str | Path) -> int | None:
    """How many records :func:`read_texts` will yield, when cheap to know (else None)."""
    p = Path(path)
    if p.suffix == ".jsonl":
        with p.open("rb") as f:
            return sum(1 for line in f if line.strip())
    if p.suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(p).metadata.num_rows
    return None


def read_texts(path: str | Path, text_field: str = "text") -> Iterator[str]:
    """Yield the texts of a corpus file, one per record (a ``.txt`` file: one per paragraph)."""
    p = Path(path)
    if p.suffix not in FORMATS:
        raise InputError(f"{p}: unsupported file type {p.suffix!r}; use one of {', '.join(FORMATS)}")
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    if p.suffix == ".txt":
        text = p.read_text(encoding="utf-8")
        yield from (text[s:e] for s, e in split_paragraphs(text))
    elif p.suffix == ".jsonl":
        with p.open(encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if line.strip():
                    try:
                        record = json.loads(line)
                    except json.JSONDecodeError as e:
                        raise InputError(f"{p}:{n}: not valid JSON ({e.msg})") from None
                    if not isinstance(record, dict):
                        raise InputError(f"{p}:{n}: expected a JSON object, got {type(record).__name__}")
                    yield _field(record, text_field, f"{p}:{n}")
    elif p.suffix == ".csv":
        with p.open(encoding="utf-8", newline="") as f:
            for n, record in enumerate(csv.DictReader(f), 2):
                yield _field(record, text_field, f"{p}:{n}")
    else:
        import pyarrow.parquet as pq

        table = pq.ParquetFile(p)
        if text_field not in table.schema_arrow.names:
            raise InputError(f"{p}: no column {text_field!r} (columns: {', '.join(table.schema_arrow.names)}); use --text-field")
        row = 0
        for batch in table.iter_batches(columns=[text_field]):
            for value in batch.column(0).to_pylist():
                row += 1
                if not isinstance(value, str):
                    raise InputError(f"{p}: row {row}: column {text_field!r} is {type(value).__name__}, not text")
                yield value
