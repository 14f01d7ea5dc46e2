"""Read records from corpus files: ``.txt`` (paragraphs), ``.jsonl``, ``.csv``, ``.parquet``.

A file that cannot be read at all raises :class:`InputError`. A bad record (invalid UTF-8,
broken JSON, a missing, empty or non-string text field) does not stop the reading: it comes
out as a :class:`Record` whose ``error`` names the reason, so every record is accounted for.
"""
from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from framing.scoring.text import split_paragraphs

FORMATS = (".txt", ".jsonl", ".csv", ".parquet")
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # what errors="surrogateescape" makes of an invalid byte


class InputError(ValueError):
    """A corpus file cannot be read as records of text."""


@dataclass
class Record:
    """One record of a corpus file: its text, or why it has none (``error``)."""

    text: str | None
    id: object
    line: int
    """The line the record starts on (from 1); for Parquet, the row number (from 1)."""
    error: str | None = None


def _check(path: str | Path) -> Path:
    p = Path(path)
    if p.suffix not in FORMATS:
        raise InputError(f"{p}: unsupported file type {p.suffix!r}; use one of {', '.join(FORMATS)}")
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    return p


def _pick(record: dict, text_field: str, id_field: str | None, line: int) -> Record:
    """The text and id of a record read from a file with fields."""
    record_id = record.get(id_field) if id_field is not None else None
    for field in (text_field, id_field):
        if field is not None and field not in record:
            option = "--text-field" if field == text_field else "--id-field"
            fields = ", ".join(map(str, record)) or "none"
            return Record(None, record_id, line, f"no field {field!r} (fields: {fields}); use {option}")
    value = record[text_field]
    if not isinstance(value, str):
        return Record(None, record_id, line, f"field {text_field!r} is {type(value).__name__}, not text")
    if _ESCAPED_BYTE.search(value):
        return Record(None, record_id, line, f"field {text_field!r} is not valid UTF-8")
    if not value.strip():
        return Record(None, record_id, line, f"field {text_field!r} is empty")
    return Record(value, record_id, line)


def count_records(path: str | Path) -> int:
    """How many records :func:`read_records` will yield (one quick pass over the file)."""
    p = _check(path)
    if p.suffix == ".jsonl":
        with p.open("rb") as f:
            return sum(1 for line in f if line.strip())
    if p.suffix == ".csv":
        with p.open(encoding="utf-8", errors="surrogateescape", newline="") as f:
            return max(sum(1 for _ in csv.reader(f)) - 1, 0)
    if p.suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(p).metadata.num_rows
    return len(split_paragraphs(p.read_text(encoding="utf-8", errors="surrogateescape")))


def read_records(path: str | Path, text_field: str = "text", id_field: str | None = None) -> Iterator[Record]:
    """Yield a :class:`Record` for each record of a corpus file, streaming (except ``.txt``, read whole).

    A ``.txt`` file has one record per paragraph (paragraphs are separated by blank lines)
    and no fields: its id is the paragraph number, from 1. Elsewhere the text is in
    ``text_field`` and the id in ``id_field`` (None when no id field is asked for). Blank
    lines of a ``.jsonl`` file are not records.
    """
    p = _check(path)
    if p.suffix == ".txt":
        yield from _txt_records(p, text_field, id_field)
    elif p.suffix == ".jsonl":
        yield from _jsonl_records(p, text_field, id_field)
    elif p.suffix == ".csv":
        yield from _csv_records(p, text_field, id_field)
    else:
        yield from _parquet_records(p, text_field, id_field)


def _txt_records(p: Path, text_field: str, id_field: str | None) -> Iterator[Record]:
    if text_field != "text" or id_field is not None:
        raise InputError(f"{p}: a .txt file has no fields; drop --text-field and --id-field")
    text = p.read_text(encoding="utf-8", errors="surrogateescape")
    line, seen = 1, 0
    for n, (s, e) in enumerate(split_paragraphs(text), 1):
        line += text.count("\n", seen, s)
        seen = s
        paragraph = text[s:e]
        bad = _ESCAPED_BYTE.search(paragraph)
        if bad:
            yield Record(None, n, line, f"not valid UTF-8 (byte 0x{ord(bad.group()) - 0xDC00:02x})")
        else:
            yield Record(paragraph, n, line)


def _jsonl_records(p: Path, text_field: str, id_field: str | None) -> Iterator[Record]:
    with p.open("rb") as f:
        for n, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                yield Record(None, None, n, f"not valid UTF-8 (byte 0x{raw[e.start]:02x} at column {e.start + 1})")
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as e:
                yield Record(None, None, n, f"not valid JSON ({e.msg} at column {e.colno})")
                continue
            if not isinstance(record, dict):
                yield Record(None, None, n, f"expected a JSON object, got {type(record).__name__}")
                continue
            yield _pick(record, text_field, id_field, n)


def _csv_records(p: Path, text_field: str, id_field: str | None) -> Iterator[Record]:
    with p.open(encoding="utf-8", errors="surrogateescape", newline="") as f:
        reader = csv.DictReader(f)
        for c, option in ((text_field, "--text-field"), (id_field, "--id-field")):
            if c is not None and c not in (reader.fieldnames or []):
                raise InputError(f"{p}: no column {c!r} (columns: {', '.join(reader.fieldnames or [])}); use {option}")
        start = reader.line_num + 1
        try:
            for record in reader:
                yield _pick(record, text_field, id_field, start)
                start = reader.line_num + 1
        except csv.Error as e:  # e.g. a quoted field left open at the end of the file
            yield Record(None, None, start, f"not valid CSV ({e})")


def _parquet_records(p: Path, text_field: str, id_field: str | None) -> Iterator[Record]:
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
            yield _pick(record, text_field, id_field, row)
