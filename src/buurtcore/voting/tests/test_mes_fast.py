"""The compiled float run of MES buys exactly what the exact run buys, or gives up.

``FastMes.run`` (numba) takes every decision with floats and returns None when a
decision is too close to call; then the exact Python run decides. These tests
compare it with ``run_mes`` on generated elections full of ties, on real files,
and inside Add1 (``run_add1(compiled=True)`` against ``compiled=False``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buurtcore.voting import pabulib
from buurtcore.voting.rules import _mes_fast, completion
from buurtcore.voting.rules._data import prepare
from buurtcore.voting.rules._mes_fast import AVAILABLE, fast_run
from buurtcore.voting.rules.completion import rounds_by_endowment, run_add1
from buurtcore.voting.rules.equal_shares import mes_candidates, run_mes
from buurtcore.voting.tests.rules_helpers import election
from buurtcore.voting.tests.strategies import elections
from buurtcore.voting.tests.test_add1_skipping import crowded_elections
from buurtcore.voting.tiebreak import TieBreak


def test_it_is_compiled():
    # numba is a pinned dependency: without it Add1 silently falls back to Python
    assert AVAILABLE, "numba is not importable (or BUURTCORE_NO_JIT is set)"


def compare(prep, tie, endowments) -> int:
    """Compare the compiled run with run_mes; return how many runs it finished."""
    cands, free = mes_candidates(prep)
    fm = fast_run(prep, tie, cands)
    if fm is None:
        return 0
    finished = 0
    for e in endowments:
        got = fm.run(e)
        want = run_mes(prep, tie, e).selected
        if got is not None:
            assert free + got == want, (e, got, want)
            finished += 1
    return finished


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=crowded_elections(),
    sat=st.sampled_from(["cost", "cardinality"]),
    rule=st.sampled_from(["lexico", "cost-votes"]),
    raises=st.lists(st.integers(0, 300), min_size=1, max_size=4),
)
def test_it_buys_what_the_exact_run_buys_on_crowded_elections(case, sat, rule, raises):
    budget, costs, ballots = case
    inst, prof = election(budget, costs, ballots)
    prep = prepare(inst, prof, sat)
    tie = TieBreak.make(rule, prep.ids, prep.costs, prep.votes, seed=3)
    base = prep.budget / prep.n_voters
    compare(prep, tie, [base + r for r in raises])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=elections(), raise_by=st.sampled_from([0, 1, 7, Fraction(1, 3)]))
def test_it_buys_what_the_exact_run_buys_on_elections_full_of_ties(text, raise_by):
    inst, prof = pabulib.read(text)
    sats = {"approval": "cost", "choose-1": "cost", "cumulative": "points", "scoring": "points"}
    sat = sats.get(inst.vote_type, "borda")
    prep = prepare(inst, prof, sat)
    if prep.n_voters == 0:
        return
    tie = TieBreak.make("lexico", prep.ids, prep.costs, prep.votes)
    compare(prep, tie, [prep.budget / prep.n_voters + raise_by])


def test_it_settles_exact_ties_between_fully_paid_projects():
    # a and b: same cost, 10 supporters each who can all pay their share, so
    # both cost 1/10 per unit of satisfaction: the tie-breaking rule decides
    ballots = [["a"]] * 10 + [["b"]] * 10 + [["c"]] * 3
    inst, prof = election(460, {"b": 100, "a": 100, "c": 90}, ballots)
    prep = prepare(inst, prof, "cost")
    for rule in ("lexico", "cost-votes"):
        tie = TieBreak.make(rule, prep.ids, prep.costs, prep.votes, seed=11)
        cands, free = mes_candidates(prep)
        got = fast_run(prep, tie, cands).run(prep.budget / prep.n_voters)
        assert got is not None  # settled without the exact run
        assert got == run_mes(prep, tie, prep.budget / prep.n_voters).selected
        assert got[0] == tie.winner([prep.ids.index("a"), prep.ids.index("b")])


def test_it_gives_up_when_the_money_is_exactly_the_cost():
    # 4 voters with 25 each want a project of 100: affordable, but only exactly
    inst, prof = election(100, {"a": 100, "b": 300}, [["a"]] * 4 + [["b"]])
    prep = prepare(inst, prof, "cost")
    tie = TieBreak.make("lexico", prep.ids, prep.costs, prep.votes)
    cands, _ = mes_candidates(prep)
    assert fast_run(prep, tie, cands).run(Fraction(20)) is not None  # clearly unaffordable
    assert fast_run(prep, tie, cands).run(Fraction(25)) is None
    assert run_mes(prep, tie, Fraction(25)).selected == [prep.ids.index("a")]


def test_it_gives_up_when_a_supporter_has_exactly_its_share():
    # at 30 each, a (90) costs its 4 supporters 22.5 each (1/4 per unit of
    # satisfaction, against 1/2 for b); the voter who wants both keeps 7.5,
    # exactly its share of b (15 for 2 voters): too close for floats
    ballots = [["a", "b"]] + [["a"]] * 3 + [["b"]] * 1
    inst, prof = election(1000, {"a": 90, "b": 15}, ballots)
    prep = prepare(inst, prof, "cost")
    tie = TieBreak.make("lexico", prep.ids, prep.costs, prep.votes)
    cands, _ = mes_candidates(prep)
    fm = fast_run(prep, tie, cands)
    a, b = prep.ids.index("a"), prep.ids.index("b")
    assert run_mes(prep, tie, Fraction(30)).selected == [a, b]
    assert fm.run(Fraction(30)) is None
    assert fm.run(Fraction(31)) == [a, b]


REAL = [
    ("Netherlands_Amsterdam_309.pb", "cost"),
    ("Netherlands_Assen_2024.pb", "cost"),
    ("Poland_Warszawa_2022_Wola.pb", "cost"),
    ("France_Toulouse_2024.pb", "cost"),
    ("France_Toulouse_2024.pb", "cardinality"),
    ("Switzerland_Zurich_D10.pb", "points"),
    (
        "US_Stanford_Dataset_Your_Voice_Your_Choice_Parks_and_Streets-_Seattle_2019_District_5_"
        "vote_rankings.pb",
        "borda",
    ),
]


@pytest.mark.parametrize(("name", "sat"), REAL)
def test_it_buys_what_the_exact_run_buys_on_real_files(pabulib_file, name, sat):
    path = pabulib_file(name)
    inst, prof = pabulib.read(path)
    prep = prepare(inst, prof, sat)
    base = prep.budget / prep.n_voters
    raises = [0, 1, 13, 250, 4000]
    for rule in ("lexico", "cost-votes"):
        tie = TieBreak.make(rule, prep.ids, prep.costs, prep.votes, seed=5)
        # none of these is a close call: the compiled run must finish them all
        assert compare(prep, tie, [base + r for r in raises]) == len(raises)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=crowded_elections(),
    stop=st.sampled_from(["exhaustive", "budget"]),
    rule=st.sampled_from(["lexico", "cost-votes"]),
)
def test_add1_gives_the_same_with_and_without_the_compiled_run(case, stop, rule):
    budget, costs, ballots = case
    inst, prof = election(budget, costs, ballots)
    prep = prepare(inst, prof, "cost")
    tie = TieBreak.make(rule, prep.ids, prep.costs, prep.votes, seed=9)
    fast, fast_rounds = run_add1(prep, tie, stop=stop, compiled=True)
    slow, slow_rounds = run_add1(prep, tie, stop=stop, compiled=False, skip=False)
    assert (fast.selected, fast.endowment, fast.total_cost) == (
        slow.selected,
        slow.endowment,
        slow.total_cost,
    )
    assert fast.steps == slow.steps
    assert sum(1 + r.repeated for r in fast_rounds) == len(slow_rounds)


def test_add1_on_a_real_file_is_the_same_in_python(pabulib_file):
    path = pabulib_file("Poland_Warszawa_2022_Wola.pb")
    inst, prof = pabulib.read(path)
    prep = prepare(inst, prof, "cost")
    tie = TieBreak.make("lexico", prep.ids, prep.costs, prep.votes)
    fast, fast_rounds = run_add1(prep, tie, compiled=True)
    slow, slow_rounds = run_add1(prep, tie, compiled=False)
    assert fast.selected == slow.selected
    assert fast.endowment == slow.endowment
    assert fast.steps == slow.steps
    # every endowment tried (or skipped as proven identical) bought the same
    assert rounds_by_endowment(fast_rounds) == rounds_by_endowment(slow_rounds)


def test_it_can_be_switched_off():
    code = (
        "from buurtcore.voting.rules._mes_fast import AVAILABLE, fast_run\n"
        "from buurtcore.voting import tally\n"
        "from buurtcore.voting.examples import example_path\n"
        "from buurtcore.voting import pabulib\n"
        "inst, prof = pabulib.read(example_path('buurtbudget_approval.pb'))\n"
        "out = tally(inst, prof, rule='mes', completion='add1')\n"
        "print(AVAILABLE, ','.join(out.selected))\n"
    )
    env = {**os.environ, "BUURTCORE_NO_JIT": "1"}
    off = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    env.pop("BUURTCORE_NO_JIT")
    on = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert off.stdout.split()[0] == "False"
    assert on.stdout.split()[0] == "True"
    assert off.stdout.split()[1] == on.stdout.split()[1]


def test_importing_the_engine_does_not_load_numba():
    # numba costs about 0.5 s and 90 MB per process: only Add1 loads it
    code = "import sys, buurtcore.voting, buurtcore.cli; print('numba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_small_elections_stay_in_python():
    # a neighbourhood round: Add1 finishes long before the Python runs cost
    # PYTHON_SECONDS, so numba (0.5 s, 90 MB, 15 s to compile) is never loaded
    code = (
        "import sys\n"
        "from buurtcore.voting import pabulib, tally\n"
        "from buurtcore.voting.examples import example_path\n"
        "inst, prof = pabulib.read(example_path('buurtbudget_approval.pb'))\n"
        "out = tally(inst, prof, rule='mes', completion='add1')\n"
        "print('numba' in sys.modules, out.params['add1_runs'])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded, runs = out.stdout.split()
    assert loaded == "False"
    assert int(runs) > 1  # Add1 really ran


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=crowded_elections(), stop=st.sampled_from(["exhaustive", "budget"]))
def test_add1_switches_to_the_compiled_runs_midway(case, stop):
    # with a tiny Python budget the switch happens after the first run
    budget, costs, ballots = case
    inst, prof = election(budget, costs, ballots)
    prep = prepare(inst, prof, "cost")
    tie = TieBreak.make("lexico", prep.ids, prep.costs, prep.votes)
    switched = []
    real = _mes_fast.fast_run

    def spy(*args):
        switched.append(True)
        return real(*args)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_mes_fast, "fast_run", spy)
        mp.setattr(completion, "PYTHON_SECONDS", 1e-9)
        mixed, mixed_rounds = run_add1(prep, tie, stop=stop)
    plain, plain_rounds = run_add1(prep, tie, stop=stop, compiled=False, skip=False)
    assert (mixed.selected, mixed.endowment) == (plain.selected, plain.endowment)
    assert rounds_by_endowment(mixed_rounds) == rounds_by_endowment(plain_rounds)
    if len(plain_rounds) > 1:
        assert switched


def test_the_warm_up_script_compiles():
    script = Path(__file__).resolve().parents[4] / "scripts" / "warm_engine.py"
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("compiled")
