"""Read records from corpus files: ``.txt`` (paragraphs), ``.jsonl``, ``.csv``, ``.parquet``."""
from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

from .text import split_paragraphs

FORMATS = (".txt", ".jsonl", ".csv", ".parquet")


class InputError(ValueError):
    """A corpus file or one of its records cannot be read as text."""


def _check(path: str | Path) -> Path:
    p = Path(path)
    if p.suffix not in FORMATS:
        raise InputError(f"{p}: unsupported file type {p.suffix!r}; use one of {', '.join(FORMATS)}")
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    return p


def _pick(record: dict, text_field: str, id_field: str | None, where: str) -> tuple[str, object]:
    for field in (text_field, id_field):
        if field is not None and field not in record:
            option = "--text-field" if field == text_field else "--id-field"
            raise InputError(f"{where}: no field {field!r} (fields: {', '.join(map(str, record)) or 'none'}); use {option}")
    value = record[text_field]
    if not isinstance(value, str):
        raise InputError(f"{where}: field {text_field!r} is {type(value).__name__}, not text")
    return value, (record[id_field] if id_field is not None else None)


def count_records(path: str | Path) -> int:
    """How many records :func:`read_records` will yield (one quick pass over the file)."""
    p = _check(path)
    if p.suffix == ".jsonl":
        with p.open("rb") as f:
            return sum(1 for line in f if line.strip())
    if p.suffix == ".csv":
        with p.open(encoding="utf-8", newline="") as f:
            return max(sum(1 for _ in csv.reader(f)) - 1, 0)
    if p.suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(p).metadata.num_rows
    return len(split_paragraphs(p.read_text(encoding="utf-8")))


def read_records(path: str | Path, text_field: str = "text", id_field: str | None = None) -> Iterator[tuple[str, object]]:
    """Yield ``(text, id)`` for each record of a corpus file, streaming (except ``.txt``, read whole).

    A ``.txt`` file has one record per paragraph (paragraphs are separated by blank lines)
    and no fields: its id is the paragraph number, from 1. Elsewhere the text is in
    ``text_field`` and the id in ``id_field`` (None when no id field is asked for).
    """
    p = _check(path)
    if p.suffix == ".txt":
        if text_field != "text" or id_field is not None:
            raise InputError(f"{p}: a .txt file has no fields; drop --text-field and --id-field")
        text = p.read_text(encoding="utf-8")
        yield from ((text[s:e], n) for n, (s, e) in enumerate(split_paragraphs(text), 1))
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
                    yield _pick(record, text_field, id_field, f"{p}:{n}")
    elif p.suffix == ".csv":
        with p.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            for record in reader:
                yield _pick(record, text_field, id_field, f"{p}:{reader.line_num}")
    else:
        import pyarrow.parquet as pq

        table = pq.ParquetFile(p)
        columns = [c for c in (text_field, id_field) if c is not None]
        for c, option in zip(columns, ("--text-field", "--id-field")):
            if c not in table.schema_arrow.names:
                raise InputError(f"{p}: no column {c!r} (columns: {', '.join(table.schema_arrow.names)}); use {option}")
        row = 0
        for batch in table.iter_batches(columns=columns):
            for record in batch.to_pylist():
                row += 1
                yield _pick(record, text_field, id_field, f"{p}: row {row}")
