"""Tokenization and segmentation: exact offsets, sentence rules, robustness."""

import bisect

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.scoring.text import (MAX_SENTENCE_CHARS, TOKEN_RE, split_each, split_paragraphs, split_sentences, token_strings,
                          tokenize)


def tokens(text, start=0, end=None):
    return [text[s:e] for s, e in tokenize(text, start, end)]


def sentences(text, start=0, end=None):
    spans = split_sentences(text, start, end)
    check_sentence_spans(text, spans, start, end)
    return [text[s:e] for s, e in spans]


def paragraphs(text):
    return [text[s:e] for s, e in split_paragraphs(text)]


def check_sentence_spans(text, spans, start=0, end=None):
    """The documented contract of split_sentences, for any text."""
    start, end, _ = slice(start, end).indices(len(text))
    prev_end = start
    covered = set()
    for s, e in spans:
        assert prev_end <= s < e <= max(start, end), (spans, start, end)
        assert not text[s].isspace() and not text[e - 1].isspace(), "spans are trimmed"
        covered.update(range(s, e))
        prev_end = e
    non_space = {i for i in range(start, end) if not text[i].isspace()}
    assert non_space <= covered, "every non-whitespace character is in a sentence"
    paras = [(ps + start, pe + start) for ps, pe in split_paragraphs(text[start:end])]
    for s, e in spans:
        ps, pe = paras[bisect.bisect_right(paras, (s, len(text))) - 1]
        assert ps <= s and e <= pe, "a sentence crosses a paragraph break"


def check_token_spans(text, spans, start=0, end=None):
    start, end, _ = slice(start, end).indices(len(text))
    prev_end = start
    for s, e in spans:
        assert prev_end <= s < e <= max(start, end)
        assert not any(c.isspace() for c in text[s:e])
        prev_end = e
    covered = {i for s, e in spans for i in range(s, e)}
    assert covered == {i for i in range(start, end) if not text[i].isspace()}


# --- tokens -------------------------------------------------------------------


def test_words_keep_internal_apostrophes_and_hyphens():
    text = "The so-called reality-TV star said Trump’s plan won't work."
    assert tokens(text) == [
        "The", "so-called", "reality-TV", "star", "said", "Trump’s", "plan", "won't", "work", ".",
    ]


def test_numbers_keep_decimals_and_thousands_separators():
    text = "Rates rose 3.5 percent, from 1,000 to 12,500.75 (about 2 000 homes)."
    assert tokens(text) == [
        "Rates", "rose", "3.5", "percent", ",", "from", "1,000", "to", "12,500.75",
        "(", "about", "2", "000", "homes", ")", ".",
    ]


def test_numbers_do_not_swallow_trailing_punctuation():
    assert tokens("It was 2019. Then 1,5 and 12,3456.") == [
        "It", "was", "2019", ".", "Then", "1", ",", "5", "and", "12", ",", "3456", ".",
    ]


def test_urls_emails_handles_and_hashtags_are_single_tokens():
    text = (
        "See https://example.org/a/b?x=1, mail jane.doe@example.co.uk "
        "or @newsdesk #Breaking (www.example.com)."
    )
    assert tokens(text) == [
        "See", "https://example.org/a/b?x=1", ",", "mail", "jane.doe@example.co.uk", "or",
        "@newsdesk", "#Breaking", "(", "www.example.com", ")", ".",
    ]


def test_every_other_character_is_its_own_token():
    assert tokens('"Wow!!" — (really)…') == ['"', "Wow", "!", "!", '"', "—", "(", "really", ")", "…"]


def test_emoji_sequences_stay_together():
    text = "Great 😀👍🏽 🇺🇸 ❤️ 👨\u200d👩\u200d👧"
    assert tokens(text) == ["Great", "😀", "👍🏽", "🇺🇸", "❤️", "👨\u200d👩\u200d👧"]


def test_letters_of_any_script_are_word_characters():
    assert tokens("Москва हिन्दी 東京 العربية naïve café") == [
        "Москва", "हिन्दी", "東京", "العربية", "naïve", "café",
    ]


def test_token_offsets_point_into_the_original_text():
    text = "Biden’s so-called plan."
    spans = tokenize(text)
    assert spans == [(0, 7), (8, 17), (18, 22), (22, 23)]
    assert [text[s:e] for s, e in spans] == ["Biden’s", "so-called", "plan", "."]


def test_tokenize_a_range_gives_offsets_into_the_whole_text():
    text = "First sentence. Second one here."
    assert tokenize(text, 16) == [(16, 22), (23, 26), (27, 31), (31, 32)]
    assert tokens(text, 16, 26) == ["Second", "one"]
    assert tokens(text, 0, 3) == ["Fir"]  # the range cuts the word


def test_token_re_is_the_pattern_tokenize_uses():
    text = "U.S. officials didn't comment."
    assert [m.span() for m in TOKEN_RE.finditer(text)] == tokenize(text)


@pytest.mark.parametrize("text", ["", "   ", "\n\t \r\n"])
def test_no_tokens_in_empty_or_blank_text(text):
    assert tokenize(text) == []


# --- paragraphs -------------------------------------------------------------------


def test_paragraphs_are_separated_by_blank_lines():
    text = "Headline here\n\nFirst line.\nSecond line.\n  \t \nNext paragraph.\r\n\r\nLast one.  \n"
    assert paragraphs(text) == [
        "Headline here", "First line.\nSecond line.", "Next paragraph.", "Last one.",
    ]


def test_paragraph_offsets_are_trimmed():
    text = "  \n \n  One.  \n\n\n  Two\r\nstill two.\n"
    assert split_paragraphs(text) == [(7, 11), (18, 33)]
    assert paragraphs(text) == ["One.", "Two\r\nstill two."]


def test_crlf_is_one_line_break_not_a_blank_line():
    assert paragraphs("a\r\nb\r\rc\r\n\nd") == ["a\r\nb", "c", "d"]


@pytest.mark.parametrize("text", ["", " ", "\n\n\n", " \t\r\n \u2029 "])
def test_no_paragraphs_in_empty_or_blank_text(text):
    assert split_paragraphs(text) == []


# --- sentences: the rules -----------------------------------------------------------


def test_plain_sentences():
    assert sentences("The vote failed. Critics cheered! Was it fair? Nobody knows.") == [
        "The vote failed.", "Critics cheered!", "Was it fair?", "Nobody knows.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Dr. Jane Roe met Mr. and Mrs. Smith and Ms. Lee at the clinic.",
        "Prof. Adams and Sen. Warren spoke with Rep. Cole and Gov. Hall.",
        "Gen. Miles visited St. Louis with Martin Luther King Jr. on Sunday.",
        "Acme Inc. and Globex Corp. joined Initech Ltd. and Smith & Co. in the deal.",
        "It was Brazil vs. Spain, i.e. a classic, with e.g. two former champions.",
        "Talks began on Jan. 5 and ended on Feb. 20 in the U.K. capital.",
        "They ranked No. 1 and No. 12 respectively.",
        "She earned a Ph.D. degree from a U.S. university at 5 p.m. local time.",
        "Apples, pears, etc. were on sale.",
        "The suit was filed in Calif. against the firm.",
        "It hired native-born workers—a.k.a. Americans—first.",
    ],
)
def test_abbreviations_do_not_end_sentences(text):
    assert sentences(text) == [text]


@pytest.mark.parametrize(
    "text",
    [
        "President John F. Kennedy spoke first.",
        "The novelist J. K. Rowling replied.",
        "A letter from H. G. Wells was found.",
    ],
)
def test_initials_do_not_end_sentences(text):
    assert sentences(text) == [text]


def test_decimals_do_not_end_sentences():
    assert sentences("Inflation hit 3.5 percent. It was 0.2 points higher.") == [
        "Inflation hit 3.5 percent.", "It was 0.2 points higher.",
    ]


def test_sentence_final_abbreviation_before_a_common_opener_splits():
    # "U.S.", "etc.", "Inc." and initials end a sentence only when a capitalised
    # common sentence opener ("Then", "The", "He", ...) follows.
    assert sentences("He moved to the U.S. Then he found work.") == [
        "He moved to the U.S.", "Then he found work.",
    ]
    assert sentences("The buyer was Acme Inc. The deal closed in May.") == [
        "The buyer was Acme Inc.", "The deal closed in May.",
    ]
    assert sentences("They sold fruit, bread, etc. It was a market.") == [
        "They sold fruit, bread, etc.", "It was a market.",
    ]
    assert sentences("The U.S. Senate voted. Acme Inc. said nothing.") == [
        "The U.S. Senate voted.", "Acme Inc. said nothing.",
    ]


def test_ordinary_word_before_a_capitalised_name_splits():
    assert sentences("He lost. Smith won the seat.") == ["He lost.", "Smith won the seat."]
    assert sentences("It was Trump’s. Pompeo agreed. It isn't. Maybe later.") == [
        "It was Trump’s.", "Pompeo agreed.", "It isn't.", "Maybe later.",
    ]


def test_quotes_and_brackets_after_the_period_stay_with_the_sentence():
    assert sentences('He said "no." Then he left.') == ['He said "no."', "Then he left."]
    assert sentences("(See above.) Next comes the rest.") == ["(See above.)", "Next comes the rest."]
    assert sentences("She called it “a disgrace.” Others agreed.") == [
        "She called it “a disgrace.”", "Others agreed.",
    ]
    assert sentences("It was over. \"We lost,\" he said.") == ["It was over.", '"We lost," he said.']


def test_question_in_quotes_followed_by_lowercase_continues():
    assert sentences('"Why now?" he asked. "Because." She left.') == [
        '"Why now?" he asked.', '"Because."', "She left.",
    ]


def test_ellipsis_splits_only_before_a_capitalised_word():
    assert sentences("Wait... what happened? Wait… What?") == [
        "Wait... what happened?", "Wait…", "What?",
    ]


def test_spaced_ellipsis_stays_in_one_sentence():
    assert sentences("It went on . . . and on . . . . Then it ended.") == [
        "It went on . . . and on . . . .", "Then it ended.",
    ]
    assert sentences("It ended. ... Then it began.") == ["It ended.", "...", "Then it began."]


def test_runs_of_question_and_exclamation_marks():
    assert sentences("Are you serious?! This is huge!!! Really?? Yes.") == [
        "Are you serious?!", "This is huge!!!", "Really??", "Yes.",
    ]


def test_headline_without_final_period_ends_at_blank_line_or_newline():
    text = "Senate Rejects Bill\n\nThe vote was close.\nNew Rules Announced\nOfficials said more."
    assert sentences(text) == [
        "Senate Rejects Bill", "The vote was close.", "New Rules Announced", "Officials said more.",
    ]


def test_each_bullet_item_is_its_own_sentence():
    text = "Key points:\n- Taxes rise\n* Spending falls\n• Debt grows\n1. First item\n2. Second item"
    assert sentences(text) == [
        "Key points:", "- Taxes rise", "* Spending falls", "• Debt grows",
        "1. First item", "2. Second item",
    ]


def test_hard_wrapped_lines_are_joined():
    # A line break is a boundary unless the line lacks terminal punctuation
    # and the next line starts with a lowercase letter.
    text = "The committee said that the\nproposal was rejected.\nThe chair\nResigned today."
    assert sentences(text) == [
        "The committee said that the\nproposal was rejected.", "The chair", "Resigned today.",
    ]


def test_line_ending_in_punctuation_ends_the_sentence_even_before_lowercase():
    assert sentences("Item one.\nitem two.") == ["Item one.", "item two."]


def test_title_at_the_end_of_a_wrapped_line_does_not_split():
    assert sentences("It was signed by Dr.\nSmith yesterday.") == ["It was signed by Dr.\nSmith yesterday."]


def test_sentences_never_cross_a_paragraph_break():
    assert sentences("He moved to the U.S.\n\nthen nothing happened") == [
        "He moved to the U.S.", "then nothing happened",
    ]
    assert sentences("first paragraph\n \nsecond paragraph") == ["first paragraph", "second paragraph"]


def test_sentence_offsets_are_exact_and_trimmed():
    text = "  Hello there.   General Kenobi!\n"
    assert split_sentences(text) == [(2, 14), (17, 32)]


def test_sentences_of_a_range_give_offsets_into_the_whole_text():
    text = "Intro. One here. Two here. Outro."
    start, end = 7, 26
    assert split_sentences(text, start, end) == [(7, 16), (17, 26)]
    assert sentences(text, start, end) == ["One here.", "Two here."]


@pytest.mark.parametrize("text", ["", " ", "\n\n", "\t \r\n \u00a0 \u2028"])
def test_no_sentences_in_empty_or_blank_text(text):
    assert split_sentences(text) == []


def test_text_without_any_punctuation_is_one_sentence():
    assert sentences("just some words without an end") == ["just some words without an end"]


# --- robustness ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Emoji end 😀. Next 👍🏽! Flags 🇺🇸🇬🇧? Done",
        "NUL\x00 and controls\x01\x07\x1b. Then\x0bvertical tab\x0cform feed.",
        "Hebrew \u200fשלום. RTL mark\u200e here. \u202eOverride.",
        "Lone \ud800 surrogate. Another \udfff one.\ud83d",
        "Mixed\u2028line\u2029separators\x85and NEL.",
        "Zero\u200bwidth\ufeffBOM. Combining e\u0301. Ok.",
        "。！？…‽।؟ . ! ? \" ' ” ’ ) ] }",
        "\r\r\n\n\r",
        "...",
        '"."."."',
    ],
)
def test_unusual_characters_never_crash_and_offsets_stay_valid(text):
    check_sentence_spans(text, split_sentences(text))
    check_token_spans(text, tokenize(text))
    for s, e in split_paragraphs(text):
        assert 0 <= s < e <= len(text)


HOSTILE = {
    "letters": "a" * 50_000,
    "dots": "." * 50_000,
    "quotes": '"' * 50_000,
    "newlines": "\n" * 50_000,
    "dot-space": ". " * 20_000,
    "dot-quote": '."' * 20_000,
    "U.S.": "U.S. " * 10_000,
    "Dr.": "Dr. " * 10_000,
    "newline-dot": "\n." * 20_000,
    "spaces": " " * 50_000 + "x",
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_inputs_give_valid_spans(text):
    check_sentence_spans(text, split_sentences(text))
    check_token_spans(text, tokenize(text))


def test_long_runs_stay_single_sentences():
    assert sentences("a" * 10_000) == ["a" * 10_000]
    assert sentences("Dr. " * 1_000) == [("Dr. " * 1_000).strip()]


def test_text_without_punctuation_is_cut_into_bounded_sentences():
    text = "word " * 100_000
    spans = split_sentences(text)
    check_sentence_spans(text, spans)
    assert len(spans) > 1 and max(e - s for s, e in spans) <= MAX_SENTENCE_CHARS
    assert split_sentences("a" * 50_000) == [(0, 50_000)], "no whitespace: nothing to cut at"


# --- properties -----------------------------------------------------------------


def test_contract_holds_for_arbitrary_text():
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies
    pieces = st.sampled_from(
        [" ", "\n", "\n\n", "\r\n", "\t", ".", "...", "!", "?", "…", '"', "'", "”", "(", ")",
         "U.S.", "Dr.", "e.g.", "J.", "3.5", "word", "Word", "- ", "1. ", "\u2028", "\x00", "\ud800", "😀"]
    )
    texts = st.lists(st.one_of(pieces, st.characters(), st.text(max_size=5)), max_size=40).map("".join)

    @hypothesis.settings(max_examples=300, deadline=None)
    @hypothesis.given(texts, st.integers(-5, 60), st.one_of(st.none(), st.integers(-5, 60)))
    def check(text, start, end):
        spans = split_sentences(text, start, end)
        check_sentence_spans(text, spans, start, end)
        lo, hi, _ = slice(start, end).indices(len(text))
        shifted = [(s + lo, e + lo) for s, e in split_sentences(text[lo:hi])] if hi > lo else []
        assert spans == shifted, "a range segments like the same text on its own"
        check_token_spans(text, tokenize(text, start, end), start, end)
        for s, e in split_paragraphs(text):
            assert not text[s].isspace() and not text[e - 1].isspace()

    check()


BOUNDARY_TEXT = st.lists(st.sampled_from(list("ab Z1.!?…\"'”’)(“\n\r\t\u2028 ,;:-") + ["Dr.", "U.S.", "3.5", "e\u0301", "😀"]),
                         max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.lists(BOUNDARY_TEXT, max_size=8))
def test_a_batch_is_split_as_each_text_alone(texts):
    assert split_each(texts) == [split_sentences(t) for t in texts]


@settings(max_examples=400, deadline=None)
@given(BOUNDARY_TEXT)
def test_token_strings_are_the_tokens_tokenize_finds(text):
    assert token_strings(text) == [text[s:e] for s, e in tokenize(text)]
