"""How scored docs cross between processes: as arrays (:func:`pack`, :func:`unpack`) or as JSON lines.

A worker process of ``Scorer.pipe(n_process=N)`` sends back what it scored in one of these
forms; the receiver has the texts it sent, so no text travels back.
"""
from __future__ import annotations

import json
from collections.abc import Iterable

import numpy as np

from framing.scoring.doc import Doc, SentenceTable, Span, chosen


def json_lines(docs: Iterable[Doc], all_scores: bool = True) -> list[tuple[str | None, str | None]]:
    """Per doc, ``(its to_dict(all_scores) as a JSON line, None)``, or ``(None, error)`` for an error doc."""
    return [(None, d.error) if d.error is not None else (json.dumps(d.to_dict(all_scores), ensure_ascii=False), None)
            for d in docs]


def pack(docs: list[Doc]) -> dict:
    """Docs made by ``Scorer.pipe`` as arrays, to send to another process: no text (the receiver
    has the texts it sent), no ``Sentence`` object, a few strings (see :func:`unpack`)."""
    tables: list[SentenceTable] = []
    offsets: dict[int, int] = {}  # id of a table -> where its rows start among all tables' rows
    bounds = np.zeros((len(docs), 2), dtype=np.int64)
    for i, d in enumerate(docs):
        if d.table is not None:
            if id(d.table) not in offsets:
                offsets[id(d.table)] = sum(len(t.texts) for t in tables)
                tables.append(d.table)
            bounds[i] = (d.lo + offsets[id(d.table)], d.hi + offsets[id(d.table)])
    out = {
        "loaded_score": np.array([d.loaded_score for d in docs], dtype=np.float64),
        "loaded": np.array([d.loaded for d in docs], dtype=bool), "bounds": bounds,
        "errors": {i: d.error for i, d in enumerate(docs) if d.error is not None},
        "frame_names": docs[0].frame_names if docs else (),
        "frame_on": np.array([d.frame_on for d in docs]),
        "frame_probs": np.array([d.frame_probs for d in docs]), "sentences": None,
        "paragraph_counts": np.array([len(d.paragraph_rows) for d in docs], dtype=np.int64),
        "paragraphs": np.array([(a, b, on, lo, hi) for d in docs for a, b, _, on, lo, hi in d.paragraph_rows],
                               dtype=np.int64).reshape(-1, 5),
        "paragraph_scores": np.array([score for d in docs for _, _, score, _, _, _ in d.paragraph_rows], dtype=np.float64),
    }
    if tables:
        t = tables[0] if len(tables) == 1 else SentenceTable.concat(tables)
        spans = [(k, x.start, x.end, x.score, x.label) for k, row in enumerate(t.spans) for x in row]
        labels = sorted({x[4] for x in spans})
        out["sentences"] = {
            "starts": np.array(t.starts, dtype=np.int64), "lengths": np.array([len(x) for x in t.texts], dtype=np.int64),
            "bias": np.array(t.bias, dtype=np.float64), "biased": np.array(t.biased, dtype=bool),
            "technique_names": t.technique_names, "technique_probs": t.technique_probs, "technique_on": t.technique_on,
            "frame_names": t.frame_names, "frame_probs": t.frame_probs, "frame_on": t.frame_on,
            "span_labels": labels, "spans": np.array([(k, a, b, labels.index(lab)) for k, a, b, _, lab in spans],
                                                     dtype=np.int64).reshape(-1, 4),
            "span_scores": np.array([x[3] for x in spans], dtype=np.float64),
            "span_quoted": np.array([x.quoted for row in t.spans for x in row], dtype=bool),
            "quoted": None if t.quoted is None else np.array(t.quoted, dtype=np.float64),
        }
    return out


def unpack(packed: dict, texts: list[str]) -> list[Doc]:
    """The docs :func:`pack` packed, ``texts`` being the texts they were scored from."""
    names, frame_on, frame_probs = packed["frame_names"], packed["frame_on"], packed["frame_probs"]
    bounds, sent = packed["bounds"].tolist(), packed["sentences"]
    table = None
    if sent is not None:
        owner = np.zeros(len(sent["starts"]), dtype=np.int64)
        for d, (lo, hi) in enumerate(bounds):
            owner[lo:hi] = d
        starts, owner_l = sent["starts"].tolist(), owner.tolist()
        spans: list[list[Span]] = [[] for _ in starts]
        labels = sent["span_labels"]
        for (k, a, b, label), score, quoted in zip(sent["spans"].tolist(), sent["span_scores"].tolist(),
                                                   sent["span_quoted"].tolist()):
            spans[k].append(Span(texts[owner_l[k]][a:b], a, b, score, labels[label], quoted))
        table = SentenceTable(
            [texts[d][s : s + n] for d, s, n in zip(owner_l, starts, sent["lengths"].tolist())], starts,
            sent["bias"].tolist(), sent["biased"].tolist(), sent["technique_names"], sent["technique_probs"],
            sent["technique_on"], sent["frame_names"], sent["frame_probs"], sent["frame_on"], spans,
            None if sent["quoted"] is None else sent["quoted"].tolist(),
        )
    frames = chosen(frame_on, names)
    errors = packed["errors"]
    flat = [(a, b, score, bool(on), lo, hi) for (a, b, on, lo, hi), score in
            zip(packed["paragraphs"].tolist(), packed["paragraph_scores"].tolist())]
    ends = np.cumsum(packed["paragraph_counts"]).tolist()
    rows = [flat[e - c : e] for e, c in zip(ends, packed["paragraph_counts"].tolist())]
    return [Doc(text, loaded_score, loaded, frame_names=names, frame_probs=frame_probs[d], frame_on=frame_on[d],
                frames=[] if d in errors else frames[d], table=None if d in errors else table,
                lo=bounds[d][0], hi=bounds[d][1], paragraph_rows=rows[d], error=errors.get(d))
            for d, (text, loaded_score, loaded) in enumerate(zip(texts, packed["loaded_score"].tolist(),
                                                                  packed["loaded"].tolist()))]
