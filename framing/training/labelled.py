"""A user's own labelled JSONL, read and checked, and a model measured on it (``framing evaluate``).

Each line is a JSON object with the text (field ``text`` unless told otherwise) and any of:

- ``label``: 1 (or true) when the text is slanted, 0 (or false) when not; compared with
  ``doc.loaded_score`` (AUC) and ``doc.loaded`` (macro-F1, precision, recall);
- ``spans``: the loaded phrases, as ``{"start": 4, "end": 12}`` objects (or ``[4, 12]`` pairs)
  of character offsets into the text; compared character by character with ``doc.spans``. A
  span with a ``technique`` counts only when it is one the tagger marks (Loaded_Language,
  Name_Calling-Labeling, Exaggeration-Minimisation), as in SemEval's span task;
- ``techniques``: the persuasion techniques in the text (names from ``framing.TECHNIQUES``),
  compared with ``doc.labels``;
- ``frames``: the frames of the text (names from ``framing.FRAMES``), compared with ``doc.frames``.

A record with none of them, or with a value of the wrong form, is reported with its line
number and left out; the others are measured.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from framing.training.evaluate import auc, span_chars
from framing.scoring.labels import FRAMES, SPAN_TECHNIQUES, TECHNIQUES

FIELDS = ("label", "spans", "techniques", "frames")


@dataclass
class Labelled:
    """Texts and whatever gold labels each has (None where a record has none of that kind)."""

    texts: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    label: list[int | None] = field(default_factory=list)
    spans: list[set[int] | None] = field(default_factory=list)
    techniques: list[list[str] | None] = field(default_factory=list)
    frames: list[list[str] | None] = field(default_factory=list)


def _label(value) -> int:
    if isinstance(value, bool) or value in (0, 1):
        return int(value)
    raise ValueError(f"'label' must be 0, 1, true or false, got {value!r}")


def _spans(value, text: str) -> set[int]:
    if not isinstance(value, list):
        raise ValueError(f"'spans' must be a list of {{\"start\": ..., \"end\": ...}} objects, got {type(value).__name__}")
    kept = []
    for s in value:
        if isinstance(s, dict) and "start" in s and "end" in s:
            start, end, technique = s["start"], s["end"], s.get("technique")
        elif isinstance(s, list) and len(s) == 2:
            (start, end), technique = s, None
        else:
            raise ValueError(f"a span must be {{\"start\": ..., \"end\": ...}} or [start, end], got {s!r}")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            raise ValueError(f"span {s!r} is not inside the text (0 <= start < end <= {len(text)})")
        if technique is None or technique in SPAN_TECHNIQUES:
            kept.append((start, end))
    return {c for start, end in kept for c in range(start, end)}


def _names(value, kind: str, names: tuple[str, ...]) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"'{kind}' must be a list of names, got {value!r}")
    unknown = [v for v in value if v not in names]
    if unknown:
        raise ValueError(f"unknown name(s) in '{kind}': {', '.join(map(repr, unknown))}; "
                         f"the names are framing.{kind.upper()}: {', '.join(names)}")
    return list(value)


def read_labelled(path: str | Path, text_field: str = "text",
                  unlabelled: bool = False) -> tuple[Labelled, list[tuple[int, str]]]:
    """The good records of a labelled JSONL file, and ``(line, reason)`` for each bad one
    (with ``unlabelled``, a record with no label at all is good too)."""
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"{p}: no such file or directory; --data takes a labelled .jsonl file or the corpora "
                                "directory (e.g. ../shared/data)")
    if p.suffix != ".jsonl":
        what = f"a file of type {p.suffix!r}" if p.suffix else "a file without an extension"
        raise ValueError(f"{p}: framing evaluate reads labelled .jsonl files (or the corpora directory), got {what}")
    if not p.is_file():
        raise FileNotFoundError(f"{p}: no such file")
    out, errors = Labelled(), []
    with p.open("rb") as f:
        for n, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8"))
                if not isinstance(record, dict):
                    raise ValueError(f"expected a JSON object, got {type(record).__name__}")
                text = record.get(text_field)
                if not isinstance(text, str) or not text.strip():
                    raise ValueError(f"no text in field {text_field!r} (use --text-field)")
                if not unlabelled and not any(k in record for k in FIELDS):
                    raise ValueError(f"nothing to compare: give at least one of {', '.join(FIELDS)}")
                gold = (
                    _label(record["label"]) if "label" in record else None,
                    _spans(record["spans"], text) if "spans" in record else None,
                    _names(record["techniques"], "techniques", TECHNIQUES) if "techniques" in record else None,
                    _names(record["frames"], "frames", FRAMES) if "frames" in record else None,
                )
            except UnicodeDecodeError as e:
                errors.append((n, f"not valid UTF-8 (byte 0x{raw[e.start]:02x} at column {e.start + 1})"))
                continue
            except json.JSONDecodeError as e:
                errors.append((n, f"not valid JSON ({e.msg} at column {e.colno})"))
                continue
            except ValueError as e:
                errors.append((n, str(e)))
                continue
            out.texts.append(text)
            out.lines.append(n)
            for name, value in zip(FIELDS, gold):
                getattr(out, name).append(value)
    return out, errors


def _prf(tp: int, predicted: int, gold: int) -> dict[str, float]:
    precision = tp / predicted if predicted else 0.0
    recall = tp / gold if gold else 0.0
    f1 = 2 * tp / (predicted + gold) if tp else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def _multilabel(gold: list[list[str]], pred: list[list[str]], names: tuple[str, ...]) -> dict:
    Y = np.array([[n in g for n in names] for g in gold], dtype=bool).reshape(len(gold), len(names))
    P = np.array([[n in p for n in names] for p in pred], dtype=bool).reshape(len(pred), len(names))
    per_label = {n: {**_prf(int((Y[:, j] & P[:, j]).sum()), int(P[:, j].sum()), int(Y[:, j].sum())),
                     "support": int(Y[:, j].sum())} for j, n in enumerate(names) if Y[:, j].any() or P[:, j].any()}
    micro = _prf(int((Y & P).sum()), int(P.sum()), int(Y.sum()))
    seen = [v["f1"] for n, v in per_label.items() if v["support"]]
    return {"records": len(gold), "micro_precision": micro["precision"], "micro_recall": micro["recall"],
            "micro_f1": micro["f1"], "macro_f1": round(float(np.mean(seen)), 4) if seen else 0.0, "per_label": per_label}


def evaluate_labelled(scorer, data: Labelled, batch_size: int = 1024, n_process: int = 1) -> dict:
    """Score ``data``'s texts and compare them with each kind of gold label they have."""
    docs = list(scorer.pipe(data.texts, batch_size=batch_size, n_process=n_process))
    out: dict = {"records": len(docs)}
    has = [i for i, v in enumerate(data.label) if v is not None]
    if has:
        y = np.array([data.label[i] for i in has], dtype=bool)
        on = np.array([docs[i].loaded for i in has], dtype=bool)
        both = y.any() and not y.all()
        pos = _prf(int((y & on).sum()), int(on.sum()), int(y.sum()))
        neg = _prf(int((~y & ~on).sum()), int((~on).sum()), int((~y).sum()))
        out["label"] = {
            "records": len(has), "positives": int(y.sum()),
            "auc": round(auc(y, [docs[i].loaded_score for i in has]), 4) if both else None,
            "macro_f1": round((pos["f1"] + neg["f1"]) / 2, 4), "accuracy": round(float((y == on).mean()), 4),
            **pos, "threshold": round(float(scorer.loaded_head.thresholds[0]), 4),
        }
    has = [i for i, v in enumerate(data.spans) if v is not None]
    if has:
        gold = [data.spans[i] for i in has]
        pred = [span_chars(docs[i].spans) for i in has]
        tp = sum(len(g & p) for g, p in zip(gold, pred))
        out["spans"] = {"records": len(has), "gold_chars": sum(map(len, gold)), "predicted_chars": sum(map(len, pred)),
                        **{f"char_{k}": v for k, v in _prf(tp, sum(map(len, pred)), sum(map(len, gold))).items()}}
    for kind, names, predicted in (("techniques", TECHNIQUES, lambda d: d.labels), ("frames", FRAMES, lambda d: d.frames)):
        has = [i for i, v in enumerate(getattr(data, kind)) if v is not None]
        if has:
            out[kind] = _multilabel([getattr(data, kind)[i] for i in has], [predicted(docs[i]) for i in has], names)
    return out


def format_report(metrics: dict) -> str:
    """The metrics of :func:`evaluate_labelled` as a short plain-text report."""
    lines = []
    if "label" in metrics:
        m = metrics["label"]
        lines += [f"slant (field 'label'): {m['records']} records, {m['positives']} slanted",
                  f"  AUC of loaded_score  {m['auc']:.3f}" if m["auc"] is not None else
                  "  AUC of loaded_score  n/a (needs both slanted and not slanted records)",
                  f"  macro-F1 of loaded   {m['macro_f1']:.3f}   (accuracy {m['accuracy']:.3f}; slanted: precision "
                  f"{m['precision']:.3f}, recall {m['recall']:.3f}, F1 {m['f1']:.3f}; threshold {m['threshold']})"]
    if "spans" in metrics:
        m = metrics["spans"]
        lines += [f"loaded phrases (field 'spans'): {m['records']} records, {m['gold_chars']:,} gold characters",
                  f"  character F1 {m['char_f1']:.3f}   (precision {m['char_precision']:.3f}, recall {m['char_recall']:.3f})"]
    for kind in ("techniques", "frames"):
        if kind in metrics:
            m = metrics[kind]
            lines += [f"{kind} (field '{kind}'): {m['records']} records",
                      f"  micro-F1 {m['micro_f1']:.3f}   (precision {m['micro_precision']:.3f}, recall "
                      f"{m['micro_recall']:.3f}; macro-F1 over labels present {m['macro_f1']:.3f})"]
            for name, v in sorted(m["per_label"].items(), key=lambda kv: -kv[1]["support"]):
                lines.append(f"    {name:<45} F1 {v['f1']:.3f}  P {v['precision']:.3f}  R {v['recall']:.3f}  "
                             f"support {v['support']}")
    return "\n".join(lines)
