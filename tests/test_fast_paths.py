"""Each vectorized shortcut of the hot path gives exactly what the plain way gives."""
import numpy as np
import pytest
import scipy.sparse as sp

from framing.scoring.features.base import PhraseIndex, TokenBatch, VocabularyUnion, shape_codes, sum_rows
from framing.scoring.features.ngrams import ngrams
from framing.scoring.heads import sigmoid
from framing.scoring.text import TOKEN_RE, token_strings, tokenize

TEXTS = [
    "Mail jane.doe@example.org or see https://example.org/a_(b), #news @editor!",
    "The so-called “reform” is a disgrace... isn't it? 3.5% of 1,000 voters said NO.",
    "हिन्दी समाचार और emoji 👍🏽 🇺🇸 mixed with text.",
    "",
    "   ",
    "www.example.com and a plain line\nwith a newline",
]


def test_token_strings_are_the_tokens_tokenize_finds():
    for text in TEXTS:
        assert token_strings(text) == [text[s:e] for s, e in tokenize(text)] == TOKEN_RE.findall(text)


def test_tokenizer_shortcut_agrees_with_the_full_pattern_on_arbitrary_text():
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies

    pieces = list("ab1.,'’-@#:/w \n\"“”é\u0301👍🏽") + ["www.", "://", "http", "x@y.co"]

    @hypothesis.given(st.lists(st.sampled_from(pieces), max_size=30).map("".join))
    @hypothesis.settings(max_examples=300, deadline=None)
    def check(text):
        assert token_strings(text) == TOKEN_RE.findall(text)

    check()


@pytest.mark.slow
def test_chunked_tokenizing_agrees_with_one_pass_on_arbitrary_unicode():
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies

    @hypothesis.given(st.text(max_size=60))
    @hypothesis.settings(max_examples=500, deadline=None)
    def check(text):
        assert token_strings(text) == TOKEN_RE.findall(text)

    check()
    for text in ["a\x1cb\x85c\u2028d\u00a0e\u3000f", "x\u200d\U0001F469", "don't-stop’s 1,000.5 ###"]:
        assert token_strings(text) == TOKEN_RE.findall(text)


def test_a_batch_tokenized_in_one_pass_equals_its_texts_tokenized_alone():
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies
    texts = st.lists(st.one_of(st.text(max_size=20), st.sampled_from(TEXTS), st.just("a\x00b")), max_size=8)

    @hypothesis.given(texts)
    @hypothesis.settings(max_examples=300, deadline=None)
    def check(batch):
        tb = TokenBatch.from_texts(batch)
        per_text = [token_strings(t) for t in batch]
        assert tb.raw == [tok for toks in per_text for tok in toks]
        assert np.diff(tb.indptr).tolist() == [len(toks) for toks in per_text]

    check()


def test_summed_rows_do_not_depend_on_the_other_rows():
    rng = np.random.default_rng(0)
    m = rng.random((50, 4)).astype(np.float32) * 1e4
    starts = np.array([0, 3, 3, 10, 50])
    alone = [m[a:b].sum(axis=0, dtype=np.float64).astype(np.float32) for a, b in zip(starts, starts[1:])]
    assert np.array_equal(sum_rows(m, starts), np.array(alone))
    assert np.array_equal(sum_rows(m, starts)[3], sum_rows(m[10:], np.array([0, 40]))[0])
    counts = np.floor(m / 1e3)  # what the sparse blocks hold: counts
    assert np.array_equal(sum_rows(sp.csr_matrix(counts), starts).toarray(), sum_rows(counts, starts))


def _naive_matches(texts, phrases):
    found = []
    for i, text in enumerate(texts):
        toks = [t.lower() for t in token_strings(text)]
        for n in range(1, 7):
            for k in range(len(toks) - n + 1):
                g = " ".join(toks[k : k + n])
                if g in phrases:
                    found.append((i, k, n, phrases.index(g)))
    return sorted(found)


def test_phrase_index_finds_what_a_naive_scan_finds():
    phrases = ["a disgrace", "disgrace", "so-called", "in my opinion", "of the", "the", "bull * * * *", "no"]
    texts = ["In my opinion, the so-called plan is a disgrace.", "Bull**** of the day: no", "the", "", "A disgrace"]
    batch = TokenBatch.from_texts(texts)
    starts, lengths, values = PhraseIndex(phrases).find(batch)
    rows = batch.row[starts]
    got = sorted(zip(rows.tolist(), (starts - batch.indptr[rows]).tolist(), lengths.tolist(), values.tolist()))
    assert got == _naive_matches(texts, phrases)


def test_phrases_never_cross_texts():
    batch = TokenBatch.from_texts(["ends with a", "disgrace starts this"])
    starts, lengths, _ = PhraseIndex(["a disgrace"]).find(batch)
    assert len(starts) == 0


def test_ngram_counts_match_a_naive_count(nlp):
    ngram = nlp.features.extractors[0][0]
    texts = ["The shameless council rammed through a reckless tax.", "A tax, a tax, a tax!"]
    counts = ngram.counts(TokenBatch.from_texts(texts)).toarray()
    for i, text in enumerate(texts):
        expected = np.zeros(counts.shape[1])
        for g in ngrams([t.lower() for t in token_strings(text)], *ngram.ngram_range):
            if g in ngram.vocabulary_:
                expected[ngram.vocabulary_[g]] += 1
        assert np.array_equal(counts[i], expected)


def test_tagger_tables_equal_the_feature_matrix_product(nlp):
    tagger = nlp.tagger
    batch = TokenBatch.from_texts(TEXTS + ["Pakistan's jealousy is apparent.", "A shameless power grab, a witch hunt."])
    X = tagger.features.transform_batch(batch)
    direct = np.asarray(X @ tagger.coef.astype(np.float64)) + tagger.intercept
    assert np.allclose(tagger.first_pass(batch), direct, atol=1e-6)
    assert X[:, slice(*tagger.features.layout()["pair_prev"])].nnz > 0  # word pairs are looked up too
    second = tagger.context_features(batch, direct) @ tagger.context_coef + tagger.context_intercept
    raw = tagger.combine(direct, second)
    assert np.allclose(raw.max(axis=1), sigmoid(second), atol=1e-6)
    assert np.array_equal(raw.argmax(axis=1), direct[:, :-1].argmax(axis=1))
    scores = tagger.token_scores(batch)  # listed phrases raise their tokens' best label, nothing else
    listed = {"jealousy", "power", "grab", "witch", "hunt"}  # "jealousy", "power grab", "witch hunt"
    raised = {batch.raw[i].lower() for i in np.flatnonzero(~np.isclose(scores, raw, atol=1e-6).all(axis=1))}
    assert "jealousy" in raised and raised <= listed
    assert all(s >= 0.75 for w, s in zip(batch.raw, scores.max(axis=1)) if w.lower() in listed)
    assert np.array_equal(scores.argmax(axis=1), raw.argmax(axis=1))


def test_shared_token_cache_gives_the_same_ids_and_shapes(nlp):
    vocabularies = [nlp.tagger.features.vocabulary_, nlp.features.extractors[0][0]._index.vocabulary]
    union = VocabularyUnion(vocabularies, max_cache=8)  # tiny cache: exercises resets
    for texts in (TEXTS, TEXTS[::-1], ["Another batch, with NEW words."]):
        cached, plain = TokenBatch.from_texts(texts), TokenBatch.from_texts(texts)
        union.fill(cached)
        for v in vocabularies:
            assert np.array_equal(cached.ids(v), plain.ids(v))
        assert np.array_equal(cached.shapes, shape_codes(plain.raw))
