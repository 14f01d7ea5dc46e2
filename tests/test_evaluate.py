"""`framing evaluate`: a model measured on a user's own labelled JSONL."""
import json

import pytest

from framing.cli import main
from framing.training.labelled import evaluate_labelled, read_labelled

TEXTS = [
    "Radical bureaucrats rammed through a reckless scheme in a shameless power grab.",
    "The council approved the budget on Tuesday by a vote of 7 to 2.",
    "Critics called the plan nothing but a disaster for hardworking families.",
    "The new budget takes effect on July 1.",
]


def _write(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_labels_that_agree_with_the_model_score_perfectly(nlp, tmp_path):
    docs = list(nlp.pipe(TEXTS))
    assert len({d.loaded for d in docs}) == 2, "the fixture needs slanted and neutral texts"
    records = [{"text": d.text, "label": int(d.loaded), "techniques": d.labels, "frames": d.frames,
                "spans": [{"start": s.start, "end": s.end} for s in d.spans]} for d in docs]
    data, errors = read_labelled(_write(tmp_path / "gold.jsonl", records))
    assert errors == []
    m = evaluate_labelled(nlp, data)
    assert m["label"]["macro_f1"] == 1.0 and m["label"]["accuracy"] == 1.0 and m["label"]["auc"] == 1.0
    assert m["spans"]["char_f1"] == 1.0 and m["spans"]["gold_chars"] > 0
    assert m["techniques"]["micro_f1"] == 1.0 and m["frames"]["micro_f1"] == 1.0


def test_disagreement_lowers_the_right_numbers(nlp, tmp_path):
    doc = nlp(TEXTS[0])
    span = doc.spans[0]
    records = [
        # gold marks only the first of the model's phrases: recall 1, precision its share of the marked characters
        {"text": doc.text, "spans": [[span.start, span.end]]},
        # a gold span of a technique the tagger does not mark is not counted
        {"text": TEXTS[1], "spans": [{"start": 0, "end": 11, "technique": "Doubt"}]},
        {"text": TEXTS[1], "label": 1, "techniques": ["Doubt"]},
        {"text": TEXTS[3], "label": 1, "techniques": []},
    ]
    m = evaluate_labelled(nlp, read_labelled(_write(tmp_path / "gold.jsonl", records))[0])
    marked = sum(s.end - s.start for s in doc.spans) + sum(s.end - s.start for s in nlp(TEXTS[1]).spans)
    assert m["spans"]["gold_chars"] == span.end - span.start and m["spans"]["predicted_chars"] == marked
    assert m["spans"]["char_recall"] == 1.0
    assert m["spans"]["char_precision"] == pytest.approx((span.end - span.start) / marked, abs=1e-4)
    assert m["label"]["auc"] is None and m["label"]["positives"] == 2 and m["label"]["recall"] == 0.0
    assert m["techniques"]["per_label"]["Doubt"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}


def test_bad_records_are_named_by_line_and_the_rest_measured(nlp, tmp_path, capsys):
    path = tmp_path / "gold.jsonl"
    path.write_bytes(b"\n".join([
        json.dumps({"text": TEXTS[0], "label": 1}).encode(),
        b"{not json",
        json.dumps({"text": TEXTS[1]}).encode(),
        json.dumps({"text": TEXTS[1], "label": "yes"}).encode(),
        json.dumps({"text": TEXTS[1], "frames": ["Economy"]}).encode(),
        json.dumps({"text": TEXTS[1], "spans": [[5, 500]]}).encode(),
        json.dumps({"body": TEXTS[1], "label": 0}).encode(),
        json.dumps({"text": TEXTS[1], "label": 0}).encode(),
    ]) + b"\n")
    out = tmp_path / "metrics.json"
    assert main(["evaluate", "--data", str(path), "--json", str(out)]) == 1
    err = capsys.readouterr().err
    for line, reason in [(2, "not valid JSON"), (3, "nothing to compare"), (4, "'label' must be 0, 1"),
                         (5, "unknown name(s) in 'frames': 'Economy'"), (6, "span [5, 500] is not inside the text"), (7, "no text in field 'text' (use --text-field)")]:
        assert f"gold.jsonl:{line}: {reason}" in err
    metrics = json.loads(out.read_text())
    assert metrics["records"] == 2 and metrics["bad_records"] == 6 and metrics["label"]["records"] == 2


def test_clean_file_exits_zero_and_prints_the_metrics(tmp_path, capsys):
    path = _write(tmp_path / "gold.jsonl", [{"text": t, "label": i % 2} for i, t in enumerate(TEXTS)])
    assert main(["evaluate", "--data", str(path)]) == 0
    out = capsys.readouterr().out
    assert "4 records" in out and "AUC of loaded_score" in out and "macro-F1 of loaded" in out


def test_a_corpora_directory_gives_the_model_card_rows(tiny_data, tiny_model, capsys):
    _, model_dir = tiny_model
    assert main(["evaluate", "--data", str(tiny_data), "--model", str(model_dir)]) == 0
    out = capsys.readouterr().out
    assert "| BABE (expert sentence bias) | macro-F1 of `loaded` |" in out and "| SemEval-2023 frames (14), article |" in out
