"""Reading the report back: its elements, its prose as it reads, and colour contrast."""
from html.parser import HTMLParser


class Page(HTMLParser):
    """The elements of a page as (tag, attributes, text inside), and each paragraph's prose as it reads."""

    SKIP = {"abbr", "tip", "sref", "note"}  # what the report adds inside the prose besides the text (notes sit beside it)

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict, list[str]]] = []
        self.open: list[tuple[str, dict, list[str]]] = []
        self.prose: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = (tag, dict(attrs), [])
        if tag not in {"meta", "rect", "br"}:
            self.open.append(element)
        self.elements.append(element)
        if "prose" in element[1].get("class", "").split():
            self.prose.append("")

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs), []))

    def handle_endtag(self, tag):
        if any(t == tag for t, _, _ in self.open):  # "</rect>" after a void "<rect>" closes nothing
            while self.open.pop()[0] != tag:
                pass

    def handle_data(self, data):
        for _, _, text in self.open:
            text.append(data)
        classes = {c for _, a, _ in self.open for c in a.get("class", "").split()}
        if "prose" in classes and not classes & self.SKIP:
            self.prose[-1] += data

    def find(self, tag: str, cls: str | None = None) -> list[tuple[dict, str]]:
        return [(a, "".join(t)) for g, a, t in self.elements
                if g == tag and (cls is None or cls in a.get("class", "").split())]


def contrast(fg, bg) -> float:
    """WCAG contrast ratio of two colours, each ``#rrggbb`` or an ``(r, g, b)`` tuple of 0-255."""
    def lum(c):
        rgb = [int(c[i : i + 2], 16) for i in (1, 3, 5)] if isinstance(c, str) else list(c)
        r, g, b = [v / 255 / 12.92 if v / 255 <= 0.03928 else ((v / 255 + 0.055) / 1.055) ** 2.4 for v in rgb]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    hi, lo = sorted((lum(fg), lum(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
