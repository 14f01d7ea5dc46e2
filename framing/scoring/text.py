"""Tokenization and sentence/paragraph segmentation with exact character offsets.

Every function returns ``(start, end)`` offsets into the string it was given, so
``text[start:end]`` is the unit itself. Each function makes one pass of a
precompiled regular expression over the text (no nested quantifiers over the
same characters, so no catastrophic backtracking) and decides each candidate
sentence boundary from a few characters around it: run time is linear in the
length of the input, whatever the input.
"""

from __future__ import annotations

import re

# Line-break characters, as str.splitlines() sees them.
_NL_CHARS = "\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029"
_HS = rf"[^\S{_NL_CHARS}]"  # whitespace other than line breaks
# Combining marks of common scripts, which Python's \w leaves out ("हिन्दी" is
# one word), plus zero-width (non-)joiners and variation selectors.
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7"
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed"
    "\u0900-\u0963\u0981-\u0df3\u0e31-\u0e3a\u0e47-\u0e4e\u0eb1-\u0ebc\u0ec8-\u0ecd"
    "\u102b-\u103e\u1056-\u109d\u17b4-\u17d3\u1ab0-\u1aff\u1dc0-\u1dff"
    "\u200c\u200d\u20d0-\u20ff\u3099\u309a\ufe00-\ufe0f\ufe20-\ufe2f"
)
_WORD = rf"[\w{_MARKS}]+(?:['’\-\u2010\u2011][\w{_MARKS}]+)*"

_PLAIN_TOKENS = (
    r"\d{1,3}(?:,\d{3}(?!\d))+(?:\.\d+)?|\d+\.\d+"  # 1,000  12,500.75  3.5
    rf"|{_WORD}"  # word: so-called, Trump’s, don't, COVID-19
    r"|[\U0001F1E6-\U0001F1FF]{2}"  # flag emoji
    r"|\S(?:[\ufe0e\ufe0f\U0001F3FB-\U0001F3FF]|\u200d\S)*"  # any other char (+ emoji modifiers)
)
TOKEN_RE: re.Pattern = re.compile(
    r"(?:https?://|www\.)[^\s<>\"“”]*[^\s<>\"“”.,;:!?'’)\]}]"  # URL, minus trailing punctuation
    r"|\w[\w.+-]{0,63}@[\w-]{1,63}(?:\.[\w-]{1,63})+"  # e-mail (bounded parts: linear)
    r"|[@#]\w+"  # @handle, #hashtag
    rf"|{_PLAIN_TOKENS}"
)
# Without "@", "#", "://" or "www." in a text, the first three branches cannot match
# anywhere in it, and this shorter pattern gives the same tokens about twice as fast.
_PLAIN_TOKEN_RE = re.compile(_PLAIN_TOKENS)
_SPECIAL = re.compile(r"[@#]|://|www\.")


def _token_re(text: str, start: int = 0, end: int | None = None) -> re.Pattern:
    return TOKEN_RE if _SPECIAL.search(text, start, len(text) if end is None else end) else _PLAIN_TOKEN_RE


def token_strings(text: str) -> list[str]:
    """The tokens of ``text`` as strings: the same tokens :func:`tokenize` gives offsets for.

    No token spans whitespace and the pattern looks at no character outside a match, so
    each whitespace-separated chunk is tokenized alone; a letters-and-digits chunk is
    one word token without asking the pattern.
    """
    findall = _token_re(text).findall
    out: list[str] = []
    for chunk in text.split():
        if chunk.isalnum():
            out.append(chunk)
        elif chunk[-1] in _TRAILING and chunk[:-1].isalnum():  # "said," "year." : what the pattern gives
            out += (chunk[:-1], chunk[-1])
        else:
            out.extend(findall(chunk))
    return out


_TRAILING = frozenset(',.;:!?")”’')
"""Marks that, after a letters-and-digits word, always make a token of their own."""

_TERM = ".!?…‽。！？।؟"  # sentence-final punctuation
_CLOSE = "\"'”’)]}»›"  # may follow it: quotes, brackets
_OPEN = "\"'“‘«‹([{¿¡"  # may precede the next sentence's first word
_T, _C, _O = (re.escape(chars) for chars in (_TERM, _CLOSE, _OPEN))

# The patterns below start with a character class, so the regex engine skips
# ahead in C to the few places where a boundary can be.
# One scan finds every candidate sentence boundary: a run of terminal
# punctuation (plus closing quotes/brackets) followed by whitespace or the end,
# or a line break and the whitespace after it.
_CANDIDATE = re.compile(
    rf"[{_T}{_NL_CHARS}](?:(?<=[{_T}])(?<![{_T}][{_T}])[{_T}]*(?P<close>[{_C}]*)(?P<ws>\s+|\Z)"
    rf"|(?<=[{_NL_CHARS}])\s*)"
)
_LINE_BREAK = re.compile(rf"[{_NL_CHARS}]")
# A character a sentence boundary may follow, and what may end the last sentence of a text.
_MAY_SPLIT = re.compile(rf"[{_T}{_NL_CHARS}]")
_TAIL = _TERM + _CLOSE
# A blank line: a line break ("\r\n" is one), then only whitespace up to the
# next line break; the match runs on over all following whitespace.
_BLANK_LINE = re.compile(rf"[{_NL_CHARS}](?:(?<=\r)\n|(?<!\r)|(?!\n)){_HS}*[{_NL_CHARS}]\s*")
_LEADING_SPACE = re.compile(r"\s*")
_OPENERS = re.compile(rf"[{_O}]*")
_NEXT_WORD = re.compile(r"\w+")
_NON_WORD = re.compile(r"[^\w.'’&]")
_DOTTED = re.compile(r"(?:[A-Za-z]{1,2}\.)+[A-Za-z]{1,2}")  # U.S, Ph.D, a.m

# Abbreviations (lowercase, final period removed) that never end a sentence.
_NEVER_FINAL = frozenset(
    "mr mrs ms mx dr prof sen rep gov gen lt col capt sgt cpl maj adm cmdr rev hon "
    "pres supt det atty messrs mme fr mt e.g i.e vs cf viz approx".split()
)
# Abbreviations that often do end a sentence ("moved to the U.S. Then ...").
# Dotted acronyms and single-letter initials behave the same way.
_MAY_END = frozenset(
    "etc inc corp ltd co llc plc bros jr sr esq st ave blvd rd dept al "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
# Abbreviations that take a number: "No. 5", "pp. 12".
_BEFORE_NUMBER = frozenset("no nos vol vols art fig figs p pp ch sec ca op".split())
# Capitalised words that commonly open a sentence. After a _MAY_END
# abbreviation, an initial or a dotted acronym, only these signal a new sentence.
_STARTERS = frozenset(
    "the a an this that these those there then here it its he his him she her they "
    "their them we our us i my you your but and or so yet nor for in on at as by to "
    "from with without after before during while when where why how what who which "
    "if although though because since unless until despite however meanwhile "
    "moreover furthermore still also now today yesterday last next earlier later "
    "instead even only both all some many most several few each every no not none "
    "neither either one another other such is are was were has have had do does did "
    "can could should would must please let yes".split()
)


def _span(text: str, start: int, end: int | None) -> tuple[int, int]:
    start, end, _ = slice(start, end).indices(len(text))
    return start, max(start, end)


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets of tokens of text[start:end], offsets into `text`.

    Words keep internal apostrophes and hyphens ("so-called", "Trump’s"),
    numbers keep decimals and thousands separators ("3.5", "1,000"), URLs,
    e-mails, @handles and #hashtags are one token; every other non-space
    character (punctuation, symbol, emoji) is a token of its own.
    """
    start, end = _span(text, start, end)
    return [m.span() for m in _token_re(text, start, end).finditer(text, start, end)]


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraphs separated by blank lines (lines with only whitespace).

    Each span is trimmed of surrounding whitespace; empty ones are dropped.
    """
    spans = []
    s = _LEADING_SPACE.match(text).end()
    for m in _BLANK_LINE.finditer(text, s):
        e = _trim_end(text, s, m.start())
        if e > s:
            spans.append((s, e))
        s = m.end()
    e = _trim_end(text, s, len(text))
    if e > s:
        spans.append((s, e))
    return spans


def paragraph_starts(text: str, sentences: list[tuple[int, int]]) -> list[int]:
    """Which of ``text``'s ``sentences`` (its :func:`split_sentences`) start a paragraph.

    Paragraphs are separated by blank lines when the text has any (a hard-wrapped text, as
    ``framing score`` reads ``.txt`` files), else by line breaks (one paragraph a line, as in
    most article bodies). A sentence never crosses a paragraph break, so paragraphs are runs of
    whole sentences, and a paragraph scored alone has the sentences it has inside its text.
    """
    if len(sentences) < 2:
        return [0] * len(sentences)
    gap = _BLANK_LINE if _BLANK_LINE.search(text, sentences[0][1], sentences[-1][0]) else _LINE_BREAK
    return [0] + [k for k in range(1, len(sentences)) if gap.search(text, sentences[k - 1][1], sentences[k][0])]


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence (start, end) offsets into `text` for text[start:end].

    Spans are trimmed, non-overlapping, in order, together cover every
    non-whitespace character of the range, and never cross a paragraph break.

    Rules, for a chunk ending in terminal punctuation (. ! ? … and runs such as
    "?!" or "...", optionally followed by closing quotes/brackets):

    - a blank line after it, or the end of the range, always ends a sentence;
    - a line break after it ends the sentence, except after a title ("Dr.");
    - otherwise, if the next word (after opening quotes/brackets) starts with a
      lowercase letter, the sentence goes on ("Wait... what?", '"Why?" he said'),
      as it does when more terminal punctuation follows (". . .");
    - "!", "?", ellipses and a period followed by a closing quote or bracket end
      the sentence ('He said "no." Then', "(See above.) Next");
    - a single period ends the sentence unless it closes a title or "e.g."-like
      abbreviation (never), "No."-like abbreviation before a number, a line's
      leading list number ("1. First"), or an initial ("John F. Kennedy"), dotted
      acronym ("U.S.") or abbreviation such as "etc."/"Inc."/"Jan." that is not
      followed by a common sentence opener ("in the U.S. Then he" splits, "the
      U.S. Senate" does not). Decimals ("3.5") never split (no space follows).

    A line break with no terminal punctuation before it ends the sentence
    (headlines, list items such as "- ", "* ", "• ", "1. "), unless it looks like
    hard wrapping: the next line starts with a lowercase letter.

    A "sentence" longer than ``MAX_SENTENCE_CHARS`` (text with no punctuation at all) is
    cut at whitespace into pieces of about that length, so scoring it needs bounded memory.
    """
    start, end = _span(text, start, end)
    sub = text[start:end] if end - start < len(text) else text
    n = len(sub)
    s = _LEADING_SPACE.match(sub).end()
    # Most texts scored one by one are a single sentence: no terminal punctuation and no line
    # break before the final run of punctuation and closing quotes. Then no boundary can be
    # inside, and the scan below would find just that one sentence.
    last = _trim_end(sub, s, n)
    if last - s <= MAX_SENTENCE_CHARS and _MAY_SPLIT.search(sub, s, s + len(sub[s:last].rstrip(_TAIL))) is None:
        return [(start + s, start + last)] if last > s else []
    spans = []
    line_start = True  # does the current sentence start a line?
    for m in _CANDIDATE.finditer(sub):
        ws = m.group("ws")
        punct = ws is not None
        if not punct:
            ws = m.group()
        newline = not punct or (ws != " " and _LINE_BREAK.search(ws) is not None)
        if m.end() < n and not (newline and _BLANK_LINE.search(ws)):
            k = _OPENERS.match(sub, m.end()).end()
            nxt = sub[k : k + 1]
            if punct:
                if not _ends_after_punct(sub, m, k, nxt, newline, s if line_start else -1):
                    continue
            elif nxt.islower():  # hard-wrapped line
                continue
        e = m.start("ws") if punct else _trim_end(sub, s, m.start())
        if e > s:
            spans.append((start + s, start + e))
        s = m.end()
        line_start = newline
    e = _trim_end(sub, s, n)
    if e > s:
        spans.append((start + s, start + e))
    if any(e - s > MAX_SENTENCE_CHARS for s, e in spans):
        return [piece for s, e in spans for piece in _cut_long(text, s, e)]
    return spans


def split_each(texts: list[str]) -> list[list[tuple[int, int]]]:
    """:func:`split_sentences` of every text of a batch (the same spans), finding the texts
    that are one sentence with a few string operations each."""
    out = []
    for text in texts:
        core = text.strip()
        if len(core) <= MAX_SENTENCE_CHARS and _MAY_SPLIT.search(core.rstrip(_TAIL)) is None:
            s = len(text) - len(text.lstrip())
            out.append([(s, s + len(core))] if core else [])
        else:
            out.append(split_sentences(text))
    return out


MAX_SENTENCE_CHARS = 10_000
_INNER_SPACE = re.compile(r"(?<=\S)\s+(?=\S)")


def _cut_long(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """``(s, e)`` cut at whitespace into pieces of at most ``MAX_SENTENCE_CHARS`` where
    whitespace allows (linear time: no character is searched twice)."""
    pieces = []
    while e - s > MAX_SENTENCE_CHARS:
        m = _INNER_SPACE.search(text, s + MAX_SENTENCE_CHARS // 2, s + MAX_SENTENCE_CHARS + 1)
        m = m or _INNER_SPACE.search(text, s + MAX_SENTENCE_CHARS, e)
        if m is None:
            break
        pieces.append((s, m.start()))
        s = _LEADING_SPACE.match(text, m.start()).end()
    pieces.append((s, e))
    return pieces


def _trim_end(text: str, s: int, e: int) -> int:
    """`e` moved back over whitespace, but not before `s`."""
    return e if e <= s or not text[e - 1].isspace() else s + len(text[s:e].rstrip())


def _ends_after_punct(text: str, m: re.Match, k: int, nxt: str, newline: bool, line_start: int) -> bool:
    """Whether candidate `m` (terminal punctuation + whitespace) ends a sentence.

    `k` is where the next word starts (after opening quotes), `nxt` its first
    character, `line_start` where the current sentence starts if that is the
    start of a line, else -1.
    """
    if not newline and (nxt.islower() or text.startswith(". ", k)):  # "Wait... what", ". . ."
        return False
    i = m.start()
    if m.end("close") - i > 1 or text[i] != ".":  # ! ? ... or closing quote/bracket
        return True
    word = _NON_WORD.split(text[max(0, i - 16) : i])[-1].lstrip("'’")  # 16 chars hold any abbreviation
    key = word.lower() if len(word) <= 12 else ""
    if newline:
        return key not in _NEVER_FINAL
    if key in _NEVER_FINAL or (key in _BEFORE_NUMBER and nxt.isdigit()):
        return False
    if i - len(word) == line_start and word.isdigit() and len(word) <= 3:  # "1. First item"
        return False
    if key in _MAY_END or (len(key) == 1 and key.isalpha()) or _DOTTED.fullmatch(key):
        following = _NEXT_WORD.match(text, k)
        return bool(following) and nxt.isupper() and following.group().lower() in _STARTERS
    return True


QUOTE_MARK = re.compile("[\"“”«»‘’„]")
"""Any quotation mark :func:`quote_spans` reads (a text without one has no quote)."""
_OPENING = {"“": "”", "«": "»", "„": "“", "‘": "’"}
_PARAGRAPH_END = re.compile(rf"[{_NL_CHARS}]")


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of ``text`` inside quotation marks, the marks included (who is speaking:
    quoted words are someone else's, the rest the writer's own).

    Double quotes, straight (``"``: opening after a space, a line start or an opening bracket,
    closing before one) or typographic (“ ”, „ “, « »), and typographic single quotes ‘ ’ that
    open after a space; quotes inside a quote are part of it. A quote left open ends with its
    paragraph (a line break), as when a quotation goes on into the next paragraph, which then opens
    with a quote mark of its own. Straight single quotes are left alone: they are mostly apostrophes.
    One pass over the text: linear time.
    """
    out: list[tuple[int, int]] = []
    open_at, closer, paragraph_end, next_break = -1, "", -1, -1  # next_break: the first line break after the last one searched
    for m in QUOTE_MARK.finditer(text):
        i, c = m.start(), m.group()
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if open_at >= 0 and i > paragraph_end:  # left open at the end of its paragraph
            out.append((open_at, _trim_end(text, open_at, paragraph_end)))
            open_at = -1
        if open_at < 0:
            starts = before.isspace() or before in "([{—–-:" or i == 0
            if c == '"' and (starts or not before.isalnum()) and not after.isspace():
                open_at, closer = i, '"'
            elif c in _OPENING and (c != "‘" or starts) and not after.isspace():
                open_at, closer = i, _OPENING[c]
            if open_at >= 0:
                if i > next_break:  # the line break ending this paragraph, searched for once per paragraph
                    end = _PARAGRAPH_END.search(text, i)
                    next_break = end.start() if end else len(text)
                paragraph_end = next_break
        elif c == closer or (closer == '"' and c == "”") or (closer in "”“" and c == '"'):
            if closer == "’" and after.isalpha():  # an apostrophe inside a single-quoted phrase
                continue
            out.append((open_at, i + 1))
            open_at = -1
    if open_at >= 0:
        out.append((open_at, _trim_end(text, open_at, paragraph_end)))
    return out
