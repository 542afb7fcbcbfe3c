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

from buurtcore.text.hashed import N_FEATURES, Neighbours, hashed_vectors, idf_weighted
from buurtcore.text.similar import BackendUnavailable, EmbeddingEncoder, embeddings_available
from buurtcore.text.tokens import lemmas

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


def search_lemmas(text: str) -> str:
    """The lemmas of a text, unique, space-separated and padded, for ``contains`` search."""
    seen = dict.fromkeys(lemmas(text))
    return f" {' '.join(seen)} " if seen else ""


def query_lemmas(query: str) -> list[str]:
    """The lemmas of what someone searches for ("moestuinen" -> ["moestuin"])."""
    return list(dict.fromkeys(lemmas(query)))[:8]


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


@dataclass
class Loaded:
    version: int
    neighbours: Neighbours
    #: key -> (initiative id, municipality code)
    meta: dict


_loaded: dict[str, Loaded] = {}


def _matrix(backend: str, rows: list[tuple]) -> tuple[list, object, dict]:
    keys, meta = [], {}
    if backend == EMBEDDINGS:
        vectors = []
        for kind, object_id, initiative_id, code, _indices, values in rows:
            keys.append((kind, object_id))
            meta[(kind, object_id)] = (initiative_id, code)
            vectors.append(np.frombuffer(bytes(values), dtype=np.float32))
        dim = len(vectors[0]) if vectors else 1
        matrix = np.vstack(vectors) if vectors else np.zeros((0, dim), dtype=np.float32)
        return keys, matrix, meta
    indptr, indices, data = [0], [], []
    for kind, object_id, initiative_id, code, idx, values in rows:
        keys.append((kind, object_id))
        meta[(kind, object_id)] = (initiative_id, code)
        i = np.frombuffer(bytes(idx), dtype=np.int32)
        indices.append(i)
        data.append(np.frombuffer(bytes(values), dtype=np.float32))
        indptr.append(indptr[-1] + len(i))
    matrix = sp.csr_matrix(
        (
            np.concatenate(data) if data else np.zeros(0, np.float32),
            np.concatenate(indices) if indices else np.zeros(0, np.int32),
            np.asarray(indptr),
        ),
        shape=(len(keys), LEXICAL_COLUMNS),
        dtype=np.float32,
    )
    return keys, idf_weighted(matrix), meta


def neighbours(backend: str) -> Loaded:
    """The stored vectors of ``backend`` as a matrix, kept in this process until the
    index's version moves (one query per call to read the version)."""
    version = (
        SimilarIndex.objects.filter(backend=backend).values_list("version", flat=True).first() or 0
    )
    loaded = _loaded.get(backend)
    if loaded is not None and loaded.version == version:
        return loaded
    with _lock:
        loaded = _loaded.get(backend)
        if loaded is not None and loaded.version == version:
            return loaded
        rows = list(
            SimilarItem.objects.filter(backend=backend)
            .order_by("pk")
            .values_list(
                "kind", "object_id", "initiative_id", "municipality_code", "indices", "values"
            )
        )
        keys, matrix, meta = _matrix(backend, rows)
        loaded = Loaded(version, Neighbours(keys, matrix), meta)
        _loaded[backend] = loaded
        return loaded


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
    "query_lemmas",
    "search_lemmas",
    "similar_backend",
]
