"""Add1 skips only endowments it has proven to give the identical run.

The skipping Add1 (``run_add1(skip=True)``) must give exactly what the plain
unit-by-unit loop (``skip=False``) gives: the same final run, the same number of
+1 steps, and every skipped endowment the outcome recorded for it.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buurtcore.voting import pabulib
from buurtcore.voting.rules._data import prepare
from buurtcore.voting.rules.completion import run_add1
from buurtcore.voting.rules.equal_shares import run_mes
from buurtcore.voting.tests.rules_helpers import election
from buurtcore.voting.tests.strategies import elections
from buurtcore.voting.tiebreak import TieBreak


def assert_same_as_unit_steps(prep, tie, stop, compiled=None):
    fast, fast_rounds = run_add1(prep, tie, stop=stop, compiled=compiled)
    slow, slow_rounds = run_add1(prep, tie, stop=stop, skip=False)
    assert fast.selected == slow.selected
    assert fast.endowment == slow.endowment
    assert fast.total_cost == slow.total_cost
    assert all(r.repeated == 0 for r in slow_rounds)
    assert sum(1 + r.repeated for r in fast_rounds) == len(slow_rounds)
    by_endowment = {Fraction(r.endowment): r.selected for r in slow_rounds}
    for r in fast_rounds:
        e = Fraction(r.endowment)
        for j in range(r.repeated + 1):
            assert by_endowment[e + j] == r.selected, (e, j)
    return fast_rounds


@st.composite
def crowded_elections(draw):
    """Elections with enough voters that outcomes stay the same for many +1 steps."""
    n_projects = draw(st.integers(2, 6))
    costs = {f"p{i}": draw(st.integers(5, 400)) for i in range(n_projects)}
    n_kinds = draw(st.integers(1, 6))
    kinds = [
        draw(st.lists(st.sampled_from(sorted(costs)), min_size=1, max_size=n_projects, unique=True))
        for _ in range(n_kinds)
    ]
    ballots = []
    for kind in kinds:
        ballots.extend([kind] * draw(st.integers(1, 12)))
    budget = draw(st.integers(min(costs.values()), sum(costs.values())))
    return budget, costs, ballots


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=crowded_elections(),
    sat=st.sampled_from(["cost", "cardinality"]),
    stop=st.sampled_from(["exhaustive", "budget"]),
    rule=st.sampled_from(["lexico", "cost-votes"]),
    compiled=st.sampled_from([None, True]),
)
def test_it_skips_only_identical_runs_on_crowded_elections(case, sat, stop, rule, compiled):
    budget, costs, ballots = case
    inst, prof = election(budget, costs, ballots)
    prep = prepare(inst, prof, sat)
    tie = TieBreak.make(rule, prep.ids, prep.costs, prep.votes, seed=7)
    assert_same_as_unit_steps(prep, tie, stop, compiled)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    # costs near 2**53 are left out: Add1 in steps of 1 would need ~1e14 plain runs there
    text=elections(cost_modes=("small", "decimal")),
    stop=st.sampled_from(["exhaustive", "budget"]),
)
def test_it_skips_only_identical_runs_on_elections_full_of_ties(text, stop):
    inst, prof = pabulib.read(text)
    prep = prepare(inst, prof, "cost")
    tie = TieBreak.make("lexico", prep.ids, prep.costs, prep.votes)
    assert_same_as_unit_steps(prep, tie, stop)


def test_it_proves_a_raise_that_really_keeps_the_run():
    # 40 voters share a, 10 want b only: b is out of reach for many +1 steps
    ballots = [["a"]] * 40 + [["b"]] * 10
    inst, prof = election(1000, {"a": 600, "b": 900}, ballots)
    prep = prepare(inst, prof, "cost")
    tie = TieBreak.make("lexico", prep.ids, prep.costs, prep.votes)
    res = run_mes(prep, tie, Fraction(20), stability=64.0)
    assert res.selected == [0]
    # b needs 10 voters with 90 each: every raise below 70 keeps the run
    assert 1 <= res.stable_for < 70
    for d in range(int(res.stable_for) + 1):
        assert run_mes(prep, tie, Fraction(20 + d)).selected == [0]
    # the budget variant keeps raising until b is bought (over the budget)
    rounds = assert_same_as_unit_steps(prep, tie, "budget")
    assert len(rounds) < 71
    assert any(r.repeated for r in rounds)


SMALL_FILES = [
    ("Netherlands_Amsterdam_643.pb", "cost"),
    ("Netherlands_Amsterdam_588.pb", "cost"),
    ("Netherlands_Assen_2024.pb", "cost"),
    ("Poland_Zabrze_2020_Biskupice.pb", "cost"),
    ("Switzerland_Zurich_D10.pb", "points"),
]


@pytest.mark.parametrize(("name", "sat"), SMALL_FILES)
def test_it_skips_only_identical_runs_on_real_files(pabulib_file, name, sat):
    path = pabulib_file(name)
    inst, prof = pabulib.read(path)
    prep = prepare(inst, prof, sat)
    tie = TieBreak.make("lexico", prep.ids, prep.costs, prep.votes)
    for stop in ("exhaustive", "budget"):
        for compiled in (None, True):
            assert_same_as_unit_steps(prep, tie, stop, compiled)
