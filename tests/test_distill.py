"""Distilled vectors: stored without pickle, kept for the training words, a teacher for the bias head (no torch needed)."""
import numpy as np
import pytest

import framing
from framing.training import corpora as data
from framing.cli import main
from framing.training.distill import Distilled, corpus_sentences, reduce_word_vectors, token_vectors
from framing.training.recipe import TrainConfig, train

LOADED = {"reckless", "corrupt", "outrageous", "hysterical", "pathetic", "shameless", "disgraceful", "sabotaged"}


def _fake_vectors(texts, dim=16, seed=0):
    """Made-up 'transformer' vectors: texts with a loaded word share a direction, as a real model's would."""
    rng = np.random.default_rng(seed)
    V = rng.normal(size=(len(texts), dim))
    V[[bool(LOADED & set(data.normalise(t).split())) for t in texts], 0] += 4.0
    return V


def _fake_distilled(texts, words, dim=16) -> Distilled:
    keys = sorted({data.normalise(t) for t in texts})
    return Distilled(words, _fake_vectors(words, dim), np.zeros(len(words), bool),
                     {k: i for i, k in enumerate(keys)}, _fake_vectors(keys, seed=1))


def _distilled_file(tiny_data, path, dim=16):
    """A made-up distilled file for every sentence and word of the tiny corpus."""
    texts = corpus_sentences(tiny_data)
    words = sorted({w for t in texts for w in data.normalise(t).split()})
    return _fake_distilled(texts, words, dim).save(path)


def test_distilled_vectors_round_trip_through_npz_without_pickle(tmp_path):
    d = _fake_distilled(["The corrupt council.", "A plan."], ["corrupt", "council", "plan"])
    back = Distilled.load(d.save(tmp_path / "d.npz"))
    assert back.words == d.words and back.sentences == d.sentences
    assert np.allclose(back.sentence_rows(["the CORRUPT council"]), d.sentence_vectors[[1]], atol=1e-2)


def test_the_tagger_can_learn_its_own_vectors_even_with_distilled_ones(tiny_data, tmp_path):
    path = _distilled_file(tiny_data, tmp_path / "d.npz", dim=80)  # the command's default sizes
    out = tmp_path / "m"
    args = ["train", "--data", str(tiny_data), "--out", str(out), "--distilled", str(path), "--no-eval", "-q"]
    assert main(args + ["--tagger-learned-vectors"]) == 0
    tagger = framing.load(out).tagger.features
    distilled = token_vectors(Distilled.load(path), list(tagger.vocabulary_), dim=TrainConfig().tagger_dim)
    assert tagger.vectors_.shape == distilled.shape and not np.allclose(tagger.vectors_, distilled, atol=0.1)


def test_missing_files_and_sentences_say_how_to_make_them(tmp_path):
    with pytest.raises(FileNotFoundError, match="python -m framing.training.distill"):
        Distilled.load(tmp_path / "none.npz")
    with pytest.raises(ValueError, match="remake it"):
        _fake_distilled(["A plan."], ["plan"]).sentence_rows(["Another sentence."])


def test_reduction_keeps_training_listed_and_general_words_only():
    words = [f"w{i}" for i in range(40)] + ["corrupt", "council", "zebra", "unseen"]
    general = np.array([w.startswith("w") for w in words])
    f = reduce_word_vectors(words, _fake_vectors(words), general, ["The corrupt council."], {"zebra"}, dim=4)
    assert set(f.vocabulary_) == {w for w in words if w != "unseen"}
    assert f.vectors_.shape == (43, 4) and f.transform(["corrupt council"]).shape == (1, 4)


def test_tagger_vectors_are_unit_length_for_known_words_and_zero_for_the_rest():
    words = [f"w{i}" for i in range(40)]
    d = _fake_distilled([], words)
    V = token_vectors(d, ["w3", "unseen", "w7"] + words[10:], dim=4)
    assert V.shape == (33, 4) and not V[1].any()
    assert np.allclose(np.linalg.norm(V[[0, 2]], axis=1), 1.0)
    with pytest.raises(ValueError, match="smaller tagger_dim"):
        token_vectors(d, words, dim=32)


def test_a_model_trained_with_distilled_vectors_saves_loads_and_scores_alike(tiny_data, tmp_path):
    path = _distilled_file(tiny_data, tmp_path / "d.npz")
    config = TrainConfig(distilled=str(path), embedding_dim=8, tagger_dim=8)
    scorer, _ = train(tiny_data, config, log=lambda *a: None)
    directory = scorer.save(tmp_path / "model", "# test\n")
    probe = ["The reckless council sabotaged the tax plan.", "The board met on Friday."]
    assert [d.to_dict() for d in framing.load(directory).pipe(probe)] == [d.to_dict() for d in scorer.pipe(probe)]
    assert scorer(probe[0]).loaded_score > scorer(probe[1]).loaded_score
    tagger = scorer.tagger.features  # the tagger's word vectors are the distilled ones too
    distilled = token_vectors(Distilled.load(path), list(tagger.vocabulary_), dim=8)
    assert np.allclose(tagger.vectors_, distilled, atol=1e-3)


def test_training_with_distilled_vectors_is_reproducible(tiny_data, tmp_path):
    path = _distilled_file(tiny_data, tmp_path / "d.npz")
    config = TrainConfig(distilled=str(path), embedding_dim=8, tagger_dim=8)
    a, _ = train(tiny_data, config, log=lambda *a: None)
    b, _ = train(tiny_data, config, log=lambda *a: None)
    assert np.array_equal(a.bias_head.coef, b.bias_head.coef)
    assert np.array_equal(a.features.extractors[-1][0].vectors_, b.features.extractors[-1][0].vectors_)
