"""One self-contained HTML page showing where and how texts are slanted.

``render(docs)`` returns the page as a string: inline CSS and SVG, no script, no font,
no link to anything outside the file. Each ``Doc`` is one record of the page with its
loaded-score bar (and its id, title and outlet when given); its loaded spans are ``<mark>``
elements placed by their offsets, and each biased sentence (each flagged one, with
``all_notes``) gets a numbered note beside it with its techniques, frames and, when
explanations are given, the reasons for each score in plain words (their log-odds on demand).
A long input shows its first ``max_records`` records in full and the others as rows of a table;
the summary counts them all.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from html import escape

from framing._version import __version__
from framing.scoring.doc import Doc, Sentence, Span
from framing.presenting.explain import Contribution, Explanation, ScoreExplanation, SentenceExplanation, SpanExplanation
from framing.presenting.words import reasons
from framing.scoring.labels import SPAN_TECHNIQUES

PALETTE: tuple[tuple[str, str, str], ...] = (
    ("#ffd966", "#7a5800", "solid"),
    ("#f7b6d2", "#8c1d4f", "wavy"),
    ("#a8d4ff", "#1f4f8a", "double"),
    ("#b9e4a8", "#2f5e1e", "dashed"),
    ("#dcc8ff", "#4d2f85", "dotted"),
)
"""Span label styles: (light-mode background, dark-mode background, underline style). Labels
take them in the order of ``SPAN_TECHNIQUES`` (then by name), so the underline style and the
abbreviation after each span tell labels apart without colour."""

TEXT_LIGHT, TEXT_DARK = "#1a1a1a", "#f2f2f2"
"""Text colour on span backgrounds, in light and dark mode."""

CSS = """
:root{color-scheme:light dark;--bg:#fafaf7;--fg:#1a1a1a;--muted:#555b61;--card:#fff;--line:#d6d6d0;
--tint:#fff1dc;--meter:#b4461a;--meter-bg:#e7e5df;--bar:#2f6db3;--chip:#eef0f3;--tip-bg:#1a1a1a;--tip-fg:#fff;
--focus:#1b5fd1;--mark-fg:TEXT_LIGHT;LIGHT_VARS}
@media (prefers-color-scheme:dark){:root{--bg:#15171b;--fg:#e9e7e3;--muted:#a9adb3;--card:#1e2127;--line:#3b4049;
--tint:#33291b;--meter:#ff8a5c;--meter-bg:#353a42;--bar:#7fb2f0;--chip:#2c3038;--tip-bg:#f2f2f2;--tip-fg:#111;
--focus:#8ab4ff;--mark-fg:TEXT_DARK;DARK_VARS}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
main,body>header{max-width:72rem;margin:0 auto;padding:0 1.5rem}
body>header{padding-top:1.5rem}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.2rem;margin:1.5rem 0 .75rem}.summary h2{margin-top:0}h3{font-size:1rem;margin:0 0 .5rem}
.muted,.sub{color:var(--muted)}.sub{margin:0 0 .75rem}
.legend{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;align-items:center;margin:.5rem 0 0;padding:0;list-style:none}
article.para{display:flow-root}
section.summary,section.rest-sec,nav.toc,article.para{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:1rem 1.25rem;margin:0 0 1rem}
.stats{display:grid;grid-template-columns:repeat(auto-fill,minmax(10.5rem,1fr));gap:.75rem;margin:0 0 1rem;padding:0;list-style:none}
.stats li{border:1px solid var(--line);border-radius:6px;padding:.5rem .75rem;background:var(--bg)}
.stats b{display:block;font-size:1.5rem;line-height:1.2}
.cutoffs{font-size:.85rem;color:var(--muted);margin:.75rem 0 0}
nav.toc{font-size:.9rem}nav.toc ol{columns:2 22rem;margin:.5rem 0 0;padding-left:1.5rem}nav.toc li{break-inside:avoid}
.meta{color:var(--muted)}.meta b{color:var(--fg)}
table.rest{border-collapse:collapse;width:100%;font-size:.85rem}table.rest th,table.rest td{text-align:left;padding:.2rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(22rem,1fr));gap:1.5rem}
svg.chart{max-width:100%;height:auto;font:14px system-ui,"DejaVu Sans",sans-serif}
svg.chart text{fill:var(--fg)}svg.chart .value{fill:var(--muted)}svg.chart .track{fill:var(--meter-bg)}svg.chart .bar{fill:var(--bar)}
.para-head{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;margin:0 0 .5rem;font-size:.9rem}
.pnum{font-weight:700}
.meter{display:inline-block;width:10rem;height:.8rem;background:var(--meter-bg);border:1px solid var(--line);border-radius:4px;overflow:hidden;vertical-align:middle}
.meter>span{display:block;height:100%;background:var(--meter)}
.verdict{font-weight:600}.verdict.no{font-weight:400;color:var(--muted)}
.prose,.para-foot{width:60%}
.prose{margin:0;white-space:pre-wrap;font-family:Georgia,"DejaVu Serif",serif;font-size:1.05rem;line-height:1.9}
aside.note{float:right;clear:right;width:60%;margin:0 -66% .6rem 0;white-space:normal;font:.88rem/1.45 system-ui,"DejaVu Sans",sans-serif;
border-left:3px solid var(--line);padding:.1rem 0 .3rem .75rem}
aside.note.biased{border-left-color:var(--meter)}
@media (max-width:52rem){.prose,.para-foot{width:auto}aside.note{float:none;display:block;width:auto;margin:.4rem 0}}
.para-foot{font-size:.9rem;margin-top:.5rem}
.sent.biased{background:var(--tint);border-bottom:2px dotted var(--meter)}
.sref{font:700 .7rem system-ui,"DejaVu Sans",sans-serif;vertical-align:super;margin-left:.15em;color:var(--muted);text-decoration:none}
.hl{position:relative}
mark.span,mark.key{color:var(--mark-fg);padding:.05em .15em;border-radius:3px;text-decoration-line:underline;text-decoration-thickness:2px;text-underline-offset:.25em}mark.span{cursor:help}
mark.span:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.abbr{font:700 .62rem system-ui,"DejaVu Sans",sans-serif;vertical-align:super;margin-left:.1em;letter-spacing:.02em}
.tip{display:none;position:absolute;left:0;top:calc(100% + .35rem);z-index:10;width:max-content;max-width:24rem;
padding:.5rem .65rem;border-radius:6px;white-space:normal;background:var(--tip-bg);color:var(--tip-fg);font:13px/1.45 system-ui,"DejaVu Sans",sans-serif;box-shadow:0 4px 14px rgba(0,0,0,.3)}
.hl:hover>.tip,mark.span:focus~.tip{display:block}
.tip .why-item{display:block;padding-left:.5rem}.tip .muted{color:inherit;opacity:.8}
.chip{display:inline-block;background:var(--chip);border:1px solid var(--line);border-radius:999px;padding:0 .5rem;margin:.1rem .15rem .1rem 0;font-size:.8rem;white-space:nowrap}
.chip.frame{border-style:dashed}.pframes{margin:0 0 .6rem;font-size:.85rem;color:var(--muted)}
details{margin:.25rem 0 0}summary{cursor:pointer;color:var(--muted)}
.why{margin:.25rem 0 .5rem;padding-left:1.1rem}.why li{margin:0}.plain{margin:.25rem 0;padding-left:1.1rem}
.num{font-variant-numeric:tabular-nums}
footer{max-width:72rem;margin:0 auto;padding:0 1.5rem 2rem;color:var(--muted);font-size:.85rem}
"""


def _pretty(label: str) -> str:
    """``Name_Calling-Labeling`` -> ``Name calling / labeling``."""
    words = label.replace("-", " / ").replace("_", " ")
    return words[:1] + words[1:].lower()


def _abbr(label: str) -> str:
    """``Loaded_Language`` -> ``LL``, ``Name_Calling-Labeling`` -> ``NCL``."""
    parts = label.replace("-", "_").split("_")
    return "".join(p[0].upper() for p in parts if p and p.lower() not in {"to", "the", "and", "of"})


def _styles(labels: Iterable[str]) -> dict[str, int]:
    """Span label -> its index in :data:`PALETTE`."""
    order = list(SPAN_TECHNIQUES) + sorted(set(labels) - set(SPAN_TECHNIQUES))
    return {label: i % len(PALETTE) for i, label in enumerate(order)}


def _css() -> str:
    light = "".join(f"--l{i}:{bg};" for i, (bg, _, _) in enumerate(PALETTE))
    dark = "".join(f"--l{i}:{bg};" for i, (_, bg, _) in enumerate(PALETTE))
    per_label = "".join(
        f".l{i}{{background:var(--l{i});text-decoration-style:{style}}}" for i, (_, _, style) in enumerate(PALETTE)
    )
    return (CSS.replace("LIGHT_VARS", light).replace("DARK_VARS", dark)
            .replace("TEXT_LIGHT", TEXT_LIGHT).replace("TEXT_DARK", TEXT_DARK) + per_label + "\n")


def _num(x: float) -> str:
    return f"{x:.2f}"


def _signed(x: float) -> str:
    return f"{x:+.2f}".replace("-", "\u2212")


def _quoted(c: Contribution) -> str:
    return f"\u201c{c.feature}\u201d" if c.kind == "n-gram" else c.feature


def _why_items(e: ScoreExplanation, tag: str = "li") -> str:
    """The explanation of one score as ``tag`` items: top features, then the intercept and the rest."""
    rows = [(c.contribution, f"{escape(c.kind)}: {escape(_quoted(c))}"
             + (f' <span class="muted">({escape(c.detail)})</span>' if c.detail else "")) for c in e.top]
    rows.append((e.intercept, "baseline (intercept)"))
    if abs(e.rest) >= 0.005:
        rows.append((e.rest, "all other features"))
    return "".join(f'<{tag} class="why-item"><span class="num">{_signed(v)}</span> {what}</{tag}>' for v, what in rows)


def _why(e: ScoreExplanation, name: str) -> str:
    return (f"<li><b>{escape(name)} {_num(e.score)}</b> <span class=\"muted\">(log-odds {_signed(e.logit)})</span>"
            f"<ul class=\"why\">{_why_items(e)}</ul></li>")


def _plain(e: ScoreExplanation, name: str) -> str:
    """One score and its reasons in words."""
    because = reasons(e)
    said = f": {escape('; '.join(because))}" if because else ""
    return f"<li><b>{escape(name)} {_num(e.score)}</b>{said}</li>"


def _explained(scores: list[tuple[ScoreExplanation, str]], summary: str) -> str:
    """Scores explained in words, with their log-odds behind a second disclosure."""
    plain = "".join(_plain(e, name) for e, name in scores)
    numbers = "".join(_why(e, name) for e, name in scores)
    return (f'<details><summary>{escape(summary)}</summary><ul class="plain">{plain}</ul>'
            f'<details class="logodds"><summary>In log-odds</summary><ul class="why">{numbers}</ul></details></details>')


def _tip(span: Span, pretty: str, expl: SpanExplanation | None) -> str:
    """The tooltip text of one span: label and score, and in words what gave the score when explained."""
    head = f"<b>{escape(pretty)}</b> \u00b7 score {_num(span.score)}" + (" \u00b7 in a quotation" if span.quoted else "")
    if expl is None or not expl.tokens:
        return head
    peak = expl.peak
    if peak.phrase is not None and peak.phrase_score >= peak.explanation.score:
        return f"{head}<br>a known loaded phrase: \u201c{escape(peak.phrase)}\u201d"
    e = peak.explanation
    tagged = "" if e.target == span.label else f" (as {escape(_pretty(e.target))})"
    because = reasons(e, 3)
    return (f"{head}<br>strongest word \u201c{escape(peak.text)}\u201d{tagged}"
            + (f", because of {escape('; '.join(because))}" if because else ""))


def _mark(span: Span, pid: str, n: int, style: int, expl: SpanExplanation | None) -> str:
    pretty = _pretty(span.label)
    tid = f"{pid}-t{n}"
    return (
        f'<span class="hl"><mark class="span l{style}" data-label="{escape(span.label)}" data-quoted="{str(span.quoted).lower()}" '
        f'data-score="{span.score}" data-start="{span.start}" data-end="{span.end}" tabindex="0" '
        f'title="{escape(pretty)}, score {_num(span.score)}" aria-describedby="{tid}">{escape(span.text)}</mark>'
        f'<sup class="abbr" aria-hidden="true">{escape(_abbr(span.label))}</sup>'
        f'<span class="tip" role="tooltip" id="{tid}">{_tip(span, pretty, expl)}</span></span>'
    )


def _flagged(sent: Sentence) -> bool:
    return sent.biased or bool(sent.labels) or bool(sent.spans)


def _check_span(doc: Doc, sent: Sentence, span: Span, cursor: int) -> None:
    if doc.text[span.start : span.end] != span.text or not (cursor <= span.start <= span.end <= sent.end):
        raise ValueError(
            f"span {span.text!r} at {span.start}:{span.end} does not match the text there "
            f"({doc.text[span.start:span.end]!r}) or overlaps another; render the Docs framing returned, unchanged"
        )


def _chips(names: list[str], cls: str) -> str:
    return "".join(f'<span class="chip {cls}" data-label="{escape(n)}">{escape(_pretty(n))}</span>' for n in names)


def _note(sent: Sentence, pid: str, n: int, e: SentenceExplanation | None) -> str:
    """The numbered note beside one sentence: its bias, techniques, frames, and why."""
    verdict = "biased" if sent.biased else "not biased"
    parts = [f'<span class="sref" aria-hidden="true">{n}</span> sentence bias <b class="num">{_num(sent.bias)}</b> '
             f"({verdict})"]
    if sent.labels:
        parts.append(f'<div>techniques: {_chips(sent.labels, "technique")}</div>')
    if sent.frames:
        parts.append(f'<div>frames: {_chips(sent.frames, "frame")}</div>')
    if e is not None:
        scores = [(e.bias, "bias")] + [(t, _pretty(t.target)) for t in e.techniques]
        scores += [(f, f"frame: {_pretty(f.target)}") for f in e.frames]
        parts.append(_explained(scores, "Why these scores"))
    return (f'<aside id="{pid}-n{n}" class="note {"biased" if sent.biased else "flagged"}" '
            f'data-start="{sent.start}" data-end="{sent.end}" aria-label="note {n}">{"".join(parts)}</aside>')


def _prose(doc: Doc, pid: str, styles: dict[str, int], expl: Explanation | None, all_notes: bool) -> str:
    """The text of ``doc`` with its sentences and marked spans, every piece cut at its offsets, and a
    note beside each biased sentence (each flagged one, with ``all_notes``)."""
    sentences = {s.start: s for s in expl.sentences} if expl else {}
    spans = {(sp.start, sp.end): sp for s in sentences.values() for sp in s.spans}
    text, out, pos, note, n = doc.text, [], 0, 0, 0
    for sent in doc.sentences:
        if text[sent.start : sent.end] != sent.text or sent.start < pos:
            raise ValueError(f"sentence {sent.text!r} at {sent.start}:{sent.end} does not match the text there; "
                             "render the Docs framing returned, unchanged")
        out.append(escape(text[pos : sent.start]))
        noted = sent.biased or (all_notes and _flagged(sent))
        if noted:
            note += 1
            out.append(_note(sent, pid, note, sentences.get(sent.start)))
        out.append(f'<span class="sent{" biased" if sent.biased else ""}" data-start="{sent.start}" '
                   f'data-end="{sent.end}" data-bias="{sent.bias}">')
        cursor = sent.start
        for span in sent.spans:
            _check_span(doc, sent, span, cursor)
            n += 1
            out.append(escape(text[cursor : span.start]))
            out.append(_mark(span, pid, n, styles[span.label], spans.get((span.start, span.end))))
            cursor = span.end
        out.append(escape(text[cursor : sent.end]))
        if noted:
            out.append(f'<a class="sref" href="#{pid}-n{note}" aria-label="note {note}">{note}</a>')
        out.append("</span>")
        pos = sent.end
    out.append(escape(text[pos:]))
    return "".join(out)


def _meta(meta: dict | None) -> str:
    """A record's id, title and outlet, as given."""
    if not meta:
        return ""
    parts = []
    if meta.get("title") not in (None, ""):
        parts.append(f"<b>{escape(str(meta['title']))}</b>")
    if meta.get("outlet") not in (None, ""):
        parts.append(escape(str(meta["outlet"])))
    if meta.get("id") not in (None, ""):
        parts.append(f"id {escape(str(meta['id']))}")
    return '<span class="meta">' + " \u00b7 ".join(parts) + "</span>" if parts else ""


def _paragraph(doc: Doc, i: int, styles: dict[str, int], expl: Explanation | None, meta: dict | None,
               all_notes: bool) -> str:
    pid = f"p{i}"
    pct = round(100 * doc.loaded_score)
    verdict = '<span class="verdict yes">loaded</span>' if doc.loaded else '<span class="verdict no">not loaded</span>'
    foot = [f'<p class="pframes">frames: {_chips(doc.frames, "frame")}</p>'] if doc.frames else []
    if expl is not None and expl.loaded is not None:
        foot.append(_explained([(expl.loaded, "loaded")], "Why this loaded score"))
    return (
        f'<article class="para" id="{pid}" data-loaded-score="{doc.loaded_score}">'
        f'<div class="para-head"><span class="pnum">\u00b6 {i}</span>{_meta(meta)}'
        f'<span class="meter" role="meter" aria-valuemin="0" aria-valuemax="1" aria-valuenow="{doc.loaded_score}" '
        f'aria-label="Loaded score of record {i}"><span style="width:{pct}%"></span></span>'
        f'<span>loaded score <b class="num">{_num(doc.loaded_score)}</b></span>{verdict}</div>'
        f'<div class="prose">{_prose(doc, pid, styles, expl, all_notes)}</div>'
        f'<div class="para-foot">{"".join(foot)}</div></article>'
    )


def _bar_chart(rows: list[tuple[str, float, str]], title: str) -> str:
    """An inline-SVG bar chart, one ``(label, value, value as text)`` row per bar: the label above its bar, the value after it."""
    if not rows:
        return f'<p class="muted">No {escape(title.split(",")[0].lower())}.</p>'
    bar_w, row_h = 280, 40
    value_w = 16 + 9 * max(len(shown) for _, _, shown in rows)  # room for the longest value at 14px
    label_w = 9 * max(len(_pretty(label)) for label, _, _ in rows)
    width, height = max(bar_w + value_w, label_w), row_h * len(rows)
    top = max(v for _, v, _ in rows) or 1.0
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for k, (label, value, shown) in enumerate(rows):
        y = k * row_h
        parts.append(
            f'<g class="row" data-label="{escape(label)}" data-value="{value}">'
            f'<text x="0" y="{y + 14}">{escape(_pretty(label))}</text>'
            f'<rect class="track" x="0" y="{y + 20}" width="{bar_w}" height="14" rx="3"/>'
            f'<rect class="bar" x="0" y="{y + 20}" width="{max(bar_w * value / top, 2.0):.1f}" height="14" rx="3"/>'
            f'<text class="value" x="{bar_w + 8}" y="{y + 32}">{escape(shown)}</text></g>'
        )
    return "".join(parts) + "</svg>"


CUTOFFS = (("loaded", "a record or paragraph is loaded at a loaded score of {}"), ("bias", "a sentence is biased at {}"),
           ("technique", "a technique is chosen at {}"), ("frame", "a frame of a text at {}"),
           ("frame_evidence", "backed by a sentence at {}"), ("sentence_frame", "a frame of a sentence at {}"))


def _cutoffs(thresholds: dict | None) -> str:
    """The decision thresholds in words (see ``Scorer.thresholds``)."""
    if not thresholds:
        return ""
    said = [what.format(_num(v) if isinstance(v, (int, float)) else "a cut of its own per label")
            for name, what in CUTOFFS if name in thresholds for v in [thresholds[name]]]
    return f'<p class="cutoffs">Cut-offs: {escape("; ".join(said))}. Scores are 0 to 1.</p>'


def _summary(docs: list[Doc], thresholds: dict | None) -> str:
    sentences = [s for d in docs for s in d.sentences]
    spans = Counter(span.label for d in docs for span in d.spans)
    techniques = Counter(label for s in sentences for label in s.labels)
    frames = Counter(frame for s in sentences for frame in s.frames)

    def sents(n: int) -> str:
        return f"{n:,} sentence{'s' if n != 1 else ''}"

    stats = [
        (f"{sum(d.loaded for d in docs):,} of {len(docs):,}", "records loaded"),
        (f"{sum(s.biased for s in sentences):,} of {len(sentences):,}", "sentences biased"),
        (f"{sum(spans.values()):,}", "loaded phrases"),
        (f"{sum(span.quoted for d in docs for span in d.spans):,}", "of them in quotations"),
    ]
    if len(spans) > 1:
        stats += [(f"{n:,}", f"{_pretty(label).lower()} phrases") for label, n in spans.most_common()]
    stat_html = "".join(f"<li><b class=\"num\">{escape(v)}</b>{escape(k)}</li>" for v, k in stats)
    top_techniques = [(t, float(n), sents(n)) for t, n in techniques.most_common(8)]
    frame_rows = [(f, float(n), sents(n)) for f, n in frames.most_common()]
    return (
        '<section class="summary" aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2>'
        f'<ul class="stats">{stat_html}</ul><div class="charts">'
        f'<div class="techniques"><h3>Top techniques</h3>{_bar_chart(top_techniques, "Top techniques, by sentences")}</div>'
        f'<div class="frames"><h3>Frames</h3>{_bar_chart(frame_rows, "Frames, by sentences")}</div>'
        f"</div>{_cutoffs(thresholds)}</section>"
    )


def _name(doc: Doc, meta: dict | None, n: int = 70) -> str:
    """What a record is called in the contents: its title, else its id, else the start of its text."""
    meta = meta or {}
    for key in ("title", "id"):
        if meta.get(key) not in (None, ""):
            return str(meta[key]) if key == "title" else f"id {meta[key]}"
    text = " ".join(doc.text.split())
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def _toc(docs: list[Doc], metas: list) -> str:
    items = "".join(f'<li><a href="#p{i}">{escape(_name(d, m))}</a> <span class="num muted">{_num(d.loaded_score)}'
                    f'{" loaded" if d.loaded else ""}</span></li>' for i, (d, m) in enumerate(zip(docs, metas), 1))
    return (f'<nav class="toc" aria-labelledby="toc-h"><h2 id="toc-h">Contents</h2><details{" open" if len(docs) <= 30 else ""}>'
            f'<summary>{len(docs):,} records in full, with their loaded scores</summary><ol>{items}</ol></details></nav>')


def _rest(docs: list[Doc], metas: list, first: int) -> str:
    """The records not shown in full, one table row each."""
    rows = "".join(
        f'<tr data-loaded-score="{d.loaded_score}"><td class="num">{i}</td><td>{escape(_name(d, m))}</td>'
        f'<td class="num">{_num(d.loaded_score)}</td><td>{"loaded" if d.loaded else ""}</td>'
        f'<td>{escape(", ".join(_pretty(x) for x in d.labels))}</td><td class="num">{len(d.spans)}</td></tr>'
        for i, (d, m) in enumerate(zip(docs, metas), first))
    return (f'<section class="rest-sec" aria-labelledby="rest-h"><h2 id="rest-h">The other {len(docs):,} records</h2>'
            '<p class="sub">Not shown in full, to keep the page quick to open (raise the cap, e.g. '
            '<code>framing report --max-records N</code>, or score them to a file with <code>framing score</code>); '
            'the summary above counts them.</p><table class="rest"><thead><tr><th>#</th><th>record</th>'
            '<th>loaded score</th><th></th><th>techniques</th><th>loaded phrases</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></section>")


def _legend(styles: dict[str, int], labels: set[str]) -> str:
    if not labels:
        return '<p class="sub">No loaded phrase found.</p>'
    keys = "".join(
        f'<li><mark class="key l{styles[label]}">{escape(_pretty(label))}</mark>'
        f'<sup class="abbr">{escape(_abbr(label))}</sup></li>'
        for label in sorted(labels, key=lambda label: styles[label])
    )
    return f'<ul class="legend" aria-label="Loaded-phrase labels"><li class="muted">Marked phrases:</li>{keys}</ul>'


def render(docs: Doc | Iterable[Doc], explanations: Iterable[Explanation | None] | None = None,
           title: str = "framing report", *, records: Iterable[dict | None] | None = None,
           thresholds: dict | None = None, all_notes: bool = False, max_records: int | None = None) -> str:
    """A self-contained HTML page showing ``docs`` (scored texts), each as one record.

    ``explanations``, one per doc in the same order (``framing.explain(nlp, doc.text)``, or None
    to skip one), add the reasons behind each score. ``records``, one dict per doc, give its
    ``id``, ``title`` and ``outlet`` to show (any may be missing). ``thresholds`` (e.g.
    ``dict(nlp.thresholds)``) are shown in the summary. A note goes beside each biased sentence;
    ``all_notes`` adds one for every other sentence with a technique or a loaded phrase. With
    ``max_records``, only the first that many records are shown in full, the others as table rows
    (their explanations are not needed). Spans are placed by their offsets, so the docs must be as
    framing returned them.

    >>> import framing
    >>> nlp = framing.load()
    >>> page = framing.render([nlp("A shameless power grab.")])
    >>> page.startswith("<!doctype html>") and "shameless power grab</mark>" in page
    True
    """
    docs = [docs] if isinstance(docs, Doc) else list(docs)
    for i, d in enumerate(docs):
        if not isinstance(d, Doc):
            raise TypeError(f"render expects framing Doc objects, got {type(d).__name__} at position {i}; "
                            "score the texts first, e.g. framing.render([nlp(text) for text in texts])")
    if max_records is not None and max_records < 1:
        raise ValueError(f"max_records must be at least 1, got {max_records}")
    shown = len(docs) if max_records is None else min(max_records, len(docs))
    expl = [None] * len(docs) if explanations is None else list(explanations)
    if len(expl) not in (len(docs), shown):
        raise ValueError(f"got {len(expl)} explanations for {len(docs)} docs; pass one per doc (None to skip one)")
    metas = [None] * len(docs) if records is None else list(records)
    if len(metas) != len(docs):
        raise ValueError(f"got {len(metas)} records for {len(docs)} docs; pass one dict (or None) per doc")
    for i, (d, e) in enumerate(zip(docs, expl)):
        if e is not None and e.text != d.text:
            raise ValueError(f"explanations[{i}] is for another text than docs[{i}]; pass framing.explain(nlp, doc.text) "
                             "for each doc, in the same order")
    labels = {span.label for d in docs[:shown] for span in d.spans}
    styles = _styles(labels)
    n_sent = sum(len(d.sentences) for d in docs)
    paragraphs = "".join(_paragraph(d, i, styles, e, m, all_notes)
                         for i, (d, e, m) in enumerate(zip(docs[:shown], expl, metas), 1))
    toc = _toc(docs[:shown], metas) if shown > 1 else ""
    rest = _rest(docs[shown:], metas[shown:], shown + 1) if shown < len(docs) else ""
    noted = "each flagged sentence's" if all_notes else "each biased sentence's"
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light dark">'
        f'<meta name="generator" content="framing {__version__}"><title>{escape(title)}</title>'
        f"<style>{_css()}</style></head><body>"
        f"<header><h1>{escape(title)}</h1>"
        f'<p class="sub">Scored by framing {__version__}: {len(docs):,} record{"s" if len(docs) != 1 else ""}, '
        f"{n_sent:,} sentence{'s' if n_sent != 1 else ''}. Loaded phrases are marked; hover over one or tab to it "
        f"for its score. Numbered notes beside the text give {noted} techniques and frames.</p>"
        f"{_legend(styles, labels)}</header><main>{_summary(docs, thresholds)}{toc}"
        f'<section class="text" aria-labelledby="text-h"><h2 id="text-h">Text</h2>{paragraphs}</section>{rest}</main>'
        "<footer>Scores are a model's guesses (0 to 1), not verdicts: framing marks language that annotators "
        "often call slanted. Each note's \u201cwhy\u201d gives the main reasons in words; \u201cin log-odds\u201d "
        "gives every number behind a score.</footer>"
        "</body></html>\n"
    )
