"""The loaded-phrase tagger: its two passes, and how token scores become spans."""
import numpy as np

from framing.scoring.features import TokenFeatures
from framing.scoring.features.base import TokenBatch
from framing.scoring.spans import SpanTagger, context_names, windows
from framing.training.phrases import learn_edges
from framing.training.sentences import Sentences

SENTENCES = [["a", "shameless", "power", "grab", "of", "the", "council"], ["the", "council", "met", "on", "monday"]] * 3


def tagger(edges=None, loaded=("shameless", "grab"), **kw) -> SpanTagger:
    """A tagger by hand: the first pass likes ``loaded`` words, the second pass repeats the first."""
    f = TokenFeatures({"x": ["shameless"]}, min_count=1, window=2, pair_min_count=0, affix_min_count=0)
    f.fit([t for words in SENTENCES for t in windows(words, 2)])
    coef = np.zeros((f.layout()["shape"][1], 4))
    for w in loaded:
        coef[f.vocabulary_[w]] = 6.0
    context = np.zeros(len(context_names()))
    context[0] = 1.0  # the token's own first-pass log-odds, nothing else
    args = dict(threshold=0.5, extend=0.3, phrases={}, edges=edges or {})
    args.update(kw)
    return SpanTagger(features=f, labels=("Loaded_Language", "Name_Calling-Labeling", "Exaggeration-Minimisation"),
                      coef=coef, intercept=np.full(4, -3.0), context_coef=context, context_intercept=0.0, **args)


def test_the_second_pass_reads_scores_around_each_token():
    t = tagger()
    batch = TokenBatch.from_texts(["a shameless power grab", "the council met"])
    first = t.first_pass(batch)
    F = t.context_features(batch, first)
    assert F.shape == (7, len(context_names()))
    names = context_names()
    power = 2
    assert F[power, names.index("score of the previous word")] == first[1, -1]  # "shameless"
    assert F[power, names.index("score of the next word")] == first[3, -1]  # "grab"
    assert F[3, names.index("score of the next word")] == -8.0  # "grab" ends its text
    assert F[4, names.index("strongest score in the sentence")] == first[4:, -1].max()  # texts apart


def test_token_scores_peak_at_the_second_pass_probability_for_the_first_pass_label():
    t = tagger()
    batch = TokenBatch.from_texts(["a shameless power grab"])
    scores = t.token_scores(batch)
    first = t.first_pass(batch)
    assert np.allclose(scores.max(axis=1), 1 / (1 + np.exp(-first[:, -1])))
    assert (scores <= scores.max(axis=1, keepdims=True)).all()


def test_spans_are_trimmed_of_words_phrases_do_not_end_with():
    text = "a shameless power grab of the council"
    loose = tagger(loaded=("shameless", "grab", "of"))
    assert [s.text for s in loose.tag(TokenBatch.from_texts([text]), loose.token_scores(TokenBatch.from_texts([text])), [0])[0]] == ["shameless", "grab of"]
    trimmed = tagger(edges={"no_end": ["of"]}, loaded=("shameless", "grab", "of"))
    batch = TokenBatch.from_texts([text])
    spans = trimmed.tag(batch, trimmed.token_scores(batch), [0])[0]
    assert [s.text for s in spans] == ["shameless", "grab"]
    assert all(text[s.start : s.end] == s.text for s in spans)


def test_edges_are_learned_from_frequent_words_at_the_ends_of_annotated_runs():
    sents = Sentences()
    for k in range(30):
        words = ["the", "shameless", "grab", "of", "power", "and", "x"]
        labels = np.zeros((len(words), 3), dtype=np.int8)
        labels[1:5, 0] = 1  # "shameless grab of power": never starts or ends with "of"
        offsets, at = [], 0
        for w in words:
            offsets.append((at, at + len(w)))
            at += len(w) + 1
        sents.add(" ".join(words), "semeval", str(k), -1, set(), "", offsets, labels)
    edges = learn_edges(sents, min_count=20, common=10)
    assert "of" in edges["no_start"] and "of" in edges["no_end"]
    assert "shameless" in edges["no_end"] and "power" in edges["no_start"]
    assert "shameless" not in edges["no_start"] and "power" not in edges["no_end"]


def test_relative_keeps_a_span_to_the_tokens_near_its_peak():
    text = "a shameless power grab"
    batch = TokenBatch.from_texts([text])
    t = tagger(threshold=0.5, extend=0.1)
    scores = np.array([[0.2, 0, 0], [0.9, 0, 0], [0.5, 0, 0], [0.15, 0, 0]])
    assert [s.text for s in t.tag(batch, scores, [0])[0]] == ["a shameless power grab"]
    t.relative = 0.3  # tokens under 0.27 leave the run
    assert [s.text for s in t.tag(batch, scores, [0])[0]] == ["shameless power"]


def test_context_features_equal_a_plain_loop_over_each_text():
    from framing.scoring.spans import FLOOR, NEIGHBOURS, REACH

    t = tagger()
    texts = ["a shameless power grab of the council , again", "", "grab", "the council met on monday and a grab"]
    batch = TokenBatch.from_texts(texts)
    first = t.first_pass(batch) + np.linspace(-2, 2, len(batch.raw))[:, None]  # distinct values
    F = t.context_features(batch, first)
    for k in range(len(texts)):
        a, b = batch.indptr[k], batch.indptr[k + 1]
        z = np.clip(first[a:b, -1], FLOOR, -FLOOR)
        punct = [not any(c.isalnum() for c in w) for w in batch.raw[a:b]]
        for i in range(b - a):
            def at(d, values, fill):
                return values[i + d] if 0 <= i + d < b - a else fill
            expected = [first[a + i, -1]]
            expected += [at(d, z, FLOOR) for d in NEIGHBOURS]
            expected += [float(at(d, punct, True)) for d in NEIGHBOURS]
            expected += [max(at(d, z, FLOOR) for d in range(lo, hi + 1)) for lo, hi in REACH]
            expected += [z.max(), np.log1p((1 / (1 + np.exp(-z))).sum()), np.log1p(b - a)]
            assert np.allclose(F[a + i], expected), (texts[k], i)


def test_word_pairs_looked_up_once_per_neighbouring_tokens_equal_two_lookups():
    f = TokenFeatures({"x": ["shameless"]}, min_count=1, window=2, pair_min_count=1, affix_min_count=0)
    f.fit([t for words in SENTENCES for t in windows(words, 2)])
    batch = TokenBatch.from_texts(["a shameless power grab", "the council", "grab", "", "council met on the council"])
    ids = f.context_ids(batch)
    fast, plain = f.pair_ids(ids, batch.row), f.pair_ids(ids)
    assert all(np.array_equal(a, b) for a, b in zip(fast, plain))
    assert (fast[0] >= 0).sum() > 3 and (fast[1] >= 0).sum() > 3
