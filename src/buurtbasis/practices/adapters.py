"""Practice and initiative rows <-> buurtcore.text: lemmas for search, stored vectors and
the nearest-neighbour lookup of "initiatives like mine".

The only module of the app that imports ``buurtcore``. Vectors are computed by the
background task (``tasks.py``) and stored in ``SimilarItem``; a request only reads the
matrix that this process keeps (rebuilt when ``SimilarIndex.version`` moved) and does
one matrix product.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from django.conf import settings

from buurtcore.text.hashed import (
    N_FEATURES,
    LayeredNeighbours,
    Neighbours,
    hashed_vectors,
    idf,
    idf_weighted,
)
from buurtcore.text.similar import BackendUnavailable, EmbeddingEncoder, embeddings_available
from buurtcore.text.tokens import STOPWORDS, lemmatize, tokenize

from .models import SimilarIndex, SimilarItem

logger = logging.getLogger(__name__)

EMBEDDINGS, LEXICAL = "embeddings", "lexical"
#: Columns of a lexical (hashed) vector.
LEXICAL_COLUMNS = 2 * N_FEATURES

_embedder: EmbeddingEncoder | None = None
_lock = threading.Lock()


def similar_backend() -> str:
    """The embedding model when it is installed, the lexical backend otherwise or when
    the setting ``PRACTICES_SIMILAR_BACKEND`` is "lexical"."""
    if getattr(settings, "PRACTICES_SIMILAR_BACKEND", "auto") == LEXICAL:
        return LEXICAL
    return EMBEDDINGS if embeddings_available() else LEXICAL


# -- search -------------------------------------------------------------------------------------


def _words(text: str) -> list[tuple[str, str]]:
    """(word, lemma) of the content words of a text (stop words and numbers left out)."""
    out = []
    for token in tokenize(text):
        if token in STOPWORDS or token[0].isdigit() or len(token) < 2:
            continue
        out.append((token, lemmatize(token)))
    return out


def search_lemmas(text: str) -> str:
    """The words of a text and their lemmas, unique, space-separated and padded, for
    ``contains`` search (both: a lemmatiser sometimes picks an odd lemma)."""
    seen = dict.fromkeys(w for pair in _words(text) for w in pair)
    return f" {' '.join(seen)} " if seen else ""


def query_terms(query: str) -> list[set[str]]:
    """Per word of what someone searches for, the forms that count as a match: the word
    and its lemma ("moestuinen" -> {"moestuinen", "moestuin"})."""
    terms: dict[str, set[str]] = {}
    for word, lemma in _words(query):
        terms.setdefault(word, {word, lemma})
    return list(terms.values())[:8]


# -- encoding (background task) -----------------------------------------------------------------


def _embedding_encoder() -> EmbeddingEncoder:
    global _embedder
    if _embedder is None:
        _embedder = EmbeddingEncoder()
    return _embedder


def encode(texts: list[str], backend: str) -> list[tuple[bytes, bytes]]:
    """``(indices, values)`` bytes per text for ``SimilarItem``. Raises
    ``BackendUnavailable`` when the embedding model cannot be loaded."""
    if not texts:
        return []
    if backend == EMBEDDINGS:
        rows = _embedding_encoder().encode(texts)
        return [(b"", np.asarray(r, dtype=np.float32).tobytes()) for r in rows]
    m = hashed_vectors(texts)
    return [
        (
            m.indices[m.indptr[i] : m.indptr[i + 1]].astype(np.int32).tobytes(),
            m.data[m.indptr[i] : m.indptr[i + 1]].astype(np.float32).tobytes(),
        )
        for i in range(m.shape[0])
    ]


# -- the lookup (request) -----------------------------------------------------------------------

#: Rows changed since the full read that a process keeps apart (the delta); past this,
#: the next lookup reads everything again.
DELTA_MAX = 2_000
_FIELDS = ("kind", "object_id", "initiative_id", "municipality_code", "indices", "values")


@dataclass(frozen=True)
class Loaded:
    """What one process keeps of the index of one backend (replaced, never changed)."""

    version: int
    token: str
    neighbours: LayeredNeighbours
    #: key -> (initiative id, municipality code)
    meta: dict
    #: the column weights of the base (lexical), applied to the delta's rows too
    idf: np.ndarray | None
    #: the changed rows since the base was read: key -> the stored row
    delta_rows: dict


_loaded: dict[str, Loaded] = {}


def _rows_matrix(backend: str, rows: list[tuple]):
    if backend == EMBEDDINGS:
        vectors = [np.frombuffer(bytes(r[5]), dtype=np.float32) for r in rows]
        if not vectors:
            return np.zeros((0, 1), dtype=np.float32)
        return np.vstack(vectors)
    indptr, indices, data = [0], [], []
    for row in rows:
        i = np.frombuffer(bytes(row[4]), dtype=np.int32)
        indices.append(i)
        data.append(np.frombuffer(bytes(row[5]), dtype=np.float32))
        indptr.append(indptr[-1] + len(i))
    return sp.csr_matrix(
        (
            np.concatenate(data) if data else np.zeros(0, np.float32),
            np.concatenate(indices) if indices else np.zeros(0, np.int32),
            np.asarray(indptr),
        ),
        shape=(len(rows), LEXICAL_COLUMNS),
        dtype=np.float32,
    )


def _neighbours(backend: str, rows: list[tuple], weights=None):
    """``(Neighbours, idf)`` of stored rows; lexical rows weighted by ``weights`` (their
    own inverse document frequencies when None)."""
    matrix = _rows_matrix(backend, rows)
    keys = [(r[0], r[1]) for r in rows]
    if backend == EMBEDDINGS:
        return Neighbours(keys, matrix), None
    if weights is None:
        weights = idf(matrix)
    return Neighbours(keys, idf_weighted(matrix, weights)), weights


def _full(backend: str, version: int, token: str) -> Loaded:
    rows = list(
        SimilarItem.objects.filter(backend=backend, removed=False)
        .order_by("pk")
        .values_list(*_FIELDS)
    )
    base, weights = _neighbours(backend, rows)
    meta = {(r[0], r[1]): (r[2], r[3]) for r in rows}
    empty, _ = _neighbours(backend, [], weights)
    return Loaded(version, token, LayeredNeighbours(base, empty), meta, weights, {})


def _update(loaded: Loaded, backend: str, version: int) -> Loaded | None:
    """The loaded index with the rows changed since, or None when a full read is due."""
    changed = list(
        SimilarItem.objects.filter(
            backend=backend, seq__gt=loaded.version, seq__lte=version
        ).values_list(*_FIELDS, "removed")
    )
    if len(loaded.delta_rows) + len(changed) > DELTA_MAX:
        return None
    delta_rows = dict(loaded.delta_rows)
    stale = set(loaded.neighbours.stale)
    meta = dict(loaded.meta)
    for row in changed:
        key = (row[0], row[1])
        if key in loaded.neighbours.base:
            stale.add(key)
        if row[6]:
            delta_rows.pop(key, None)
            meta.pop(key, None)
        else:
            delta_rows[key] = row[:6]
            meta[key] = (row[2], row[3])
    delta, _ = _neighbours(backend, list(delta_rows.values()), loaded.idf)
    layered = LayeredNeighbours(loaded.neighbours.base, delta, stale)
    return Loaded(version, loaded.token, layered, meta, loaded.idf, delta_rows)


def neighbours(backend: str) -> Loaded:
    """The stored vectors of ``backend``, kept in this process: one query to read the
    index's version; when it moved, the rows changed since (one more query; a small
    delta), or every row again once the delta grows past ``DELTA_MAX``."""
    version, token = SimilarIndex.objects.filter(backend=backend).values_list(
        "version", "token"
    ).first() or (0, "")
    loaded = _loaded.get(backend)
    if loaded is not None and (loaded.version, loaded.token) == (version, token):
        return loaded
    with _lock:
        loaded = _loaded.get(backend)
        if loaded is not None and (loaded.version, loaded.token) == (version, token):
            return loaded
        fresh = None
        if loaded is not None and loaded.token == token and loaded.version < version:
            fresh = _update(loaded, backend, version)
        if fresh is None:
            fresh = _full(backend, version, token)
        _loaded[backend] = fresh
        return fresh


def forget() -> None:
    """Drop the matrices this process keeps (tests)."""
    _loaded.clear()


__all__ = [
    "BackendUnavailable",
    "EMBEDDINGS",
    "LEXICAL",
    "encode",
    "forget",
    "neighbours",
    "query_terms",
    "search_lemmas",
    "similar_backend",
]
