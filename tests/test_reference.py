"""Scoring gives exactly the outputs recorded in ``tests/fixtures/reference.json`` for a fixed set of
texts, one at a time and in batches: a change meant to keep every score proves it did here
(``python tests/make_reference.py`` records new outputs when a change is meant to change them)."""
import json

import pytest

from make_reference import FIXTURE, outputs, texts


@pytest.fixture(scope="module")
def reference() -> list[dict]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def test_docs_and_explanations_equal_the_recorded_ones(nlp, reference):
    assert outputs(nlp, lambda nlp, text: nlp.explain(text)) == reference


@pytest.mark.parametrize("batch_size", [1, 7, 1024])
def test_batches_give_the_recorded_docs(nlp, reference, batch_size):
    assert [d.to_dict() for d in nlp.pipe(texts(), batch_size=batch_size)] == [r["doc"] for r in reference]
