"""The `framing` command: score files of every supported format."""
import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

import framing
from framing.cli import main

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ["The shameless council rammed through a reckless tax.", "Officials met on Monday to discuss the budget."]


def _records(path):
    return [json.loads(line) for line in Path(path).read_text().splitlines()]


def test_scores_the_example_article_one_record_per_paragraph(tmp_path):
    out = tmp_path / "out.jsonl"
    assert main(["score", str(ROOT / "examples" / "article.txt"), "-o", str(out), "-q"]) == 0
    records = _records(out)
    text = (ROOT / "examples" / "article.txt").read_text()
    assert len(records) == len([p for p in text.split("\n\n") if p.strip()])
    assert {"text", "loaded_score", "loaded", "labels", "frames", "frame_scores", "spans", "sentences"} <= set(records[0])
    assert any(r["loaded"] for r in records) and not all(r["loaded"] for r in records)


def test_jsonl_with_a_custom_text_field(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"body": t, "id": i}) + "\n" for i, t in enumerate(TEXTS)))
    out = tmp_path / "out.jsonl"
    assert main(["score", str(src), "-o", str(out), "--text-field", "body", "-q"]) == 0
    assert [r["text"] for r in _records(out)] == TEXTS


def test_csv_with_embedded_newlines(tmp_path):
    src = tmp_path / "in.csv"
    with src.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "text"])
        w.writerows([[0, TEXTS[0]], [1, "Line one.\nLine two."]])
    out = tmp_path / "out.jsonl"
    assert main(["score", str(src), "-o", str(out), "-q"]) == 0
    assert [r["text"] for r in _records(out)] == [TEXTS[0], "Line one.\nLine two."]


def test_parquet(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    src = tmp_path / "in.parquet"
    pq.write_table(pa.table({"text": TEXTS}), src)
    out = tmp_path / "out.jsonl"
    assert main(["score", str(src), "-o", str(out), "-q"]) == 0
    assert [r["text"] for r in _records(out)] == TEXTS


def test_missing_text_field_names_the_file_the_fields_and_the_option(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"body": "x"}) + "\n")
    assert main(["score", str(src), "-o", str(tmp_path / "o.jsonl"), "-q"]) == 1
    err = capsys.readouterr().err
    assert "in.jsonl" in err and "(their fields: body)" in err and "--text-field" in err
    assert not (tmp_path / "o.jsonl").exists()


def test_unsupported_file_type(tmp_path, capsys):
    src = tmp_path / "in.docx"
    src.write_text("x")
    assert main(["score", str(src), "-q"]) == 1
    assert ".jsonl" in capsys.readouterr().err


@pytest.mark.slow
def test_installed_command_writes_jsonl_to_stdout_and_progress_to_stderr(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("\n\n".join(TEXTS))
    proc = subprocess.run([sys.executable, "-m", "framing.cli", "score", str(src)], capture_output=True, text=True, check=True)
    assert [json.loads(l)["text"] for l in proc.stdout.splitlines()] == TEXTS
    assert "records" in proc.stderr


def test_help_describes_every_option():
    proc = subprocess.run([sys.executable, "-m", "framing.cli", "score", "--help"], capture_output=True, text=True, check=True)
    for option in ("--output", "--text-field", "--model", "--batch-size", "--quiet", ".parquet"):
        assert option in proc.stdout


def test_version_names_the_library_and_the_bundled_model(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    out = capsys.readouterr().out
    assert exit_.value.code == 0
    assert out.startswith(f"framing {framing.__version__}\n")
    assert f"bundled model: default, trained by framing {framing.__version__}, weights " in out
