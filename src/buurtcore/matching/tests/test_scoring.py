"""Pair scores: components, hard constraints, explanations, sensitive fields."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from buurtcore.matching import COMPONENTS, Options, encode, score_block, score_pair
from buurtcore.matching.model import Household, Language
from buurtcore.matching.scoring import fulfilled_wishes, pair_dict

from .strategies import households, instances

SPOT = {"lat": 52.0900, "lon": 5.1200}


def test_the_issue_example():
    a = Household("n1", "newcomer", **SPOT, children_ages=(6,), languages=(Language("ar"),))
    b = Household(
        "l1", "local", lat=52.1, lon=5.125, children_ages=(8,), languages=(Language("ar"),)
    )
    pair = score_pair(a, b)
    assert pair.explanation_nl == "beide spreken Arabisch, kinderen van 6 en 8, 1,2 km"
    assert pair.explanation_en == "both speak Arabic, children of 6 and 8, 1.2 km"
    assert pair.feasible and pair.reason == ""


def test_every_component_is_named_when_it_scores():
    a = Household(
        "n1",
        "newcomer",
        **SPOT,
        children_ages=(4, 10),
        languages=(Language("ti", "native"), Language("en", "basic")),
        interests=frozenset({"koken", "muziek"}),
        availability=frozenset({"sat-morning", "wed-evening"}),
        wishes=frozenset({"children"}),
    )
    b = Household(
        "l1",
        "local",
        lat=52.0951,
        lon=5.1200,
        children_ages=(5,),
        languages=(Language("nl", "native"), Language("en", "good")),
        interests=frozenset({"muziek"}),
        availability=frozenset({"sat-morning"}),
    )
    pair = score_pair(a, b)
    assert all(pair.components[c] > 0 for c in COMPONENTS if c != "sensitive")
    assert pair.explanation_nl == (
        "beide spreken Engels, kinderen van 4 en 5, beide houden van muziek, "
        "beide kunnen op zaterdagochtend, past bij de wens: een gezin met kinderen, 0,6 km"
    )
    assert pair.explanation_en == (
        "both speak English, children of 4 and 5, both enjoy muziek, "
        "both free on Saturday morning, fits the wish: a family with children, 0.6 km"
    )


@settings(max_examples=200, deadline=None)
@given(households("a", "newcomer"), households("b", "local"))
def test_explanation_mentions_exactly_the_components_that_scored(a, b):
    pair = score_pair(a, b)
    words = {
        "language": "beide spreken",
        "children": "kinderen van",
        "interests": "beide houden van",
        "availability": "beide kunnen op",
        "wishes": "past bij de wens",
    }
    for name, text in words.items():
        assert (text in pair.explanation_nl) == (pair.components[name] > 0), name
    # The named wishes are exactly those the vectorised component counted.
    assert bool(fulfilled_wishes(a, b, pair.km, 2.0)) == (pair.components["wishes"] > 0)
    assert pair.explanation_nl.endswith(" km")
    # Dutch decimal comma, English decimal point.
    assert "," in pair.explanation_nl.rsplit(" ", 2)[-2]
    assert "." in pair.explanation_en.rsplit(" ", 2)[-2]


@settings(max_examples=200, deadline=None)
@given(households("a", "newcomer"), households("b", "local"))
def test_components_are_fractions_and_points_add_up_to_the_score(a, b):
    options = Options()
    pair = score_pair(a, b, options)
    assert all(0.0 <= v <= 1.0 + 1e-12 for v in pair.components.values())
    data = pair_dict(pair, options)
    points = sum(c["points"] for c in data["components"].values())
    assert math.isclose(points, pair.score, abs_tol=1e-5)
    assert 0.0 <= pair.score <= 1.0 + 1e-12


@settings(max_examples=60, deadline=None)
@given(instances(max_side=5))
def test_block_scores_equal_single_pair_scores(instance):
    hs, options = instance
    enc = encode(hs, options)
    idx = np.arange(len(hs))
    block = score_block(enc, idx, idx, options)
    for i, a in enumerate(hs):
        for j, b in enumerate(hs):
            if a.kind == b.kind:
                continue
            pair = score_pair(a, b, options)
            assert math.isclose(block.score[i, j], pair.score, abs_tol=1e-9)
            assert (block.reason[i, j] == 0) == pair.feasible
            # Symmetric: the order of the two households does not matter.
            assert math.isclose(block.score[j, i], pair.score, abs_tol=1e-9)


# ---------------------------------------------------------------- sensitive fields


@settings(max_examples=300, deadline=None)
@given(
    households("a", "newcomer"),
    households("b", "local"),
    st.dictionaries(st.sampled_from(["religion", "health"]), st.sampled_from(["a", "b", "c"])),
    st.dictionaries(st.sampled_from(["religion", "health"]), st.sampled_from(["a", "b", "c"])),
    st.sampled_from([0.0, 1.0, 5.0]),
)
def test_sensitive_fields_without_consent_never_change_a_score(a, b, sens_a, sens_b, weight):
    assume(not (a.consent_sensitive and b.consent_sensitive))
    options = Options(weights={"sensitive": weight})
    before = score_pair(a, b, options)
    after = score_pair(replace(a, sensitive=sens_a), replace(b, sensitive=sens_b), options)
    assert after.score == before.score
    assert after.components == before.components
    assert after.explanation_nl == before.explanation_nl
    # Nor does removing them altogether.
    bare = score_pair(replace(a, sensitive={}), replace(b, sensitive={}), options)
    assert bare.score == before.score


def test_sensitive_fields_count_only_with_consent_of_both_and_a_weight():
    a = Household("n1", "newcomer", **SPOT, sensitive={"religion": "X"}, consent_sensitive=True)
    b = Household("l1", "local", **SPOT, sensitive={"religion": "x "}, consent_sensitive=True)
    weighted = Options(weights={"sensitive": 1.0})
    assert score_pair(a, b, weighted).components["sensitive"] == 1.0
    assert "met toestemming" in score_pair(a, b, weighted).explanation_nl
    assert score_pair(a, b, Options()).components["sensitive"] == 0.0  # weight 0 by default
    no_consent = replace(b, consent_sensitive=False)
    assert score_pair(a, no_consent, weighted).components["sensitive"] == 0.0
    assert score_pair(a, no_consent, weighted).score < score_pair(a, b, weighted).score


def test_sensitive_values_are_not_even_encoded_without_consent():
    a = Household("n1", "newcomer", **SPOT, sensitive={"religion": "x"})
    enc = encode([a])
    assert enc.sensitive == {}


# ---------------------------------------------------------------- hard constraints


def test_hard_constraints_give_the_reason():
    a = Household("n1", "newcomer", **SPOT, languages=(Language("ar"),))
    far = Household("l1", "local", lat=52.37, lon=4.90, languages=(Language("ar"),))
    assert score_pair(a, far, Options(max_km=10)).reason == "max_distance"
    assert score_pair(a, far, Options(max_km=None)).feasible
    dutch = Household("l2", "local", **SPOT, languages=(Language("nl"),))
    assert score_pair(a, dutch).feasible
    assert score_pair(a, dutch, Options(require_language=True)).reason == "no_common_language"
    assert score_pair(replace(a, language_required=True), dutch).reason == "no_common_language"
    assert score_pair(dutch, replace(a, language_required=True)).reason == "no_common_language"
    assert score_pair(replace(a, excluded=frozenset({"l2"})), dutch).reason == "excluded"
    assert (
        score_pair(a, dutch, Options(excluded_pairs=frozenset({frozenset({"n1", "l2"})}))).reason
        == "excluded"
    )
    assert score_pair(a, replace(dutch, paired=True)).reason == "already_paired"
    assert score_pair(a, replace(dutch, kind="newcomer")).reason == "same_kind"
    data = pair_dict(score_pair(a, far, Options(max_km=10)), Options(max_km=10))
    assert data["infeasible"] == {
        "reason": "max_distance",
        "nl": "verder weg dan de maximale afstand",
        "en": "farther apart than the maximum distance",
    }


def test_distance_decays_by_half_every_half_km():
    a = Household("n1", "newcomer", lat=52.0, lon=5.0)
    b = Household("l1", "local", lat=52.0 + 2.0 / 111.195, lon=5.0)  # 2 km north
    pair = score_pair(a, b, Options(half_km=2.0))
    assert math.isclose(pair.km, 2.0, rel_tol=1e-3)
    assert math.isclose(pair.components["distance"], 0.5, rel_tol=1e-3)


def test_language_counts_at_the_lower_level():
    a = Household("n1", "newcomer", **SPOT, languages=(Language("ar", "native"),))
    b = Household("l1", "local", **SPOT, languages=(Language("ar", "basic"),))
    assert math.isclose(score_pair(a, b).components["language"], 1 / 3, abs_tol=1e-6)
    c = replace(b, languages=(Language("ar", "native"),))
    assert score_pair(a, c).components["language"] == 1.0
