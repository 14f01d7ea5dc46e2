"""Checks against the real corpora in ../shared/data (skipped, with the reason, where they are absent)."""
import json

import pytest

import framing
from framing.training import corpora as data
from framing.training import evaluate
from framing.scoring.scorer import bundled_model_dir


def test_validation_split_is_fixed_and_shared_sentences_stay_on_one_side(shared_data):
    babe, mbic = data.load_bias(shared_data, "babe"), data.load_bias(shared_data, "mbic")
    share = sum(babe["validation"]) / len(babe)
    assert 0.15 < share < 0.25
    side = {data.normalise(t): v for t, v in zip(babe["text"], babe["validation"])}
    both = [(side[data.normalise(t)], v) for t, v in zip(mbic["text"], mbic["validation"]) if data.normalise(t) in side]
    assert both and all(a == b for a, b in both)


def test_semeval_validation_is_split_by_article(shared_data):
    paras = data.load_semeval(shared_data, "techniques_paragraphs")
    sides = {}
    for aid, v in zip(paras["article_id"], paras["validation"]):
        assert sides.setdefault(aid, v) == v


def test_lexicons_read_leniently(shared_data):
    lex = data.load_lexicons(shared_data)
    assert len(lex) == 14 and all(lex.values())
    assert not any(w.startswith((";", "#")) for words in lex.values() for w in words)


def test_word_lists_can_be_left_out(tiny_data):
    lex = data.load_lexicons(tiny_data, exclude=("strong_subjective", "weak_subjective", "babe_bias"))
    assert {"strong_subjective", "weak_subjective", "babe_bias"}.isdisjoint(lex) and "hedge" in lex
    with pytest.raises(ValueError, match="unknown word list"):
        data.load_lexicons(tiny_data, exclude=("mpqa",))


@pytest.mark.slow
def test_bundled_model_card_reports_what_the_model_measures(shared_data):
    """The numbers in MODEL_CARD.md are the ones this model gets on the validation split today."""
    config = json.loads((bundled_model_dir() / "config.json").read_text())
    recorded = config["meta"]["validation"]
    measured = evaluate.evaluate_scorer(framing.load(), evaluate.validation(shared_data))
    assert measured.keys() == recorded.keys()
    for key, value in measured.items():
        assert value == pytest.approx(recorded[key], abs=0.002), key
    card = (bundled_model_dir() / "MODEL_CARD.md").read_text()
    assert f"{recorded['babe_macro_f1']:.3f}" in card and f"{recorded['span_char_f1']:.3f}" in card
