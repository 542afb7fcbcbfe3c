"""Hypothesis strategies for random households around Utrecht."""

from __future__ import annotations

from hypothesis import strategies as st

from buurtcore.matching.model import (
    AVAILABILITY_DAYS,
    AVAILABILITY_PARTS,
    LEVELS,
    WISHES,
    Household,
    Language,
    Options,
)

SLOTS = [f"{d}-{p}" for d in AVAILABILITY_DAYS for p in AVAILABILITY_PARTS]
LANGS = ["nl", "ar", "ti", "en", "uk"]
INTERESTS = ["koken", "voetbal", "muziek", "wandelen", "tuinieren"]


@st.composite
def households(draw, hid: str, kind: str | None = None) -> Household:
    kind = kind or draw(st.sampled_from(["newcomer", "local"]))
    codes = draw(st.lists(st.sampled_from(LANGS), max_size=3, unique=True))
    return Household(
        id=hid,
        kind=kind,
        # A box of roughly 14 × 11 km, so max_km cuts some pairs.
        lat=draw(st.floats(52.03, 52.13)),
        lon=draw(st.floats(5.05, 5.21)),
        adults=draw(st.integers(1, 3)),
        children_ages=tuple(sorted(draw(st.lists(st.integers(0, 17), max_size=3)))),
        languages=tuple(Language(c, draw(st.sampled_from(LEVELS))) for c in codes),
        interests=frozenset(draw(st.lists(st.sampled_from(INTERESTS), max_size=3))),
        availability=frozenset(draw(st.lists(st.sampled_from(SLOTS), max_size=4))),
        area_code=draw(st.sampled_from(["", "BU1", "BU2"])),
        wishes=frozenset(draw(st.lists(st.sampled_from(WISHES), max_size=2))),
        language_required=draw(st.booleans()),
        paired=draw(st.integers(0, 9)) == 0,
        sensitive=draw(
            st.dictionaries(st.sampled_from(["religion", "health"]), st.sampled_from(["a", "b"]))
        ),
        consent_sensitive=draw(st.booleans()),
    )


@st.composite
def instances(draw, max_side: int = 4):
    n = draw(st.integers(0, max_side))
    m = draw(st.integers(0, max_side))
    hs = [draw(households(f"n{i}", "newcomer")) for i in range(n)]
    hs += [draw(households(f"l{j}", "local")) for j in range(m)]
    # Exclusions between drawn ids.
    excluded = set()
    if n and m:
        for _ in range(draw(st.integers(0, 2))):
            excluded.add(
                frozenset((f"n{draw(st.integers(0, n - 1))}", f"l{draw(st.integers(0, m - 1))}"))
            )
    options = Options(
        max_km=draw(st.sampled_from([None, 3.0, 6.0, 10.0])),
        require_language=draw(st.booleans()),
        half_km=draw(st.sampled_from([1.0, 2.0, 5.0])),
        min_score=draw(st.sampled_from([0.0, 0.2, 0.4])),
        excluded_pairs=frozenset(excluded),
        weights={
            "language": 3.0,
            "children": 2.0,
            "interests": 1.0,
            "availability": 1.0,
            "wishes": 1.0,
            "distance": 2.0,
            "sensitive": draw(st.sampled_from([0.0, 1.0])),
        },
    )
    return hs, options
