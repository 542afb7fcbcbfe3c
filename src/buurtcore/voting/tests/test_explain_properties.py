"""Properties of explanations on generated elections (any rule, any ballot type)."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buurtcore.voting import pabulib, tally
from buurtcore.voting.explain import compare, explain, explain_text

from .strategies import elections

RULES = {
    "approval": [
        {"rule": "greedy"},
        {"rule": "greedy", "sat": "cardinality"},
        {"rule": "mes"},
        {"rule": "mes", "completion": "add1"},
        {"rule": "mes", "completion": "add1u"},
        {"rule": "phragmen"},
    ],
    "cumulative": [{"rule": "greedy"}, {"rule": "mes"}, {"rule": "mes", "completion": "add1"}],
    "ordinal": [{"rule": "greedy"}, {"rule": "mes"}],
}


@pytest.mark.parametrize("vote_type", sorted(RULES))
def test_it_explains_every_project_consistently(vote_type):
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        text=elections(vote_type=vote_type, cost_modes=("small", "decimal")),
        pick=st.integers(0, 10),
    )
    def check(text, pick):
        instance, profile = pabulib.read(text)
        params = RULES[vote_type][pick % len(RULES[vote_type])]
        outcome = tally(instance, profile, **params)
        data = explain(instance, profile, outcome)
        assert json.loads(json.dumps(data)) == data
        # every project exactly once; funded exactly when selected, in the order selected
        assert sorted(p["id"] for p in data["projects"]) == sorted(instance.projects)
        funded = [p["id"] for p in data["projects"] if p["funded"]]
        assert funded == list(outcome.selected)
        # the summary adds up
        s = data["summary"]
        total = sum((instance.projects[p].cost for p in outcome.selected), Fraction(0))
        assert Fraction(s["total_cost"]) == total == outcome.total_cost
        assert Fraction(s["leftover"]) == instance.budget - total
        chosen = set(outcome.selected)
        happy = sum(
            1
            for v in range(profile.n_voters)
            if any(
                pid in chosen and (pts is None or pts > 0)
                for pid, pts in zip(
                    profile.ballot(v),
                    profile.ballot_points(v) or [None] * len(profile.ballot(v)),
                    strict=True,
                )
            )
        )
        assert s["satisfied_voters"] == happy
        # MES: payments of a bought project add up to its cost; the unfunded could not pay
        for p in data["projects"]:
            if p["reason"] == "mes_bought":
                paid = sum(Fraction(g["amount"]) * g["voters"] for g in p["payments"])
                assert paid == Fraction(p["cost"])
            if p["reason"] == "mes_not_affordable" and "supporters_budget_left" in p:
                assert Fraction(p["supporters_budget_left"]) < Fraction(p["cost"])
            assert p["text"]
        text_out = explain_text(instance, profile, outcome)
        assert sum(line.startswith("- ") for line in text_out.splitlines()) == len(
            instance.projects
        )
        other = tally(instance, profile, rule="greedy")
        c = compare(instance, profile, outcome, other)
        ids_a = {r["id"] for r in c["only_a"]} | {r["id"] for r in c["both"]}
        assert ids_a == chosen

    check()
