"""Compare groups of articles (outlets, sides, periods) with intervals that resample whole articles.

:func:`compare` reads scored articles once, streaming, and keeps a few numbers per article (its
sentence count, loaded score, and how many of its sentences are biased or carry each technique and
frame), never the sentences themselves. Each group's measures get a 95% percentile interval from a
Poisson bootstrap over its articles: replicate ``b`` weighs article ``i`` by ``w[b, i] ~ Poisson(1)``,
so the sentences of one article always move together (they are not independent draws). Differences
against a reference group take the two groups' replicates, which are independent, and subtract them.

A scored article is any of: a ``framing score`` JSON line (as a dict), a :class:`~framing.Doc`, a
``(Doc, meta)`` pair, or a row of a ``datasets.Dataset`` or pandas frame with the same columns. What
is read: the grouping fields, the document's ``loaded_score`` and ``loaded``, and its ``sentences``,
each with ``bias``, ``biased``, ``labels`` and ``frames`` (and ``text`` for ``dedupe``).
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

import numpy as np

from framing.scoring.doc import Doc
from framing.scoring.labels import FRAMES, TECHNIQUES

PERIODS = ("day", "week", "month", "year")
MISSING = "(missing)"
"""How a missing group key (no field, null, empty text, NaN) is shown in tables and on the page."""
DOC_MEASURES = ("loaded_score", "loaded")
SENTENCE_MEASURES = ("bias", "biased")
MAIN_MEASURES = ("loaded_score", "loaded", "bias", "biased", "Loaded_Language", "Name_Calling-Labeling")
"""The measures :meth:`Comparison.to_markdown` shows unless told otherwise."""
DESCRIPTIONS = {
    "loaded_score": "mean loaded score of an article (0..1)",
    "loaded": "share of articles the model calls loaded",
    "bias": "mean bias of a sentence (0..1)",
    "biased": "share of sentences the model calls biased",
}
_US_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\b")


def _describe(measure: str) -> str:
    if measure in DESCRIPTIONS:
        return DESCRIPTIONS[measure]
    if measure in FRAMES:
        return f"share of sentences with the frame {measure}"
    return f"sentences with {measure}, per 1,000 sentences"


def group_key(value) -> str | None:
    """A record's value as a group key: text as it is (trimmed), None for missing, null, empty or NaN, and
    anything else as its JSON (``3``, ``true``, ``["a", "b"]``), so keys of any type sort and print alike."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if hasattr(value, "item") and getattr(value, "ndim", None) == 0:  # a numpy scalar
        return group_key(value.item())
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def parse_date(value) -> date | None:
    """The date in ``value``: a ``date``/``datetime``, ISO text (``2016-09-20``, with or without a time),
    or US ``9/20/16`` / ``9/20/2016``; None when there is none to be read."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if hasattr(value, "to_pydatetime"):  # a pandas Timestamp
        return value.to_pydatetime().date()
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    m = _US_DATE.match(text)
    if m:
        month, day, year = (int(g) for g in m.groups())
        year += 2000 if year < 100 and year < 70 else 1900 if year < 100 else 0
        try:
            return date(year, month, day)
        except ValueError:
            return None
    return None


def period_key(value, period: str) -> str | None:
    """The ``period`` (day, week, month or year) that the date in ``value`` falls in, as sortable text:
    ``2016-09-20``, ``2016-W38`` (ISO week), ``2016-09``, ``2016``; None without a readable date."""
    d = parse_date(value)
    if d is None:
        return None
    if period == "day":
        return d.isoformat()
    if period == "week":
        year, week, _ = d.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return f"{d.year}-{d.month:02d}"
    return str(d.year)


def _items(data) -> Iterator:
    """The scored articles of ``data``: a path to JSON lines, a ``datasets.Dataset``, a pandas frame, or an iterable."""
    if isinstance(data, (str, Path)):
        path = Path(data)
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no such file; give the JSON lines `framing score` wrote")
        with path.open(encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if line.strip():
                    try:
                        yield json.loads(line)
                    except json.JSONDecodeError as e:
                        raise ValueError(f"{path}:{n}: not valid JSON ({e.msg}); give the output of `framing score`") from None
    elif hasattr(data, "iterrows") and hasattr(data, "columns"):  # pandas
        columns = list(data.columns)
        for row in data.itertuples(index=False, name=None):
            yield dict(zip(columns, row))
    else:
        yield from data


def _as_record(item, index: int) -> tuple[dict, list]:
    """(fields, sentences) of one scored article, whichever form it comes in."""
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], Doc):
        doc, meta = item
        return {**(meta or {}), "loaded_score": doc.loaded_score, "loaded": doc.loaded, "error": doc.error}, doc.sentences
    if isinstance(item, Doc):
        return {"loaded_score": item.loaded_score, "loaded": item.loaded, "error": item.error}, item.sentences
    if isinstance(item, dict):
        return item, item.get("sentences")
    raise TypeError(f"article {index}: expected a scored record (dict), a framing.Doc or a (Doc, meta) pair, "
                    f"got {type(item).__name__}")


def _unscored(record: dict, sentences) -> bool:
    """Whether an article has nothing to count: an error (a record that could not be scored) or no sentences."""
    error = record.get("error")
    return (isinstance(error, str) and bool(error)) or sentences is None or len(sentences) == 0


def _get(sentence, name: str):
    return sentence[name] if isinstance(sentence, dict) else getattr(sentence, name)


def fingerprint(text: str) -> int:
    """A 64-bit hash of a sentence, case and spacing ignored (what ``dedupe`` counts as the same sentence)."""
    digest = hashlib.blake2b(" ".join(text.lower().split()).encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def _sentence_text(sentence, index: int) -> str:
    text = sentence.get("text") if isinstance(sentence, dict) else sentence.text
    if not isinstance(text, str):
        raise ValueError(f"article {index}: dedupe needs each sentence's text, and this record has none; "
                         "score with the full JSON output of `framing score`, or drop dedupe")
    return text


@dataclass
class Comparison:
    """What :func:`compare` found: one row per group and measure, in ``rows``.

    Each row has the group's key fields (``by``, then ``period`` when asked), ``measure``, ``articles``,
    ``sentences``, ``value`` with its 95% interval ``low``-``high``, ``few`` (fewer articles than
    ``min_articles``: shown, but with little to go on) and, with ``against``, ``reference`` and the
    difference from it with its interval (``diff``, ``diff_low``, ``diff_high``).
    """

    by: list[str]
    measures: list[str]
    rows: list[dict]
    min_articles: int
    against: tuple | None = None
    replicates: int = 1000
    seed: int = 0
    skipped: int = 0
    """Articles left out: without sentences, or that could not be scored."""
    dedupe: int | None = None
    dropped_sentences: int = 0
    """With ``dedupe``: the sentences left out for being repeated across articles."""
    descriptions: dict = field(default_factory=dict)
    unit: str = "article"
    """What the bootstrap resamples: whole articles, or all the articles sharing a field's value (``"source"``)."""

    @property
    def groups(self) -> list[dict]:
        """One dict per group: its key fields, ``articles``, ``sentences`` and ``few``."""
        first = [r for r in self.rows if r["measure"] == self.measures[0]] if self.measures else []
        return [{**{k: r[k] for k in self.by}, "articles": r["articles"], "sentences": r["sentences"], "few": r["few"]}
                for r in first]

    def label(self, row: dict) -> str:
        """A group's name for people: its key fields joined by " / ", a missing one as ``(missing)``."""
        return " / ".join(MISSING if row[k] is None else str(row[k]) for k in self.by)

    def select(self, **values) -> "Comparison":
        """The comparison of some groups only: ``select(source=["Reuters", "Vox"])`` keeps the rows whose
        ``source`` is one of those, in the order given (their numbers do not change)."""
        rows = self.rows
        for name, wanted in values.items():
            if name not in self.by:
                raise ValueError(f"no key field {name!r} to select on; the key fields are {', '.join(self.by)}")
            wanted = [wanted] if isinstance(wanted, str) or wanted is None else list(wanted)
            rank = {group_key(w): i for i, w in enumerate(wanted)}
            rows = sorted((r for r in rows if r[name] in rank), key=lambda r: rank[r[name]])
        return replace(self, rows=rows)

    def to_csv(self, path: str | Path | None = None) -> str:
        """The rows as CSV (a missing key is an empty cell); written to ``path`` when given."""
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(self.rows[0]) if self.rows else self.by + ["measure"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.rows)
        return _written(out.getvalue(), path)

    def to_json(self, path: str | Path | None = None) -> str:
        """The rows and the settings as JSON (a missing key is null); written to ``path`` when given."""
        data = {"by": self.by, "measures": self.measures, "min_articles": self.min_articles, "unit": self.unit,
                "against": list(self.against) if self.against else None, "replicates": self.replicates,
                "seed": self.seed, "skipped": self.skipped, "dedupe": self.dedupe,
                "dropped_sentences": self.dropped_sentences, "rows": self.rows}
        return _written(json.dumps(data, indent=1, ensure_ascii=False) + "\n", path)

    def to_markdown(self, measures: Iterable[str] | None = None, differences: bool = False, digits: int = 3,
                    path: str | Path | None = None) -> str:
        """A markdown table, one line per group: articles, sentences and each measure as ``value (low-high)``
        (rates per 1,000 sentences with one decimal). ``differences=True`` shows the difference from the
        reference group instead. A group under ``min_articles`` is marked with a dagger."""
        if differences and not self.against:
            raise ValueError("no reference group to show differences from; compare with against=... first")
        measures = [m for m in (MAIN_MEASURES if measures is None else measures) if m in self.measures]
        by_group: dict[tuple, dict[str, dict]] = {}
        for r in self.rows:
            by_group.setdefault(tuple(r[k] for k in self.by), {})[r["measure"]] = r
        head = ["group", "articles", "sentences"] + [("Δ " if differences else "") + m for m in measures]
        lines = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
        for cells in by_group.values():
            any_row = next(iter(cells.values()))
            name = self.label(any_row) + (" †" if any_row["few"] else "")
            values = []
            for m in measures:
                r = cells[m]
                d = 1 if m in TECHNIQUES else digits
                if differences:
                    values.append("reference" if r["diff"] is None and r["reference"] == self.label(r) else
                                  "n/a" if r["diff"] is None else
                                  f"{r['diff']:+.{d}f} ({r['diff_low']:+.{d}f} to {r['diff_high']:+.{d}f})")
                else:
                    values.append(f"{r['value']:.{d}f} ({r['low']:.{d}f}-{r['high']:.{d}f})")
            lines.append(f"| {name} | {any_row['articles']:,} | {any_row['sentences']:,} | " + " | ".join(values) + " |")
        if any(g["few"] for g in self.groups):
            lines.append(f"\n† fewer than {self.min_articles} articles: little to go on.")
        return _written("\n".join(lines) + "\n", path)


def _written(text: str, path: str | Path | None) -> str:
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text


class _Group:
    """The numbers of one group's resampling units (articles, or outlets with ``unit="source"``), in a growing
    array: a few numbers per unit, never its sentences."""

    def __init__(self, width: int):
        self.n = 0
        self.stats = np.zeros((64, width), dtype=np.float64)
        self.units: dict = {}

    def add(self, row: np.ndarray, unit=None) -> None:
        """Add an article's row: as a unit of its own, or summed into its ``unit`` (an outlet, say)."""
        k = self.units.get(unit) if unit is not None else None
        if k is not None:
            self.stats[k] += row
            return
        if self.n == len(self.stats):
            self.stats = np.concatenate([self.stats, np.zeros_like(self.stats)])
        self.stats[self.n] = row
        if unit is not None:
            self.units[unit] = self.n
        self.n += 1

    @property
    def table(self) -> np.ndarray:
        return self.stats[: self.n]


def bootstrap_weights(n: int, replicates: int, rng: np.random.Generator) -> np.ndarray:
    """Poisson(1) weights, ``replicates`` x ``n``: how many times each of ``n`` units is drawn in each replicate."""
    return rng.poisson(1.0, size=(replicates, n)).astype(np.float64)


def estimates(stats: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The measures of each weighting of the units: ``weights`` is replicates x units, ``stats`` is units x
    columns with column 0 the sentence count, 1-2 the sum of loaded scores and loaded decisions, then sentence
    counts (the sum of bias, biased, each technique, each frame) and last the number of articles (1 for a
    unit that is an article). Article measures are weighted means over articles, sentence measures ratios
    of weighted sums (sentences of all articles pooled); techniques are per 1,000 sentences. A replicate
    that draws no unit is NaN."""
    return _measures(weights @ stats)


def _measures(sums: np.ndarray) -> np.ndarray:
    """:func:`estimates` from the weighted column sums (replicates x columns)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.empty_like(sums[:, 1:-1])
        out[:, :2] = sums[:, 1:3] / sums[:, -1:]
        out[:, 2:] = sums[:, 3:-1] / sums[:, :1]
    out[:, 4 : 4 + len(TECHNIQUES)] *= 1000.0
    return out


def _replicates(stats: np.ndarray, replicates: int, seed: int, key: tuple, chunk: int = 4096) -> np.ndarray:
    """Bootstrap replicates of the measures of one group (replicates x measures), from its own seeded
    stream, so a group's interval does not depend on which other groups there are. Units go in chunks,
    so the weights held at once stay small however large the group."""
    rng = np.random.default_rng([seed, zlib.crc32(json.dumps(key).encode("utf-8"))])
    sums = np.zeros((replicates, stats.shape[1]))
    for lo in range(0, len(stats), chunk):
        sums += bootstrap_weights(min(chunk, len(stats) - lo), replicates, rng) @ stats[lo : lo + chunk]
    return _measures(sums)


def _interval(values: np.ndarray) -> tuple[float, float]:
    ok = values[~np.isnan(values)]
    if not len(ok):
        return float("nan"), float("nan")
    low, high = np.percentile(ok, [2.5, 97.5])
    return float(low), float(high)


def compare(data, by: str | Iterable[str] = "source", period: str | None = None, *, date_field: str = "date",
            min_articles: int = 30, against=None, unit: str = "article", replicates: int = 1000, seed: int = 0,
            dedupe: int | None = None) -> Comparison:
    """Compare groups of scored articles, each measure with a 95% interval from resampling whole articles.

    ``data``: the JSON lines of ``framing score`` (a path), their records as dicts, ``Doc`` objects,
    ``(Doc, meta)`` pairs, or a ``datasets.Dataset``/pandas frame with the same columns. ``by``: the
    field or fields that make a group (kept with ``framing score --keep``); ``period`` (day, week,
    month or year) adds the period of ``date_field`` as the last key. A group with fewer than
    ``min_articles`` articles is kept and marked ``few``. ``against``: the reference group, as the
    value(s) of the first ``by`` field(s); each group is compared with the reference group that
    shares its other keys (``by=["leaning", "topic"], against="center"`` compares left/elections with
    center/elections). ``dedupe=N`` leaves out every sentence found (case and spacing ignored) in N
    or more articles, e.g. boilerplate ("Sign up for our newsletter") and wire copy carried by several
    outlets; it reads ``data`` twice, so ``data`` must be a path or a sequence, not an iterator.
    ``unit``: what the bootstrap resamples, whole articles (the default) or, given a field such as
    ``"source"``, all the articles sharing its value at once: the interval to state when the claim is
    about outlets in general ("left-leaning outlets use more loaded language") rather than about these
    articles, since articles of one outlet are not independent either. Rows then also give ``units``.

    >>> import framing
    >>> nlp = framing.load()
    >>> texts = ["A disastrous, shameful plan.", "The council met on Tuesday."] * 20
    >>> pairs = zip(nlp.pipe(texts), [{"side": "a"}, {"side": "b"}] * 20)
    >>> result = framing.compare(pairs, by="side", min_articles=10)
    >>> [(r["side"], r["articles"]) for r in result.rows if r["measure"] == "loaded_score"]
    [('a', 20), ('b', 20)]
    """
    by = [by] if isinstance(by, str) else list(by)
    if not by and period is None:
        raise ValueError("nothing to group by; give by='source' (a field kept with --keep) or a period")
    if period is not None and period not in PERIODS:
        raise ValueError(f"unknown period {period!r}; use one of {', '.join(PERIODS)}")
    if not isinstance(unit, str) or not unit:
        raise ValueError(f"unit={unit!r}: give 'article' or the field whose values are resampled whole, e.g. 'source'")
    if min_articles < 1 or replicates < 1:
        raise ValueError(f"min_articles and replicates must be at least 1, got {min_articles} and {replicates}")
    if dedupe is not None and dedupe < 2:
        raise ValueError(f"dedupe={dedupe}: a sentence is repeated when it is in at least 2 articles; give 2 or more")
    keys = by + ([period] if period else [])
    if period in by:
        raise ValueError(f"the field {period!r} is both a by field and the period; rename one")
    if against is not None:
        against = (against,) if not isinstance(against, (tuple, list)) else tuple(against)
        if len(against) > len(by):
            raise ValueError(f"against={against!r} has more values than the by fields {by}")
        against = tuple(group_key(a) for a in against)
    techniques, frames = {t: i for i, t in enumerate(TECHNIQUES)}, {f: i for i, f in enumerate(FRAMES)}
    nt = len(TECHNIQUES)
    width = 6 + nt + len(FRAMES)
    repeated = _repeated(data, dedupe) if dedupe else None

    groups: dict[tuple, _Group] = {}
    skipped = dropped = 0
    for index, item in enumerate(_items(data)):
        record, sentences = _as_record(item, index)
        if _unscored(record, sentences):
            skipped += 1
            continue
        if repeated is not None:
            prints = np.array([fingerprint(_sentence_text(s, index)) for s in sentences], dtype=np.int64)
            pos = np.minimum(np.searchsorted(repeated, prints), max(len(repeated) - 1, 0))
            hit = repeated[pos] == prints if len(repeated) else np.zeros(len(prints), dtype=bool)
            dropped += int(hit.sum())
            sentences = [s for s, h in zip(sentences, hit.tolist()) if not h]
            if not sentences:
                skipped += 1
                continue
        row = np.zeros(width)
        row[0], row[-1] = len(sentences), 1.0
        row[1], row[2] = float(record["loaded_score"]), bool(record["loaded"])
        for s in sentences:
            row[3] += _get(s, "bias")
            row[4] += bool(_get(s, "biased"))
            for t in _get(s, "labels"):
                row[5 + _index(techniques, t, "technique", index)] += 1
            for f in _get(s, "frames"):
                row[5 + nt + _index(frames, f, "frame", index)] += 1
        key = tuple(group_key(record.get(k)) for k in by) + (
            (period_key(record.get(date_field), period),) if period else ())
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Group(width)
        group.add(row, None if unit == "article" else (group_key(record.get(unit)),))

    if against and groups and not any(k[: len(against)] == against for k in groups):
        shown = sorted({" / ".join(MISSING if v is None else v for v in k[: len(against)]) for k in groups})
        raise ValueError(f"no group {' / '.join(against)!r} to compare against; the groups are: {', '.join(shown[:20])}")
    measures = [*DOC_MEASURES, *SENTENCE_MEASURES, *TECHNIQUES, *FRAMES]
    order = sorted(groups, key=lambda k: tuple((v is None, "" if v is None else v) for v in k))
    results = {}
    for key in order:
        stats = groups[key].table
        point = estimates(stats, np.ones((1, len(stats))))[0]
        results[key] = (stats, point, _replicates(stats, replicates, seed, key))
    rows = []
    for key in order:
        stats, point, reps = results[key]
        ref_key = (against + key[len(against):]) if against else None
        for j, m in enumerate(measures):
            low, high = _interval(reps[:, j])
            articles = int(stats[:, -1].sum())
            row = {**dict(zip(keys, key)), "measure": m, "articles": articles, "sentences": int(stats[:, 0].sum()),
                   **({} if unit == "article" else {"units": len(stats)}),
                   "value": _round(point[j]), "low": _round(low), "high": _round(high), "few": articles < min_articles}
            if against:
                row["reference"] = " / ".join(MISSING if v is None else str(v) for v in ref_key)
                if ref_key in results and ref_key != key:
                    _, ref_point, ref_reps = results[ref_key]
                    d_low, d_high = _interval(reps[:, j] - ref_reps[:, j])
                    row.update(diff=_round(point[j] - ref_point[j]), diff_low=_round(d_low), diff_high=_round(d_high))
                else:
                    row.update(diff=None, diff_low=None, diff_high=None)
            rows.append(row)
    return Comparison(keys, measures, rows, min_articles, against, replicates, seed, skipped, dedupe, dropped,
                      {m: _describe(m) for m in measures}, unit)


def _round(x: float) -> float:
    return round(float(x), 6)


def _index(names: dict[str, int], name: str, kind: str, index: int) -> int:
    try:
        return names[name]
    except KeyError:
        raise ValueError(f"article {index}: unknown {kind} {name!r}; compare knows framing.TECHNIQUES and "
                         "framing.FRAMES (was this scored by another version's model?)") from None


def _repeated(data, dedupe: int) -> np.ndarray:
    """The sorted fingerprints of the sentences found in at least ``dedupe`` articles (a first pass over ``data``)."""
    if isinstance(data, Iterator):
        raise ValueError("dedupe reads the articles twice, and an iterator can be read once; "
                         "give a file path, a list, a datasets.Dataset or a pandas frame")
    chunks, current = [], []
    for index, item in enumerate(_items(data)):
        record, sentences = _as_record(item, index)
        if _unscored(record, sentences):
            continue
        current.extend(set(fingerprint(_sentence_text(s, index)) for s in sentences))  # once per article
        if len(current) >= 1 << 20:
            chunks.append(np.array(current, dtype=np.int64))
            current = []
    chunks.append(np.array(current, dtype=np.int64))
    prints, counts = np.unique(np.concatenate(chunks), return_counts=True)
    return prints[counts >= dedupe]
