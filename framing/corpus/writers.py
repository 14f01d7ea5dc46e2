"""The output formats of ``framing score``: JSON lines, a JSON array, CSV, Parquet, and a short
table for a terminal. Text formats are a header, one piece per record and a footer, so that
:class:`~framing.corpus.output.ResumableOutput` can write them; Parquet has its own writer.
"""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

FORMATS = ("jsonl", "json", "csv", "parquet", "table")
EXTENSIONS = {".jsonl": "jsonl", ".json": "json", ".csv": "csv", ".parquet": "parquet"}
RESUMABLE = ("jsonl", "csv")
"""The formats ``--resume`` can go on with (a JSON array and a Parquet file are written whole)."""

TABLE_COLUMNS = {
    "doc": ("loaded_score", "loaded", "labels", "spans", "text"),
    "paragraph": ("paragraph", "loaded_score", "loaded", "labels", "text"),
    "sentence": ("sentence", "bias", "biased", "labels", "frames", "text"),
    "span": ("sentence", "score", "label", "quoted", "text"),
}
"""What the terminal table shows of each level (after the record number and id fields)."""
_WIDTH = {"record": 6, "paragraph": 4, "sentence": 4, "loaded_score": 6, "bias": 6, "score": 6, "loaded": 6,
          "biased": 6, "quoted": 6, "labels": 30, "frames": 24, "spans": 26, "label": 18}
_HEAD = {"loaded_score": "loaded", "loaded": "", "biased": "", "paragraph": "par", "sentence": "sent",
         "labels": "techniques", "spans": "loaded phrases", "record": "#"}


def output_format(output: Path | None, fmt: str | None, tty: bool) -> str:
    """The format to write: ``fmt`` when given, else by ``output``'s extension, else a table on a
    terminal (``tty``) and JSON lines into a pipe."""
    if fmt is not None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown --format {fmt!r}; use one of {', '.join(FORMATS)}")
        if fmt == "parquet" and output is None:
            raise ValueError("Parquet is written to a file: add -o OUTPUT.parquet")
        return fmt
    if output is None:
        return "table" if tty else "jsonl"
    if output.suffix not in EXTENSIONS:
        raise ValueError(f"{output}: unknown output type {output.suffix!r}; name the file "
                         f"{', '.join(EXTENSIONS)}, or choose one with --format")
    return EXTENSIONS[output.suffix]


def _cell(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


class TextFormat:
    """JSON lines, a JSON array, CSV or a terminal table, as text: :meth:`header`, :meth:`record` for the
    rows of each record (dicts, or already made JSON lines), :meth:`footer`."""

    def __init__(self, kind: str, columns: list[str], level: str, id_fields: list[str] = (), width: int | None = None):
        self.kind, self.columns, self.level = kind, columns, level
        self.written = 0  # rows so far (a JSON array puts a comma before every one but the first)
        if kind == "table":
            self.shown = ["record", *id_fields, *TABLE_COLUMNS[level]]
            total = width or shutil.get_terminal_size((120, 24)).columns
            fixed = sum(self._width(c) + 2 for c in self.shown if c != "text")
            self.text_width = max(total - fixed - 1, 20)

    def _width(self, column: str) -> int:
        return _WIDTH.get(column, 12)

    def header(self) -> str | None:
        """What comes before the first record (None: nothing)."""
        if self.kind == "json":
            return "["
        if self.kind == "csv":
            return self._csv([self.columns])
        if self.kind == "table":
            return self._table_row({c: _HEAD.get(c, c) for c in self.shown}, header=True)
        return None

    def footer(self) -> str | None:
        """What comes after the last record (None: nothing)."""
        return "]" if self.kind == "json" else None

    def record(self, items: list) -> str:
        """The text of one record's rows (no trailing newline; empty when it has none)."""
        if self.kind in ("jsonl", "json"):
            lines = [x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in items]
            if self.kind == "json":
                lines = [("," if self.written + i else "") + line for i, line in enumerate(lines)]
            self.written += len(lines)
            return "\n".join(lines)
        if self.kind == "csv":
            return self._csv([[_cell(row.get(c)) for c in self.columns] for row in items])
        return "\n".join(self._table_row(row) for row in items)

    @staticmethod
    def _csv(rows: list[list]) -> str:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        return buf.getvalue()[:-1]

    def _table_row(self, row: dict, header: bool = False) -> str:
        cells = []
        for c in self.shown:
            value = row.get(c)
            if not header and isinstance(value, bool):
                value = ("loaded" if c == "loaded" else "biased" if c == "biased" else "quoted") if value else ""
            elif not header and isinstance(value, float):
                value = f"{value:.2f}"
            text = " ".join(_cell(value).replace(";", ", ").split())
            width = self.text_width if c == "text" else self._width(c)
            if len(text) > width:
                text = text[: width - 1] + "\u2026"
            cells.append(text if c == "text" else text.ljust(width) if not isinstance(row.get(c), (int, float))
                         or header else text.rjust(width))
        return "  ".join(cells).rstrip()


class ParquetOutput:
    """Rows written to ``OUTPUT.parquet.part`` in row groups, renamed into place by :meth:`finish`."""

    GROUP = 50_000

    def __init__(self, output: Path, columns: list[str]):
        self.output, self.columns = output, columns
        self.part = output.with_name(output.name + ".part")
        self.rows: list[dict] = []
        self.writer = None
        self.schema = None

    def write(self, rows: list[dict]) -> None:
        """One record's rows."""
        self.rows += rows
        if len(self.rows) >= self.GROUP:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self.rows and self.writer is not None:
            return
        data = {c: [r.get(c) for r in self.rows] for c in self.columns}
        if self.schema is None:
            fields = []
            for c in self.columns:
                t = pa.array(data[c]).type
                fields.append(pa.field(c, pa.string() if pa.types.is_null(t) else t))
            self.schema = pa.schema(fields)
            self.writer = pq.ParquetWriter(self.part, self.schema)
        try:
            table = pa.table({c: pa.array(data[c], type=self.schema.field(c).type) for c in self.columns},
                             schema=self.schema)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError) as e:
            raise ValueError(f"{self.output}: a column changes type between rows ({e}); "
                             "write CSV or JSON lines instead") from None
        self.writer.write_table(table)
        self.rows = []

    def finish(self) -> None:
        """Write what is left and move the file into place."""
        self._flush()
        self.writer.close()
        os.replace(self.part, self.output)

    def discard(self) -> None:
        """Stop and remove the part file."""
        if self.writer is not None:
            self.writer.close()
        self.part.unlink(missing_ok=True)
