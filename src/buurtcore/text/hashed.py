"""Lexical vectors that need no fitted vocabulary, and a stored matrix to look up in.

:class:`~buurtcore.text.similar.LexicalEncoder` fits TF-IDF on a fixed set of texts.
When texts come and go one by one (initiatives, practice pages) and each vector is
computed once, in the background, and stored, a vocabulary that changes with every
new text does not fit. :func:`hashed_vectors` hashes the same features (lemmas and
lemma pairs; character n-grams of the content words) into a fixed number of columns,
so a stored vector stays valid. The inverse document frequency is applied when the
stored rows are put together (:func:`idf_weighted`), so rare, telling words weigh more.

:class:`Neighbours` keeps the rows (dense embeddings or sparse hashed ones) with their
keys and answers "the ``k`` rows most like row ``key``" with one matrix product over
the rows (through :class:`~buurtcore.text.similar.VectorIndex`).

>>> texts = ["Samen groente kweken in de moestuin achter de school.",
...          "Een moestuin waar buren samen groente kweken.",
...          "Huiswerkbegeleiding voor kinderen na schooltijd."]
>>> rows = idf_weighted(hashed_vectors(texts))
>>> Neighbours(["a", "b", "c"], rows).like("a", 1)[0][0]
'b'
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from .similar import VectorIndex, _content_words
from .themes import features
from .tokens import lemmas

__all__ = [
    "N_FEATURES",
    "LayeredNeighbours",
    "Neighbours",
    "hashed_vectors",
    "idf",
    "idf_weighted",
]

#: Columns per block (lemma features, character n-grams): two blocks of 2**18.
N_FEATURES = 2**18


def _identity(x):
    return x


def hashed_vectors(
    texts: Sequence[str], *, n_features: int = N_FEATURES, char_weight: float = 0.6
) -> sp.csr_matrix:
    """Sparse L2-normalised float32 rows, one per text, ``2 * n_features`` columns.

    Term counts are dampened (``1 + log``); each block is normalised, the character
    block weighted by ``char_weight``, and the row normalised again. A text without
    content words gets a zero row.
    """
    from sklearn.feature_extraction.text import HashingVectorizer
    from sklearn.preprocessing import normalize

    words = HashingVectorizer(
        analyzer=_identity, n_features=n_features, alternate_sign=False, norm=None
    )
    chars = HashingVectorizer(
        analyzer="char_wb",
        ngram_range=(3, 5),
        n_features=n_features,
        alternate_sign=False,
        norm=None,
    )
    blocks = []
    for vectorizer, docs, weight in (
        (words, [features(lemmas(t)) for t in texts], 1.0),
        (chars, [_content_words(t) for t in texts], char_weight),
    ):
        m = vectorizer.transform(docs).astype(np.float32).tocsr()
        m.data = 1.0 + np.log(m.data)
        blocks.append(normalize(m, norm="l2", copy=False) * weight)
    out = sp.hstack(blocks, format="csr", dtype=np.float32)
    return normalize(out, norm="l2", copy=False)


def idf(rows: sp.csr_matrix) -> np.ndarray:
    """The inverse document frequency of every column: ``log((1 + n) / (1 + df)) + 1``
    (each row counts a column once: the rows have no repeated columns)."""
    df = np.bincount(rows.indices, minlength=rows.shape[1])
    return (np.log((1.0 + rows.shape[0]) / (1.0 + df)) + 1.0).astype(np.float32)


def idf_weighted(rows: sp.csr_matrix, weights: np.ndarray | None = None) -> sp.csr_matrix:
    """The rows with every column weighted by its inverse document frequency (the rows'
    own, or ``weights`` computed on other rows) and normalised again (a new matrix)."""
    rows = sp.csr_matrix(rows, dtype=np.float32)
    if rows.shape[0] == 0:
        return rows.copy()
    weights = idf(rows) if weights is None else weights
    data = rows.data * weights[rows.indices]
    lengths = np.diff(rows.indptr)
    # Row sums of the squares; the zero at the end keeps every start a valid index, and
    # an empty row (whose start repeats the next one's) gets 0.
    sums = np.add.reduceat(np.append(data * data, np.float32(0)), rows.indptr[:-1])
    sums[lengths == 0] = 0
    norms = np.sqrt(sums)
    norms[norms == 0] = 1.0
    data /= np.repeat(norms, lengths).astype(np.float32)
    return sp.csr_matrix((data, rows.indices, rows.indptr), shape=rows.shape)


class Neighbours:
    """Stored rows with their keys; :meth:`like` finds the rows most like one of them."""

    def __init__(self, keys: Sequence, rows, *, prune: int | None = 40):
        self.keys = list(keys)
        if len(self.keys) != rows.shape[0]:
            raise ValueError("one key per row")
        self.position = {key: i for i, key in enumerate(self.keys)}
        self.index = VectorIndex(rows, prune=prune)

    def __len__(self) -> int:
        return len(self.keys)

    def __contains__(self, key) -> bool:
        return key in self.position

    def row(self, key):
        """The stored row of ``key`` (None when it has none)."""
        i = self.position.get(key)
        return None if i is None else self.index.rows[i]

    def nearest(self, row, k: int, *, skip=None) -> list[tuple]:
        """The ``k`` keys whose rows are most like ``row`` (leaving out the keys for which
        ``skip(key)`` is true), most similar first, as ``(key, cosine)`` pairs; rows with
        nothing in common (cosine 0 or less) are left out."""
        if not self.keys or k <= 0:
            return []
        ask = k if skip is None else k * 4 + 8
        idx, cos = self.index.query(row, ask)
        found = []
        for j, c in zip(idx.tolist(), cos.tolist(), strict=True):
            other = self.keys[j]
            if c <= 0 or (skip is not None and skip(other)):
                continue
            found.append((other, c))
            if len(found) == k:
                break
        return found

    def like(self, key, k: int, *, skip=None) -> list[tuple]:
        """The ``k`` keys most like ``key``, never itself (see :meth:`nearest`)."""
        row = self.row(key)
        if row is None:
            return []
        return self.nearest(row, k, skip=lambda o: o == key or (skip is not None and skip(o)))


class LayeredNeighbours:
    """A large ``base`` read once and a small ``delta`` of rows changed since: a key in
    ``delta`` or in ``stale`` (changed or removed) no longer counts in ``base``. So a
    change costs a new small delta, not a new base.

    >>> texts = ["Samen groente kweken in de moestuin.", "Huiswerk maken na school.",
    ...          "Een moestuin voor de buurt: groente kweken."]
    >>> m = hashed_vectors(texts)
    >>> base = Neighbours(["a", "b"], m[:2])
    >>> layered = LayeredNeighbours(base, Neighbours(["c"], m[2:]), stale={"b"})
    >>> [key for key, _ in layered.like("a", 2)]
    ['c']
    """

    def __init__(self, base: Neighbours, delta: Neighbours, stale=frozenset()):
        self.base, self.delta, self.stale = base, delta, frozenset(stale)

    def __contains__(self, key) -> bool:
        return key in self.delta or (key in self.base and key not in self.stale)

    def __len__(self) -> int:
        return len(self.base) - len(self.stale & set(self.base.keys)) + len(self.delta)

    def like(self, key, k: int, *, skip=None) -> list[tuple]:
        if key not in self:
            return []
        row = self.delta.row(key) if key in self.delta else self.base.row(key)

        def skip_delta(other):
            return other == key or (skip is not None and skip(other))

        def skip_base(other):
            return other in self.stale or other in self.delta or skip_delta(other)

        found = self.base.nearest(row, k, skip=skip_base) + self.delta.nearest(
            row, k, skip=skip_delta
        )
        found.sort(key=lambda pair: -pair[1])
        return found[:k]
