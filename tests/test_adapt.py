"""framing.adapt and ``framing adapt``: a new model from a user's labels, the old one untouched, safe on disk."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

import framing
from framing.cli import main
from framing.training import adapt as adapt_module
from framing.training.adapt import (Featurized, expected_calibration_error, fit_offset, loaded_scores, save_adapted,
                                    weighted_threshold)
from framing.training.heads import best_threshold

FIXTURE = Path(__file__).parent / "fixtures" / "adapt_labelled.jsonl"
ROWS = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]
TEXTS = [r["text"] for r in ROWS]
LABELS = [r["label"] for r in ROWS]


@pytest.fixture(scope="module")
def adapted(nlp):
    return framing.adapt(nlp, TEXTS, labels=LABELS)


@pytest.mark.parametrize("penalties", [adapt_module.PENALTIES, (None,)])  # (None,): the bias weights stay as they are
def test_adapt_returns_a_new_scorer_and_leaves_the_old_one_alone(monkeypatch, penalties):
    monkeypatch.setattr(adapt_module, "PENALTIES", penalties)
    nlp = framing.load()  # its own copy: the session's is shared with other tests
    before = {h: (getattr(nlp, h).coef.copy(), getattr(nlp, h).intercept.copy(), getattr(nlp, h).thresholds.copy())
              for h in ("bias_head", "loaded_head")}
    scores = [d.to_dict() for d in nlp.pipe(TEXTS)]
    new = framing.adapt(nlp, TEXTS, labels=LABELS, measure=False)
    framing.adapt(nlp, TEXTS, prevalence=0.25)
    assert new is not nlp and new.path is None and "adapted" not in nlp.meta
    for h, (coef, intercept, thresholds) in before.items():
        head = getattr(nlp, h)
        assert np.array_equal(head.coef, coef) and np.array_equal(head.intercept, intercept)
        assert np.array_equal(head.thresholds, thresholds)
    assert [d.to_dict() for d in nlp.pipe(TEXTS)] == scores
    assert [d.to_dict() for d in new.pipe(TEXTS)] != scores
    assert new.bias_head.coef.shape == nlp.bias_head.coef.shape and new.bias_head.coef.dtype == nlp.bias_head.coef.dtype
    assert new.tagger is nlp.tagger and new.technique_head is nlp.technique_head  # what does not adapt is shared


def test_adapting_fits_the_users_labels_better(nlp, adapted):
    y = np.array(LABELS)
    old = np.array([d.loaded_score for d in nlp.pipe(TEXTS)])
    new = np.array([d.loaded_score for d in adapted.pipe(TEXTS)])
    assert np.abs(new - y).mean() < np.abs(old - y).mean()
    m = adapted.meta["adapted"]["measured"]["label"]
    assert set(m) == {"before", "after"} and set(m["after"]) == {"auc", "macro_f1", "precision", "recall", "ece"}
    assert m["after"]["ece"] < m["before"]["ece"]


def test_loaded_scores_from_features_are_the_scorers(nlp):
    texts = TEXTS[:6] + ["First paragraph is calm.\n\nThe second one is a disgraceful, shameless stunt.", ""]
    F = Featurized.of(nlp, texts, batch_size=3)
    ours = loaded_scores(nlp.bias_head, nlp.loaded_head, F)
    assert np.allclose(ours, [d.loaded_score for d in nlp.pipe(texts)], atol=1e-4)
    part = F.subset([6, 1])
    assert np.allclose(loaded_scores(nlp.bias_head, nlp.loaded_head, part), ours[[6, 1]])


def test_save_and_load_round_trip(adapted, tmp_path):
    out = save_adapted(adapted, tmp_path / "mine", framing.load().path)
    loaded = framing.load(out)
    assert [d.to_dict() for d in loaded.pipe(TEXTS)] == [d.to_dict() for d in adapted.pipe(TEXTS)]
    card = (out / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "## Adapted" in card and "## The base model" in card and "| label | after |" in card
    assert loaded.meta["adapted"]["records"] == len(TEXTS)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]  # no temporary directory left behind
    save_adapted(adapted, out, framing.load().path)  # a model directory is replaced
    assert framing.load(out).meta["adapted"]["positives"] == sum(LABELS)


def test_expected_calibration_error_by_hand():
    # bins of width 0.1: {0.05}: |0 - 0.05|; {0.15}: |0 - 0.15|; {0.55}: |1 - 0.55|; {0.95, 1.0}: |2 - 1.95|
    y, p = [0, 0, 1, 1, 1], [0.05, 0.15, 0.55, 0.95, 1.0]
    assert expected_calibration_error(y, p) == pytest.approx((0.05 + 0.15 + 0.45 + 0.05) / 5)
    assert expected_calibration_error([0, 1], [0.0, 1.0]) == 0.0


def test_fit_offset_without_offset_is_logistic_regression():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 4))
    y = (X[:, 0] + rng.normal(size=80) > 0).astype(int)
    d, b = fit_offset(X, y, np.zeros(80), lam=2.0)
    lr = LogisticRegression(C=0.5, tol=1e-8, max_iter=1000).fit(X, y)
    assert np.allclose(d, lr.coef_[0], atol=1e-3) and b == pytest.approx(lr.intercept_[0], abs=1e-3)
    d, _ = fit_offset(X, y, 5 * X[:, 0], lam=1e6)  # a strong prior keeps the model where it was
    assert np.abs(d).max() < 1e-3


def test_weighted_threshold_with_equal_weights_is_the_macro_best():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 200)
    p = np.clip(0.3 * y + rng.random(200) * 0.7, 0, 1)
    assert weighted_threshold(y, p) == pytest.approx(best_threshold(y, p, average="macro"))


def test_prevalence_without_labels_moves_scores_and_decisions(nlp):
    new = framing.adapt(nlp, TEXTS, prevalence=0.25)
    docs = list(new.pipe(TEXTS))
    assert np.mean([d.loaded_score for d in docs]) == pytest.approx(0.25, abs=0.01)
    assert sum(d.loaded for d in docs) == len(TEXTS) // 4
    assert "prevalence" in new.meta["adapted"]["method"]


@pytest.mark.parametrize("kwargs, message", [
    ({"labels": LABELS[:-1]}, "32 texts but 31 labels"),
    ({"labels": [0] * 28 + [1] * 4}, "too few labels of one class"),
    ({"labels": [2] + LABELS[1:]}, "must be 0 or 1"),
    ({"labels": LABELS, "prevalence": 1.5}, "prevalence must be"),
    ({}, "nothing to adapt to"),
])
def test_bad_input_is_refused(nlp, kwargs, message):
    with pytest.raises(ValueError, match=message):
        framing.adapt(nlp, TEXTS, **kwargs)


def test_texts_must_be_strings(nlp):
    with pytest.raises(TypeError, match="wrap it in a list"):
        framing.adapt(nlp, "one text", labels=[1])
    with pytest.raises(TypeError, match="got bytes"):
        framing.adapt(nlp, [b"bytes"] + TEXTS[1:], labels=LABELS)


def test_cli_adapt_end_to_end_and_a_failure_leaves_the_model_as_it_was(tmp_path, capsys):
    out = tmp_path / "models" / "mine"
    assert main(["adapt", "--data", str(FIXTURE), "--out", str(out), "-q"]) == 0
    printed = capsys.readouterr().out
    assert "| label | before |" in printed and "| label | after |" in printed
    model = framing.load(out)
    assert model.meta["adapted"]["source"] == f"`{FIXTURE.name}`"
    files = {p.name: p.read_bytes() for p in out.iterdir()}
    data = _write(tmp_path / "bad.jsonl", ROWS[:3] + ROWS[-3:])
    assert main(["adapt", "--data", str(data), "--out", str(out), "-q"]) == 1
    assert "too few labels" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == files


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("rows, message", [
    (ROWS[:-1] + [{"text": "x", "label": 1, "techniques": ["Sarcasm"]}], "unknown name"),
    (ROWS[:4] + ROWS[-2:], "too few labels of one class"),
    ([{"text": t} for t in TEXTS], "nothing to compare"),
])
def test_cli_bad_input_writes_nothing(tmp_path, capsys, rows, message):
    data = _write(tmp_path / "bad.jsonl", rows)
    out = tmp_path / "mine"
    assert main(["adapt", "--data", str(data), "--out", str(out), "-q"]) == 1
    assert message in capsys.readouterr().err
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonl"]


def test_cli_refuses_to_replace_a_directory_that_is_not_a_model(tmp_path, capsys):
    out = tmp_path / "notes"
    out.mkdir()
    (out / "todo.txt").write_text("keep me", encoding="utf-8")
    assert main(["adapt", "--data", str(FIXTURE), "--out", str(out), "-q"]) == 1
    assert "not a framing model" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["todo.txt"]


def test_the_model_card_shows_the_adaptation_benchmark(nlp):
    from framing.training.card import model_card

    cell = {"auc": 0.7, "macro_f1": 0.6, "ece": 0.05}
    result = {"babe": {"rows": 10, "positives": 5, "k": {"0": {"adapted": cell}, "25": {"adapted": cell, "tfidf": cell}}}}
    card = model_card("x", nlp.meta, None, adaptation=result)
    assert "## Adapted to a corpus it never saw" in card
    assert "| BABE | 0 | 0.700 / 0.600 / 0.050 (zero-shot) | - |" in card and "| BABE | 25 |" in card
