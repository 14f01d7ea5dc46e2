"""What annotators mark, mined from the training sentences: loaded multi-word phrases, hand-written
words they mostly mark, and the function words a marked phrase hardly ever starts or ends with."""
from __future__ import annotations

from collections import Counter

import numpy as np

from framing.training.sentences import Sentences


def learn_phrases(sents: Sentences, min_count: int = 3, min_precision: float = 0.5) -> dict[str, float]:
    """Multi-word phrases (2-6 words) that annotators marked as loaded at least ``min_precision`` of the times they occur."""
    all_words = sents.words
    marked: Counter[str] = Counter()
    for words, labels in zip(all_words, sents.token_labels):
        on = (labels.max(axis=1) > 0) if len(words) else np.zeros(0, bool)
        i = 0
        while i < len(words):
            if on[i]:
                j = i
                while j < len(words) and on[j]:
                    j += 1
                run = [w.lower() for w in words[i:j] if any(c.isalnum() for c in w)]
                for n in range(2, min(6, len(run)) + 1):
                    for k in range(len(run) - n + 1):
                        marked[" ".join(run[k : k + n])] += 1
                i = j
            else:
                i += 1
    candidates = {p for p, c in marked.items() if c >= min_count}
    seen: Counter[str] = Counter()
    for words in all_words:
        lower = [w.lower() for w in words if any(c.isalnum() for c in w)]
        for n in range(2, 7):
            for k in range(len(lower) - n + 1):
                g = " ".join(lower[k : k + n])
                if g in candidates:
                    seen[g] += 1
    return {p: round(marked[p] / seen[p], 4) for p in candidates if seen[p] and marked[p] / seen[p] >= min_precision}


def usually_marked(sents: Sentences, words: list[str], min_count: int = 3, min_rate: float = 0.5) -> list[str]:
    """The ``words`` that annotated phrases hold in at least ``min_rate`` of their annotated occurrences in
    ``sents``, and those annotated fewer than ``min_count`` times (too few to overrule a hand-written list)."""
    wanted = set(words)
    seen: Counter[str] = Counter()
    marked: Counter[str] = Counter()
    for tokens, labels in zip(sents.words, sents.token_labels):
        for word, label in zip(tokens, labels):
            lower = word.lower()
            if lower in wanted and (label >= 0).any():
                seen[lower] += 1
                marked[lower] += int(label.max() > 0)
    return [w for w in words if seen[w] < min_count or marked[w] >= min_rate * seen[w]]


def learn_edges(sents: Sentences, min_count: int = 20, max_rate: float = 0.05, common: int = 100) -> dict[str, list[str]]:
    """Words that annotated SemEval phrases hardly ever start (``no_start``) or end (``no_end``) with:
    among the ``common`` most frequent words of all sentences (function words, not topics), inside
    annotated runs at least ``min_count`` times, and first (last) in at most ``max_rate`` of them."""
    frequent = {w for w, _ in Counter(w.lower() for words in sents.words for w in words).most_common(common)}
    inside: Counter[str] = Counter()
    starts: Counter[str] = Counter()
    ends: Counter[str] = Counter()
    for words, labels, corpus in zip(sents.words, sents.token_labels, sents.corpus):
        if corpus != "semeval" or not len(words):
            continue
        on = np.r_[False, labels.max(axis=1) > 0, False]
        for a, b in zip(np.flatnonzero(np.diff(on.astype(np.int8)) == 1), np.flatnonzero(np.diff(on.astype(np.int8)) == -1)):
            run = [w.lower() for w in words[a:b]]
            inside.update(w for w in run if w in frequent and any(c.isalnum() for c in w))
            starts[run[0]] += 1
            ends[run[-1]] += 1
    return {name: sorted(w for w, n in inside.items() if n >= min_count and edge[w] <= max_rate * n)
            for name, edge in (("no_start", starts), ("no_end", ends))}
