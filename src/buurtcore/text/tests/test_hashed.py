"""Hashed lexical vectors, their IDF weighting and the layered neighbour lookup."""

import numpy as np
import pytest
from sklearn.preprocessing import normalize

from buurtcore.text.hashed import (
    LayeredNeighbours,
    Neighbours,
    hashed_vectors,
    idf,
    idf_weighted,
)

TEXTS = [
    "Samen groente kweken in de moestuin achter de school.",
    "",
    "Een moestuin waar buren samen groente en kruiden kweken.",
    "Huiswerkbegeleiding voor kinderen na schooltijd.",
    "de het een",  # stop words only: a zero row
    "Kapotte fietsen en broodroosters samen repareren.",
]


def test_a_stored_vector_does_not_depend_on_the_other_texts():
    alone = hashed_vectors([TEXTS[0]])
    together = hashed_vectors(TEXTS)
    assert abs(alone - together[0]).max() == 0


@pytest.mark.parametrize("texts", [TEXTS, TEXTS[:2], [TEXTS[1]], TEXTS[1:] + [""]])
def test_idf_weighting_matches_the_textbook_computation(texts):
    m = hashed_vectors(texts)
    ref = m.copy()
    ref.data *= idf(m)[ref.indices]
    ref = normalize(ref)
    got = idf_weighted(m)
    assert got.shape == m.shape
    assert (abs(got - ref).max() if got.nnz else 0) < 1e-6
    norms = np.sqrt(np.asarray(got.multiply(got).sum(axis=1)).ravel())
    assert np.allclose(norms[norms > 0], 1, atol=1e-5)


def test_like_finds_the_paraphrase_never_itself_and_skips():
    rows = idf_weighted(hashed_vectors(TEXTS))
    keys = list("abcdef")
    n = Neighbours(keys, rows)
    assert n.like("a", 1) == [("c", pytest.approx(n.like("a", 1)[0][1]))]
    assert all(k != "a" for k, _ in n.like("a", 5))
    assert all(k != "c" for k, _ in n.like("a", 5, skip=lambda k: k == "c"))
    assert n.like("zz", 3) == []


def test_layered_lookup_lets_the_delta_replace_and_remove_base_rows():
    m = idf_weighted(hashed_vectors(TEXTS))
    base = Neighbours(list("abcdef"), m)
    # "c" changed into a text about repairs, "f" was removed: the delta holds the new "c".
    new_c = idf_weighted(hashed_vectors([TEXTS[5]]), idf(hashed_vectors(TEXTS)))
    layered = LayeredNeighbours(base, Neighbours(["c"], new_c), stale={"c", "f"})
    assert "f" not in layered and "c" in layered
    found = dict(layered.like("a", 5))
    assert "f" not in found and "a" not in found
    assert layered.like("c", 5)[0][0] != "f"
