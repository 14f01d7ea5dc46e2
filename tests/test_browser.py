"""The report in a real browser: headless Chromium reads the page of the example article.

Skipped when no ``chromium`` (or ``chromium-browser``) is on the PATH; on Debian,
``apt-get install chromium``. Screenshots go to pytest's temporary directory, and are
copied (with the page) to ``$FRAMING_SCREENSHOT_DIR`` when it is set (``reports/`` is
ignored by git).
"""
import json
import os
import re
import shutil
import struct
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest

import framing
from framing.corpus.records import read_records
from htmlpage import Page, contrast

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium on PATH; install it (Debian: apt-get install chromium) to test the report in a browser"
)]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]
SCHEMES = {"light": "--blink-settings=preferredColorScheme=1", "dark": "--blink-settings=preferredColorScheme=0"}

PROBE = """<script>
const marks = [...document.querySelectorAll('mark.span')].map(m => {
  const s = getComputedStyle(m);
  return {label: m.dataset.label, color: s.color, background: s.backgroundColor, underline: s.textDecorationStyle,
          tip: getComputedStyle(document.getElementById(m.getAttribute('aria-describedby'))).display};
});
const shows = [...document.styleSheets[0].cssRules].filter(r => r.style && r.style.display === 'block' && r.selectorText.includes('.tip'));
document.body.dataset.probe = JSON.stringify({marks, tipShownOn: shows.map(r => r.selectorText).join(' '),
  dark: matchMedia('(prefers-color-scheme: dark)').matches, background: getComputedStyle(document.body).backgroundColor});
</script>"""


def chromium(workdir: Path, *args: str) -> str:
    """Run headless Chromium with a fresh profile; its standard output."""
    profile = tempfile.mkdtemp(prefix="chromium-profile-", dir=workdir)
    proc = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"chromium failed ({proc.returncode}): {proc.stderr[-2000:]}"
    return proc.stdout


def rgb(css: str) -> tuple[int, ...]:
    return tuple(int(v) for v in re.findall(r"\d+", css)[:3])


@pytest.fixture(scope="module")
def report(nlp, tmp_path_factory):
    """The example article's docs, and its report written to a file."""
    texts = [r.text for r in read_records(ROOT / "examples" / "article.txt")]
    docs = list(nlp.pipe(texts))
    path = tmp_path_factory.mktemp("report") / "article.html"
    path.write_text(framing.render(docs, [framing.explain(nlp, t) for t in texts], title="article.txt"), encoding="utf-8")
    return docs, path


def test_the_browser_shows_every_span_marked_with_its_text(report, tmp_path):
    docs, path = report
    dom = Page(chromium(tmp_path, "--dump-dom", path.as_uri()))
    spans = [s for d in docs for s in d.spans]
    assert len(spans) >= 4
    marks = dom.find("mark", "span")
    assert [(text, a["data-label"], int(a["data-start"]), int(a["data-end"])) for a, text in marks] == [
        (s.text, s.label, s.start, s.end) for s in spans]
    assert dom.prose == [d.text for d in docs]  # the browser kept every mark inside its paragraph
    assert len(dom.find("article", "para")) == len(docs)
    assert any(a.get("role") == "img" for a, _ in dom.find("svg"))


@pytest.mark.parametrize("scheme", SCHEMES)
def test_spans_are_readable_and_told_apart_without_colour(report, tmp_path, scheme):
    _, path = report
    probed = tmp_path / "probed.html"
    probed.write_text(path.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    (body,) = Page(chromium(tmp_path, SCHEMES[scheme], "--dump-dom", probed.as_uri())).find("body")
    probe = json.loads(body[0]["data-probe"])
    assert probe["dark"] == (scheme == "dark")
    assert contrast(rgb(probe["background"]), (0, 0, 0) if scheme == "dark" else (255, 255, 255)) < 1.3
    assert probe["marks"]
    for m in probe["marks"]:
        assert contrast(rgb(m["color"]), rgb(m["background"])) >= 4.5, m
        assert m["tip"] == "none"  # shown on hover and focus only
    assert ":hover" in probe["tipShownOn"] and ":focus" in probe["tipShownOn"]
    styles = {m["label"]: m["underline"] for m in probe["marks"]}
    assert len(set(styles.values())) == len(styles)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_screenshot_of_the_report(report, tmp_path, scheme):
    _, path = report
    png = tmp_path / f"article-{scheme}.png"
    chromium(tmp_path, SCHEMES[scheme], "--hide-scrollbars", "--window-size=1280,2700", f"--screenshot={png}",
             path.as_uri())
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1280, 2700)
    assert len(data) > 30_000  # a blank page compresses to a few kB
    keep = os.environ.get("FRAMING_SCREENSHOT_DIR")
    if keep:
        out = ROOT / keep  # a relative directory is under the repository (reports/ is ignored by git)
        out.mkdir(parents=True, exist_ok=True)
        shutil.copy(png, out / png.name)
        shutil.copy(path, out / path.name)


LAYOUT = """<script>
const box = e => e.getBoundingClientRect();
const notes = [...document.querySelectorAll('aside.note')].map(n => {
  const sent = document.querySelector(`#${n.closest('article').id} .sent[data-start="${n.dataset.start}"]`);
  const prose = n.closest('.prose');
  return {left: box(n).left, top: box(n).top, proseRight: box(prose).right - 1, sentTop: box(sent).top,
          sentBottom: box(sent).bottom, first: n.closest('article').querySelector('aside.note') === n};
});
const clipped = [...document.querySelectorAll('svg.chart text')].filter(t => {
  const svg = t.closest('svg'); return box(t).right > box(svg).right + 0.5 || box(t).left < box(svg).left - 0.5; }).length;
const tiles = [...document.querySelectorAll('.stats li')].map(li => [Math.round(box(li).width), Math.round(box(li).height)]);
document.body.dataset.layout = JSON.stringify({notes, clipped, tiles});
</script>"""


def test_notes_sit_beside_their_sentences_and_nothing_is_clipped(report, tmp_path):
    _, path = report
    probed = tmp_path / "layout.html"
    probed.write_text(path.read_text(encoding="utf-8").replace("</body>", LAYOUT + "</body>"), encoding="utf-8")
    (body,) = Page(chromium(tmp_path, "--window-size=1280,2700", "--dump-dom", probed.as_uri())).find("body")
    layout = json.loads(body[0]["data-layout"])
    assert layout["notes"]
    for n in layout["notes"]:
        assert n["left"] >= n["proseRight"], n  # in the margin, not over the text
        assert n["top"] >= n["sentTop"] - 30, n  # never above its sentence
        if n["first"]:
            assert n["top"] <= n["sentBottom"], n  # level with it
    assert layout["clipped"] == 0
    assert len({w for w, _ in layout["tiles"]}) == 1 and len({h for _, h in layout["tiles"]}) == 1  # a tidy grid



COMPARE_PROBE = """<script>
const section = document.querySelector('section.measure');
const names = () => [...section.querySelectorAll('tbody tr')].map(r => r.dataset.name);
const byValue = names();
section.querySelector("button[data-sort='name']").click();
const byName = names();
const pt = getComputedStyle(section.querySelector('tr:not(.few) .pt')), card = getComputedStyle(section);
document.body.dataset.probe = JSON.stringify({byValue, byName, point: pt.backgroundColor, card: card.backgroundColor,
  text: getComputedStyle(section.querySelector('td.name')).color, dark: matchMedia('(prefers-color-scheme: dark)').matches,
  pressed: section.querySelector("button[data-sort='name']").getAttribute('aria-pressed')});
</script>"""


@pytest.fixture(scope="module")
def comparison_page(tmp_path_factory):
    """A comparison of five made-up outlets (one of them small) against a reference, as a page."""
    rng = np.random.default_rng(5)
    records = []
    for name, rate, n in (("Daily Example", 0.5, 60), ("The Reference", 0.3, 80), ("Wire Service", 0.2, 70),
                          ("Opinion Weekly", 0.7, 40), ("Tiny Gazette", 0.6, 8)):
        for _ in range(n):
            sentences = [{"bias": float(b), "biased": bool(b > 0.5), "frames": [],
                          "labels": ["Loaded_Language"] if b > 0.6 else []} for b in rng.beta(10 * rate, 10 * (1 - rate), 6)]
            records.append({"source": name, "loaded_score": float(rng.beta(10 * rate, 10 * (1 - rate))),
                            "loaded": bool(rng.random() < rate), "sentences": sentences})
    result = framing.compare(records, by="source", against="The Reference")
    path = tmp_path_factory.mktemp("compare") / "compare.html"
    path.write_text(framing.render_comparison(result, title="Five outlets"), encoding="utf-8")
    return result, path


@pytest.mark.parametrize("scheme", SCHEMES)
def test_comparison_page_sorts_and_reads_in_light_and_dark(comparison_page, tmp_path, scheme):
    result, path = comparison_page
    probed = tmp_path / "probed.html"
    probed.write_text(path.read_text(encoding="utf-8").replace("</body>", COMPARE_PROBE + "</body>"), encoding="utf-8")
    dom = Page(chromium(tmp_path, SCHEMES[scheme], "--dump-dom", probed.as_uri()))
    probe = json.loads(dom.find("body")[0][0]["data-probe"])
    assert probe["dark"] == (scheme == "dark")
    values = {r["source"]: r["value"] for r in result.rows if r["measure"] == "loaded_score"}
    assert probe["byValue"] == sorted(values, key=values.get, reverse=True)
    assert probe["byName"] == sorted(values) and probe["pressed"] == "true"
    assert contrast(rgb(probe["point"]), rgb(probe["card"])) >= 3  # a graphical object (WCAG 1.4.11)
    assert contrast(rgb(probe["text"]), rgb(probe["card"])) >= 4.5
    assert [text for a, text in dom.find("td", "name") if "Tiny" in text][0].endswith("†")


@pytest.mark.parametrize("scheme", SCHEMES)
def test_screenshot_of_the_comparison_page(comparison_page, tmp_path, scheme):
    _, path = comparison_page
    png = tmp_path / f"compare-{scheme}.png"
    chromium(tmp_path, SCHEMES[scheme], "--hide-scrollbars", "--window-size=1280,1400", f"--screenshot={png}", path.as_uri())
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", data[16:24]) == (1280, 1400)
    assert len(data) > 30_000
    keep = os.environ.get("FRAMING_SCREENSHOT_DIR")
    if keep:
        out = ROOT / keep
        out.mkdir(parents=True, exist_ok=True)
        shutil.copy(png, out / png.name)
        shutil.copy(path, out / path.name)
