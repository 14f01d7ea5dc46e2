"""Scoring text with the bundled model, end to end, as a user does it."""
import json

import pytest

import framing
from framing import FRAMES, TECHNIQUES

SLANTED = (
    "Pakistan's jealousy is apparent as India continues to secure high-profile visits and global "
    "recognition. While India and Russia strengthen their bond, Pakistan is left on the sidelines."
)
FACTUAL = "Russian President Vladimir Putin is set to visit India, as confirmed by Kremlin spokesperson Dmitry Peskov."


def test_loaded_words_and_idioms_become_spans(nlp):
    doc = nlp(SLANTED)
    texts = [s.text for s in doc.spans]
    assert "jealousy" in texts
    assert any("sidelines" in t for t in texts)


def test_a_factual_report_has_no_spans_and_is_not_loaded(nlp):
    doc = nlp(FACTUAL)
    assert doc.spans == []
    assert not doc.loaded
    assert doc.loaded_score < nlp(SLANTED).loaded_score


def test_slanted_paragraph_is_loaded_and_labelled(nlp):
    doc = nlp(SLANTED)
    assert doc.loaded
    assert "Loaded_Language" in doc.labels


def test_offsets_index_the_input_text(nlp):
    text = "  Dr. Smith said the U.S. plan is a disgrace!\n\nCritics call it a shameless power grab. Really?"
    doc = nlp(text)
    assert [s.text for s in doc.sentences] == [
        "Dr. Smith said the U.S. plan is a disgrace!",
        "Critics call it a shameless power grab.",
        "Really?",
    ]
    for sentence in doc.sentences:
        assert text[sentence.start : sentence.end] == sentence.text
        for span in sentence.spans:
            assert text[span.start : span.end] == span.text
            assert sentence.start <= span.start < span.end <= sentence.end
    assert doc.spans, "a text this loaded should have spans"


def test_every_label_and_frame_is_scored_in_unit_range(nlp):
    doc = nlp(SLANTED)
    for s in doc.sentences:
        assert list(s.label_scores) == list(TECHNIQUES) and len(TECHNIQUES) == 23
        assert list(s.frame_scores) == list(FRAMES) and len(FRAMES) == 14
        assert all(0.0 <= p <= 1.0 for p in [*s.label_scores.values(), *s.frame_scores.values(), s.bias])
        assert set(s.labels) <= set(TECHNIQUES) and set(s.frames) <= set(FRAMES)
        assert len(s.frames) <= 2
    assert 0.0 <= doc.loaded_score <= 1.0
    assert set(doc.labels) == {l for s in doc.sentences for l in s.labels}


def test_techniques_never_seen_in_training_score_zero(nlp):
    unseen = ["Appeal_to_Time", "Appeal_to_Values", "Consequential_Oversimplification", "Questioning_the_Reputation"]
    doc = nlp(SLANTED)
    assert all(s.label_scores[t] == 0.0 for s in doc.sentences for t in unseen)


def test_to_dict_is_json_and_matches_the_objects(nlp):
    doc = nlp(SLANTED)
    d = json.loads(json.dumps(doc.to_dict()))
    assert d["text"] == SLANTED and d["loaded_score"] == doc.loaded_score and d["loaded"] == doc.loaded
    assert d["labels"] == doc.labels and d["frames"] == doc.frames
    assert [s["text"] for s in d["spans"]] == [s.text for s in doc.spans]
    assert len(d["sentences"]) == len(doc.sentences)
    assert set(d["sentences"][0]) >= {"text", "start", "end", "bias", "biased", "labels", "label_scores", "frames", "spans"}


def test_empty_and_whitespace_text(nlp):
    for text in ["", "   \n\t "]:
        doc = nlp(text)
        assert doc.sentences == [] and doc.spans == [] and doc.labels == [] and doc.frames == []
        assert doc.loaded_score == 0.0 and doc.loaded is False


def test_non_text_is_refused_with_the_fix(nlp):
    with pytest.raises(TypeError, match="bytes"):
        nlp(b"bytes are not text")
    with pytest.raises(TypeError, match="position 1"):
        list(nlp.pipe(["fine", 3]))


def test_pipe_keeps_order_and_matches_single_calls(nlp):
    texts = [SLANTED, FACTUAL, "", "A short headline", SLANTED + "\n\n" + FACTUAL] * 3
    single = [nlp(t).to_dict() for t in texts]
    for batch_size in (1, 2, 7, 256):
        assert [d.to_dict() for d in nlp.pipe(texts, batch_size=batch_size)] == single


def test_pipe_streams_a_generator_lazily(nlp):
    seen = []

    def texts():
        for i in range(5):
            seen.append(i)
            yield f"Sentence number {i}."

    it = nlp.pipe(texts(), batch_size=2)
    first = next(it)
    assert first.text == "Sentence number 0." and len(seen) == 2


def test_pipe_rejects_a_bad_batch_size(nlp):
    with pytest.raises(ValueError, match="batch_size"):
        list(nlp.pipe(["x"], batch_size=0))


def test_scoring_is_deterministic_across_loads(nlp):
    again = framing.load()
    assert again(SLANTED).to_dict() == nlp(SLANTED).to_dict()


def test_lexicons_are_readable(nlp):
    lexicons = nlp.lexicons
    assert "loaded_emotion" in lexicons and "jealousy" in lexicons["loaded_emotion"]
    assert all(isinstance(w, str) for words in lexicons.values() for w in words)


def test_labels_spans_and_frames_are_the_same_before_and_after_the_sentences_are_built(nlp):
    texts = [SLANTED, FACTUAL, SLANTED + "\n\n" + FACTUAL, "", "A headline\nThen a line. And another one!"]
    early = [(d.labels, [s.to_dict() for s in d.spans], d.frames) for d in nlp.pipe(texts)]
    docs = list(nlp.pipe(texts))
    for d in docs:
        assert [s.text for s in d.sentences] == [d.text[s.start:s.end] for s in d.sentences]
    late = [(d.labels, [s.to_dict() for s in d.spans], d.frames) for d in docs]
    assert early == late
    assert late[2][0] == list(dict.fromkeys(late[0][0] + late[1][0]))  # labels of any sentence, first seen first
    assert "Doc(text=" in repr(docs[0]) and "sentences=[Sentence(" in repr(docs[0])


def test_a_one_sentence_text_has_the_frames_of_its_sentence(nlp):
    texts = ["The new budget takes effect on July 1.", "Council's reckless budget leaves taxpayers on the hook",
             "Police arrested three men after the bombing of the army base, officials said."]
    for doc in nlp.pipe(texts):
        (sentence,) = doc.sentences
        assert doc.frames == sentence.frames and len(doc.frames) <= 2


def test_a_doc_round_trips_through_its_dict(nlp):
    texts = ["Pakistan's jealousy is apparent. Pakistan is left on the sidelines.", "",
             "The meeting took place on Tuesday in Washington."]
    for doc in nlp.pipe(texts):
        again = framing.Doc.from_dict(doc.to_dict())
        assert again.to_dict() == doc.to_dict()
        assert again.sentences == doc.sentences and again.spans == doc.spans and again.frames == doc.frames
    error = next(nlp.pipe([b"bytes"], on_error="skip"))
    assert framing.Doc.from_dict(error.to_dict()).error == error.error


def test_sentences_compare_by_value(nlp):
    a, b = nlp("A shameless power grab."), nlp("A shameless power grab.")
    assert a.sentences == b.sentences
    assert a.sentences != nlp("A modest plan.").sentences


def test_pipe_as_tuples_carries_each_context_to_its_doc(nlp):
    pairs = [(f"Text number {i}, a shameless grab.", {"id": i}) for i in range(5)]
    out = list(nlp.pipe(pairs, batch_size=2, as_tuples=True))
    assert [c["id"] for _, c in out] == list(range(5))
    assert [d.text for d, _ in out] == [t for t, _ in pairs]
    lines = list(nlp.pipe_json([("ok", 1), (b"bad", 2)], as_tuples=True))
    assert [c for _, c in lines] == [1, 2] and lines[1][0][0] is None


def test_pipe_as_tuples_says_what_it_needs(nlp):
    with pytest.raises(TypeError, match=r"\(text, context\) pairs"):
        list(nlp.pipe(["not a pair"], as_tuples=True))


def test_score_keeps_what_each_stage_computed_when_asked(nlp):
    scored = nlp.score(["A shameless power grab. The board met.", "Fine."], keep=True)
    assert [c.hi - c.lo for c in scored.chunks] == [3] and scored.paragraph_features.shape == (2, 3)
    assert nlp.score(["Fine."]).chunks == []


ARTICLE_PARAGRAPHS = [
    "Pakistan's jealousy is apparent as India continues to secure high-profile visits.",
    "The meeting took place on Tuesday in Washington. Officials said talks would go on.",
    "Critics called the plan a shameless power grab by a reckless majority.",
]


def test_a_paragraph_scores_the_same_alone_and_inside_an_article(nlp):
    for sep in ("\n", "\n\n"):
        doc = nlp(sep.join(ARTICLE_PARAGRAPHS))
        assert [p.text for p in doc.paragraphs] == ARTICLE_PARAGRAPHS
        for p, text in zip(doc.paragraphs, ARTICLE_PARAGRAPHS):
            alone = nlp(text)
            assert (p.loaded_score, p.loaded) == (alone.loaded_score, alone.loaded)
            assert [s.to_dict()["bias"] for s in p.sentences] == [s.bias for s in alone.sentences]
            assert doc.text[p.start:p.end] == p.text


def test_a_docs_loaded_score_is_its_paragraphs_mean_and_does_not_grow_with_length(nlp):
    doc = nlp("\n".join(ARTICLE_PARAGRAPHS))
    scores = [p.loaded_score for p in doc.paragraphs]
    assert abs(doc.loaded_score - sum(scores) / len(scores)) < 1e-4
    assert doc.most_loaded.loaded_score == max(scores)
    neutral = "The meeting took place on Tuesday in Washington."
    short, long = nlp(neutral), nlp("\n".join([neutral] * 40))
    assert long.loaded_score == short.loaded_score and long.loaded == short.loaded


def test_hard_wrapped_lines_stay_in_their_paragraph(nlp):
    doc = nlp("A council vote on the budget\nwas held on Tuesday.\n\nIt passed by 7 to 2.")
    assert [p.text for p in doc.paragraphs] == ["A council vote on the budget\nwas held on Tuesday.", "It passed by 7 to 2."]


ARTICLE = (
    "The Senate passed the budget bill on Tuesday after a long debate over taxes and spending.\n"
    "The deficit will grow by billions of dollars next year, economists said, and tax revenue will fall.\n"
    "Police arrested two men after the shooting, and prosecutors charged them with murder.\n"
    "The meeting took place on Tuesday in Washington."
)


def test_a_texts_frames_are_backed_by_its_sentences(nlp):
    docs = list(nlp.pipe([ARTICLE, ARTICLE.replace("\n", " "), "The meeting took place on Tuesday in Washington."]))
    need = dict(zip(nlp.frame_head.labels, nlp.frame_head.evidence_thresholds))
    for doc in docs:
        evidence = doc.frame_evidence
        assert list(evidence) == doc.frames
        for frame, sentence in evidence.items():
            assert sentence in doc.sentences
            assert sentence.frame_scores[frame] == max(s.frame_scores[frame] for s in doc.sentences)
            assert sentence.frame_scores[frame] >= need[frame] - 1e-4
    assert framing.Doc.from_dict(docs[0].to_dict()).frame_evidence.keys() == docs[0].frame_evidence.keys()
