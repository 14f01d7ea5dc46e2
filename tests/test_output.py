"""What `framing score` writes: formats by extension, levels, the compact JSON, the terminal table,
thresholds, and the papercuts of everyday use (pipes, standard input, JSON arrays, misnamed fields)."""
import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import framing
from framing.cli import main
from framing.corpus.progress import Progress
from framing.corpus.rows import BASE_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ["The shameless council rammed through a reckless tax. Officials met on Monday.",
         "Officials met on Monday to discuss the budget.",
         "Radical bureaucrats peddled disgraceful lies!\n\nThe vote is on Friday."]


@pytest.fixture(autouse=True)
def loaded_once(nlp, monkeypatch):
    """The commands here get the session's model instead of loading it again (its thresholds put back after)."""
    import framing.scoring.scorer as scorer

    real, saved = scorer.load, dict(nlp.thresholds)
    monkeypatch.setattr(scorer, "load", lambda path=None: nlp if path is None else real(path))
    yield
    nlp.thresholds.update(saved)


@pytest.fixture
def src(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps({"id": 10 + i, "source": f"outlet{i}", "text": t}) + "\n"
                            for i, t in enumerate(TEXTS)))
    return path


def _jsonl(path):
    return [json.loads(line) for line in Path(path).read_text().splitlines()]


def _csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def test_the_extension_chooses_the_format(src, tmp_path):
    for name in ("o.csv", "o.json", "o.jsonl", "o.parquet"):
        assert main(["score", str(src), "-o", str(tmp_path / name), "-q"]) == 0
    assert [r["text"] for r in _csv(tmp_path / "o.csv")] == TEXTS
    array = json.loads((tmp_path / "o.json").read_text())
    assert [d["text"] for d in array] == TEXTS == [d["text"] for d in _jsonl(tmp_path / "o.jsonl")]
    import pyarrow.parquet as pq

    assert pq.read_table(tmp_path / "o.parquet").column("text").to_pylist() == TEXTS
    assert main(["score", str(src), "-o", str(tmp_path / "o.jsonl"), "--format", "csv", "-q"]) == 0
    assert _csv(tmp_path / "o.jsonl")[0]["text"] == TEXTS[0]  # --format wins over the extension


def test_an_unknown_output_extension_is_refused_not_written_as_json(src, tmp_path, capsys):
    assert main(["score", str(src), "-o", str(tmp_path / "o.txt"), "-q"]) == 1
    err = capsys.readouterr().err
    assert "'.txt'" in err and ".csv" in err and "--format" in err
    assert not (tmp_path / "o.txt").exists()


@pytest.mark.parametrize("level", ["doc", "paragraph", "sentence", "span"])
def test_each_level_has_one_flat_row_per_unit(src, tmp_path, nlp, level):
    out = tmp_path / "o.csv"
    assert main(["score", str(src), "-o", str(out), "--level", level, "--id-field", "id", "-q"]) == 0
    rows = _csv(out)
    docs = list(nlp.pipe(TEXTS))
    units = {"doc": [[d] for d in docs], "paragraph": [d.paragraphs for d in docs],
             "sentence": [d.sentences for d in docs], "span": [d.spans for d in docs]}[level]
    assert len(rows) == sum(map(len, units))
    assert list(rows[0]) == ["record", "id", *BASE_COLUMNS[level]] if rows else True
    flat = [(i + 1, 10 + i, u) for i, us in enumerate(units) for u in us]
    for row, (record, id_, unit) in zip(rows, flat):
        assert int(row["record"]) == record and int(row["id"]) == id_
        if level != "doc":
            assert TEXTS[record - 1][int(row["start"]):int(row["end"])] == row["text"] == unit.text
    if level == "sentence":
        for row, (_, _, s) in zip(rows, flat):
            assert row["labels"] == ";".join(s.labels) and row["biased"] == str(s.biased).lower()
            assert [float(x) for x in filter(None, row["label_scores"].split(";"))] == [s.label_scores[x] for x in s.labels]


def test_all_scores_add_a_column_per_technique_and_frame(src, tmp_path):
    out = tmp_path / "o.csv"
    assert main(["score", str(src), "-o", str(out), "--level", "sentence", "--all-scores", "-q"]) == 0
    row = _csv(out)[0]
    assert {f"technique:{t}" for t in framing.TECHNIQUES} | {f"frame:{f}" for f in framing.FRAMES} <= set(row)


def test_compact_json_keeps_every_field_but_only_the_chosen_scores(src, tmp_path, nlp):
    compact, full = tmp_path / "c.jsonl", tmp_path / "f.jsonl"
    assert main(["score", str(src), "-o", str(compact), "-q"]) == 0
    assert main(["score", str(src), "-o", str(full), "--all-scores", "-q"]) == 0
    assert compact.stat().st_size < full.stat().st_size / 2
    for c, f, doc in zip(_jsonl(compact), _jsonl(full), nlp.pipe(TEXTS)):
        assert {"text", "loaded_score", "loaded", "labels", "frames", "spans", "paragraphs", "sentences"} <= set(c)
        assert c["spans"] == f["spans"] and all({"text", "start", "end", "score", "label", "quoted"} <= set(s)
                                                for s in c["spans"])
        assert set(c["frame_scores"]) == set(c["frames"])
        for s in c["sentences"]:
            assert {"text", "start", "end", "bias", "biased", "labels", "frames", "quoted"} <= set(s)
            assert set(s["label_scores"]) == set(s["labels"]) and set(s["frame_scores"]) == set(s["frames"])
        assert framing.Doc.from_dict(f).to_dict() == doc.to_dict()  # the full form reads back
        with pytest.raises(ValueError, match="--all-scores"):
            framing.Doc.from_dict(c)


def test_several_id_fields_are_all_kept(src, tmp_path):
    out = tmp_path / "o.jsonl"
    assert main(["score", str(src), "-o", str(out), "--id-field", "id", "--id-field", "source", "-q"]) == 0
    records = _jsonl(out)
    assert [(r["id"], r["source"]) for r in records] == [(10 + i, f"outlet{i}") for i in range(len(TEXTS))]
    assert list(records[0])[:3] == ["id", "source", "text"]


def test_a_terminal_gets_a_short_table_and_a_pipe_json_lines(src, monkeypatch, capsys):
    assert main(["score", str(src), "-q"]) == 0
    assert [json.loads(line)["text"] for line in capsys.readouterr().out.splitlines()] == TEXTS
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["score", str(src), "-q"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:2] == ["#", "loaded"] and len(lines) == 1 + len(TEXTS)
    assert not any(line.startswith("{") for line in lines)
    assert all(len(line) <= 200 for line in lines)


def test_thresholds_are_named_settable_and_change_decisions_not_scores(nlp):
    t = nlp.thresholds  # put back by the loaded_once fixture
    assert set(t) == {"bias", "loaded", "technique", "frame", "frame_evidence", "sentence_frame"}
    assert all(0 < v < 1 for v in t.values())
    before = [d.to_dict() for d in nlp.pipe(TEXTS)]
    t["loaded"], t["bias"] = 0.0, 1.0
    after = [d.to_dict() for d in nlp.pipe(TEXTS)]
    assert all(d["loaded"] for d in after) and not any(s["biased"] for d in after for s in d["sentences"])
    assert [d["loaded_score"] for d in after] == [d["loaded_score"] for d in before]
    assert [s["bias"] for d in after for s in d["sentences"]] == [s["bias"] for d in before for s in d["sentences"]]
    t["technique"] = {"Doubt": 0.5}
    assert t["technique"]["Doubt"] == 0.5
    for bad in (1.5, "x"):
        with pytest.raises(ValueError, match="between 0 and 1"):
            t["loaded"] = bad
    with pytest.raises(KeyError, match="bias, loaded"):
        t["span"] = 0.5


def test_threshold_option_changes_decisions(src, tmp_path, capsys):
    out = tmp_path / "o.jsonl"
    assert main(["score", str(src), "-o", str(out), "--threshold", "loaded=0,bias=1", "-q"]) == 0
    records = _jsonl(out)
    assert all(r["loaded"] for r in records) and not any(s["biased"] for r in records for s in r["sentences"])
    assert main(["score", str(src), "-o", str(out), "--threshold", "loud=0.5", "-q"]) == 1
    assert "bias, loaded, technique" in capsys.readouterr().err


def test_standard_input_and_json_arrays(tmp_path, monkeypatch, capsys):
    rows = "id,text\n1,The shameless council rammed through a reckless tax.\n2,Officials met.\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(rows.encode())))
    assert main(["score", "-", "--input-format", "csv", "--id-field", "id", "-q"]) == 0
    assert [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()] == ["1", "2"]
    array = tmp_path / "in.json"
    array.write_text(json.dumps([{"text": t} for t in TEXTS], indent=2))
    assert main(["score", str(array), "-q"]) == 0
    assert [json.loads(line)["text"] for line in capsys.readouterr().out.splitlines()] == TEXTS


def test_a_misnamed_text_field_stops_at_once_with_the_fields_there_are(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"body": t, "id": i}) + "\n" for i, t in enumerate(TEXTS * 20)))
    assert main(["score", str(src), "-q"]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "no field 'text'" in err and "(their fields: body, id)" in err and "--text-field" in err


def test_one_record_without_the_field_among_good_ones_is_still_one_error(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"body": "x"}) + "\n" + "".join(json.dumps({"text": t}) + "\n" for t in TEXTS))
    assert main(["score", str(src), "-o", str(tmp_path / "o.jsonl"), "-q"]) == 1
    assert "in.jsonl:1: no field 'text'" in capsys.readouterr().err
    assert len(_jsonl(tmp_path / "o.jsonl")) == len(TEXTS)


def test_evaluate_names_a_missing_path(tmp_path, capsys):
    assert main(["evaluate", "--data", str(tmp_path / "nowhere")]) == 1
    err = capsys.readouterr().err
    assert str(tmp_path / "nowhere") in err and "no such file or directory" in err and "got ''" not in err


def test_the_eta_waits_for_work_done(monkeypatch):
    now = [0.0]
    monkeypatch.setattr("framing.corpus.progress.time.monotonic", lambda: now[0])
    stream = io.StringIO()
    p = Progress(5000, stream=stream)
    now[0] = 0.5  # the first batch took half a second; its first record comes out
    p.update()
    assert "ETA after" in stream.getvalue() and "ETA 2" not in stream.getvalue()
    p.update(1023)
    now[0] = 1.0
    p.update(1024)
    assert stream.getvalue().rsplit("\r", 1)[1].endswith("ETA 1s")  # 2,048 done in 1 s: about 1.4 s to go


def test_pytest_keeps_its_summary_line_with_q():
    import configparser

    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    assert "-q" not in config["tool:pytest"]["addopts"].split()  # `pytest -q` would become -qq and hide "N passed"


@pytest.mark.slow
def test_a_closed_pipe_ends_quietly(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"text": f"{t} ({i})"}) + "\n" for i in range(3000) for t in TEXTS[:1]))
    proc = subprocess.run(f"{sys.executable} -m framing.cli score {src} -q | head -n 1", shell=True,
                          capture_output=True, text=True, executable="/bin/bash")
    assert proc.stderr == "" and len(proc.stdout.splitlines()) == 1
    status = subprocess.run(f"set -o pipefail; {sys.executable} -m framing.cli score {src} -q | head -n 1 >/dev/null",
                            shell=True, capture_output=True, text=True, executable="/bin/bash")
    assert status.returncode == 141 and status.stderr == ""
