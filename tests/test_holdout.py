"""Leave-one-corpus-out training: nothing of the held-out corpus reaches the model (on the tiny corpus)."""
import pytest

from framing.training import corpora as data
from framing.training.recipe import TrainConfig, train
from framing.training.sentences import held_out_texts


def _quiet(*_):
    pass


def test_holding_out_mbic_drops_the_babe_sentences_it_shares(tiny_data):
    held = held_out_texts(tiny_data, "mbic")
    babe = [r for r in data.load_bias(tiny_data, "babe") if not r["validation"]]
    kept = [r for r in babe if data.normalise(r["text"]) not in held]
    assert 0 < len(kept) < len(babe)
    _, stats = train(tiny_data, TrainConfig(holdout="mbic"), log=_quiet)
    assert "mbic" not in stats["sentences"]
    assert stats["sentences"]["babe"] == len(kept)


def test_a_model_trained_without_semeval_still_scores_loaded_text_and_chooses_no_technique(tiny_data):
    scorer, stats = train(tiny_data, TrainConfig(holdout="semeval"), log=_quiet)
    assert "semeval" not in stats["sentences"]
    biased = scorer("The corrupt agency once again sabotaged the tax plan in a shameless power grab.")
    neutral = scorer("Officials from the agency met on Monday to discuss the tax budget.")
    assert biased.loaded_score > neutral.loaded_score
    assert biased.labels == [] and biased.frames == []


def test_holding_out_a_corpus_that_holds_every_labelled_sentence_says_so(tiny_data):
    # in the tiny corpus, MBIC and WikiNPOV are halves of BABE: nothing labelled is left without it
    with pytest.raises(ValueError, match="no labelled bias sentence is left"):
        train(tiny_data, TrainConfig(holdout="babe"), log=_quiet)


def test_an_unknown_holdout_is_refused_with_the_choices(tiny_data):
    with pytest.raises(ValueError, match="wiki_npov"):
        train(tiny_data, TrainConfig(holdout="wikipedia"), log=_quiet)
