"""Who is speaking: the quote finder on a hand-written set of news sentences, and quoted spans and sentences."""
from pathlib import Path

import pytest

import framing
from framing.scoring.text import quote_spans

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "quotes.txt"


def labelled() -> list[tuple[str, set[int]]]:
    """The examples of ``fixtures/quotes.txt``: text (``¶`` a line break) and its gold quoted characters (``⟦ ⟧``)."""
    out = []
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        text, gold, inside = "", set(), False
        for c in line:
            if c in "⟦⟧":
                inside = c == "⟦"
                continue
            if inside:
                gold.add(len(text))
            text += "\n" if c == "¶" else c
        out.append((text, gold))
    return out


def test_the_quote_finder_is_precise_and_finds_nearly_every_quoted_character():
    examples = labelled()
    assert len(examples) >= 100 and sum(bool(g) for _, g in examples) >= 50
    tp = fp = fn = 0
    for text, gold in examples:
        found = {i for a, b in quote_spans(text) for i in range(a, b)}
        tp, fp, fn = tp + len(found & gold), fp + len(found - gold), fn + len(gold - found)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= 0.98 and recall >= 0.98, (precision, recall)


@pytest.mark.parametrize("text, quoted", [
    ('He called it "a disastrous scheme" on Monday.', ['"a disastrous scheme"']),
    ("“It’s over,” she said.", ["“It’s over,”"]),
    ("“They told me, ‘Go home,’ and I did,” he said.", ["“They told me, ‘Go home,’ and I did,”"]),
    ('"An unclosed quote ends with its paragraph\nThe writer goes on.', ['"An unclosed quote ends with its paragraph']),
    ("“A quotation of two paragraphs\n“goes on here,” he said.", ["“A quotation of two paragraphs", "“goes on here,”"]),
    ("It's John's 55\" screen, and the ’90s rock ’n’ roll.", []),
])
def test_quotes_typographic_straight_nested_unclosed_and_over_paragraphs(text, quoted):
    assert [text[a:b] for a, b in quote_spans(text)] == quoted


def test_spans_and_sentences_say_whether_they_are_quoted(nlp):
    doc = nlp('"This is a shameless power grab by a reckless majority," the senator said. The plan is a disgrace.')
    assert [s.quoted for s in doc.spans] == [True] * (len(doc.spans) - 1) + [False]
    assert doc.writer_spans == [s for s in doc.spans if not s.quoted] and doc.writer_spans
    first, second = doc.sentences
    assert 0.5 < first.quoted < 1.0 and second.quoted == 0.0
    assert framing.Doc.from_dict(doc.to_dict()).to_dict() == doc.to_dict()


@pytest.mark.parametrize("text", [
    'He said the "disastrous scheme" failed.',
    'Critics called it a “reckless, shameful” betrayal of voters.',
    "The plan was 'a disgrace' and a scandal, she said.",
])
def test_no_phrase_runs_through_a_quotation_mark(nlp, text):
    doc = nlp(text)
    assert doc.spans, "the example should have a loaded phrase"
    regions = quote_spans(text)
    for span in doc.spans:
        assert not set(span.text) & set('"“”\'‘’'), span
        inside = any(a <= span.start and span.end <= b for a, b in regions)
        outside = all(span.end <= a or b <= span.start for a, b in regions)
        assert (inside and span.quoted) or (outside and not span.quoted), span


@pytest.mark.slow
def test_quotes_cross_to_worker_processes(nlp):
    texts = ['"A shameless power grab," he said.', "A shameless power grab.", "“Reckless”, they said."] * 4
    assert [d.to_dict() for d in nlp.pipe(texts, batch_size=2, n_process=2)] == [d.to_dict() for d in nlp.pipe(texts)]
