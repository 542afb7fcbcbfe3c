"""The compiled Add1 probe equals the Python bound and only skips identical runs.

``_mes_probe.probe`` runs MES with floats and computes the raise ``stable_for``
that ``run_mes(stability=H)`` proves. These tests check that a finished probe
buys what the exact run buys, that its bound is the Python bound (up to float
rounding, 1e-6 relative), that it gives up exactly where the compiled run gives
up, that every endowment inside the proven raise really gives the same run,
and that Add1 with compiled probes equals the unit-by-unit loop.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buurtcore.voting import pabulib
from buurtcore.voting.rules import _mes_fast, _mes_probe
from buurtcore.voting.rules._data import prepare
from buurtcore.voting.rules._mes_fast import FastMes
from buurtcore.voting.rules.completion import run_add1
from buurtcore.voting.rules.equal_shares import mes_candidates, run_mes
from buurtcore.voting.tests.rules_helpers import election
from buurtcore.voting.tests.strategies import elections
from buurtcore.voting.tests.test_add1_skipping import (
    assert_same_as_unit_steps,
    crowded_elections,
)
from buurtcore.voting.tiebreak import TieBreak

pytestmark = pytest.mark.skipif(
    not _mes_fast.AVAILABLE, reason="no compiled run (numba missing or BUURTCORE_NO_JIT set)"
)

REL = 1e-6


def close_enough(a: float, b: float) -> bool:
    return abs(a - b) <= REL * max(abs(a), abs(b))


def check_probe(prep, tie, endowment, horizon):
    """Compare one compiled probe with ``run_mes(stability=horizon)``; returns the probe result."""
    cands, free = mes_candidates(prep)
    if not cands:
        return None, 0.0
    fast = FastMes(prep, tie, cands)
    bought, stable = _mes_probe.probe(fast, endowment, horizon)
    assert (bought is None) == (fast.run(endowment) is None)
    if bought is None:
        return None, 0.0
    assert bought == fast.run(endowment)
    exact = run_mes(prep, tie, endowment, stability=horizon)
    assert free + bought == exact.selected
    assert 0 <= stable <= horizon
    if fast.last_revived:
        # a supporter left out as having nothing might get money: nothing is proven
        assert stable == 0
    else:
        assert close_enough(stable, exact.stable_for), (stable, exact.stable_for)
    return bought, stable


def endowments(prep, draw_offsets):
    base = prep.budget / prep.n_voters
    return [base + Fraction(k) for k in draw_offsets]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=crowded_elections(),
    sat=st.sampled_from(["cost", "cardinality"]),
    rule=st.sampled_from(["lexico", "cost-votes"]),
    offsets=st.lists(st.integers(0, 300), min_size=1, max_size=4),
    horizon=st.sampled_from([2.0, 7.5, 64.0, 1000.0]),
)
def test_it_matches_the_python_bound_on_crowded_elections(case, sat, rule, offsets, horizon):
    budget, costs, ballots = case
    inst, prof = election(budget, costs, ballots)
    prep = prepare(inst, prof, sat)
    tie = TieBreak.make(rule, prep.ids, prep.costs, prep.votes, seed=7)
    for e in endowments(prep, offsets):
        check_probe(prep, tie, e, horizon)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=elections(cost_modes=("small", "decimal")),
    offsets=st.lists(st.integers(0, 30), min_size=1, max_size=3),
    horizon=st.sampled_from([2.0, 16.0]),
)
def test_it_matches_the_python_bound_on_elections_full_of_ties(text, offsets, horizon):
    inst, prof = pabulib.read(text)
    prep = prepare(inst, prof, "cost")
    tie = TieBreak.make("lexico", prep.ids, prep.costs, prep.votes)
    for e in endowments(prep, offsets):
        check_probe(prep, tie, e, horizon)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=elections(vote_type="cumulative", cost_modes=("small",)),
    offsets=st.lists(st.integers(0, 30), min_size=1, max_size=3),
)
def test_it_matches_the_python_bound_with_points(text, offsets):
    inst, prof = pabulib.read(text)
    prep = prepare(inst, prof, "points")
    tie = TieBreak.make("lexico", prep.ids, prep.costs, prep.votes)
    for e in endowments(prep, offsets):
        check_probe(prep, tie, e, 16.0)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=crowded_elections(),
    sat=st.sampled_from(["cost", "cardinality"]),
    offset=st.integers(0, 200),
    horizon=st.sampled_from([8.0, 64.0]),
)
def test_it_proves_only_raises_that_keep_the_run(case, sat, offset, horizon):
    budget, costs, ballots = case
    inst, prof = election(budget, costs, ballots)
    prep = prepare(inst, prof, sat)
    tie = TieBreak.make("lexico", prep.ids, prep.costs, prep.votes)
    e = prep.budget / prep.n_voters + offset
    bought, stable = check_probe(prep, tie, e, horizon)
    if bought is None:
        return
    _, free = mes_candidates(prep)
    for d in range(int(stable) + 1):
        if d < stable:
            assert run_mes(prep, tie, e + d).selected == free + bought, d


def test_it_gives_up_where_the_compiled_run_gives_up():
    # two projects with exactly the same price: a near-tie the floats cannot settle
    # without exact budgets once a supporter has paid something
    ballots = [["a", "b", "c"]] * 3 + [["a"]] * 3 + [["b"]] * 3
    inst, prof = election(30, {"a": 10, "b": 10, "c": 7}, ballots)
    prep = prepare(inst, prof, "cardinality")
    tie = TieBreak.make("lexico", prep.ids, prep.costs, prep.votes)
    cands, _ = mes_candidates(prep)
    fast = FastMes(prep, tie, cands)
    gave_up = 0
    for k in range(1, 60):
        e = Fraction(k, 3)
        bought, _ = _mes_probe.probe(fast, e, 8.0)
        assert (bought is None) == (fast.run(e) is None)
        gave_up += bought is None
        res = _mes_probe.probe_mes(prep, tie, fast, e, 8.0)
        assert res.selected == run_mes(prep, tie, e).selected
    assert gave_up > 0


REAL = [
    ("Netherlands_Assen_2024.pb", "cost", (0, 50, 400)),
    ("Netherlands_Amsterdam_588.pb", "cost", (0, 20, 300)),
    ("Switzerland_Zurich_D10.pb", "points", (0, 100, 1000)),
    ("Poland_Swiecie_2023.pb", "cost", (0, 3, 40)),
    ("Poland_Warszawa_2022_Wola.pb", "cardinality", (0, 10, 500)),
]


@pytest.mark.parametrize(("name", "sat", "offsets"), REAL)
def test_it_matches_the_python_bound_on_real_files(pabulib_file, name, sat, offsets):
    path = pabulib_file(name)
    inst, prof = pabulib.read(path)
    prep = prepare(inst, prof, sat)
    tie = TieBreak.make("lexico", prep.ids, prep.costs, prep.votes)
    finished = 0
    for e in endowments(prep, offsets):
        for horizon in (4.0, 50.0):
            bought, _ = check_probe(prep, tie, e, horizon)
            finished += bought is not None
    assert finished > 0


@pytest.mark.parametrize(
    ("name", "sat"),
    [
        ("Netherlands_Assen_2024.pb", "cost"),
        ("Poland_Swiecie_2023.pb", "cost"),
        ("Switzerland_Zurich_D10.pb", "points"),
    ],
)
def test_it_keeps_add1_identical_to_unit_steps_on_real_files(pabulib_file, monkeypatch, name, sat):
    path = pabulib_file(name)
    inst, prof = pabulib.read(path)
    prep = prepare(inst, prof, sat)
    tie = TieBreak.make("lexico", prep.ids, prep.costs, prep.votes)
    used = []
    real_probe = _mes_probe.probe

    def counting(fast, endowment, horizon):
        got = real_probe(fast, endowment, horizon)
        used.append(got[0] is not None)
        return got

    monkeypatch.setattr(_mes_probe, "probe", counting)
    assert_same_as_unit_steps(prep, tie, "exhaustive", compiled=True)
    assert any(used), "no compiled probe finished"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=crowded_elections(),
    sat=st.sampled_from(["cost", "cardinality"]),
    stop=st.sampled_from(["exhaustive", "budget"]),
)
def test_it_keeps_add1_identical_to_unit_steps(case, sat, stop):
    budget, costs, ballots = case
    inst, prof = election(budget, costs, ballots)
    prep = prepare(inst, prof, sat)
    tie = TieBreak.make("cost-votes", prep.ids, prep.costs, prep.votes, seed=3)
    fast, _ = run_add1(prep, tie, stop=stop, compiled=True)
    slow, _ = run_add1(prep, tie, stop=stop, skip=False, compiled=False)
    assert fast.selected == slow.selected
    assert fast.endowment == slow.endowment
    assert_same_as_unit_steps(prep, tie, stop, compiled=True)
