"""Reading households and options: anything that is not valid is a MatchingError."""

from __future__ import annotations

import contextlib
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from buurtcore.matching.model import Household, Language, MatchingError, rd_to_wgs84, read_input

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
FIELDS = [
    "id", "kind", "composition", "languages", "interests", "availability", "location",
    "area_code", "wishes", "language_required", "excluded", "paired", "sensitive",
    "consent_sensitive",
]  # fmt: skip
OPTIONS = ["weights", "max_km", "require_language", "half_km", "min_score", "excluded_pairs"]
VALID = {"id": "a", "kind": "local", "location": {"lat": 52.0, "lon": 5.0}}


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.sampled_from(FIELDS), json_values), st.booleans())
def test_any_household_is_read_or_rejected_clearly(fields, start_valid):
    household = {**VALID, **fields} if start_valid else fields
    try:
        read_input({"households": [household]})
    except MatchingError as err:
        assert err.message and err.message_nl and "\n" not in err.message


@settings(max_examples=300, deadline=None)
@given(st.one_of(json_values, st.dictionaries(st.sampled_from(OPTIONS), json_values)))
def test_any_options_are_read_or_rejected_clearly(options):
    try:
        read_input({"households": [VALID], "options": options})
    except MatchingError as err:
        assert err.message and err.message_nl


@settings(max_examples=100, deadline=None)
@given(st.one_of(json_values, st.lists(json_values, max_size=3)))
def test_any_document_is_read_or_rejected_clearly(document):
    with contextlib.suppress(MatchingError):
        read_input(document)


def wgs84_to_rd(lat: float, lon: float) -> tuple[float, float]:
    """The published inverse polynomial, written out independently for a round trip."""
    dp, dl = 0.36 * (lat - 52.15517440), 0.36 * (lon - 5.38720621)
    r = {(0, 1): 190094.945, (1, 1): -11832.228, (2, 1): -114.221, (0, 3): -32.391,
         (1, 0): -0.705, (3, 1): -2.340, (1, 3): -0.608, (0, 2): -0.008, (2, 3): 0.148}  # fmt: skip
    s = {(1, 0): 309056.544, (0, 2): 3638.893, (2, 0): 73.077, (1, 2): -157.984,
         (3, 0): 59.788, (0, 1): 0.433, (2, 2): -6.439, (1, 1): -0.032, (0, 4): 0.092,
         (1, 4): -0.054}  # fmt: skip
    x = 155000 + sum(c * dp**p * dl**q for (p, q), c in r.items())
    y = 463000 + sum(c * dp**p * dl**q for (p, q), c in s.items())
    return x, y


def test_rd_conversion():
    # Amersfoort, the origin of RD.
    lat, lon = rd_to_wgs84(155000, 463000)
    assert math.isclose(lat, 52.1551744, abs_tol=1e-6)
    assert math.isclose(lon, 5.38720621, abs_tol=1e-6)
    # A round trip through the inverse polynomial lands within a metre, all over the country.
    for x, y in [(136500, 455800), (121000, 487400), (233000, 582000), (30000, 390000),
                 (190000, 320000), (100000, 550000)]:  # fmt: skip
        back = wgs84_to_rd(*rd_to_wgs84(x, y))
        assert math.hypot(back[0] - x, back[1] - y) < 1.0, (x, y, back)


def test_integer_ids_and_bare_language_codes():
    households, options = read_input(
        [{"id": 7, "kind": "newcomer", "languages": ["AR"], "location": {"lat": 52, "lon": 5}}]
    )
    assert households[0].id == "7"
    assert households[0].speaks() == {"ar": 2}
    assert options.max_km == 10.0


def test_households_built_in_code_are_checked_too():
    with pytest.raises(MatchingError, match="kind must be"):
        Household("a", "neighbour", 52.0, 5.0)
    with pytest.raises(MatchingError, match="language level"):
        Language("ar", "fluent")
    with pytest.raises(MatchingError, match="unknown wish"):
        Household("a", "local", 52.0, 5.0, wishes=frozenset({"pony"}))
    with pytest.raises(MatchingError, match="unknown availability"):
        Household("a", "local", 52.0, 5.0, availability=frozenset({"sat"}))
    with pytest.raises(MatchingError, match="children's ages"):
        Household("a", "local", 52.0, 5.0, children_ages=(18,))
