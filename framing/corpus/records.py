"""Read records from corpus files: ``.txt`` (paragraphs), ``.jsonl``, ``.json`` (an array of objects),
``.csv``, ``.parquet``; ``-`` is standard input (of the type ``input_format`` names, JSON lines by default).

A file that cannot be read at all raises :class:`InputError`, and so does a text or id field that no
record has (seen in the first :data:`FIELD_PROBE` records, or in all of them). A bad record (invalid
UTF-8, broken JSON, a missing, empty or non-string text field) does not stop the reading: it comes
out as a :class:`Record` whose ``error`` names the reason, so every record is accounted for.
"""
from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from framing.scoring.text import split_paragraphs

FORMATS = (".txt", ".jsonl", ".json", ".csv", ".parquet")
STDIN = "-"
"""The input name that means standard input."""
FIELD_PROBE = 20
"""When this many records in a row from the start lack the text (or an id) field, the field is taken
to be misnamed and reading stops with the fields the records have."""
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
    ids: dict = field(default_factory=dict)
    """The value of each asked-for id field (``id`` is the first one's)."""


def _id_fields(id_field: str | Sequence[str] | None) -> list[str]:
    return [] if id_field is None else [id_field] if isinstance(id_field, str) else list(id_field)


def input_type(path: str | Path, input_format: str | None = None) -> str:
    """The file type records are read as: ``input_format`` (e.g. ``"jsonl"``), else the file's extension
    (standard input, ``-``, is JSON lines unless ``input_format`` says otherwise)."""
    if input_format is not None:
        kind = "." + input_format.lstrip(".")
        if kind not in FORMATS:
            raise InputError(f"unknown input format {input_format!r}; use one of {', '.join(f[1:] for f in FORMATS)}")
        return kind
    if str(path) == STDIN:
        return ".jsonl"
    p = Path(path)
    if p.suffix not in FORMATS:
        raise InputError(f"{p}: unsupported file type {p.suffix!r}; use one of {', '.join(FORMATS)} "
                         "(or name the type with --input-format)")
    return p.suffix


def _check(path: str | Path, input_format: str | None = None) -> tuple[Path, str]:
    kind = input_type(path, input_format)
    p = Path(path)
    if str(path) != STDIN and not p.is_file():
        raise InputError(f"{p}: no such file")
    return p, kind


def _binary(p: Path):
    """The file at ``p``, or standard input for ``-`` (left open), opened for reading bytes."""
    if str(p) == STDIN:
        return contextlib.nullcontext(sys.stdin.buffer)
    return p.open("rb")


def _text(p: Path):
    """The file at ``p`` (or standard input, read whole) as text, for the CSV reader."""
    if str(p) == STDIN:
        return io.StringIO(sys.stdin.buffer.read().decode("utf-8", errors="surrogateescape"), newline="")
    return p.open(encoding="utf-8", errors="surrogateescape", newline="")


def _pick(record: dict, text_field: str, id_fields: list[str], line: int, optional: Sequence[str] = ()) -> Record:
    """The text and ids of a record read from a file with fields (``optional`` ids are None when missing)."""
    ids = {f: record.get(f) for f in (*id_fields, *optional)}
    record_id = ids[id_fields[0]] if id_fields else None
    for name in (text_field, *id_fields):
        if name not in record:
            option = "--text-field" if name == text_field else "--id-field"
            fields = ", ".join(map(str, record)) or "none"
            return Record(None, record_id, line, f"no field {name!r} (fields: {fields}); use {option}", ids)
    value = record[text_field]
    if not isinstance(value, str):
        return Record(None, record_id, line, f"field {text_field!r} is {type(value).__name__}, not text", ids)
    if _ESCAPED_BYTE.search(value):
        return Record(None, record_id, line, f"field {text_field!r} is not valid UTF-8", ids)
    if not value.strip():
        return Record(None, record_id, line, f"field {text_field!r} is empty", ids)
    return Record(value, record_id, line, ids=ids)


def _picked(p: Path, items: Iterable[tuple[int, object]], text_field: str, id_fields: list[str],
            optional: Sequence[str] = ()) -> Iterator[Record]:
    """Records from ``(line, parsed object, or a Record with an error)`` items. Until a record has the
    text and id fields, records are held back; when :data:`FIELD_PROBE` objects in a row from the start
    (or all of them) lack a field, it is taken to be misnamed: :class:`InputError` lists the fields seen."""
    wanted = (text_field, *id_fields)
    held: list[Record] = []
    seen: dict[str, None] = {}
    present: set[str] = set()
    lacking = 0
    items = iter(items)
    for line, item in items:
        if isinstance(item, Record):
            held.append(item)
            continue
        if all(f in item for f in wanted):
            yield from held
            yield _pick(item, text_field, id_fields, line, optional)
            for line, item in items:  # from here on, every record stands alone
                yield item if isinstance(item, Record) else _pick(item, text_field, id_fields, line, optional)
            return
        held.append(_pick(item, text_field, id_fields, line, optional))
        seen.update(dict.fromkeys(map(str, item)))
        present.update(f for f in wanted if f in item)
        lacking += 1
        if lacking >= FIELD_PROBE:
            break
    absent = [f for f in wanted if f not in present]
    if lacking and absent:
        options = " and ".join(dict.fromkeys("--text-field" if f == text_field else "--id-field" for f in absent))
        first = "the only record" if lacking == 1 else f"the first {lacking} records"
        raise InputError(f"{p}: {first} {'has' if lacking == 1 else 'have'} no field {', '.join(map(repr, absent))} "
                         f"(their fields: {', '.join(seen) or 'none'}); use {options}")
    yield from held
    for line, item in items:
        yield item if isinstance(item, Record) else _pick(item, text_field, id_fields, line, optional)


def count_records(path: str | Path, input_format: str | None = None) -> int | None:
    """How many records :func:`read_records` will yield (one quick pass over the file; None for standard input)."""
    p, kind = _check(path, input_format)
    if str(path) == STDIN:
        return None
    if kind == ".json":
        return None
    if kind == ".jsonl":
        with p.open("rb") as f:
            return sum(1 for line in f if line.strip())
    if kind == ".csv":
        with p.open(encoding="utf-8", errors="surrogateescape", newline="") as f:
            return max(sum(1 for _ in csv.reader(f)) - 1, 0)
    if kind == ".parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(p).metadata.num_rows
    return len(split_paragraphs(p.read_text(encoding="utf-8", errors="surrogateescape")))


def read_records(path: str | Path, text_field: str = "text", id_field: str | Sequence[str] | None = None,
                 input_format: str | None = None, optional: Sequence[str] = ()) -> Iterator[Record]:
    """Yield a :class:`Record` for each record of a corpus file, streaming (except ``.txt`` and
    ``.json``, read whole); ``path`` ``-`` reads standard input, as ``input_format`` (default ``jsonl``).

    A ``.txt`` file has one record per paragraph (paragraphs are separated by blank lines)
    and no fields: its id is the paragraph number, from 1. Elsewhere the text is in
    ``text_field`` and the ids in ``id_field`` (one name or several; ``Record.id`` is the first
    one's value, None when no id field is asked for). ``optional`` fields go into ``Record.ids`` too,
    as None where a record lacks them (a ``.txt`` file has none). Blank lines of a ``.jsonl`` file are not records.
    """
    p, kind = _check(path, input_format)
    ids = _id_fields(id_field)
    if kind == ".txt":
        yield from _txt_records(p, text_field, ids)
    elif kind == ".jsonl":
        yield from _picked(p, _jsonl_items(p), text_field, ids, optional)
    elif kind == ".json":
        yield from _picked(p, _json_items(p), text_field, ids, optional)
    elif kind == ".csv":
        yield from _csv_records(p, text_field, ids, optional)
    else:
        yield from _parquet_records(p, text_field, ids, optional)


def _txt_records(p: Path, text_field: str, id_fields: list[str]) -> Iterator[Record]:
    if text_field != "text" or id_fields:
        raise InputError(f"{p}: a .txt file has no fields; drop --text-field and --id-field")
    with _binary(p) as f:
        text = f.read().decode("utf-8", errors="surrogateescape")
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


def _jsonl_items(p: Path) -> Iterator[tuple[int, object]]:
    with _binary(p) as f:
        for n, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                yield n, Record(None, None, n, f"not valid UTF-8 (byte 0x{raw[e.start]:02x} at column {e.start + 1})")
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as e:
                yield n, Record(None, None, n, f"not valid JSON ({e.msg} at column {e.colno})")
                continue
            if not isinstance(record, dict):
                yield n, Record(None, None, n, f"expected a JSON object, got {type(record).__name__}")
                continue
            yield n, record


def _json_items(p: Path) -> Iterator[tuple[int, object]]:
    """The objects of a JSON array file (or of one object), each with its position in the array (from 1)."""
    with _binary(p) as f:
        raw = f.read()
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise InputError(f"{p}: not valid UTF-8 (byte 0x{raw[e.start]:02x} at offset {e.start})") from None
    except json.JSONDecodeError as e:
        hint = "; a file of one JSON object per line is JSON lines: name it .jsonl" if "Extra data" in e.msg else ""
        raise InputError(f"{p}: not valid JSON ({e.msg} at line {e.lineno}, column {e.colno}){hint}") from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise InputError(f"{p}: expected a JSON array of objects, got {type(data).__name__}")
    for n, record in enumerate(data, 1):
        if isinstance(record, dict):
            yield n, record
        else:
            yield n, Record(None, None, n, f"expected a JSON object, got {type(record).__name__}")


def _csv_records(p: Path, text_field: str, id_fields: list[str], optional: Sequence[str] = ()) -> Iterator[Record]:
    with _text(p) as f:
        reader = csv.DictReader(f)
        for c, option in ((text_field, "--text-field"), *((i, "--id-field") for i in id_fields)):
            if c not in (reader.fieldnames or []):
                raise InputError(f"{p}: no column {c!r} (columns: {', '.join(reader.fieldnames or [])}); use {option}")
        start = reader.line_num + 1
        try:
            for record in reader:
                yield _pick(record, text_field, id_fields, start, optional)
                start = reader.line_num + 1
        except csv.Error as e:  # e.g. a quoted field left open at the end of the file
            yield Record(None, None, start, f"not valid CSV ({e})")


def _parquet_records(p: Path, text_field: str, id_fields: list[str], optional: Sequence[str] = ()) -> Iterator[Record]:
    import pyarrow.parquet as pq

    if str(p) == STDIN:
        with _binary(p) as f:
            table = pq.ParquetFile(io.BytesIO(f.read()))
    else:
        table = pq.ParquetFile(p)
    columns = [text_field, *id_fields]
    for c, option in zip(columns, ("--text-field", *["--id-field"] * len(id_fields))):
        if c not in table.schema_arrow.names:
            raise InputError(f"{p}: no column {c!r} (columns: {', '.join(table.schema_arrow.names)}); use {option}")
    row = 0
    columns += [c for c in optional if c in table.schema_arrow.names and c not in columns]
    for batch in table.iter_batches(columns=columns):
        for record in batch.to_pylist():
            row += 1
            yield _pick(record, text_field, id_fields, row, optional)
