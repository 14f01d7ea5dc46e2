"""Bad input never crashes a batch, never loses a row, never runs code."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

import framing
from framing.scoring import persist
from framing.cli import main
from framing.scoring.scorer import bundled_model_dir

GOOD = "The shameless council rammed through a reckless tax. Officials met on Monday."


# --- API input ------------------------------------------------------------------


def test_a_bad_item_raises_with_its_position_or_is_skipped(nlp):
    items = [GOOD, b"bytes", None, "", 3.5, GOOD]
    with pytest.raises(TypeError, match=r"got bytes; decode it first.*position 1"):
        list(nlp.pipe(items))
    docs = list(nlp.pipe(items, on_error="skip"))
    assert [d.error is not None for d in docs] == [False, True, True, False, True, False]
    assert "decode it first" in docs[1].error and "NoneType" in docs[2].error and "float" in docs[4].error
    assert docs[1].to_dict()["error"] == docs[1].error and "error" not in docs[0].to_dict()
    assert docs[1].sentences == [] and docs[1].loaded_score == 0.0 and not docs[1].loaded
    assert docs[3].error is None and docs[3].sentences == [] and docs[3].loaded_score == 0.0, "empty text is not an error"
    assert docs[0].to_dict() == docs[5].to_dict() == nlp(GOOD).to_dict()


@pytest.mark.slow
def test_skipping_gives_the_same_docs_in_two_processes(nlp):
    items = [GOOD, None, "Another text!", b"x"] * 5
    one = [d.to_dict() for d in nlp.pipe(items, batch_size=3, on_error="skip")]
    assert [d.to_dict() for d in nlp.pipe(items, batch_size=3, n_process=2, on_error="skip")] == one


def test_max_chars_refuses_giant_texts_by_length(nlp):
    capped = framing.load()
    capped.max_chars = 20
    with pytest.raises(ValueError, match="longer than max_chars=20"):
        capped(GOOD)
    with pytest.raises(ValueError, match="position 1"):
        list(capped.pipe(["short", GOOD]))
    docs = list(capped.pipe(["short", GOOD], on_error="skip"))
    assert docs[0].error is None and "max_chars" in docs[1].error and docs[1].text == GOOD


@pytest.fixture
def fragile(nlp, monkeypatch):
    """The bundled model, made to fail on any batch with "BOOM" in it (forked workers start with it too)."""
    score = nlp.score

    def fail_on_boom(texts):
        if any("BOOM" in t for t in texts):
            raise RuntimeError("simulated failure")
        return score(texts)

    monkeypatch.setattr(nlp, "score", fail_on_boom)
    return nlp


def test_a_text_that_fails_inside_scoring_fails_alone(fragile):
    docs = list(fragile.pipe([GOOD, "BOOM goes the text.", GOOD], on_error="skip"))
    assert [d.error for d in docs] == [None, "RuntimeError: simulated failure", None]
    with pytest.raises(RuntimeError):
        list(fragile.pipe([GOOD, "BOOM"]))


@pytest.mark.slow
def test_a_failure_in_a_worker_process_reaches_the_caller(fragile):
    texts = [GOOD] * 40 + ["BOOM goes the text."] + [GOOD] * 40
    docs = list(fragile.pipe(texts, batch_size=4, n_process=2, on_error="skip"))
    assert [i for i, d in enumerate(docs) if d.error] == [40] and docs[40].error == "RuntimeError: simulated failure"
    with pytest.raises(RuntimeError, match="simulated failure"):
        list(fragile.pipe(texts, batch_size=4, n_process=2))


def test_on_error_must_be_known(nlp):
    with pytest.raises(ValueError, match="'raise' or 'skip'"):
        list(nlp.pipe([GOOD], on_error="ignore"))


# --- hostile text ---------------------------------------------------------------

HOSTILE = {
    "no-space": "a" * 1_000_000,
    "dots": "." * 100_000,
    "quotes": '"' * 100_000,
    "newlines": "\n" * 100_000,
    "abbreviations": "U.S. Dr. e.g. Inc. etc. J. " * 5_000,
    "mixed-scripts": "Ελληνικά русский 中文 العربية עברית हिन्दी. " * 2_000,
    "rtl-marks": "\u200f\u202eabc\u202c\u200e. " * 10_000,
    "emoji": "😀👍🏽🇺🇸 " * 20_000,
    "controls": "\x00\x01\x07\x1b\x7f text. " * 10_000,
    "lone-surrogates": "\ud800 a \udfff b. \udc80" * 10_000,
    "words-no-punctuation": "word " * 200_000,
}


def check_doc(doc, text):
    """The documented contract of a Doc, for any text."""
    assert doc.text is text or doc.text == text
    assert 0.0 <= doc.loaded_score <= 1.0
    prev = 0
    for s in doc.sentences:
        assert prev <= s.start < s.end <= len(text) and text[s.start : s.end] == s.text
        assert not text[s.start].isspace() and not text[s.end - 1].isspace()
        assert 0.0 <= s.bias <= 1.0
        assert np.all((s.technique_probs >= 0) & (s.technique_probs <= 1))
        assert np.all((s.frame_probs >= 0) & (s.frame_probs <= 1))
        for span in s.spans:
            assert s.start <= span.start < span.end <= s.end and text[span.start : span.end] == span.text
            assert 0.0 <= span.score <= 1.0
        prev = s.end
    covered = np.zeros(len(text), dtype=bool)
    for s in doc.sentences:
        covered[s.start : s.end] = True
    assert all(covered[i] or ch.isspace() for i, ch in enumerate(text)), "every non-space character is in a sentence"


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_text_is_scored_with_valid_offsets(nlp, text):
    doc = nlp(text)
    check_doc(doc, text)
    json.dumps(doc.to_dict())


def _best_times(nlp, texts, repeat=3):
    """The best of ``repeat`` scoring times of each text, the texts taking turns (so that a slow
    spell of the machine falls on all of them)."""
    best = [float("inf")] * len(texts)
    for _ in range(repeat):
        for i, text in enumerate(texts):
            t = time.perf_counter()
            nlp(text)
            best[i] = min(best[i], time.perf_counter() - t)
    return best


@pytest.mark.slow
@pytest.mark.parametrize("unit", ["Critics call it a shameless power grab. ", "a", ". ", "\n", '"', "😀 ", "U.S. "])
def test_scoring_time_is_linear_in_length(nlp, unit):
    """Four times the input takes about four times as long: at most 8 times, where quadratic work
    would take 16 (a margin for a noisy machine that doubling, 2 against 4, did not leave)."""
    small = unit * (200_000 // len(unit))
    t1, t4 = _best_times(nlp, [small, small * 4])
    assert t4 < 8.0 * t1 + 0.05, f"{t1:.3f}s for {len(small)} characters, {t4:.3f}s for four times that"


@pytest.mark.slow
def test_a_10_mb_paragraph_scores_in_bounded_memory():
    code = (
        "import resource, framing; nlp = framing.load(); "
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss; "
        "doc = nlp({text!r} * {n}); "
        "print(len(doc.sentences), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base)"
    )
    for text, n in (("Critics call it a shameless power grab by the council. ", 180_000), ("word ", 2_000_000)):
        out = subprocess.run([sys.executable, "-c", code.format(text=text, n=n)], capture_output=True, text=True, check=True)
        sentences, grew_kib = map(int, out.stdout.split())
        assert sentences > 1
        assert grew_kib < 600 * 1024, f"scoring {len(text) * n / 1e6:.0f} MB took {grew_kib // 1024} MB more memory"


# --- dirty files through the command line ---------------------------------------


def _lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_every_bad_jsonl_record_is_reported_and_every_good_one_scored(tmp_path, capsys):
    src = tmp_path / "dirty.jsonl"
    rows = [
        json.dumps({"id": 1, "text": GOOD}).encode(),
        b'{"id": 2, "text": "broken',  # broken JSON
        json.dumps({"id": 3, "text": "caf\u00e9"}).encode().replace(b"\\u00e9", b"\xe9"),  # Latin-1 byte
        json.dumps({"id": 4, "body": GOOD}).encode(),  # missing field
        json.dumps({"id": 5, "text": ""}).encode(),  # empty
        json.dumps({"id": 6, "text": None}).encode(),  # not a string
        json.dumps({"id": 7, "text": 42}).encode(),
        b"[1, 2]",  # not an object
        json.dumps({"id": 9, "text": "Lone \ud800 surrogate, escaped in JSON."}).encode(),
        json.dumps({"id": 10, "text": GOOD}).encode(),
    ]
    src.write_bytes(b"\n".join(rows) + b"\n")
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    assert main(["score", str(src), "-o", str(out), "--errors", str(errors), "--id-field", "id", "-q"]) == 1
    scored, failed = _lines(out), _lines(errors)
    assert [r["id"] for r in scored] == [1, 9, 10]
    assert scored[1]["text"] == "Lone \ud800 surrogate, escaped in JSON."
    assert [e["line"] for e in failed] == [2, 3, 4, 5, 6, 7, 8]
    assert len(scored) + len(failed) == len(rows)
    reasons = [e["error"] for e in failed]
    assert "not valid JSON" in reasons[0] and "not valid UTF-8 (byte 0xe9" in reasons[1]
    assert "no field 'text'" in reasons[2] and "--text-field" in reasons[2] and reasons[3] == "field 'text' is empty"
    assert "NoneType" in reasons[4] and "int" in reasons[5] and "JSON object" in reasons[6]
    assert failed[2]["id"] == 4, "the id is kept when the record has one"
    err = capsys.readouterr().err
    assert "dirty.jsonl:3: not valid UTF-8" in err and "7 record(s) could not be scored" in err


@pytest.mark.slow
def test_lone_surrogates_reach_standard_output_as_json_escapes(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "Lone \\ud800 here."}\n')
    proc = subprocess.run([sys.executable, "-m", "framing.cli", "score", str(src), "-q"], capture_output=True, check=True)
    assert json.loads(proc.stdout)["text"] == "Lone \ud800 here."


def test_skip_errors_exits_zero_and_stderr_alone_lists_every_bad_record(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"text": t}) + "\n" for t in [GOOD, "", " ", GOOD]))
    assert main(["score", str(src), "-o", str(tmp_path / "o.jsonl"), "--skip-errors", "-q"]) == 0
    err = capsys.readouterr().err
    assert "in.jsonl:2: field 'text' is empty" in err and "in.jsonl:3: field 'text' is empty" in err
    assert len(_lines(tmp_path / "o.jsonl")) == 2


@pytest.mark.slow
def test_csv_with_embedded_newlines_reports_the_line_a_bad_record_starts_on(tmp_path):
    src = tmp_path / "in.csv"
    src.write_bytes(b'id,text\n1,"First line.\nSecond line."\n2,\n3,"caf\xe9 latin-1"\n4,"Fine again."\n')
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    assert main(["score", str(src), "-o", str(out), "--errors", str(errors), "--id-field", "id", "-q"]) == 1
    assert [r["text"] for r in _lines(out)] == ["First line.\nSecond line.", "Fine again."]
    assert [(e["line"], e["id"]) for e in _lines(errors)] == [(4, "2"), (5, "3")]
    assert "UTF-8" in _lines(errors)[1]["error"]


def test_a_plain_text_file_with_invalid_bytes_loses_only_that_paragraph(tmp_path):
    src = tmp_path / "in.txt"
    src.write_bytes(b"Good paragraph one.\n\nBad \xff\xfe paragraph.\n\nGood paragraph three.\n")
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    assert main(["score", str(src), "-o", str(out), "--errors", str(errors), "-q"]) == 1
    assert [r["text"] for r in _lines(out)] == ["Good paragraph one.", "Good paragraph three."]
    assert _lines(errors) == [{"line": 3, "error": "not valid UTF-8 (byte 0xff)"}]


@pytest.mark.slow
def test_max_chars_on_the_command_line(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"text": "short."}) + "\n" + json.dumps({"text": "x" * 5000}) + "\n")
    errors = tmp_path / "errors.jsonl"
    assert main(["score", str(src), "-o", str(tmp_path / "o.jsonl"), "--max-chars", "1000", "--errors", str(errors), "-q"]) == 1
    assert "longer than max_chars=1,000" in _lines(errors)[0]["error"]


# --- interrupted jobs -----------------------------------------------------------


@pytest.fixture(scope="module")
def big_input(tmp_path_factory):
    """Enough records that a run takes a few seconds, with some bad ones among them."""
    src = tmp_path_factory.mktemp("big") / "in.jsonl"
    texts = [GOOD, "Officials met on Monday to discuss the budget.", "", "Critics call it a power grab!"]
    with src.open("w") as f:
        for i in range(30_000):
            f.write(json.dumps({"id": i, "text": f"{texts[i % 4]} ({i})" if i % 4 != 2 else ""}) + "\n")
    return src


def _command(src, out, errors, *extra):
    return [sys.executable, "-m", "framing.cli", "score", str(src), "-o", str(out), "--errors", str(errors),
            "--id-field", "id", "--batch-size", "64", "--skip-errors", "-q", *extra]


@pytest.fixture(scope="module")
def uninterrupted(big_input, tmp_path_factory):
    d = tmp_path_factory.mktemp("whole")
    subprocess.run(_command(big_input, d / "out.jsonl", d / "errors.jsonl"), check=True)
    return (d / "out.jsonl").read_bytes(), (d / "errors.jsonl").read_bytes()


def _interrupt(big_input, tmp_path, sig, *extra):
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    progress = tmp_path / "out.jsonl.progress"
    # as typed in a terminal: a test run started in the background (`&`) ignores SIGINT, and its children would too
    proc = subprocess.Popen(_command(big_input, out, errors, *extra),
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if progress.exists() and json.loads(progress.read_text())["records"] > 3_000:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the run finished before it could be interrupted; make the input bigger"
    os.kill(proc.pid, sig)
    code = proc.wait(timeout=60)
    assert not out.exists() and not errors.exists(), "an interrupted run never leaves a (partial) output file"
    return out, errors, code


@pytest.mark.slow
@pytest.mark.parametrize("extra", [(), ("--n-process", "2")], ids=["1-process", "2-processes"])
def test_kill_9_then_resume_gives_the_same_bytes(big_input, uninterrupted, tmp_path, extra):
    out, errors, _ = _interrupt(big_input, tmp_path, signal.SIGKILL, *extra)
    subprocess.run(_command(big_input, out, errors, "--resume", *extra), check=True)
    assert (out.read_bytes(), errors.read_bytes()) == uninterrupted
    assert not list(tmp_path.glob("*.part")) and not list(tmp_path.glob("*.progress"))


@pytest.mark.slow
def test_ctrl_c_stops_cleanly_and_resumes(big_input, uninterrupted, tmp_path):
    out, errors, code = _interrupt(big_input, tmp_path, signal.SIGINT)
    assert code == 130
    subprocess.run(_command(big_input, out, errors, "--resume"), check=True)
    assert (out.read_bytes(), errors.read_bytes()) == uninterrupted


WORKERS_THEN_WORK = """
import itertools, multiprocessing, framing
docs = framing.load().pipe(itertools.repeat("The shameless council rammed through a reckless tax.", 10**9), n_process=2)
next(docs)
print(*[p.pid for p in multiprocessing.active_children()], flush=True)
for _ in docs:
    pass
"""


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has exited
    except FileNotFoundError:
        return False


@pytest.mark.slow
@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads process states from /proc (Linux)")
def test_worker_processes_end_when_the_process_that_started_them_is_killed():
    proc = subprocess.Popen([sys.executable, "-c", WORKERS_THEN_WORK], stdout=subprocess.PIPE, text=True)
    workers = [int(p) for p in proc.stdout.readline().split()]
    assert workers, "the scoring process started no worker"
    time.sleep(1.0)  # the workers fill their pipes
    proc.kill()
    proc.wait(timeout=30)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(map(_running, workers)):
        time.sleep(0.1)
    left = [pid for pid in workers if _running(pid)]
    for pid in left:  # do not leave them behind when the test fails
        os.kill(pid, signal.SIGKILL)
    assert not left, "a worker outlived the process it scored for"


@pytest.mark.slow
def test_resume_refuses_a_run_with_other_options(big_input, tmp_path, capsys):
    out, errors, _ = _interrupt(big_input, tmp_path, signal.SIGKILL)
    args = ["score", str(big_input), "-o", str(out), "--errors", str(errors), "--id-field", "id", "--resume",
            "--text-field", "body", "-q"]
    assert main(args) == 1
    assert "different text_field" in capsys.readouterr().err


def test_resume_needs_an_output_file(big_input, capsys):
    assert main(["score", str(big_input), "--resume", "-q"]) == 1
    assert "--resume needs -o" in capsys.readouterr().err


# --- model files ----------------------------------------------------------------


def _resign(directory):
    names = [p.name for p in sorted(directory.iterdir()) if p.name != "SHA256SUMS"]
    (directory / "SHA256SUMS").write_text("".join(f"{persist._sha256(directory / n)}  {n}\n" for n in names))


@pytest.fixture
def model_copy(tmp_path):
    dst = tmp_path / "model"
    shutil.copytree(bundled_model_dir(), dst)
    return dst


def test_a_model_config_cannot_name_code_to_run(model_copy):
    """Even with valid checksums (an attacker can recompute them), config names only map to known classes."""
    config = json.loads((model_copy / "config.json").read_text())
    config["extractors"][0]["class"] = "os.system"
    (model_copy / "config.json").write_text(json.dumps(config))
    _resign(model_copy)
    with pytest.raises(framing.ModelFileError, match="unknown feature extractor 'os.system'"):
        framing.load(model_copy)


def test_a_model_config_with_unexpected_parameters_is_refused_by_name(model_copy):
    config = json.loads((model_copy / "config.json").read_text())
    config["extractors"][0]["params"]["__class__"] = "builtins.eval"
    (model_copy / "config.json").write_text(json.dumps(config))
    _resign(model_copy)
    with pytest.raises(framing.ModelFileError, match="config.json does not describe a model"):
        framing.load(model_copy)


# --- properties -----------------------------------------------------------------


@pytest.mark.slow
def test_contract_holds_for_arbitrary_unicode_and_any_batch_size(nlp):
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies
    pieces = st.sampled_from([" ", "\n\n", ". ", "! ", '"', "U.S. ", "shameless ", "power grab", "😀", "\x00",
                              "\ud800", "\u200f", "left on the sidelines", "Critics say "])
    texts = st.lists(st.one_of(pieces, st.text(max_size=8)), max_size=25).map("".join)

    @hypothesis.settings(max_examples=150, deadline=None)
    @hypothesis.given(st.lists(texts, min_size=1, max_size=6), st.integers(1, 4))
    def check(batch, batch_size):
        docs = list(nlp.pipe(batch, batch_size=batch_size))
        for doc, text in zip(docs, batch, strict=True):
            check_doc(doc, text)
        assert [d.to_dict() for d in docs] == [nlp(t).to_dict() for t in batch]

    check()


@pytest.mark.slow
def test_arbitrary_unicode_gives_the_same_results_in_two_processes(nlp):
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies
    texts = st.lists(st.text(max_size=40), min_size=20, max_size=40)

    @hypothesis.settings(max_examples=3, deadline=None)
    @hypothesis.given(texts)
    def check(batch):
        one = [d.to_dict() for d in nlp.pipe(batch, batch_size=7)]
        assert [d.to_dict() for d in nlp.pipe(batch, batch_size=7, n_process=2)] == one

    check()
