"""What the feature extractors share: a batch tokenized once, vectorized phrase lookup, plain-data helpers."""
from __future__ import annotations

from collections.abc import Iterable
import inspect
from dataclasses import dataclass, field
from functools import cache, cached_property
from itertools import chain, compress, repeat
from typing import Any, Protocol, runtime_checkable

import numpy as np
import scipy.sparse as sp

import framing.scoring.features.forms as forms
from framing.scoring.text import token_strings


def words(text: str) -> list[str]:
    """Lower-cased tokens of ``text`` (words, numbers and single punctuation marks)."""
    return [w.lower() for w in token_strings(text)]


def as_texts(X: Iterable) -> list[str]:
    """Validate text input the way every extractor here wants it: an iterable of ``str``."""
    if isinstance(X, str):
        raise TypeError("expected an iterable of texts, got a single str; wrap it in a list: [text]")
    texts = list(X)
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise TypeError(f"expected str at position {i}, got {type(t).__name__}; convert or drop that item")
    return texts


_SEPARATOR = "\x00"  # between the texts of a batch while it is tokenized in one pass


@dataclass
class TokenBatch:
    """Texts tokenized once: all tokens in one flat list, ``indptr`` marking where each text's start.

    Every extractor reads the same batch, so a text is tokenized once however many
    features it gets.
    """

    texts: list[str]
    raw: list[str]
    indptr: np.ndarray
    _ids: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_texts(cls, texts: list[str]) -> "TokenBatch":
        """Tokenize ``texts`` (see :func:`framing.scoring.text.tokenize`)."""
        joined = f" {_SEPARATOR} ".join(texts)
        if joined.count(_SEPARATOR) != len(texts) - 1:  # a text holds the separator itself
            per_text = [token_strings(t) for t in texts]
            indptr = np.zeros(len(texts) + 1, dtype=np.int64)
            np.cumsum([len(p) for p in per_text], out=indptr[1:])
            return cls(texts, list(chain.from_iterable(per_text)), indptr)
        # One pass over the whole batch: tokens never span whitespace, so each separator,
        # alone between spaces, is a token of its own and marks where a text ends.
        flat = token_strings(joined)
        bounds = [*compress(range(len(flat)), map(_SEPARATOR.__eq__, flat)), len(flat)]
        indptr = np.asarray(bounds, dtype=np.int64) - np.arange(len(texts))
        indptr = np.concatenate([[0], indptr]) if texts else np.zeros(1, dtype=np.int64)
        raw = flat if len(texts) < 2 else list(filter(_SEPARATOR.__ne__, flat))
        return cls(texts, raw, indptr)

    @cached_property
    def lower(self) -> list[str]:
        """Each token's form: lower-cased, with names and party words masked (see
        :mod:`~framing.scoring.features.forms`); what vocabularies are looked up with."""
        return forms.forms(self.raw, self.shapes, self.indptr)

    @cached_property
    def shapes(self) -> np.ndarray:
        """Each token's shape flags (see :func:`shape_codes`)."""
        return shape_codes(self.raw)

    @cached_property
    def lengths(self) -> np.ndarray:
        """Each token's length in characters."""
        return np.fromiter(map(len, self.raw), dtype=np.int64, count=len(self.raw))

    def char_offsets(self, tokens: np.ndarray) -> np.ndarray:
        """Where each of ``tokens`` (indices into the batch) starts in its text.

        Tokens cover every non-space character of their text, in order, so a token starts at
        the text's ``k``-th non-space character, ``k`` being the length of the tokens before
        it: found with array operations over the texts that hold ``tokens``, a slice of
        about a million characters at a time.
        """
        tokens = np.asarray(tokens, dtype=np.int64)
        out = np.zeros(len(tokens), dtype=np.int64)
        if not len(tokens):
            return out
        before = np.zeros(len(self.raw) + 1, dtype=np.int64)
        np.cumsum(self.lengths, out=before[1:])
        rows = self.row[tokens]
        rank = before[tokens] - before[self.indptr[rows]]
        owners = np.unique(rows)
        sizes = np.fromiter((len(self.texts[i]) for i in owners.tolist()), dtype=np.int64, count=len(owners))
        slice_of = np.cumsum(sizes) // _OFFSET_SLICE_CHARS
        for cut in np.unique(slice_of).tolist():
            group = owners[slice_of == cut]
            texts = [self.texts[i] for i in group.tolist()]
            codes = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
            nonspace = np.flatnonzero(~_IS_SPACE[np.minimum(codes, len(_IS_SPACE) - 1)])
            base = np.zeros(len(texts), dtype=np.int64)
            np.cumsum([len(t) for t in texts[:-1]], out=base[1:])
            first = np.searchsorted(nonspace, base)
            mine = np.flatnonzero(np.isin(rows, group))
            g = np.searchsorted(group, rows[mine])
            out[mine] = nonspace[first[g] + rank[mine]] - base[g]
        return out

    @cached_property
    def row(self) -> np.ndarray:
        """The text each token belongs to."""
        return np.repeat(np.arange(len(self.texts)), np.diff(self.indptr))

    def ids(self, vocabulary: dict[str, int]) -> np.ndarray:
        """Each token's form's id in ``vocabulary`` (see :attr:`lower`), -1 where it has none (cached per vocabulary)."""
        cached = self._ids.get(id(vocabulary))
        if cached is not None and cached[0] is vocabulary:
            return cached[1]
        ids = np.fromiter(map(vocabulary.get, self.lower, repeat(-1)), dtype=np.int64, count=len(self.raw))
        self.set_ids(vocabulary, ids)
        return ids

    def set_ids(self, vocabulary: dict[str, int], ids: np.ndarray) -> None:
        """Cache ``ids`` as what :meth:`ids` returns for ``vocabulary`` (looked up elsewhere, e.g. by a
        :class:`VocabularyUnion`). The cache holds ``vocabulary`` too, so no other dict can take its id."""
        self._ids[id(vocabulary)] = (vocabulary, ids)

    def set_shapes(self, shapes: np.ndarray) -> None:
        """Cache ``shapes`` as the tokens' :attr:`shapes` (computed elsewhere, e.g. by a :class:`VocabularyUnion`)."""
        self.__dict__["shapes"] = shapes


_IS_SPACE = np.array([chr(c).isspace() for c in range(0x3001)] + [False])
"""Whether a code point is whitespace (as ``str.split`` sees it); none is above U+3000."""
_OFFSET_SLICE_CHARS = 1 << 20


class VocabularyUnion:
    """Several vocabularies merged, so a batch's tokens are looked up once for all of them.

    Tokens are remembered as written, with their row of ids and their shape, so a token
    seen before costs one dictionary lookup however many vocabularies there are; names
    (see :mod:`~framing.scoring.features.forms`) then take the ids of ``<name>``.
    """

    def __init__(self, vocabularies: list[dict[str, int]], max_cache: int = 1_000_000):
        self.vocabularies = vocabularies
        words = sorted({w for v in vocabularies for w in v})
        index = {w: k for k, w in enumerate(words)}
        self.index = index
        self.table = np.full((len(words) + 1, len(vocabularies)), -1, dtype=np.int64)
        for j, v in enumerate(vocabularies):
            at = np.fromiter(map(index.__getitem__, v), dtype=np.int64, count=len(v))
            self.table[at, j] = np.fromiter(v.values(), dtype=np.int64, count=len(v))
        self.max_cache = max_cache
        self._reset()

    def _reset(self) -> None:
        self._slot: dict[str, int] = {}
        self._rows = np.empty((1024, len(self.vocabularies)), dtype=np.int64)
        self._shapes = np.empty(1024, dtype=np.int64)
        self._kinds = np.empty(1024, dtype=np.int64)

    def _learn(self, tokens: list[str]) -> None:
        n = len(self._slot)
        while n + len(tokens) > len(self._shapes):
            self._rows = np.concatenate([self._rows, np.empty_like(self._rows)])
            self._shapes = np.concatenate([self._shapes, np.empty_like(self._shapes)])
            self._kinds = np.concatenate([self._kinds, np.empty_like(self._kinds)])
        k = np.fromiter((self.index.get(forms.base_form(t), -1) for t in tokens), dtype=np.int64, count=len(tokens))
        self._rows[n : n + len(tokens)] = self.table[k]
        self._shapes[n : n + len(tokens)] = [_shape(t) for t in tokens]
        self._kinds[n : n + len(tokens)] = [forms.kind(t) for t in tokens]
        self._slot.update(zip(tokens, range(n, n + len(tokens))))

    def fill(self, batch: TokenBatch) -> None:
        """Store every vocabulary's ids of ``batch``'s tokens, and their shapes, in the batch's caches."""
        slots = np.fromiter(map(self._slot.get, batch.raw, repeat(-1)), dtype=np.int64, count=len(batch.raw))
        unseen = np.flatnonzero(slots < 0).tolist()
        if unseen:
            tokens = list(map(batch.raw.__getitem__, unseen))
            missing = list(dict.fromkeys(tokens))
            if len(self._slot) + len(missing) > self.max_cache:  # start over with this batch's tokens only
                self._reset()
                tokens, unseen = batch.raw, slice(None)
                missing = list(dict.fromkeys(tokens))
            self._learn(missing)
            slots[unseen] = np.fromiter(map(self._slot.__getitem__, tokens), dtype=np.int64, count=len(tokens))
        rows, shapes = self._rows[slots], self._shapes[slots]
        rows[forms.name_flags(shapes, self._kinds[slots], batch.indptr)] = self.table[self.index.get(forms.NAME, -1)]
        for j, v in enumerate(self.vocabularies):
            batch.set_ids(v, rows[:, j])
        batch.set_shapes(shapes)


class PhraseIndex:
    """Finds every occurrence of a set of phrases (lower-cased, space-separated words) in a batch.

    Vectorized: each token is looked up once, and an n-word phrase is found by comparing
    integer keys made from n consecutive word ids, with a binary search.
    """

    def __init__(self, phrases: Iterable[str]):
        phrases = list(phrases)
        split = [p.split(" ") for p in phrases]
        # built with set and array operations: a model's 60,000 n-grams load in milliseconds
        sizes = np.fromiter(map(len, split), dtype=np.int64, count=len(split))
        many = (sizes > 1).tolist()
        multi = sorted(set(chain.from_iterable(compress(split, many))))
        single = sorted(set(compress(phrases, [not m for m in many])).difference(multi))
        words = multi + single
        self.vocabulary = dict(zip(words, range(len(words))))
        self.base = max(len(multi), 1)
        self.max_len = int(sizes.max()) if len(sizes) else 1
        if self.base ** self.max_len >= 2**62:
            raise ValueError(f"phrases of {self.max_len} words over {self.base} distinct words are too many to index")
        self.unigram = np.full(len(self.vocabulary), -1, dtype=np.int64)
        ids = np.fromiter(map(self.vocabulary.__getitem__, chain.from_iterable(split)), dtype=np.int64,
                          count=int(sizes.sum()))
        first = np.cumsum(sizes) - sizes
        one = np.flatnonzero(sizes == 1)
        self.unigram[ids[first[one]]] = one  # a repeated phrase: its last number, as a loop in order would give
        self.keys = {}
        for n in np.unique(sizes[sizes > 1]).tolist():
            values = np.flatnonzero(sizes == n)
            key = np.zeros(len(values), dtype=np.int64)
            for j in range(n):
                key = key * self.base + ids[first[values] + j]
            order = np.lexsort((values, key))
            self.keys[n] = np.column_stack([key[order], values[order]])

    def find(self, batch: TokenBatch, ids: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(start token, length, phrase number)`` of every match, phrases never crossing texts."""
        if ids is None:
            ids = batch.ids(self.vocabulary)
        known = np.flatnonzero(ids >= 0)
        values = self.unigram[ids[known]]
        single = values >= 0
        starts, lengths, found = [known[single]], [np.ones(int(single.sum()), dtype=np.int64)], [values[single]]
        # extend candidate starts one word at a time while the words can still form a phrase
        cand = known[ids[known] < self.base]
        key = ids[cand]
        row = batch.row
        for n in range(2, self.max_len + 1):
            nxt = cand + n - 1
            inside = nxt < len(ids)
            cand, key, nxt = cand[inside], key[inside], nxt[inside]
            t = ids[nxt]
            ok = (t >= 0) & (t < self.base) & (row[nxt] == row[cand])
            cand, key = cand[ok], key[ok] * self.base + t[ok]
            if not len(cand):
                break
            table = self.keys.get(n)
            if table is None:
                continue
            pos = np.minimum(np.searchsorted(table[:, 0], key), len(table) - 1)
            hit = table[pos, 0] == key
            starts.append(cand[hit])
            lengths.append(np.full(int(hit.sum()), n, dtype=np.int64))
            found.append(table[pos[hit], 1])
        return np.concatenate(starts), np.concatenate(lengths), np.concatenate(found)


def count_matrix(rows: np.ndarray, cols: np.ndarray, n_rows: int, n_cols: int) -> sp.csr_matrix:
    """How often each ``(row, col)`` pair occurs, as a float32 CSR matrix (built in one step)."""
    key, counts = np.unique(np.asarray(rows, dtype=np.int64) * n_cols + cols, return_counts=True)
    indptr = np.searchsorted(key, np.arange(n_rows + 1, dtype=np.int64) * n_cols)
    return sp.csr_matrix((counts.astype(np.float32), key % n_cols, indptr), shape=(n_rows, n_cols))


def sum_rows(m, starts: np.ndarray):
    """Rows of ``m`` (sparse or dense) added up in consecutive groups: group ``g`` is rows ``starts[g]:starts[g+1]``."""
    if sp.issparse(m):
        m = sp.csr_matrix(m)
        # copied: sum_duplicates works in place, and m's arrays may be shared (e.g. with its features)
        out = sp.csr_matrix((m.data.copy(), m.indices.copy(), m.indptr[starts]), shape=(len(starts) - 1, m.shape[1]))
        out.sum_duplicates()
        return out
    out = np.zeros((len(starts) - 1, m.shape[1]), dtype=m.dtype)
    full = starts[1:] > starts[:-1]  # each group is summed on its own: the result does not depend on other rows
    if full.any():
        out[full] = np.add.reduceat(m[: starts[-1]], starts[:-1][full], axis=0, dtype=np.float64)
    return out


def l2_normalize(m: sp.csr_matrix) -> sp.csr_matrix:
    """Scale each row to unit length in place (rows of zeros stay zero) and return it."""
    sq = np.add.reduceat(np.append(m.data * m.data, 0.0), m.indptr[:-1]) if m.nnz else np.zeros(m.shape[0])
    sq[np.diff(m.indptr) == 0] = 0.0
    norms = np.sqrt(sq)
    norms[norms == 0] = 1.0
    m.data /= np.repeat(norms, np.diff(m.indptr)).astype(m.data.dtype)
    return m


SHAPES = ("capitalized", "all_caps", "punctuation", "digit", "long")
_SHAPE_CACHE: dict[str, int] = {}


def _shape(token: str) -> int:
    if token.isalpha():  # most tokens: letters only, so neither punctuation nor a digit
        return (token[0].isupper()) | ((len(token) > 1 and token.isupper()) << 1) | ((len(token) >= 9) << 4)
    flags = (
        token[:1].isupper(),
        len(token) > 1 and token.isupper(),
        not any(c.isalnum() for c in token),
        any(c.isdigit() for c in token),
        len(token) >= 9,
    )
    return sum(1 << j for j, f in enumerate(flags) if f)


def shape_codes(tokens: list[str]) -> np.ndarray:
    """Bit flags of each token's shape, bit ``j`` for ``SHAPES[j]`` (computed once per distinct token)."""
    if len(_SHAPE_CACHE) > 500_000:
        _SHAPE_CACHE.clear()
    out = np.fromiter(map(_SHAPE_CACHE.get, tokens, repeat(-1)), dtype=np.int64, count=len(tokens))
    for i in np.flatnonzero(out < 0).tolist():
        out[i] = _SHAPE_CACHE[tokens[i]] = _shape(tokens[i])
    return out


class NotFittedError(ValueError, AttributeError):
    """An extractor was used before ``fit`` (or ``set_vocabulary``).

    What is raised is also a ``sklearn.exceptions.NotFittedError`` (see :func:`check_fitted`),
    so ``except`` clauses written for either catch it.
    """


@cache
def _sklearn_not_fitted() -> type:
    """:class:`NotFittedError` that is also scikit-learn's: made on the first error, so that
    scoring never imports scikit-learn (about a second per process)."""
    from sklearn.exceptions import NotFittedError as SklearnNotFittedError

    return type("NotFittedError", (NotFittedError, SklearnNotFittedError), {"__module__": __name__})


def check_fitted(est, attribute: str) -> None:
    """Raise :class:`NotFittedError` (a scikit-learn ``NotFittedError`` too) unless ``est`` has ``attribute``."""
    if not hasattr(est, attribute):
        raise _sklearn_not_fitted()(f"this {type(est).__name__} is not fitted yet; call fit() before using it")


@runtime_checkable
class Extractor(Protocol):
    """What a :class:`~framing.scoring.scorer.Scorer` calls on each of its sentence-feature extractors.

    ``counts`` must add up across sentences (a text's counts are its sentences' summed), so
    that ``finalize`` of summed counts gives a whole text's features.
    """

    def counts(self, batch: TokenBatch) -> Any:
        """Raw counts of each text of ``batch`` (rows add up)."""

    def finalize(self, counts: Any) -> Any:
        """Counts (or summed counts) to features, one row per text."""

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """The name of each feature column."""

    def token_vocabularies(self) -> list[dict[str, int]]:
        """The vocabularies whose ids of a batch's tokens ``counts`` reads (``TokenBatch.ids``),
        so that the scorer can look them all up at once."""

    def get_params(self, deep: bool = True) -> dict:
        """The constructor parameters (what a saved model records)."""


class Estimator:
    """The scikit-learn estimator protocol (parameters, cloning, ``repr``, tags, ``fit_transform``).

    framing's extractors follow scikit-learn's conventions and work in its pipelines and
    grid searches, but scoring text never imports scikit-learn (importing it costs about a
    second and 130 MB per process): the protocol is written out here, and the tags are
    built only when scikit-learn asks for them. The input is text, which tells
    ``sklearn.utils.estimator_checks`` which checks apply (as for ``CountVectorizer``).
    """

    @classmethod
    def _get_param_names(cls) -> list[str]:
        signature = inspect.signature(cls.__init__)
        return sorted(p.name for p in signature.parameters.values() if p.name != "self" and p.kind == p.POSITIONAL_OR_KEYWORD)

    def get_params(self, deep: bool = True) -> dict:
        """The constructor parameters and their values."""
        return {name: getattr(self, name) for name in self._get_param_names()}

    def set_params(self, **params):
        """Set constructor parameters; returns ``self``."""
        valid = self._get_param_names()
        for name, value in params.items():
            if name not in valid:
                raise ValueError(f"invalid parameter {name!r} for {type(self).__name__}; valid parameters are {valid}")
            setattr(self, name, value)
        return self

    _fitted_attribute = "vocabulary_"
    """What ``fit`` sets: scikit-learn's ``check_is_fitted`` looks for it (see ``__sklearn_is_fitted__``)."""

    def __sklearn_is_fitted__(self) -> bool:
        return self._fitted_attribute is None or hasattr(self, self._fitted_attribute)

    def fit_transform(self, X, y=None, **fit_params):
        """``fit`` then ``transform`` the same data."""
        return self.fit(X, y, **fit_params).transform(X)

    def __repr__(self) -> str:
        defaults = {p.name: p.default for p in inspect.signature(type(self).__init__).parameters.values()}
        shown = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items() if not _same(v, defaults.get(k)))
        text = f"{type(self).__name__}({shown})"
        return text if len(text) <= 700 else text[:340] + "..." + text[-340:]

    def __sklearn_tags__(self):
        from sklearn.utils import InputTags, Tags, TargetTags, TransformerTags

        return Tags(
            estimator_type=None,
            target_tags=TargetTags(required=False),
            transformer_tags=TransformerTags(),
            input_tags=InputTags(one_d_array=False, two_d_array=False, string=True),
            requires_fit=self._fitted_attribute is not None,
        )


def _same(a, b) -> bool:
    try:
        return bool(a == b) and type(a) is type(b)
    except Exception:
        return False


class TextTransformer(Estimator):
    """Base of framing's text extractors: scikit-learn-style transformers over a list of strings.

    Each computes raw ``counts`` from a :class:`TokenBatch` and turns them into features
    with ``finalize``; counts add up, so a whole text's features can be made from its
    sentences' counts. ``transform(texts)`` is ``finalize(counts(TokenBatch(texts)))``.
    """

    def transform(self, X):
        """Texts to features (see the class's ``finalize``)."""
        return self.finalize(self.counts(TokenBatch.from_texts(as_texts(X))))
