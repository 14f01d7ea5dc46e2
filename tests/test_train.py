"""Training from a corpus directory: reproducible, complete, loadable (on a tiny made-up corpus)."""
import numpy as np

import framing
from framing import TECHNIQUES
from framing.scoring import persist
from framing.cli import main
from framing.scoring.text import tokenize
from framing.training.phrases import learn_phrases, usually_marked
from framing.training.sentences import Sentences


def test_training_gives_a_loadable_model_that_scores_like_the_trained_one(tiny_model):
    scorer, directory = tiny_model
    loaded = framing.load(directory)
    texts = ["The reckless council sabotaged the tax plan.", "The board met on Friday.", ""]
    assert [d.to_dict() for d in loaded.pipe(texts)] == [d.to_dict() for d in scorer.pipe(texts)]


def test_the_tiny_model_learns_its_loaded_words(tiny_model):
    scorer, _ = tiny_model
    biased = scorer("The corrupt agency once again sabotaged the tax plan in a shameless power grab.")
    neutral = scorer("Officials from the agency met on Monday to discuss the tax budget.")
    assert biased.loaded_score > neutral.loaded_score
    assert "corrupt" in [s.text for s in biased.spans]
    assert list(biased.sentences[0].label_scores) == list(TECHNIQUES)


def test_hand_written_idioms_and_loaded_emotion_nouns_are_always_spans(tiny_model):
    scorer, _ = tiny_model
    doc = scorer("Their envy is plain, and the rest were left out in the cold.")
    assert [s.text for s in doc.spans] == ["envy", "left out in the cold"]


def test_training_is_reproducible(tiny_data, tiny_model, tmp_path):
    _, first = tiny_model
    assert main(["train", "--data", str(tiny_data), "--out", str(tmp_path / "again"), "--no-eval", "-q"]) == 0
    _, a = persist.load(first)
    _, b = persist.load(tmp_path / "again")
    assert a.keys() == b.keys()
    assert all(np.array_equal(a[k], b[k]) for k in a)


def test_train_reports_a_missing_data_directory(tmp_path, capsys):
    assert main(["train", "--data", str(tmp_path / "nothing"), "--out", str(tmp_path / "m")]) == 1
    assert "no training data" in capsys.readouterr().err


def test_phrases_are_learned_from_repeated_annotated_runs(tiny_data):
    from framing.training.sentences import _semeval_sentences

    sents = Sentences()
    _semeval_sentences(sents, tiny_data)
    phrases = learn_phrases(sents, min_count=1)
    assert all(" " in p and 0.5 <= score <= 1.0 for p, score in phrases.items())


def test_hand_written_nouns_that_annotators_mostly_leave_unmarked_are_not_listed():
    sents = Sentences()

    def add(text, marked):
        offsets = tokenize(text)
        labels = np.array([[int(text[a:b] in marked), 0, 0] for a, b in offsets])
        sents.add(text, "semeval", text, -1, set(), "", offsets, labels)

    for _ in range(3):
        add("a bill on hate speech", set())  # "hate" annotated 4 times, marked once
        add("their envy and spite", {"envy"})  # "envy" marked 3 of 3; "spite" 0 of 3
    add("pure hate", {"hate"})
    add("rage", set())  # annotated once: too few to overrule the list
    assert usually_marked(sents, ["hate", "envy", "spite", "rage", "jealousy"]) == ["envy", "rage", "jealousy"]
