"""Features of one token in its context: the word, its neighbours, word pairs, its word lists,
its affixes, word vectors, its shape."""
from __future__ import annotations

from collections import Counter
from itertools import repeat

import numpy as np
import scipy.sparse as sp

from framing.scoring.features.base import Estimator, SHAPES, TokenBatch, check_fitted, shape_codes
from framing.scoring.features.lexicon import _check_lexicons


def _check_windows(X, window: int) -> list[tuple[str, ...]]:
    size = 2 * window + 1
    rows = list(X)
    for i, t in enumerate(rows):
        if not (isinstance(t, (tuple, list)) and len(t) == size and all(isinstance(w, str) for w in t)):
            raise TypeError(
                f"expected tuples of {size} strings (the word with {window} neighbours each side), "
                f"got {t!r} at position {i}; use '' for a missing neighbour (see framing.scoring.spans.windows)"
            )
    return rows


def positions(window: int) -> list[tuple[str, int]]:
    """Column blocks: the word, then previous/next at distance 1, 2, ... (name, offset)."""
    return [("word", 0)] + [(f"{side}{d}", sign * d) for d in range(1, window + 1) for side, sign in (("prev", -1), ("next", 1))]


PAIRS = (("pair_prev", -1), ("pair_next", 1))
"""Word-pair blocks: (previous word, word) and (word, next word) (name, offset of the other word)."""
VECTOR_POSITIONS = (("vec_word", 0), ("vec_prev1", -1), ("vec_next1", 1))
"""Word-vector blocks: of the word and of its nearest neighbours (name, offset)."""


def affixes_of(word: str) -> tuple[str, ...]:
    """The affixes a lower-cased word is known by: its last 3 letters (words over 4 letters)
    as ``-xyz`` and its first 4 (words over 5 letters) as ``wxyz-``."""
    return ((f"-{word[-3:]}",) if len(word) > 4 else ()) + ((f"{word[:4]}-",) if len(word) > 5 else ())


def _hash(keys: np.ndarray, bits: int) -> np.ndarray:
    """Multiplicative (Fibonacci) hashing of non-negative int64 keys to ``bits``-bit slots."""
    return ((keys.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(64 - bits)).astype(np.int64)


class TokenFeatures(Estimator):
    """One row per token: one-hot word, neighbours and word pairs, its word lists and affixes,
    word vectors of it and its nearest neighbours, its shape.

    Each sample is a tuple ``(w[i-k], ..., w[i-1], w[i], w[i+1], ..., w[i+k])`` of strings as
    written, ``k = window``, with '' where there is no neighbour (``framing.scoring.spans.windows``
    makes them); :meth:`transform_batch` does the same for every token of a
    :class:`~framing.scoring.features.base.TokenBatch` at once. Words are matched lower-cased.
    The vocabulary is the words seen ``min_count`` times in ``fit`` plus every single-word
    lexicon entry. Word lists, affixes and vectors belong to vocabulary words, so a scorer
    can fold them into one weight per word; an unknown word has none of them.

    Parameters
    ----------
    lexicons : dict of str -> list of str, default None
        Named word lists; a token gets a flag for each list holding it. None uses framing's
        own hand-written list of loaded-emotion nouns (``loaded_emotion``).
    min_count : int
        How often a word must occur in ``fit`` to get its own columns.
    window : int
        Neighbours on each side that get their own one-hot block.
    pair_min_count : int
        How often a pair of neighbouring words (unknown words counting as one) must occur in
        ``fit`` to get its own columns; 0 for no pairs.
    affix_min_count : int
        How often an affix (see :func:`affixes_of`) must occur in ``fit`` to get a column; 0 for none.
    dim : int
        Size of the word vectors learned in ``fit`` from the same text (PPMI + SVD, as
        :class:`~framing.scoring.features.EmbeddingFeatures`); 0 for none.

    Examples
    --------
    >>> from framing.features import TokenFeatures
    >>> from framing.scoring.spans import windows
    >>> rows = windows(["Pakistan's", "jealousy", "is", "apparent"], window=1)
    >>> f = TokenFeatures({"negative": ["jealousy"]}, min_count=1, window=1).fit(rows)
    >>> X = f.transform(rows[1:2])
    >>> [str(f.get_feature_names_out()[j]) for j in X.indices]
    ['word:jealousy', "prev1:pakistan's", 'next1:is', 'lexicon:negative']
    """

    def __init__(self, lexicons=None, min_count=2, window=2, pair_min_count=2, affix_min_count=5, dim=0):
        self.lexicons = lexicons
        self.min_count = min_count
        self.window = window
        self.pair_min_count = pair_min_count
        self.affix_min_count = affix_min_count
        self.dim = dim

    def fit(self, X, y=None):
        """Learn the vocabulary, word pairs, affixes and word vectors from token windows ``X``."""
        rows = _check_windows(X, self.window)
        lex = _check_lexicons(self.lexicons)
        k = self.window
        words = [t[k].lower() for t in rows]
        counts = Counter(words)
        lexicon_words = {e for entries in lex.values() for e in entries if " " not in e}
        vocabulary = sorted({w for w, c in counts.items() if c >= self.min_count} | lexicon_words)
        affixes = []
        if self.affix_min_count > 0:
            affix_counts = Counter(a for w in words for a in affixes_of(w))
            affixes = sorted(a for a, c in affix_counts.items() if c >= self.affix_min_count)
        vectors = self._learn_vectors(rows, vocabulary) if self.dim > 0 else None
        self.set_vocabulary(vocabulary, affixes=affixes, vectors=vectors)
        pairs = np.zeros(0, dtype=np.int64)
        if self.pair_min_count > 0 and k > 0:
            ids = self._ids(words)
            prev = self._ids([t[k - 1] for t in rows])
            keys, n = np.unique(self._pair_keys(prev, ids), return_counts=True)
            pairs = keys[n >= self.pair_min_count]
        self.pairs_ = pairs
        self._index_pairs()
        return self

    def _learn_vectors(self, rows: list[tuple[str, ...]], vocabulary: list[str]) -> np.ndarray:
        """Word vectors of ``vocabulary`` from the sentences the windows come from (zeros for a word without one)."""
        from framing.scoring.features.embeddings import EmbeddingFeatures

        k = self.window
        sentences, current = [], []
        for t in rows:
            if k and t[k - 1] == "" and current:
                sentences.append(" ".join(current))
                current = []
            current.append(t[k])
        sentences.append(" ".join(current))
        out = np.zeros((len(vocabulary), self.dim))
        try:
            emb = EmbeddingFeatures(dim=self.dim).fit(sentences)
        except ValueError:  # too little text for vectors: none
            return out
        index = np.array([emb.vocabulary_.get(w, -1) for w in vocabulary])
        out[index >= 0] = emb.vectors_[index[index >= 0]]
        return out

    def set_vocabulary(self, vocabulary, pairs=None, affixes=None, vectors=None):
        """Use given words (and word pairs, affixes and word vectors) instead of fitting (how saved models load)."""
        lex = _check_lexicons(self.lexicons)
        self.vocabulary_ = dict(zip(vocabulary, range(len(vocabulary))))
        self._word_list = list(self.vocabulary_)
        self.lexicon_names_ = list(lex)
        get = self.vocabulary_.get
        words = [np.fromiter(map(get, entries, repeat(-1)), dtype=np.int64, count=len(entries)) for entries in lex.values()]
        cols = [np.full(len(w), j, dtype=np.int64) for j, w in enumerate(words)]
        self.word_lexicons_ = self._word_lists(np.concatenate([[], *words]), np.concatenate([[], *cols]), len(lex))
        self.affixes_ = [str(a) for a in (affixes if affixes is not None else [])]
        index = {a: j for j, a in enumerate(self.affixes_)}
        # each word's suffix, then its prefix (see affixes_of), words in vocabulary order
        ends = [index.get(f"-{w[-3:]}", -1) if len(w) > 4 else -1 for w in self._word_list]
        starts = [index.get(f"{w[:4]}-", -1) if len(w) > 5 else -1 for w in self._word_list]
        both = np.column_stack([np.array(ends, dtype=np.int64), np.array(starts, dtype=np.int64)]).reshape(-1, 2)
        rows = np.fromiter(self.vocabulary_.values(), dtype=np.int64, count=len(both))
        self.word_affixes_ = self._word_lists(np.repeat(rows, 2), both.ravel(), len(index))
        self.pairs_ = np.asarray(pairs if pairs is not None else [], dtype=np.int64)
        self._index_pairs()
        dim = 0 if vectors is None else np.shape(vectors)[1]
        # half precision, as saved, so a trained model scores the same before and after saving
        self.vectors_ = np.zeros((len(vocabulary), dim)) if vectors is None else np.asarray(vectors, np.float16).astype(np.float64, copy=False)
        return self

    def _word_lists(self, rows: np.ndarray, cols: np.ndarray, n_cols: int) -> sp.csr_matrix:
        """Words x lists (or affixes) of the ``(rows[k], cols[k])`` pairs whose row and column are not -1."""
        ok = (rows >= 0) & (cols >= 0)
        rows, cols = rows[ok].astype(np.int64), cols[ok].astype(np.int64)
        return sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(self.vocabulary_), n_cols))

    def _ids(self, words: list[str]) -> np.ndarray:
        get = self.vocabulary_.get
        return np.fromiter((get(w.lower(), -1) for w in words), dtype=np.int64, count=len(words))

    def _pair_keys(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        """One integer per (first, second) word-id pair, -1 (unknown or none) counting as a word."""
        return (first + 1) * (len(self.vocabulary_) + 1) + (second + 1)

    def pair_ids(self, blocks: list[np.ndarray], row: np.ndarray | None = None) -> list[np.ndarray]:
        """Each token's column among ``pairs_`` for (previous word, word) and (word, next word), -1 for
        none; ``blocks`` are word ids as from :meth:`context_ids` (a missing neighbour counts as unknown).
        With ``row`` (the text of each token, tokens in text order) each pair is looked up once: a
        token's (word, next word) is the next token's (previous word, word)."""
        if not self.pair_blocks():
            return []
        word, prev, after = blocks[0], blocks[1], blocks[2]
        before = self._find_pairs(self._pair_keys(prev, word))
        if row is None:
            return [before, self._find_pairs(self._pair_keys(word, after))]
        following = np.empty_like(before)
        following[:-1] = before[1:]
        last = np.flatnonzero(np.r_[row[1:] != row[:-1], True]) if len(row) else np.zeros(0, dtype=np.int64)
        following[last] = self._find_pairs(self._pair_keys(word[last], after[last]))
        return [before, following]

    def _index_pairs(self) -> None:
        """An open-addressing hash table of ``pairs_`` (linear probing), built in vectorized rounds."""
        keys = self.pairs_
        bits = max(int(np.ceil(np.log2(len(keys) + 1))) + 2, 4)  # at most a quarter full
        slot_key = np.full(1 << bits, -1, dtype=np.int64)
        slot_value = np.full(1 << bits, -1, dtype=np.int64)
        at = _hash(keys, bits)
        pending, rounds = np.arange(len(keys)), 0
        done = np.zeros(len(keys), dtype=bool)
        while len(pending):
            rounds += 1
            free = slot_key[at[pending]] == -1
            slots, first = np.unique(at[pending[free]], return_index=True)  # one key per free slot
            placed = pending[free][first]
            slot_key[slots], slot_value[slots] = keys[placed], placed
            done[placed] = True
            pending = pending[~done[pending]]
            at[pending] = (at[pending] + 1) & ((1 << bits) - 1)
        self._pair_table = (slot_key, slot_value, bits, rounds)

    def _find_pairs(self, keys: np.ndarray) -> np.ndarray:
        """The column of each pair key in ``pairs_``, -1 where it has none (pair keys are never negative)."""
        slot_key, slot_value, bits, rounds = self._pair_table
        out = np.full(len(keys), -1, dtype=np.int64)
        at = _hash(keys, bits)
        todo = np.arange(len(keys))
        for _ in range(rounds):
            if not len(todo):
                break
            found = slot_key[at]
            hit = found == keys[todo]
            out[todo[hit]] = slot_value[at[hit]]
            go = ~hit & (found != -1)
            todo, at = todo[go], (at[go] + 1) & ((1 << bits) - 1)
        return out

    def pair_blocks(self) -> tuple[tuple[str, int], ...]:
        """The word-pair blocks this extractor has (name, offset of the other word): see ``PAIRS``."""
        return PAIRS if self.window > 0 else ()

    def vector_blocks(self) -> tuple[tuple[str, int], ...]:
        """The word-vector blocks this extractor has (name, offset): see ``VECTOR_POSITIONS``."""
        return tuple((n, o) for n, o in VECTOR_POSITIONS if abs(o) <= self.window) if self.vectors_.shape[1] else ()

    def layout(self) -> dict[str, tuple[int, int]]:
        """Where each block of columns lies: name -> (start, stop). Blocks: the word and neighbour
        one-hots (``word``, ``prev1``, ...), the pairs (``pair_prev``, ``pair_next``), ``lexicon``,
        ``affix``, the word vectors (``vec_word``, ``vec_prev1``, ``vec_next1``), ``shape``."""
        check_fitted(self, "vocabulary_")
        sizes = [(name, len(self.vocabulary_)) for name, _ in positions(self.window)]
        sizes += [(name, len(self.pairs_)) for name, _ in self.pair_blocks()]
        sizes += [("lexicon", self.word_lexicons_.shape[1]), ("affix", len(self.affixes_))]
        sizes += [(name, self.vectors_.shape[1]) for name, _ in self.vector_blocks()]
        sizes.append(("shape", len(SHAPES)))
        ends = np.cumsum([n for _, n in sizes]).tolist()
        return {name: (end - n, end) for (name, n), end in zip(sizes, ends)}

    def _one_hot(self, ids: np.ndarray, n_cols: int) -> sp.csr_matrix:
        known = ids >= 0
        indptr = np.zeros(len(ids) + 1, dtype=np.int64)
        np.cumsum(known, out=indptr[1:])
        data = np.ones(int(indptr[-1]), dtype=np.float32)
        return sp.csr_matrix((data, ids[known], indptr), shape=(len(ids), n_cols))

    def _assemble(self, shapes: np.ndarray, blocks: list[np.ndarray], row: np.ndarray | None = None) -> sp.csr_matrix:
        V = len(self.vocabulary_)
        word = self._one_hot(blocks[0], V)
        bits = (shapes[:, None] >> np.arange(len(SHAPES))) & 1
        vectors = np.vstack([self.vectors_, np.zeros((1, self.vectors_.shape[1]))])
        parts = [word, *(self._one_hot(b, V) for b in blocks[1:])]
        parts += [self._one_hot(p, len(self.pairs_)) for p in self.pair_ids(blocks, row)]
        parts += [word @ self.word_lexicons_, word @ self.word_affixes_]
        by_offset = dict(zip([o for _, o in positions(self.window)], blocks))
        parts += [sp.csr_matrix(vectors[by_offset[o]]) for _, o in self.vector_blocks()]
        parts.append(sp.csr_matrix(bits.astype(np.float32)))
        return sp.hstack(parts, format="csr", dtype=np.float32)

    def transform(self, X):
        """Token windows to a sparse matrix with the columns of :meth:`layout`."""
        check_fitted(self, "vocabulary_")
        rows = _check_windows(X, self.window)
        k = self.window
        blocks = [self._ids([t[k + offset] for t in rows]) for _, offset in positions(k)]
        return self._assemble(shape_codes([t[k] for t in rows]), blocks)

    def context_ids(self, batch: TokenBatch) -> list[np.ndarray]:
        """Vocabulary ids of every token of ``batch`` and of its neighbours, one array per column block
        (word, prev1, next1, ...); -1 for an unknown word or a neighbour outside the token's text."""
        check_fitted(self, "vocabulary_")
        ids = batch.ids(self.vocabulary_)
        row = batch.row
        blocks = [ids]
        for _, offset in positions(self.window)[1:]:
            shifted = np.full(len(ids), -1, dtype=np.int64)
            d = abs(offset)
            if d < len(ids):
                if offset < 0:
                    shifted[d:] = np.where(row[d:] == row[:-d], ids[:-d], -1)
                else:
                    shifted[:-d] = np.where(row[:-d] == row[d:], ids[d:], -1)
            blocks.append(shifted)
        return blocks

    def transform_batch(self, batch: TokenBatch) -> sp.csr_matrix:
        """The rows of :meth:`transform` for every token of ``batch``, neighbours taken within each text."""
        return self._assemble(batch.shapes, self.context_ids(batch), batch.row)

    def get_feature_names_out(self, input_features=None):
        """Column names in :meth:`layout` order: ``word:``, ``prev1:``, ``next1:``, ... one-hots,
        ``pair_prev:`` and ``pair_next:`` word pairs, ``lexicon:``, ``affix:``, ``vec_word:0``, ... and ``shape:``."""
        check_fitted(self, "vocabulary_")
        vocab = sorted(self.vocabulary_, key=self.vocabulary_.get)
        names = [f"{pos}:{w}" for pos, _ in positions(self.window) for w in vocab]
        pairs = [" ".join(self.pair_words(j)) for j in range(len(self.pairs_))]
        names += [f"{name}:{p}" for name, _ in self.pair_blocks() for p in pairs]
        names += [f"lexicon:{n}" for n in self.lexicon_names_] + [f"affix:{a}" for a in self.affixes_]
        names += [f"{name}:{d}" for name, _ in self.vector_blocks() for d in range(self.vectors_.shape[1])]
        names += [f"shape:{s}" for s in SHAPES]
        return np.array(names, dtype=object)

    def pair_words(self, j: int) -> tuple[str, str]:
        """The two words of pair ``j`` (``?`` for an unknown or missing word)."""
        check_fitted(self, "vocabulary_")
        first, second = divmod(int(self.pairs_[j]), len(self.vocabulary_) + 1)
        return tuple(self._word_list[i - 1] if i > 0 else "?" for i in (first, second))
