"""Batch proposals against a brute-force optimum; suggestions against a full sort."""

from __future__ import annotations

import math
import random
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from buurtcore.matching import Matcher, MatchingError, Options, score_pair
from buurtcore.matching.model import Household, Language
from buurtcore.matching.scoring import haversine_km

from .strategies import instances


def allowed(a: Household, b: Household, options: Options) -> bool:
    """The hard constraints, written out again independently of the vectorised code."""
    if a.kind == b.kind or a.paired or b.paired:
        return False
    if b.id in a.excluded or a.id in b.excluded:
        return False
    if frozenset((a.id, b.id)) in options.excluded_pairs:
        return False
    must_share = options.require_language or a.language_required or b.language_required
    if must_share and not set(a.speaks()) & set(b.speaks()):
        return False
    km = float(haversine_km(a.lat, a.lon, b.lat, b.lon))
    return options.max_km is None or km <= options.max_km


def brute_force(hs: list[Household], options: Options) -> float:
    """Best total over all matchings (anyone may stay unmatched) by plain recursion."""
    news = [h for h in hs if h.kind == "newcomer"]
    locs = [h for h in hs if h.kind == "local"]
    gain = {}
    for a in news:
        for b in locs:
            if allowed(a, b, options):
                s = score_pair(a, b, options).score
                if s > options.min_score:
                    gain[a.id, b.id] = s

    def best(i: int, used: frozenset[str]) -> float:
        if i == len(news):
            return 0.0
        a = news[i]
        result = best(i + 1, used)  # a stays unmatched
        for b in locs:
            if b.id not in used and (a.id, b.id) in gain:
                result = max(result, gain[a.id, b.id] + best(i + 1, used | {b.id}))
        return result

    return best(0, frozenset())


@settings(max_examples=150, deadline=None)
@given(instances(max_side=5))
def test_batch_total_equals_brute_force_optimum(instance):
    hs, options = instance
    result = Matcher(hs, options).propose()
    total = sum(p["score"] for p in result["pairs"])
    assert math.isclose(result["total_score"], total, abs_tol=1e-5)
    assert math.isclose(result["total_score"], brute_force(hs, options), abs_tol=1e-5)


@settings(max_examples=150, deadline=None)
@given(instances(max_side=6))
def test_batch_never_proposes_a_blocked_pair_and_uses_each_household_once(instance):
    hs, options = instance
    by_id = {h.id: h for h in hs}
    result = Matcher(hs, options).propose()
    seen = []
    for p in result["pairs"]:
        a, b = by_id[p["newcomer"]], by_id[p["local"]]
        assert a.kind == "newcomer" and b.kind == "local"
        assert allowed(a, b, options)
        assert p["score"] > options.min_score
        assert "infeasible" not in p
        seen += [a.id, b.id]
    assert len(seen) == len(set(seen))
    # Everyone is either in a pair or listed as unmatched, exactly once.
    unmatched = [u["id"] for u in result["unmatched"]]
    assert sorted(seen + unmatched) == sorted(by_id)


@settings(max_examples=60, deadline=None)
@given(instances(max_side=6), st.randoms(use_true_random=False))
def test_batch_is_deterministic_and_independent_of_input_order(instance, rnd):
    hs, options = instance
    first = Matcher(hs, options).propose()
    shuffled = list(hs)
    rnd.shuffle(shuffled)
    assert Matcher(shuffled, options).propose() == first


def test_equal_scores_break_ties_by_id():
    # Two identical locals at the same spot: the newcomer gets the one with the lower id.
    spot = {"lat": 52.09, "lon": 5.12}
    n = Household("n1", "newcomer", **spot, languages=(Language("ar"),))
    l_b = Household("l-b", "local", **spot, languages=(Language("ar"),))
    l_a = Household("l-a", "local", **spot, languages=(Language("ar"),))
    for order in ([n, l_b, l_a], [l_a, n, l_b], [l_b, l_a, n]):
        result = Matcher(order).propose()
        assert [(p["newcomer"], p["local"]) for p in result["pairs"]] == [("n1", "l-a")]
        assert Matcher(order).suggest("n1")["candidates"][0]["id"] == "l-a"


def test_unmatched_reasons():
    spot = {"lat": 52.09, "lon": 5.12}
    hs = [
        Household("n1", "newcomer", **spot, languages=(Language("ar"),)),
        Household("n2", "newcomer", **spot, languages=(Language("ar"),)),
        Household("n3", "newcomer", lat=53.2, lon=6.56),  # Groningen
        Household("n4", "newcomer", **spot, paired=True),
        Household("l1", "local", **spot, languages=(Language("ar"),)),
    ]
    result = Matcher(hs, Options(max_km=10)).propose()
    reasons = {u["id"]: u["reason"] for u in result["unmatched"]}
    assert reasons == {"n2": "not_chosen", "n3": "no_feasible_partner", "n4": "already_paired"}
    n3 = next(u for u in result["unmatched"] if u["id"] == "n3")
    assert n3["blocked_by"] == {"max_distance": 1}
    assert n3["nl"] and n3["en"]
    low = Matcher(hs, Options(max_km=None, min_score=0.99)).propose()
    assert {u["id"]: u["reason"] for u in low["unmatched"]}["n3"] == "below_min_score"
    assert low["pairs"] == []


def test_proposal_says_it_is_not_a_decision():
    result = Matcher([]).propose()
    assert result["decision"] is False
    assert "geen besluit" in result["notice"]["nl"]
    assert "not a decision" in result["notice"]["en"]
    assert result["pairs"] == [] and result["unmatched"] == [] and result["total_score"] == 0


@settings(max_examples=60, deadline=None)
@given(instances(max_side=6), st.integers(1, 8))
def test_suggestions_are_the_best_feasible_candidates_in_order(instance, top):
    hs, options = instance
    if not hs:
        return
    matcher = Matcher(hs, options)
    for h in hs:
        result = matcher.suggest(h.id, top)
        others = [o for o in hs if o.kind != h.kind]
        ranked = sorted(
            (-score_pair(h, o, options).score, o.id) for o in others if allowed(h, o, options)
        )[:top]
        got = [(-c["score"], c["id"]) for c in result["candidates"]]
        assert [i for _, i in got] == [i for _, i in ranked] or all(
            math.isclose(x[0], y[0], abs_tol=1e-9) for x, y in zip(got, ranked, strict=True)
        )
        assert [c["rank"] for c in result["candidates"]] == list(range(1, len(got) + 1))
        assert result["n_candidates"] == len(others)
        assert result["n_feasible"] + sum(v["count"] for v in result["infeasible"].values()) == len(
            others
        )


def test_suggest_unknown_id_is_a_clear_error():
    with pytest.raises(MatchingError, match="unknown household id 'nope'") as info:
        Matcher([]).suggest("nope")
    assert info.value.message_nl == "onbekend huishouden 'nope'"


def test_suggestions_scale_to_thousands():
    """Not a timing test: 5,000 candidates give a full top 10, best first."""
    rnd = random.Random(7)
    hs = [
        Household(
            f"h{i:05d}",
            "local" if i else "newcomer",
            lat=52.09 + rnd.uniform(-0.05, 0.05),
            lon=5.12 + rnd.uniform(-0.08, 0.08),
            languages=(Language(rnd.choice(["nl", "ar", "en"])),),
            children_ages=(rnd.randint(0, 17),),
        )
        for i in range(5001)
    ]
    result = Matcher(hs, replace(Options(), max_km=None)).suggest("h00000", 10)
    scores = [c["score"] for c in result["candidates"]]
    assert len(scores) == 10 and scores == sorted(scores, reverse=True)
    all_scores = [score_pair(hs[0], h).score for h in hs[1:200]]
    assert scores[0] >= np.max(all_scores) - 1e-9
