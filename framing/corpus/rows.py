"""Scored docs as flat rows, one per unit: a document, a paragraph, a sentence or a loaded span.

Every row starts with ``record`` (the input record's number, from 1) and the asked-for id fields,
then the unit's offsets into the record's text, its text, scores and decisions. Lists (labels,
frames, spans' texts) are ``;``-joined strings, and ``label_scores`` / ``frame_scores`` are the scores
of those labels, ``;``-joined in the same order. With ``all_scores``, a doc row adds one
``frame:NAME`` column per frame, and a sentence row one ``technique:NAME`` column per technique and
one ``frame:NAME`` per frame.
"""
from __future__ import annotations

from framing.scoring.doc import Doc, Sentence

LEVELS = ("doc", "paragraph", "sentence", "span")

BASE_COLUMNS = {
    "doc": ("text", "loaded_score", "loaded", "labels", "frames", "frame_scores", "paragraphs", "sentences",
            "biased_sentences", "spans"),
    "paragraph": ("paragraph", "start", "end", "text", "loaded_score", "loaded", "labels", "sentences",
                  "biased_sentences", "spans"),
    "sentence": ("paragraph", "sentence", "start", "end", "text", "bias", "biased", "quoted", "labels", "label_scores",
                 "frames", "frame_scores", "spans"),
    "span": ("sentence", "start", "end", "text", "label", "score", "quoted"),
}
"""The columns of each level after ``record`` and the id fields (see the module's docstring)."""


def _join(items) -> str:
    return ";".join(str(x) for x in items)


def _sentence_row(k: int, p: int, s: Sentence, all_scores: bool, techniques: tuple, frames: tuple) -> dict:
    labels, frame_s = s.label_scores, s.frame_scores
    row = {"paragraph": p, "sentence": k, "start": s.start, "end": s.end, "text": s.text, "bias": s.bias,
           "biased": s.biased, "quoted": s.quoted, "labels": _join(s.labels),
           "label_scores": _join(labels[x] for x in s.labels), "frames": _join(s.frames),
           "frame_scores": _join(frame_s[x] for x in s.frames), "spans": _join(x.text for x in s.spans)}
    if all_scores:
        row.update({f"technique:{t}": labels[t] for t in techniques})
        row.update({f"frame:{f}": frame_s[f] for f in frames})
    return row


def columns(level: str, id_fields: list[str], all_scores: bool, techniques: tuple = (), frames: tuple = ()) -> list[str]:
    """The column names of ``level`` rows, in order."""
    extra: list[str] = []
    if all_scores and level == "doc":
        extra = [f"frame:{f}" for f in frames]
    elif all_scores and level == "sentence":
        extra = [f"technique:{t}" for t in techniques] + [f"frame:{f}" for f in frames]
    return ["record", *id_fields, *BASE_COLUMNS[level], *extra]


def rows(doc: Doc, record: int, ids: dict, level: str, all_scores: bool = False) -> list[dict]:
    """The ``level`` rows of one scored doc (``record`` is its number in the input, ``ids`` its id fields)."""
    head = {"record": record, **ids}
    if level == "doc":
        sentences = doc.sentences
        frame_s = doc.frame_scores
        row = {**head, "text": doc.text, "loaded_score": doc.loaded_score, "loaded": doc.loaded,
               "labels": _join(doc.labels), "frames": _join(doc.frames), "frame_scores": _join(frame_s[f] for f in doc.frames),
               "paragraphs": len(doc.paragraph_rows), "sentences": len(sentences),
               "biased_sentences": sum(s.biased for s in sentences), "spans": _join(s.text for s in doc.spans)}
        if all_scores:
            row.update({f"frame:{f}": v for f, v in frame_s.items()})
        return [row]
    out = []
    k = 0
    for p, para in enumerate(doc.paragraphs, 1):
        if level == "paragraph":
            labels = dict.fromkeys(label for s in para.sentences for label in s.labels)
            out.append({**head, "paragraph": p, "start": para.start, "end": para.end, "text": para.text,
                        "loaded_score": para.loaded_score, "loaded": para.loaded, "labels": _join(labels),
                        "sentences": len(para.sentences), "biased_sentences": sum(s.biased for s in para.sentences),
                        "spans": _join(x.text for s in para.sentences for x in s.spans)})
            continue
        for s in para.sentences:
            k += 1
            if level == "sentence":
                out.append({**head, **_sentence_row(k, p, s, all_scores, s.technique_names, s.frame_names)})
            else:
                out += [{**head, "sentence": k, "start": x.start, "end": x.end, "text": x.text, "label": x.label,
                         "score": x.score, "quoted": x.quoted} for x in s.spans]
    return out
