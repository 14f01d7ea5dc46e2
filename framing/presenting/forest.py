"""One self-contained HTML page of a corpus comparison: a forest plot (points with intervals) per measure.

``render_comparison(result)`` takes what :func:`framing.compare` returns and gives the page as a
string: inline CSS, and a few lines of inline script that sort the groups by value, by name or by
articles (without the script the groups stay sorted by value, highest first). Nothing outside the
file is linked. Each measure is a table, one row per group: its name, articles, the value with its
95% interval as text, the interval drawn on a scale shared by the groups, and the difference from
the reference group when there is one. A group with fewer articles than ``min_articles`` is drawn
hollow and marked with a dagger. It reads in light and dark mode.
"""
from __future__ import annotations

from html import escape

from framing._version import __version__
from framing.scoring.labels import TECHNIQUES

CSS = """
:root{color-scheme:light dark;--bg:#fafaf7;--fg:#1a1a1a;--muted:#555b61;--card:#fff;--line:#d6d6d0;--track:#e7e5df;
--point:#2f6db3;--ci:#2f6db3;--ref:#b4461a;--few:#8a8f96;--focus:#1b5fd1}
@media (prefers-color-scheme:dark){:root{--bg:#15171b;--fg:#e9e7e3;--muted:#a9adb3;--card:#1e2127;--line:#3b4049;
--track:#353a42;--point:#7fb2f0;--ci:#7fb2f0;--ref:#ff8a5c;--few:#8d939b;--focus:#8ab4ff}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
main,body>header,footer{max-width:72rem;margin:0 auto;padding:0 1.5rem}
body>header{padding-top:1.5rem}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:0 0 .25rem}
.muted{color:var(--muted)}
section.measure{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:1rem 1.25rem;margin:0 0 1rem}
.sorts{margin:.25rem 0 .5rem;font-size:.85rem}
.sorts button{font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--line);border-radius:999px;padding:0 .6rem;margin-right:.25rem;cursor:pointer}
.sorts button[aria-pressed=true]{border-color:var(--point);font-weight:600}
button:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th{text-align:left;font-weight:600;color:var(--muted);border-bottom:1px solid var(--line);padding:.2rem .5rem}
td{padding:.15rem .5rem;border-bottom:1px solid var(--line);vertical-align:middle}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.name{min-width:10rem;max-width:18rem;overflow-wrap:anywhere}
td.plot{width:40%;min-width:12rem}
.scale{position:relative;height:1.1rem;background:linear-gradient(var(--track),var(--track)) 0 50%/100% 1px no-repeat}
.ci{position:absolute;top:calc(50% - 2px);height:4px;background:var(--ci);border-radius:2px;min-width:2px}
.pt{position:absolute;top:calc(50% - .35rem);width:.7rem;height:.7rem;margin-left:-.35rem;border-radius:50%;background:var(--point);border:2px solid var(--point)}
.refline{position:absolute;top:0;bottom:0;border-left:2px dashed var(--ref)}
tr.few .pt{background:var(--card);border-color:var(--few)}tr.few .ci{background:var(--few)}tr.few td.name{color:var(--muted)}
tr.reference td.name{font-weight:700}
.axis{display:flex;justify-content:space-between;font-size:.75rem;color:var(--muted)}
footer{padding-bottom:2rem;color:var(--muted);font-size:.85rem}
"""

SCRIPT = """<script>
for (const section of document.querySelectorAll('section.measure')) {
  const body = section.querySelector('tbody'), buttons = section.querySelectorAll('.sorts button');
  for (const b of buttons) b.addEventListener('click', () => {
    const key = b.dataset.sort, rows = [...body.rows];
    rows.sort((x, y) => key === 'name' ? x.dataset.name.localeCompare(y.dataset.name)
                                        : Number(y.dataset[key]) - Number(x.dataset[key]));
    for (const r of rows) body.appendChild(r);
    for (const o of buttons) o.setAttribute('aria-pressed', String(o === b));
  });
}
</script>"""


def _fmt(measure: str, x: float | None, sign: bool = False) -> str:
    if x is None or x != x:
        return "n/a"
    digits = 1 if measure in TECHNIQUES else 3
    return f"{x:+.{digits}f}" if sign else f"{x:.{digits}f}"


def _measure_section(comparison, measure: str, rows: list[dict], index: int) -> str:
    lows = [r["low"] for r in rows if r["low"] == r["low"]]
    highs = [r["high"] for r in rows if r["high"] == r["high"]]
    lo, hi = (min(lows), max(highs)) if lows else (0.0, 1.0)
    if hi - lo < 1e-12:
        lo, hi = lo - 0.5, hi + 0.5
    pad = (hi - lo) * 0.04
    lo, hi = max(lo - pad, 0.0), hi + pad if measure in TECHNIQUES else min(hi + pad, 1.0)  # shares stay in [0, 1]

    def at(x: float) -> str:
        return f"{100 * (x - lo) / (hi - lo):.2f}%"

    against = bool(comparison.against)
    ref = next((r for r in rows if against and r.get("diff") is None and r["reference"] == comparison.label(r)), None)
    head = ("<tr><th>group</th><th class='num'>articles</th><th class='num'>value (95% interval)</th>"
            f"<th>{escape(_fmt(measure, lo))} &ndash; {escape(_fmt(measure, hi))}</th>"
            + ("<th class='num'>difference from the reference</th>" if against else "") + "</tr>")
    body = []
    for r in sorted(rows, key=lambda r: -r["value"] if r["value"] == r["value"] else float("inf")):
        name = comparison.label(r)
        classes = " ".join(c for c, on in (("few", r["few"]), ("reference", r is ref)) if on)
        line = "" if ref is None else f"<span class='refline' style='left:{at(ref['value'])}'></span>"
        ci = "" if r["low"] != r["low"] else (f"<span class='ci' style='left:{at(r['low'])};"
                                             f"width:calc({at(r['high'])} - {at(r['low'])})'></span>")
        label = (f"{name}: {_fmt(measure, r['value'])}, 95% interval {_fmt(measure, r['low'])} to "
                 f"{_fmt(measure, r['high'])}")
        plot = (f"<div class='scale' role='img' aria-label='{escape(label)}'>{line}{ci}"
                f"<span class='pt' style='left:{at(r['value'])}'></span></div>")
        diff = ""
        if against:
            diff = ("<td class='num'>reference</td>" if r is ref else "<td class='num'>n/a</td>" if r.get("diff") is None
                    else f"<td class='num'>{_fmt(measure, r['diff'], True)} ({_fmt(measure, r['diff_low'], True)} to "
                         f"{_fmt(measure, r['diff_high'], True)})</td>")
        body.append(
            f"<tr class='{classes}' data-name='{escape(name)}' data-value='{r['value']:.6g}' data-articles='{r['articles']}'>"
            f"<td class='name'>{escape(name)}{' &dagger;' if r['few'] else ''}</td>"
            f"<td class='num'>{r['articles']:,}</td>"
            f"<td class='num'>{_fmt(measure, r['value'])} ({_fmt(measure, r['low'])}&ndash;{_fmt(measure, r['high'])})</td>"
            f"<td class='plot'>{plot}</td>{diff}</tr>")
    description = comparison.descriptions.get(measure, measure)
    return (f"<section class='measure' id='m{index}' aria-labelledby='h{index}'><h2 id='h{index}'>{escape(measure)}</h2>"
            f"<p class='muted'>{escape(description)}</p>"
            "<p class='sorts'>sort by: <button type='button' data-sort='value' aria-pressed='true'>value</button>"
            "<button type='button' data-sort='name' aria-pressed='false'>name</button>"
            "<button type='button' data-sort='articles' aria-pressed='false'>articles</button></p>"
            f"<table><thead>{head}</thead><tbody>{''.join(body)}</tbody></table></section>")


def render_comparison(comparison, title: str = "framing: corpus comparison", measures=None) -> str:
    """The page of ``comparison`` (a :class:`framing.Comparison`): one forest plot per measure, in
    ``measures`` (default: every measure that is not zero in every group)."""
    by_measure: dict[str, list[dict]] = {}
    for r in comparison.rows:
        by_measure.setdefault(r["measure"], []).append(r)
    if measures is None:
        measures = [m for m in comparison.measures if any(r["high"] > 0 for r in by_measure.get(m, []))]
    sections = [_measure_section(comparison, m, by_measure[m], i) for i, m in enumerate(measures) if m in by_measure]
    groups = comparison.groups
    few = sum(g["few"] for g in groups)
    against = " / ".join(comparison.against) if comparison.against else None
    notes = [f"{len(groups):,} groups by {escape(', '.join(comparison.by))}, "
             f"{sum(g['articles'] for g in groups):,} articles, {sum(g['sentences'] for g in groups):,} sentences.",
             f"Intervals: 95% percentile bootstrap over whole "
             f"{'articles' if comparison.unit == 'article' else escape(comparison.unit) + ' values (all their articles at once)'}"
             f" ({comparison.replicates:,} replicates, seed "
             f"{comparison.seed}); they show how far a group's value could move with other articles from the same "
             "source, not how right the model is.",
             (f"&dagger; {few} group(s) with fewer than {comparison.min_articles} articles." if few else ""),
             (f"Dashed line: the reference group ({escape(against)})." if against else ""),
             (f"Sentences found in {comparison.dedupe} or more articles left out: {comparison.dropped_sentences:,}."
              if comparison.dedupe else "")]
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
            f"<header><h1>{escape(title)}</h1><p class='muted'>{' '.join(n for n in notes if n)}</p></header>"
            f"<main>{''.join(sections)}</main>"
            f"<footer>made by framing {escape(__version__)}</footer>{SCRIPT}</body></html>")
