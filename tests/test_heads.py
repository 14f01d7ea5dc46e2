"""Linear heads: fitting, deciding, and the frame head's training rules."""
import numpy as np
import pytest
import scipy.sparse as sp

from framing.scoring.heads import LinearHead
from framing.training.heads import _sentence_threshold, fit_head
from framing.scoring.state import head_from_state, head_state


def _few_rows_many_columns(seed=0):
    rng = np.random.default_rng(seed)
    X = sp.random(40, 300, density=0.05, random_state=seed, format="csr", dtype=np.float64)
    w = rng.normal(size=(300, 2))
    Y = (X @ w + rng.normal(scale=0.1, size=(40, 2)) > 0).astype(np.int8)
    return X, Y


def _penalised_loss(head, X, y, j, C):
    z = X @ head.coef[:, j].astype(np.float64) + head.intercept[j]
    return C * np.logaddexp(0, -np.where(y > 0, 1, -1) * z).sum() + 0.5 * (head.coef[:, j].astype(np.float64) ** 2).sum()


def test_row_space_fit_is_the_same_model_as_the_plain_fit_solved_tighter():
    X, Y = _few_rows_many_columns()
    plain = fit_head(X, Y, ["a", "b"], C=4.0)
    fast = fit_head(X, Y, ["a", "b"], C=4.0, row_space=True)
    new = sp.random(10, 300, density=0.05, random_state=1, format="csr")
    assert np.allclose(fast.scores(new), plain.scores(new), atol=0.01)
    for j in range(2):
        assert _penalised_loss(fast, X, Y[:, j], j, 4.0) <= _penalised_loss(plain, X, Y[:, j], j, 4.0) + 1e-6


def test_row_space_fit_honours_class_weights_and_constant_labels():
    X, Y = _few_rows_many_columns()
    Y[:, 1] = 0
    plain = fit_head(X, Y, ["a", "b"], C=2.0, class_weight="balanced")
    fast = fit_head(X, Y, ["a", "b"], C=2.0, class_weight="balanced", row_space=True)
    assert np.allclose(fast.scores(X)[:, 0], plain.scores(X)[:, 0], atol=1e-3)
    assert (fast.scores(X)[:, 1] < 1e-9).all(), "a label with no positive example is never likely"


def _head(sentence_thresholds=None):
    return LinearHead(("a", "b", "c"), np.zeros((2, 3), np.float32), np.zeros(3), np.full(3, 0.3),
                      sentence_thresholds=sentence_thresholds)


def test_sentences_are_decided_with_their_own_thresholds():
    head = _head(np.full(3, 0.8))
    scores = np.array([[0.9, 0.5, 0.2]])
    assert head.decide(scores).tolist() == [[True, True, False]]
    assert head.decide(scores, sentences=True).tolist() == [[True, False, False]]
    assert _head().decide(scores, sentences=True).tolist() == [[True, True, False]], "no sentence thresholds: the text ones"


def test_the_cap_ranks_by_the_thresholds_in_use():
    head = LinearHead(("a", "b"), np.zeros((1, 2), np.float32), np.zeros(2), np.array([0.1, 0.5]),
                      sentence_thresholds=np.array([0.6, 0.5]))
    scores = np.array([[0.7, 0.65]])
    assert head.decide(scores, max_labels=1).tolist() == [[True, False]]  # 0.7 is further above 0.1
    assert head.decide(scores, max_labels=1, sentences=True).tolist() == [[False, True]]  # 0.65 is further above 0.5


@pytest.mark.parametrize("sentence_thresholds", [None, np.array([0.7, 0.8, 0.9])])
def test_sentence_thresholds_survive_saving(sentence_thresholds):
    config, arrays = head_state(_head(sentence_thresholds), "frame_head")
    again = head_from_state(config, arrays, "frame_head")
    if sentence_thresholds is None:
        assert again.sentence_thresholds is None
    else:
        assert np.array_equal(again.sentence_thresholds, sentence_thresholds)


def test_the_sentence_cut_makes_an_articles_sentences_name_its_frames():
    # two articles of three sentences; article 0 has frame 0, article 1 has frame 1
    Y = np.array([[1, 0, 0], [0, 1, 0]])
    owner = np.array([0, 0, 0, 1, 1, 1])
    P = np.array([[0.9, 0.6, 0.1], [0.5, 0.6, 0.1], [0.4, 0.1, 0.6],
                  [0.2, 0.95, 0.1], [0.7, 0.3, 0.1], [0.1, 0.8, 0.65]])
    cut = _sentence_threshold(Y, P, owner)
    assert 0.7 < cut <= 0.8  # high enough to drop the stray 0.6-0.7 scores, low enough to keep both frames
