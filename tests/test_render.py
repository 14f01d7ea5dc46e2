"""Explanations of scores, and the HTML report that shows them: structure, escaping, offsets, no network."""
import json
import re
from pathlib import Path

import numpy as np
import pytest

import framing
from framing.cli import main
from framing.scoring.doc import Doc, Sentence, Span
from framing.scoring.features.base import TokenBatch
from framing.scoring.heads import sigmoid
from framing.corpus.records import read_records
from framing.scoring.labels import SPAN_TECHNIQUES
from framing.presenting.render import PALETTE, TEXT_DARK, TEXT_LIGHT
from framing.scoring.text import tokenize
from htmlpage import Page, contrast

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "examples" / "article.txt"
SLANTED = (
    "Pakistan's jealousy is apparent as India continues to secure high-profile visits and global "
    "recognition. While India and Russia strengthen their bond, Pakistan is left on the sidelines."
)


def article_paragraphs() -> list[str]:
    return [r.text for r in read_records(ARTICLE)]


@pytest.fixture(params=["bundled", "tiny"])
def scorer(request, nlp, tiny_model):
    return nlp if request.param == "bundled" else tiny_model[0]


def made_doc(text: str, spans: list[tuple[int, int, str]]) -> Doc:
    """A one-sentence Doc with the given spans, made by hand (as a user might edit one)."""
    sent = Sentence(text, 0, len(text), 0.9, True, ["Loaded_Language"], ["Political"],
                    [Span(text[s:e], s, e, 0.8, label) for s, e, label in spans],
                    framing.TECHNIQUES, np.zeros(len(framing.TECHNIQUES)), framing.FRAMES, np.zeros(len(framing.FRAMES)))
    return Doc.from_dict({"text": text, "loaded_score": 0.9, "loaded": True, "frames": ["Political"],
                          "frame_scores": dict.fromkeys(framing.FRAMES, 0.0), "sentences": [sent.to_dict()]})


# --- explanations -----------------------------------------------------------------------------


def test_explanations_add_up_to_every_reported_score(scorer):
    for text in [SLANTED, *article_paragraphs(), "The shameless council rammed through a reckless tax."]:
        doc, ex = scorer(text), framing.explain(scorer, text)
        assert ex.loaded.target == "loaded"
        assert sigmoid(ex.loaded.logit) == pytest.approx(doc.loaded_score, abs=1e-4)
        by_start = {s.start: s for s in doc.sentences}
        flagged = [s for s in doc.sentences if s.biased or s.labels or s.spans]
        assert [e.start for e in ex.sentences] == [s.start for s in flagged]
        for e in ex.sentences:
            sent = by_start[e.start]
            assert sigmoid(e.bias.intercept + sum(c.contribution for c in e.bias.top) + e.bias.rest) == pytest.approx(
                sent.bias, abs=1e-4)
            assert [t.target for t in e.techniques] == sent.labels
            for t in e.techniques:
                assert sigmoid(t.logit) == pytest.approx(sent.label_scores[t.target], abs=1e-4)
            assert [f.target for f in e.frames] == sent.frames
            for f in e.frames:
                assert sigmoid(f.logit) == pytest.approx(sent.frame_scores[f.target], abs=1e-4)
            assert [(s.start, s.end, s.label) for s in e.spans] == [(s.start, s.end, s.label) for s in sent.spans]
            batch = TokenBatch.from_texts([sent.text])
            token_scores = scorer.tagger.token_scores(batch)  # the fast path: table lookups
            first = scorer.tagger.first_pass(batch)
            model_scores = scorer.tagger.combine(first, scorer.tagger.second_pass(batch, first))  # before listed phrases
            bounds = tokenize(sent.text)
            for span in e.spans:
                assert span.peak.score == pytest.approx(span.score, abs=1e-4)
                for tok in span.tokens:
                    i = bounds.index((tok.start - sent.start, tok.end - sent.start))
                    assert sigmoid(tok.explanation.logit) == pytest.approx(model_scores[i].max(), abs=1e-9)
                    assert max(sigmoid(tok.explanation.logit), tok.phrase_score) == pytest.approx(token_scores[i].max(), abs=1e-9)
                    assert tok.explanation.target == scorer.tagger.labels[int(token_scores[i].argmax())]


def test_explanations_name_features_a_reader_can_check(nlp):
    text = "The so-called reform is nothing but a disaster, and the radical bureaucrats will do anything to cling to power."
    ex = framing.explain(nlp, text, top=8)
    (sent,) = ex.sentences
    kinds = [c.kind for c in sent.bias.top]
    assert set(kinds) <= {"n-gram", "word list", "style", "word vectors", "tagger"}
    assert kinds.count("word vectors") <= 1  # 64 dimensions, one contribution
    assert not any(c.feature.startswith(("embedding:", "lexicon:", "style:")) for c in sent.bias.top)
    contributions = [c.contribution for c in sent.bias.top]
    assert contributions == sorted(contributions, reverse=True) and min(contributions) > 0
    for c in sent.bias.top:
        if c.kind == "n-gram":
            assert c.feature in text.lower()
        if c.kind in {"word list", "word vectors"}:
            assert c.detail and all(w.lower() in text.lower() for w in c.detail.split(", "))
    word_lists = [c for c in sent.bias.top if c.kind == "word list"]
    assert any("disaster" in c.detail for c in word_lists)
    disaster = next(s for s in sent.spans if "disaster" in s.text)
    token = next(t for t in disaster.tokens if t.text == "disaster")
    assert {c.kind for c in token.explanation.top} <= {"word", "neighbour", "word pair", "word list", "affix",
                                                       "word vectors", "shape", "context"}
    assert "'disaster'" in [c.feature for c in token.explanation.top if c.kind == "word"]


def test_a_listed_phrase_explains_its_span(nlp):
    ex = framing.explain(nlp, SLANTED)
    span = next(s for e in ex.sentences for s in e.spans if s.text == "left on the sidelines")
    assert span.peak.phrase == "left on the sidelines"
    assert span.peak.phrase_score == pytest.approx(span.score, abs=1e-4)


def test_explanation_is_json_with_offsets_into_the_text(nlp):
    ex = framing.explain(nlp, SLANTED, top=3)
    data = json.loads(json.dumps(ex.to_dict()))
    assert data["text"] == SLANTED
    for s in data["sentences"]:
        assert SLANTED[s["start"] : s["end"]] == s["text"]
        assert len(s["bias"]["top"]) <= 3
        for span in s["spans"]:
            assert SLANTED[span["start"] : span["end"]] == span["text"]
            for tok in span["tokens"]:
                assert SLANTED[tok["start"] : tok["end"]] == tok["text"]
    assert framing.explain(nlp, "").to_dict() == {"text": "", "loaded": None, "sentences": []}


def test_explain_says_what_was_wrong(nlp):
    with pytest.raises(TypeError, match="decode it first"):
        framing.explain(nlp, b"bytes")
    with pytest.raises(ValueError, match="top must be at least 1"):
        framing.explain(nlp, "text", top=0)


# --- the page ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def article(nlp):
    texts = article_paragraphs()
    docs = list(nlp.pipe(texts))
    return docs, framing.render(docs, [framing.explain(nlp, t) for t in texts], title="Example article")


def test_every_span_is_a_focusable_mark_at_its_offsets(article):
    docs, page = article
    marks = Page(page).find("mark", "span")
    spans = [s for d in docs for s in d.spans]
    assert len(spans) >= 4
    assert [(int(a["data-start"]), int(a["data-end"]), text, a["data-label"]) for a, text in marks] == [
        (s.start, s.end, s.text, s.label) for s in spans]
    tooltips = {a["id"]: text for a, text in Page(page).find("span", "tip")}
    for (a, _), span in zip(marks, spans):
        assert float(a["data-score"]) == span.score
        assert a["tabindex"] == "0"
        assert f"{span.score:.2f}" in a["title"]
        assert a["aria-describedby"] in tooltips and f"{span.score:.2f}" in tooltips[a["aria-describedby"]]


def test_the_prose_reads_exactly_as_the_text(article):
    docs, page = article
    assert Page(page).prose == [d.text for d in docs]


def test_paragraphs_have_a_loaded_score_bar_with_the_number(article):
    docs, page = article
    p = Page(page)
    meters = p.find("span", "meter")
    assert [float(a["aria-valuenow"]) for a, _ in meters] == [d.loaded_score for d in docs]
    heads = [text for _, text in p.find("div", "para-head")]
    assert [f"{d.loaded_score:.2f}" in h for d, h in zip(docs, heads)] == [True] * len(docs)
    assert [("not loaded" not in h) for h in heads] == [d.loaded for d in docs]


def test_biased_sentences_get_notes_beside_them_with_labels_frames_and_why(article, nlp):
    docs, page = article
    p = Page(page)
    notes = p.find("aside", "note")
    biased = [s for d in docs for s in d.sentences if s.biased]
    assert [int(a["data-start"]) for a, _ in notes] == [s.start for s in biased]  # not biased: no note
    chips = [a["data-label"] for a, _ in p.find("span", "technique")]
    assert chips == [label for s in biased for label in s.labels]
    assert "Why these scores" in page and "baseline (intercept)" in page
    # each note sits in the prose just before its sentence, so it floats beside it
    assert all(re.search(f'<aside id="p\\d+-n\\d+" class="note[^"]*" data-start="{s.start}".*?</aside><span class="sent'
                         f'[^"]*" data-start="{s.start}"', page) for s in biased)
    texts = article_paragraphs()
    cut = nlp.thresholds["bias"]
    nlp.thresholds["bias"] = 0.99  # fewer biased sentences: some flagged ones get a note only when all are asked for
    try:
        docs = list(nlp.pipe(texts))
        every = framing.render(docs, [framing.explain(nlp, t) for t in texts], all_notes=True)
    finally:
        nlp.thresholds["bias"] = cut
    flagged = [s for d in docs for s in d.sentences if s.biased or s.labels or s.spans]
    assert len(flagged) > len([s for d in docs for s in d.sentences if s.biased])
    assert [int(a["data-start"]) for a, _ in Page(every).find("aside", "note")] == [s.start for s in flagged]


def test_reasons_are_in_plain_words_with_log_odds_on_demand(nlp):
    text = "This disastrous scheme is an utter disgrace! Pakistan is left on the sidelines."
    page = framing.render([nlp(text)], [framing.explain(nlp, text)])
    plain = "".join(t for _, t in Page(page).find("ul", "plain"))
    assert "\u2018disastrous\u2019" in plain and "(strongly subjective)" in plain
    assert "neighbour" not in plain and "all other features" not in plain and "intercept" not in plain
    assert not re.search(r"[+\u2212]\d", plain)  # no log-odds in the words
    (logodds,) = [t for a, t in Page(page).find("details", "logodds")][:1]
    assert "baseline (intercept)" in logodds and re.search(r"[+\u2212]\d\.\d\d", logodds)
    tips = " ".join(t for _, t in Page(page).find("span", "tip"))
    assert "a known loaded phrase: \u201cleft on the sidelines\u201d" in tips and "neighbour" not in tips


def test_summary_charts_count_sentences_per_technique_and_frame(article):
    docs, page = article
    p = Page(page)
    (chart,) = [a for a, _ in p.find("svg") if a.get("aria-label", "").startswith("Frames")]
    assert chart["role"] == "img"
    rows = {a["data-label"]: float(a["data-value"]) for a, _ in p.find("g", "row")}
    sentences = [s for d in docs for s in d.sentences]
    for frame in {f for s in sentences for f in s.frames}:
        assert rows[frame] == sum(frame in s.frames for s in sentences)
    assert rows["Loaded_Language"] == sum("Loaded_Language" in s.labels for s in sentences)
    labels = [text for _, text in p.find("text")]
    assert "Loaded language" in labels and any(t.endswith("sentences") for t in labels)  # text, not colour alone


def test_page_loads_nothing_from_anywhere(article, nlp):
    _, page = article
    hostile = nlp("See https://example.com/x.png and <img src=\"http://example.com/y\"> now.")
    for html in (page, framing.render([hostile])):
        assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:[a-z]+:|//)""", html, re.I)
        assert "<script" not in html.lower() and "<link" not in html.lower() and "<img" not in html.lower()
        assert "@import" not in html and "url(" not in html and "@font-face" not in html
    assert "http" not in page


def test_text_is_escaped_everywhere(nlp):
    text = 'Tom & Jerry\'s <script>alert("x")</script> is a shameless disgrace & a "reckless" <b>scam</b>.'
    doc = nlp(text)
    assert doc.spans
    page = framing.render([doc], [framing.explain(nlp, text)], title="<i>title</i> & more")
    assert "<script" not in page and "<b>scam" not in page and "<i>title" not in page
    # a span may mark a word inside the escaped markup, so "&lt;script&gt;" need not be in one piece
    assert "Tom &amp; Jerry" in page and "&lt;" in page and "&gt;" in page and "&lt;i&gt;title&lt;/i&gt; &amp; more" in page
    assert Page(page).prose == [text]


def test_spans_are_placed_by_offsets_not_by_searching():
    text = "Bad news <&> bad news, truly bad."
    second = text.index("bad news")
    page = framing.render(made_doc(text, [(second, second + 3, "Loaded_Language")]))
    p = Page(page)
    ((attrs, marked),) = p.find("mark", "span")
    assert (int(attrs["data-start"]), marked) == (second, "bad")
    assert p.prose == [text]
    assert page.count(">bad</mark>") == 1 and "Bad news &lt;&amp;&gt; <span" in page


def test_spans_that_do_not_match_the_text_are_refused():
    doc = made_doc("A reckless plan.", [(2, 10, "Loaded_Language")])
    doc.sentences[0].spans[0].text = "careless"
    with pytest.raises(ValueError, match="does not match the text"):
        framing.render([doc])


def test_each_label_has_a_non_colour_cue_and_readable_contrast():
    styles = [style for _, _, style in PALETTE]
    assert len(set(styles)) == len(styles)
    doc = made_doc("A reckless smear, a total catastrophe.", [(2, 10, SPAN_TECHNIQUES[0]), (11, 16, SPAN_TECHNIQUES[1]),
                                                            (20, 37, SPAN_TECHNIQUES[2])])
    p = Page(framing.render(doc))
    marks = p.find("mark", "span")
    assert len({a["class"] for a, _ in marks}) == 3
    assert [t for a, t in p.find("sup", "abbr")][-3:] == ["LL", "NCL", "EM"]
    for light, dark, _ in PALETTE:
        assert contrast(TEXT_LIGHT, light) >= 7 and contrast(TEXT_DARK, dark) >= 4.5


def test_dark_mode_has_its_own_colours(article):
    _, page = article
    dark = page[page.index("@media (prefers-color-scheme:dark)") :]
    assert "--bg:#" in dark and "--mark-fg:" + TEXT_DARK in dark
    assert all(f"--l{i}:{d}" in dark for i, (_, d, _) in enumerate(PALETTE))


def test_render_says_what_was_wrong(nlp):
    doc = nlp("A shameless power grab.")
    with pytest.raises(TypeError, match="score the texts first"):
        framing.render(["A shameless power grab."])
    with pytest.raises(ValueError, match="one per doc"):
        framing.render([doc], [])
    with pytest.raises(ValueError, match="another text"):
        framing.render([doc], [framing.explain(nlp, "Something else.")])


def test_an_empty_report_still_renders():
    p = Page(framing.render([]))
    assert p.find("h1") and not p.find("mark")


# --- the command ------------------------------------------------------------------------------


def test_report_command_shows_each_paragraph_of_a_text_file(tmp_path):
    out = tmp_path / "report.html"
    assert main(["report", str(ARTICLE), "-o", str(out), "-q"]) == 0
    p = Page(out.read_text(encoding="utf-8"))
    assert p.prose == article_paragraphs()
    assert p.find("title")[0][1] == "article.txt: framing report"
    assert "Why these scores" in out.read_text()


def test_report_command_reads_jsonl_with_a_text_field_and_a_limit(tmp_path):
    src = tmp_path / "in.jsonl"
    texts = ["The shameless council rammed through a reckless tax.", "Officials met on Monday.", "Not shown."]
    src.write_text("".join(json.dumps({"body": t}) + "\n" for t in texts))
    out = tmp_path / "r.html"
    assert main(["report", str(src), "-o", str(out), "--text-field", "body", "--limit", "2", "--title", "Mine", "-q"]) == 0
    p = Page(out.read_text(encoding="utf-8"))
    assert p.prose == texts[:2] and p.find("h1")[0][1] == "Mine"


def test_report_command_names_a_bad_input(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"body": "x"}) + "\n")
    assert main(["report", str(src), "-o", str(tmp_path / "r.html")]) == 1
    err = capsys.readouterr().err
    assert "framing report" in err and "--text-field" in err


def test_report_shows_ids_titles_outlets_thresholds_and_a_progress_bar(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    rows = [{"id": f"a{i}", "title": f"Headline {i}", "source": "Daily Planet", "text": t}
            for i, t in enumerate(["The shameless council rammed through a reckless tax.", "Officials met on Monday."])]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "r.html"
    assert main(["report", str(src), "-o", str(out), "--threshold", "loaded=0.05"]) == 0
    page = out.read_text(encoding="utf-8")
    heads = [t for _, t in Page(page).find("div", "para-head")]
    assert all(f"Headline {i}" in h and "Daily Planet" in h and f"id a{i}" in h for i, h in enumerate(heads))
    assert "a record or paragraph is loaded at a loaded score of 0.05" in page
    assert "2/2 records" in capsys.readouterr().err


def test_a_large_report_shows_the_first_records_in_full_and_the_rest_as_rows(nlp):
    texts = [f"The shameless council rammed through reckless tax {i}." for i in range(12)]
    docs = list(nlp.pipe(texts))
    page = framing.render(docs, [framing.explain(nlp, t) for t in texts[:5]], max_records=5,
                          records=[{"title": f"T{i}"} for i in range(12)])
    p = Page(page)
    assert p.prose == texts[:5]
    assert [a["href"] for a, _ in p.find("a") if a.get("href", "").startswith("#p")][:5] == [f"#p{i}" for i in range(1, 6)]
    assert [t for _, t in p.find("h2")].count("The other 7 records") == 1
    assert [float(a["data-loaded-score"]) for a, _ in p.find("tr")[1:]] == [d.loaded_score for d in docs[5:]]
    stats = [t for _, t in p.find("ul", "stats")][0]
    assert f"of {len(texts)}records loaded" in stats  # the summary counts every record


def test_chart_values_fit_with_four_digit_counts():
    from framing.presenting.render import _bar_chart

    svg = _bar_chart([("Loaded_Language", 12345.0, "12,345 sentences"), ("Doubt", 3.0, "3 sentences")], "t")
    width = int(re.search(r'width="(\d+)"', svg).group(1))
    x = float(re.search(r'class="value" x="([\d.]+)"', svg).group(1))
    assert width - x >= 9 * len("12,345 sentences")  # 14px text is under 9px a character


def test_summary_tiles_are_a_grid():
    from framing.presenting.render import CSS

    assert re.search(r"\.stats\{display:grid;grid-template-columns:repeat\(auto-fill,minmax\([\d.]+rem,1fr\)\)", CSS)
