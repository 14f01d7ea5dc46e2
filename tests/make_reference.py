"""Write ``tests/fixtures/reference.json``: the bundled model's ``to_dict()`` and explanation of fixed texts.

``tests/test_reference.py`` checks that scoring still gives exactly these outputs, so a
change to the code that should not change any score is proven not to. Run this again
(``python tests/make_reference.py``) only when a change is meant to change the scores, and
say so in the commit.
"""
from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "reference.json"
ARTICLE = HERE.parent / "examples" / "article.txt"

TEXTS = [
    "Pakistan's jealousy is apparent as India continues to secure high-profile visits and global recognition. "
    "While India and Russia strengthen their bond, Pakistan is left on the sidelines.",
    "The meeting took place on Tuesday in Washington.",
    "",
    "   \n\t ",
    "Radical bureaucrats rammed through a reckless scheme!!! Shameful.",
    "\"This is a disastrous scheme,\" the senator said, according to a statement released on Monday.",
    "Ohio Rep. Marcia Fudge said the effort to unseat Pelosi was not a failure.",
    "Is this really the best they can do? Critics doubt that the so-called reform will ever work.",
    "Our brave soldiers defend the homeland, and every patriot must stand with them.",
    "The central bank raised interest rates by a quarter point, citing inflation and a tight labour market.",
    "Ünïcödé tëxt with émojis 🙂 and a right-to-left mark \u200f and \u05e9\u05dc\u05d5\u05dd.",
    "No punctuation at all just a long run of words " * 30,
    "...!!!???\"\"''",
    "First paragraph of a longer text. It has two sentences.\n\nSecond paragraph: the so-called experts were wrong again, "
    "utterly and completely wrong. Third sentence here.",
    "A" * 500,
    "Mr. Smith went to Washington D.C. on Jan. 5, 2021. He met Dr. Jones at 3 p.m.",
]


def texts() -> list[str]:
    """The fixed texts: those above and the example article's paragraphs."""
    paragraphs = [p for p in ARTICLE.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    return TEXTS + paragraphs + [ARTICLE.read_text(encoding="utf-8")]


def outputs(nlp, explain) -> list[dict]:
    """Per fixed text: its doc's ``to_dict()`` and its explanation's (``explain(nlp, text)``)."""
    return [{"doc": nlp(t).to_dict(), "explanation": explain(nlp, t).to_dict()} for t in texts()]


if __name__ == "__main__":
    import framing

    FIXTURE.write_text(json.dumps(outputs(framing.load(), framing.explain), ensure_ascii=False, indent=0) + "\n",
                       encoding="utf-8")
    print(f"wrote {FIXTURE}")
