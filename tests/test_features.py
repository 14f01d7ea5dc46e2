"""The feature extractors are scikit-learn transformers users can put in their own pipelines."""
import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import FeatureUnion, make_pipeline
from sklearn.utils import estimator_checks

import framing.features
from framing.features import CUES, EmbeddingFeatures, LexiconFeatures, NgramFeatures, StyleFeatures, TokenFeatures
from framing.scoring.spans import windows

LEX = {"hedge": ["perhaps", "it seems"], "loaded": ["disgrace", "shameless"]}
TEXTS = [
    "A shameless disgrace, perhaps the worst ever!",
    "The council met on Monday.",
    "It seems the plan is a disgrace.",
    "The report was published on Friday.",
] * 5
Y = [1, 0, 1, 0] * 5


API_CHECKS = [
    "check_no_attributes_set_in_init",
    "check_get_params_invariance",
    "check_set_params",
    "check_parameters_default_constructible",
    "check_estimator_cloneable",
    "check_estimator_repr",
    "check_estimator_tags_renamed",
    "check_valid_tag_types",
]


@pytest.mark.parametrize("check", API_CHECKS)
@pytest.mark.parametrize(
    "est",
    [NgramFeatures(min_df=1), LexiconFeatures(LEX), StyleFeatures(), TokenFeatures(LEX, min_count=1, window=1)],
    ids=lambda e: type(e).__name__,
)
def test_follows_scikit_learn_estimator_conventions(est, check):
    """check_estimator runs no data checks on string-input transformers (as for CountVectorizer),
    so the convention checks that need no numeric data are run one by one."""
    getattr(estimator_checks, check)(type(est).__name__, est)
    assert est.__sklearn_tags__().input_tags.string and not est.__sklearn_tags__().input_tags.two_d_array


def test_extractors_compose_in_a_pipeline_and_grid_search():
    union = FeatureUnion([("ngrams", NgramFeatures(min_df=1)), ("lexicon", LexiconFeatures(LEX)), ("style", StyleFeatures())])
    pipe = make_pipeline(union, LogisticRegression())
    search = GridSearchCV(pipe, {"featureunion__ngrams__ngram_range": [(1, 1), (1, 2)]}, cv=2).fit(TEXTS, Y)
    assert search.best_estimator_.predict(["What a shameless disgrace!"])[0] == 1
    assert pickle.loads(pickle.dumps(search.best_estimator_)).predict(["The board met on Monday."])[0] == 0


def test_ngram_vocabulary_and_names():
    f = NgramFeatures(min_df=2, max_features=5).fit(TEXTS)
    names = list(f.get_feature_names_out())
    assert len(names) == 5 and names == sorted(names)
    X = f.transform(["a disgrace"])
    assert X.shape == (1, 5) and np.isclose(np.sqrt(X.multiply(X).sum()), 1.0)
    assert clone(f).get_params() == f.get_params()


def test_ngram_rejects_a_bad_range_and_single_strings():
    with pytest.raises(ValueError, match="ngram_range"):
        NgramFeatures(ngram_range=(2, 1)).fit(TEXTS)
    with pytest.raises(TypeError, match="wrap it in a list"):
        NgramFeatures().fit("just one string")
    with pytest.raises(TypeError, match="position 1"):
        NgramFeatures().fit(["ok", None])


def test_lexicon_counts_words_and_phrases_case_insensitively():
    f = LexiconFeatures(LEX).fit()
    # (a capitalized "Disgrace" inside a sentence would be a name: see tests/test_forms.py)
    X = f.transform(["PERHAPS it seems a DISGRACE", "nothing here"])
    names = list(f.get_feature_names_out())
    assert names == ["lexicon:hedge:log_count", "lexicon:loaded:log_count", "lexicon:hedge:any", "lexicon:loaded:any"]
    assert np.allclose(X[0], [np.log1p(2), np.log1p(1), 1, 1]) and not X[1].any()


def test_lexicon_column_order_does_not_depend_on_dict_order():
    a = LexiconFeatures({"b": ["x"], "a": ["y"]}).fit().transform(["x"])
    b = LexiconFeatures({"a": ["y"], "b": ["x"]}).fit().transform(["x"])
    assert np.array_equal(a, b)


def test_lexicon_word_lists_default_to_frameworks_own_and_must_not_be_empty():
    f = LexiconFeatures().fit()
    assert f.names_ == ["loaded_emotion"]
    assert f.transform(["Pakistan's jealousy is apparent."])[0, 0] > 0
    with pytest.raises(ValueError, match="non-empty dict"):
        LexiconFeatures({}).fit()
    with pytest.raises(ValueError, match="list of words"):
        LexiconFeatures({"x": "notalist"}).fit()


def test_style_cues_are_counted():
    f = StyleFeatures().fit()
    names = list(f.get_feature_names_out())
    X = f.transform(['What a "so-called" DISGRACE!!', "The vote is on Monday."])
    row = dict(zip(names, X[0]))
    assert row["style:exclamation"] == pytest.approx(np.log1p(2))
    assert row["style:scare_quote"] > 0 and row["style:all_caps_word"] > 0 and row["style:intensifier"] > 0
    assert X.shape == (2, len(CUES) + 1) and X[1][names.index("style:exclamation")] == 0


def test_token_features_see_neighbours_lexicons_and_shape():
    rows = windows(["Pakistan's", "jealousy", "is", "apparent", "."], window=2)
    f = TokenFeatures({"emotion": ["jealousy"]}, min_count=1, window=2).fit(rows)
    names = f.get_feature_names_out()
    X = f.transform(rows)
    active = {str(names[j]) for j in X[1].indices}
    assert {"word:jealousy", "prev1:pakistan's", "next1:is", "next2:apparent", "lexicon:emotion"} <= active
    assert "shape:punctuation" in {str(names[j]) for j in X[4].indices}
    with pytest.raises(TypeError, match="5 strings"):
        f.transform([("a", "b", "c")])


def test_an_unfitted_extractor_says_to_fit_it():
    with pytest.raises(framing.features.NotFittedError, match="fit"):
        NgramFeatures().transform(["text"])


WINDOWS = [t for words in (["a", "shameless", "grab"], ["the", "board", "met"]) for t in windows(words, 1)]
EXTRACTORS = [  # (unfitted extractor, what it is fitted on)
    (NgramFeatures(min_df=1), TEXTS), (LexiconFeatures(LEX), TEXTS), (StyleFeatures(), TEXTS),
    (EmbeddingFeatures(dim=2, min_count=1), TEXTS), (TokenFeatures(LEX, min_count=1, window=1), WINDOWS),
]
IDS = [type(e).__name__ for e, _ in EXTRACTORS]


@pytest.mark.parametrize("est, X", EXTRACTORS, ids=IDS)
def test_a_pipeline_can_end_in_each_extractor(est, X):
    out = make_pipeline(clone(est)).fit(X).transform(X)
    assert out.shape[0] == len(X)


@pytest.mark.parametrize("est, X", EXTRACTORS, ids=IDS)
def test_check_is_fitted_sees_each_extractor_fitted_after_fit(est, X):
    from sklearn.exceptions import NotFittedError as SklearnNotFittedError
    from sklearn.utils.validation import check_is_fitted

    fresh = clone(est)
    if isinstance(fresh, StyleFeatures):  # stateless, like scikit-learn's HashingVectorizer: fitted from the start
        check_is_fitted(fresh)
    else:
        with pytest.raises(SklearnNotFittedError):
            check_is_fitted(fresh)
    check_is_fitted(fresh.fit(X))


@pytest.mark.parametrize("est, X", [e for e in EXTRACTORS if not isinstance(e[0], StyleFeatures)],
                         ids=[i for i in IDS if i != "StyleFeatures"])
def test_an_unfitted_extractor_raises_what_scikit_learn_code_catches(est, X):
    from sklearn.exceptions import NotFittedError as SklearnNotFittedError

    try:
        clone(est).transform(X)
    except SklearnNotFittedError as e:
        assert isinstance(e, framing.features.NotFittedError) and "call fit()" in str(e)
    else:
        pytest.fail("transform before fit did not raise")


def test_token_features_default_to_frameworks_own_word_list():
    f = TokenFeatures(min_count=1, window=1).fit(WINDOWS)
    assert f.lexicon_names_ == ["loaded_emotion"]


def test_each_extractor_is_a_framing_extractor():
    assert all(isinstance(e, framing.features.Extractor) for e, _ in EXTRACTORS if not isinstance(e, TokenFeatures))


@pytest.mark.slow
def test_scoring_does_not_import_scikit_learn():
    """scikit-learn (and the pandas it pulls in) costs a second and ~130 MB per process."""
    import subprocess
    import sys

    code = "import sys, framing; framing.load()('A shameless grab!'); print('sklearn' in sys.modules, 'pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"]


def test_token_features_see_word_pairs_affixes_and_word_vectors():
    sentences = [["a", "shameless", "power", "grab", "again"], ["another", "shameless", "power", "grab"]] * 4
    rows = [t for words in sentences for t in windows(words, 1)]
    f = TokenFeatures({"emotion": ["shameless"]}, min_count=1, window=1, pair_min_count=2, affix_min_count=2, dim=2).fit(rows)
    names = [str(n) for n in f.get_feature_names_out()]
    assert len(names) == f.layout()["shape"][1] == f.transform(rows).shape[1]
    active = {names[j] for j in f.transform(rows[1:2]).indices}  # "shameless" after "a"
    assert {"pair_prev:a shameless", "pair_next:shameless power", "affix:-ess", "affix:sham-", "lexicon:emotion"} <= active
    assert any(n.startswith("vec_word:") for n in active)
    # a pair seen fewer than pair_min_count times gets no column; an unknown word has no affix
    (unseen,) = windows(["a", "shameful", "grab"], 1)[1:2]
    assert not {n for n in (names[j] for j in f.transform([unseen]).indices) if n.startswith(("pair", "affix"))}


def test_token_features_survive_a_round_trip_through_saved_state():
    from framing.scoring.state import extractor_from_state, extractor_state

    sentences = [["a", "shameless", "power", "grab", "again"], ["another", "shameless", "power", "grab"]] * 4
    rows = [t for words in sentences for t in windows(words, 1)]
    f = TokenFeatures(LEX, min_count=1, window=1, affix_min_count=2, dim=2).fit(rows)
    config, arrays = extractor_state(f, "t")
    g = extractor_from_state(config, arrays, "t")
    assert (g.transform(rows) != f.transform(rows)).nnz == 0
