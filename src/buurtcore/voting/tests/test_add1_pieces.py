"""Add1 with the compiled runs walks its endowments in pieces, on several threads.

The endowments still to try are split into pieces (``completion.CHUNKS``),
each walked on its own, in parallel. Whatever the number of threads, the
outcome and the rounds must be exactly those of one thread, and every
endowment must be covered once, with what the plain unit-by-unit loop buys.
"""

from __future__ import annotations

import threading
import time
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buurtcore.voting import pabulib
from buurtcore.voting.rules import completion
from buurtcore.voting.rules._data import prepare
from buurtcore.voting.rules.completion import add1_threads, rounds_by_endowment, run_add1
from buurtcore.voting.tests.rules_helpers import election
from buurtcore.voting.tests.test_add1_skipping import crowded_elections
from buurtcore.voting.tiebreak import TieBreak


@pytest.fixture
def small_pieces(monkeypatch):
    """Split even the shortest Add1 into pieces of a few endowments."""
    monkeypatch.setattr(completion, "CHUNK_AT_STEPS", 1)
    monkeypatch.setattr(completion, "CHUNKS", 5)


def crowded(case, sat="cost", rule="lexico"):
    budget, costs, ballots = case
    inst, prof = election(budget, costs, ballots)
    prep = prepare(inst, prof, sat)
    return prep, TieBreak.make(rule, prep.ids, prep.costs, prep.votes, seed=3)


def long_add1(with_c: bool = False):
    """40 voters want a, 10 want b: b stays out of reach for many +1 steps (and
    with ``with_c`` 5 voters also want a small c)."""
    ballots = [["a"]] * 40 + [["b"]] * 10 + ([["a", "c"]] * 5 if with_c else [])
    costs = {"a": 600, "b": 900, **({"c": 120} if with_c else {})}
    inst, prof = election(1000, costs, ballots)
    prep = prepare(inst, prof, "cost")
    return prep, TieBreak.make("lexico", prep.ids, prep.costs, prep.votes)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=crowded_elections(),
    sat=st.sampled_from(["cost", "cardinality"]),
    stop=st.sampled_from(["exhaustive", "budget"]),
    rule=st.sampled_from(["lexico", "cost-votes"]),
    # compiled from the start, or Python first and compiled after the first run
    compiled=st.sampled_from([True, None]),
)
def test_pieces_on_threads_give_what_one_step_at_a_time_gives(case, sat, stop, rule, compiled):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(completion, "CHUNK_AT_STEPS", 1)
        mp.setattr(completion, "CHUNKS", 5)
        mp.setattr(completion, "PYTHON_SECONDS", 1e-9)
        prep, tie = crowded(case, sat, rule)
        one, one_rounds = run_add1(prep, tie, stop=stop, compiled=compiled, threads=1)
        two, two_rounds = run_add1(prep, tie, stop=stop, compiled=compiled, threads=3)
    plain, plain_rounds = run_add1(prep, tie, stop=stop, compiled=False, skip=False)
    # the number of threads changes nothing, not even which endowments were probed
    assert two_rounds == one_rounds
    assert (two.selected, two.endowment, two.total_cost) == (
        one.selected,
        one.endowment,
        one.total_cost,
    )
    assert (one.selected, one.endowment, one.steps) == (
        plain.selected,
        plain.endowment,
        plain.steps,
    )
    # every endowment exactly once, with what the unit-by-unit loop bought there
    assert sum(1 + r.repeated for r in one_rounds) == len(plain_rounds)
    assert rounds_by_endowment(one_rounds) == rounds_by_endowment(plain_rounds)


def test_a_long_add1_is_really_split_and_the_pieces_join_up(small_pieces):
    # b is out of reach for many +1 steps; the budget variant raises until it is bought
    prep, tie = long_add1(with_c=True)
    seen = []
    real = completion._Walk.__init__

    def spy(self, add1, endowment, end=None):
        seen.append(endowment)
        real(self, add1, endowment, end)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(completion._Walk, "__init__", spy)
        res, rounds = run_add1(prep, tie, stop="budget", compiled=True, threads=2)
    plain, plain_rounds = run_add1(prep, tie, stop="budget", compiled=False, skip=False)
    assert len(seen) > 2  # the first walk and at least two more pieces
    assert res.selected == plain.selected and res.endowment == plain.endowment
    assert rounds_by_endowment(rounds) == rounds_by_endowment(plain_rounds)
    # the rounds follow each other without a gap or an overlap
    for before, after in zip(rounds, rounds[1:], strict=False):
        assert Fraction(after.endowment) == Fraction(before.endowment) + before.repeated + 1


def test_an_error_in_a_piece_reaches_the_caller_and_no_thread_is_left(small_pieces):
    prep, tie = long_add1()
    real = completion._Walk.step
    before = threading.active_count()

    def failing(self):
        if self.end is not None and self.endowment > Fraction(40):
            raise RuntimeError("kapot")
        return real(self)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(completion._Walk, "step", failing)
        with pytest.raises(RuntimeError, match="kapot"):
            run_add1(prep, tie, stop="budget", compiled=True, threads=2)
    assert threading.active_count() == before


def test_no_thread_is_left_when_add1_stops_early(small_pieces):
    prep, tie = long_add1()
    before = threading.active_count()
    run_add1(prep, tie, stop="exhaustive", compiled=True, threads=4)
    assert threading.active_count() == before


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", 1), ("3", 3), ("999", None), ("0", None), ("twee", None), ("", None)],
)
def test_the_number_of_threads_can_be_set(monkeypatch, value, expected):
    monkeypatch.setenv("BUURTCORE_THREADS", value)
    if expected is None:  # not a positive number, or too many: the CPUs, at most CHUNKS
        assert 1 <= add1_threads() <= completion.CHUNKS
    else:
        assert add1_threads() == expected


def test_a_real_file_gives_the_same_on_one_and_two_threads(pabulib_file):
    path = pabulib_file("Poland_Warszawa_2022_Wola.pb")
    inst, prof = pabulib.read(path)
    prep = prepare(inst, prof, "cost")
    tie = TieBreak.make("lexico", prep.ids, prep.costs, prep.votes)
    one, one_rounds = run_add1(prep, tie, stop="budget", compiled=True, threads=1)
    two, two_rounds = run_add1(prep, tie, stop="budget", compiled=True, threads=2)
    plain, plain_rounds = run_add1(prep, tie, stop="budget", compiled=False)
    assert one_rounds == two_rounds
    assert one.selected == two.selected == plain.selected
    assert one.endowment == plain.endowment
    assert rounds_by_endowment(one_rounds) == rounds_by_endowment(plain_rounds)


def test_an_error_in_a_piece_after_the_stop_changes_nothing(small_pieces):
    # pieces after the one where Add1 stops may already run on other threads;
    # what goes wrong there must not matter (as with one thread, which never starts them)
    prep, tie = long_add1(with_c=True)
    plain, plain_rounds = run_add1(prep, tie, stop="budget", compiled=False, skip=False)
    last = max(Fraction(r.endowment) for r in plain_rounds)
    real = completion._Walk.step

    def failing_late(self):
        if self.endowment > last:
            raise MemoryError("na de stop")
        time.sleep(0.002)  # let the other threads run ahead
        return real(self)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(completion._Walk, "step", failing_late)
        got = {t: run_add1(prep, tie, stop="budget", compiled=True, threads=t) for t in (1, 4)}
    for res, rounds in got.values():
        assert (res.selected, res.endowment) == (plain.selected, plain.endowment)
        assert rounds_by_endowment(rounds) == rounds_by_endowment(plain_rounds)


def test_the_pieces_end_with_the_step_where_add1_stops(small_pieces):
    prep, tie = long_add1()
    from buurtcore.voting.rules._mes_fast import fast_run
    from buurtcore.voting.rules._mes_probe import probe_mes
    from buurtcore.voting.rules.equal_shares import mes_candidates

    cands, _ = mes_candidates(prep)
    limit = sum((prep.costs[p] for p in cands), Fraction(0)) + 1
    add1 = completion._Add1(prep, tie, "budget", Fraction(1), True, cands, limit)
    walk = completion._Walk(add1, prep.budget / prep.n_voters)
    steps = list(completion._chunked(add1, walk, fast_run(prep, tie, cands), probe_mes, 3))
    assert steps[-1].done and not any(s.done for s in steps[:-1])
