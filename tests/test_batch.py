"""Scoring corpora: several processes, datasets tables, and the streaming command line give one result."""
import json
import subprocess
import sys

import pytest

import framing
from framing.cli import main

TEXTS = [
    "Pakistan's jealousy is apparent. While India and Russia strengthen their bond, Pakistan is left on the sidelines.",
    "Russian President Vladimir Putin is set to visit India, as confirmed by Kremlin spokesperson Dmitry Peskov.",
    "",
    "Critics call it a shameless power grab!\n\nThe council met on Monday. It voted 7 to 2.",
    "Ceci n'est pas une phrase anglaise — 🙂 “quoted” text.",
] * 9


def _dicts(docs):
    return [d.to_dict() for d in docs]


@pytest.mark.slow
def test_two_processes_give_the_same_docs_in_the_same_order(nlp):
    one = _dicts(nlp.pipe(TEXTS, batch_size=4))
    assert _dicts(nlp.pipe(iter(TEXTS), batch_size=4, n_process=2)) == one


@pytest.mark.slow
def test_a_bad_item_is_reported_with_its_position_in_parallel_too(nlp):
    with pytest.raises(TypeError, match="position 2"):
        list(nlp.pipe(["a", "b", None, "d"], n_process=2))


@pytest.mark.slow
def test_batches_and_results_larger_than_the_pipes_do_not_deadlock(nlp, monkeypatch):
    # Whole articles: a batch of them is larger than a pipe, and so is its result. The calling process
    # used to block sending the next batch while the worker blocked sending its result (it hung forever
    # on the AllSides corpus); pipes of one page make the same happen with small texts.
    import signal

    import framing.scoring.workers as workers

    monkeypatch.setattr(workers, "PIPE_BYTES", 4096)
    texts = ["The reckless plan failed badly. Officials met on Tuesday to discuss it. " * 40 + f"End {i}." for i in range(48)]

    def hung(*_):
        raise TimeoutError("pipe_json with two processes hung: the worker pipes deadlocked")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(120)
    try:
        lines = list(nlp.pipe_json(texts, batch_size=16, n_process=2))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert [json.loads(line)["text"] for line, _ in lines] == texts


@pytest.mark.parametrize("method", ["pipe", "pipe_json"])
def test_workers_start_only_for_inputs_large_enough_to_pay(nlp, monkeypatch, method):
    import framing.scoring.workers as workers

    started = []
    real = workers.pipe_processes
    monkeypatch.setattr(workers, "pipe_processes", lambda *a, **k: started.append(len(started)) or real(*a, **k))
    score = getattr(nlp, method)
    one = [d.to_dict() for d in nlp.pipe(TEXTS)] if method == "pipe" else list(nlp.pipe_json(TEXTS))
    result = lambda docs: [d.to_dict() for d in docs] if method == "pipe" else list(docs)  # noqa: E731

    monkeypatch.delenv("FRAMING_MIN_PARALLEL_CHARS")  # the default: these few texts are scored here
    assert result(score(iter(TEXTS), n_process=2)) == one and not started
    monkeypatch.setattr(workers, "MIN_PARALLEL_CHARS", sum(map(len, TEXTS)) - 1)  # one character more: workers
    assert result(score(iter(TEXTS), batch_size=8, n_process=2)) == one and started


def test_processes_need_a_model_directory(tiny_model):
    scorer, _ = tiny_model
    with pytest.raises(ValueError, match="save"):
        list(scorer.pipe(["text"], n_process=2))
    with pytest.raises(ValueError, match="n_process"):
        list(scorer.pipe(["text"], n_process=0))


@pytest.fixture(scope="module")
def jsonl(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "news.jsonl"
    path.write_text("".join(json.dumps({"id": f"n{i}", "text": t}) + "\n" for i, t in enumerate(TEXTS)))
    return path


def test_score_dataset_adds_typed_columns(nlp, jsonl):
    datasets = pytest.importorskip("datasets")
    ds = datasets.load_dataset("json", data_files=str(jsonl), split="train")
    out = framing.score_dataset(ds, batch_size=8)
    assert out.column_names == ["id", "text", "loaded_score", "loaded", "labels", "frames", "spans"]
    docs = list(nlp.pipe(TEXTS))
    assert out["loaded_score"] == [d.loaded_score for d in docs]
    assert out["labels"] == [d.labels for d in docs] and out["frames"] == [d.frames for d in docs]
    assert out["spans"] == [[s.to_dict() for s in d.spans] for d in docs]
    assert out[0]["spans"] and out[0]["text"][out[0]["spans"][0]["start"] : out[0]["spans"][0]["end"]] == out[0]["spans"][0]["text"]
    assert framing.score_dataset(ds, batch_size=8, num_proc=2)[:] == out[:]


def test_score_dataset_streams_an_iterable_dataset(jsonl):
    datasets = pytest.importorskip("datasets")
    eager = framing.score_dataset(datasets.load_dataset("json", data_files=str(jsonl), split="train"))
    stream = framing.score_dataset(datasets.load_dataset("json", data_files=str(jsonl), split="train", streaming=True))
    assert isinstance(stream, datasets.IterableDataset)
    assert list(stream) == list(eager)


def test_score_dataset_names_a_missing_or_clashing_column(jsonl):
    datasets = pytest.importorskip("datasets")
    ds = datasets.load_dataset("json", data_files=str(jsonl), split="train")
    with pytest.raises(KeyError, match="body"):
        framing.score_dataset(ds, text_column="body")
    with pytest.raises(ValueError, match="loaded_score"):
        framing.score_dataset(ds.add_column("loaded_score", [0.0] * len(ds)))


@pytest.mark.slow
def test_cli_copies_ids_limits_and_matches_in_parallel(jsonl, tmp_path):
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    errors = tmp_path / "errors.jsonl"
    base = ["score", str(jsonl), "--id-field", "id", "--limit", "20", "--skip-errors", "-q"]
    assert main([*base, "-o", str(one), "--errors", str(errors)]) == 0
    assert main([*base, "-o", str(two), "--n-process", "2", "--batch-size", "3"]) == 0
    records = [json.loads(line) for line in one.read_text().splitlines()]
    assert [r["id"] for r in records] == [f"n{i}" for i in range(20) if TEXTS[i]]
    assert [r["text"] for r in records] == [t for t in TEXTS[:20] if t]
    assert one.read_bytes() == two.read_bytes()
    empty = [json.loads(line) for line in errors.read_text().splitlines()]
    assert empty == [{"line": i + 1, "id": f"n{i}", "error": "field 'text' is empty"} for i in range(20) if not TEXTS[i]]


@pytest.mark.slow
def test_cli_progress_shows_rate_and_eta(jsonl, tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "framing.cli", "score", str(jsonl), "-o", str(tmp_path / "o.jsonl"), "--skip-errors"],
        capture_output=True, text=True, check=True,
    )
    assert f"{len(TEXTS)}/{len(TEXTS)}" in proc.stderr and "/s" in proc.stderr and "ETA" in proc.stderr


def test_cli_refuses_fields_on_plain_text(tmp_path, capsys):
    src = tmp_path / "a.txt"
    src.write_text("One paragraph.")
    assert main(["score", str(src), "--id-field", "id", "-q"]) == 1
    assert "no fields" in capsys.readouterr().err


def _peak_rss_kib(path, tmp_path) -> int:
    code = (
        "import resource, sys; from framing.cli import main; "
        f"main(['score', {str(path)!r}, '-o', {str(tmp_path / 'out.jsonl')!r}, '-q', '--batch-size', '256']); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    return int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()[-1])


@pytest.mark.slow
def test_cli_memory_does_not_grow_with_the_input(tmp_path):
    small, large = tmp_path / "small.jsonl", tmp_path / "large.jsonl"
    line = json.dumps({"text": TEXTS[0] + " " + TEXTS[3]}) + "\n"
    small.write_text(line * 2_000)
    large.write_text(line * 16_000)
    grow = _peak_rss_kib(large, tmp_path) - _peak_rss_kib(small, tmp_path)
    assert grow < 40 * 1024, f"peak memory grew by {grow // 1024} MB for 8x the input"


def test_batches_end_at_batch_size_texts_or_at_the_character_budget():
    from framing.scoring.batches import next_batch

    items = iter(["ab", "cde", "f", "ghij" * 10, "k"])
    assert next_batch(items, 10, max_chars=5) == ["ab", "cde"]  # 5 characters: the budget is reached
    assert next_batch(items, 10, max_chars=5) == ["f", "ghij" * 10]  # one text over the budget still goes
    assert next_batch(items, 10, max_chars=5) == ["k"]
    assert next_batch(items, 10, max_chars=5) == []
    assert next_batch(iter("abcdef"), 4) == ["a", "b", "c", "d"]


def test_long_texts_are_scored_in_smaller_batches_with_the_same_results(nlp, monkeypatch):
    import framing.scoring.batches as batches

    texts = [t for t in TEXTS if t]
    one = _dicts(nlp.pipe(texts, batch_size=1024))
    monkeypatch.setattr(batches.next_batch, "__defaults__", (300,))  # a budget of 300 characters a batch
    seen = []
    real = nlp.score
    monkeypatch.setattr(nlp, "score", lambda ts, keep=False: seen.append(len(ts)) or real(ts, keep))
    assert _dicts(nlp.pipe(texts, batch_size=1024)) == one
    assert len(seen) > 1 and max(seen) < len(texts)
