"""Names and party words are masked before any vocabulary is looked up (framing.scoring.features.forms)."""
import numpy as np
import pytest

from framing.scoring.features.base import TokenBatch, VocabularyUnion
from framing.scoring.features.forms import NAME, PARTY
from framing.features import LexiconFeatures

TEXTS = [
    '"Disastrous," said Ohio Rep. Marcia Fudge on Tuesday.',
    "Hope Hicks said the Democrats would vote. The Senate met with Pelosi and liberals.",
    "But Pelosi said I hope so. Rich Lowry wrote that rich people pay. Trump said it would trump all.",
]


def forms_of(text: str) -> list[tuple[str, str]]:
    b = TokenBatch.from_texts([text])
    return list(zip(b.raw, b.lower))


@pytest.mark.parametrize("text, name", [
    ("said Ohio Rep. Marcia Fudge on Tuesday", "Fudge"),
    ("Hope Hicks said so", "Hope"),            # starts the sentence, but a name follows
    ("with Pelosi", "Pelosi"),
    ("Rich Lowry wrote", "Rich"),
    ("Trump said", "Trump"),
])
def test_names_are_masked(text, name):
    assert dict(forms_of(text))[name] == NAME


@pytest.mark.parametrize("text, word, form", [
    ("The Senate met", "The", "the"),          # a function word never starts a name
    ("But Pelosi said", "But", "but"),
    ("I hope so", "hope", "hope"),              # lower-case: an ordinary word
    ("I think so", "I", "i"),                   # one letter is never a name
    ("Rich people pay", "Rich", "rich"),        # starts the sentence, no name after it
    ('He said: "Disastrous plan."', "Disastrous", "disastrous"),  # starts a quotation
    ("the GOP and Democrats and liberals", "GOP", PARTY),
    ("the GOP and Democrats and liberals", "Democrats", PARTY),
    ("the GOP and Democrats and liberals", "liberals", PARTY),
    ("a Democratic senator", "Democratic", PARTY),
    ("a democratic vote", "democratic", "democratic"),
    ("NATO met", "NATO", "nato"),               # all capitals: an acronym, not masked
])
def test_ordinary_words_keep_their_form(text, word, form):
    assert dict(forms_of(text))[word] == form


def test_a_name_matches_no_word_list():
    lex = LexiconFeatures({"negative": ["fudge", "trump"], "positive": ["hope", "rich"]}).fit([])
    named = lex.transform(["said Marcia Fudge and Hope Hicks with Donald Trump and Rich Lowry"])
    plain = lex.transform(["they fudge it, hope to trump it and get rich"])
    assert named.sum() == 0 and plain.sum() > 0


def test_the_vocabulary_union_gives_the_forms_ids():
    vocab = {"hope": 0, NAME: 1, PARTY: 2, "rich": 3, "the": 4, "said": 5}
    union = VocabularyUnion([vocab, {"pelosi": 0, NAME: 7}])
    for _ in range(2):  # the second time from the union's cache
        filled = TokenBatch.from_texts(TEXTS)
        union.fill(filled)
        fresh = TokenBatch.from_texts(TEXTS)
        assert np.array_equal(filled.ids(vocab), fresh.ids(vocab))
        assert np.array_equal(filled.ids(union.vocabularies[1]), fresh.ids(union.vocabularies[1]))
    assert "pelosi" not in TokenBatch.from_texts(TEXTS).lower


def test_swapping_names_does_not_change_the_features():
    from framing import load

    nlp = load()
    a = nlp("Nancy Pelosi said on Tuesday that Democrats would vote on the bill.").to_dict()
    b = nlp("Mitch McConnell said on Tuesday that Republicans would vote on the bill.").to_dict()
    assert a["sentences"][0]["bias"] == b["sentences"][0]["bias"]
    assert a["loaded_score"] == b["loaded_score"]


def test_title_case_marks_only_listed_names():
    assert forms_of("Trump Slams Disgraceful Deal Over Wall") == [
        ("Trump", NAME), ("Slams", "slams"), ("Disgraceful", "disgraceful"), ("Deal", "deal"), ("Over", "over"), ("Wall", "wall")]
