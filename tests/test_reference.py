"""Scoring gives exactly the outputs recorded in ``tests/fixtures/reference.json`` for a fixed set of
texts, one at a time and in batches: a change meant to keep every score proves it did here
(``python tests/make_reference.py`` records new outputs when a change is meant to change them)."""
import json

import pytest

import framing
from make_reference import FIXTURE, outputs, texts


@pytest.fixture(scope="module")
def reference() -> list[dict]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def test_docs_and_explanations_equal_the_recorded_ones(nlp, reference):
    assert outputs(nlp, framing.explain) == reference


@pytest.mark.parametrize("batch_size", [1, 7, 1024])
def test_batches_give_the_recorded_docs(nlp, reference, batch_size):
    assert [d.to_dict() for d in nlp.pipe(texts(), batch_size=batch_size)] == [r["doc"] for r in reference]


@pytest.mark.slow
def test_two_processes_give_the_recorded_docs(nlp, reference):
    assert [d.to_dict() for d in nlp.pipe(texts(), batch_size=3, n_process=2)] == [r["doc"] for r in reference]


def test_explaining_in_batches_gives_the_recorded_explanations(nlp, reference):
    pairs = list(framing.Explainer.of(nlp).pipe(texts(), batch_size=5))
    assert [d.to_dict() for d, _ in pairs] == [r["doc"] for r in reference]
    assert [e.to_dict() for _, e in pairs] == [r["explanation"] for r in reference]


@pytest.mark.parametrize("all_scores", [True, False])
def test_sentence_dicts_from_the_table_equal_the_sentence_objects(nlp, reference, all_scores):
    # to_dict makes sentence dicts from the batch's arrays; once doc.sentences has been read, from the objects
    docs = list(nlp.pipe(texts(), batch_size=5))
    from_table = [d.to_dict(all_scores) for d in docs]
    for d in docs:
        d.sentences
    assert [d.to_dict(all_scores) for d in docs] == from_table
    if all_scores:
        assert from_table == [r["doc"] for r in reference]
