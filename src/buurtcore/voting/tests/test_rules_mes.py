"""Method of Equal Shares and its completions on hand-made elections."""

from fractions import Fraction

import pytest

from buurtcore.voting import tally
from buurtcore.voting.outcome import Add1Round, MesPurchase, MesUnfunded
from buurtcore.voting.tests.rules_helpers import election


def test_it_shares_the_budget_proportionally():
    # 4 voters want p1..p3, 2 voters want q1, q2; every voter has 10.
    ballots = [["p1", "p2", "p3"]] * 4 + [["q1", "q2"]] * 2
    costs = {"p1": 20, "p2": 20, "p3": 20, "q1": 20, "q2": 20}
    out = tally(*election(60, costs, ballots), rule="mes")
    # greedy would give all money to the majority
    assert tally(*election(60, costs, ballots), rule="greedy").selected == ["p1", "p2", "p3"]
    assert out.selected == ["p1", "p2", "q1"]
    buys = [s for s in out.steps if isinstance(s, MesPurchase)]
    assert [b.rho for b in buys] == ["1/4", "1/4", "1/2"]
    assert buys[0].payments == {"5": 4}
    assert buys[2].payments == {"10": 2}
    unfunded = {s.project: s for s in out.steps if isinstance(s, MesUnfunded)}
    assert unfunded["p3"].supporters_budget_left == "0"
    assert unfunded["q2"].supporters == 2
    assert out.final_endowment == 10


def test_it_orders_by_rho_per_satisfaction_unit():
    # v1 wants a (50) and b (10); v2 wants a. Each voter has 50.
    inst, prof = election(100, {"a": 50, "b": 10}, [["a", "b"], ["a"]])
    # cost sat: a costs each supporter 25 per 50 = 1/2, b 10 per 10 = 1 -> a first
    assert tally(inst, prof, rule="mes", sat="cost").selected == ["a", "b"]
    # cardinality: a costs 25 per project, b 10 -> b first
    assert tally(inst, prof, rule="mes", sat="cardinality").selected == ["b", "a"]


def test_it_settles_float_ties_exactly():
    # rho of b is (3/10)/3 = 1/10 exactly, but 0.3/3 < 0.1 in floats; a tie with a.
    inst, prof = election(
        Fraction(4, 10),
        {"b": Fraction(3, 10), "a": Fraction(1, 10)},
        [["b"], ["b"], ["b"], ["a"]],
    )
    out = tally(inst, prof, rule="mes", sat="cardinality")
    assert out.selected == ["a", "b"]


def test_it_lets_poor_supporters_pay_what_they_have():
    # every voter has 9. x (12, v1 v2): rho 6; y (20, v1 v3 v4): 20/3 -> x first.
    ballots = [["x", "y"], ["x"], ["y"], ["y"]]
    inst, prof = election(36, {"x": 12, "y": 20}, ballots)
    out = tally(inst, prof, rule="mes", sat="cardinality")
    # then v1 has 3 left and pays it all; v3, v4 pay (20 - 3) / 2 = 17/2 each
    assert out.selected == ["x", "y"]
    y = [s for s in out.steps if isinstance(s, MesPurchase) and s.project == "y"][0]
    assert y.payments == {"3": 1, "17/2": 2}
    assert y.rho == "17/2"


def test_it_gives_cumulative_ballots_points_satisfaction():
    # each voter has 5. v1 gives a 3 points, b 1; v2 gives b 3 points.
    inst, prof = election(
        10, {"a": 5, "b": 6}, [["a", "b"], ["b"]], vote_type="cumulative", points=[[3, 1], [3]]
    )
    out = tally(inst, prof, rule="mes")
    # a: v1 alone pays 5 for 3 points -> rho 5/3; b: 4 points, 6 -> rho 3/2 (v1 1.5, v2 4.5)
    assert out.selected == ["b"]
    assert out.params["sat"] == "points"


def test_add1_raises_the_endowment_until_exhaustive():
    inst, prof = election(100, {"a": 60, "b": 50, "c": 40}, [["a", "c"], ["a"], ["a", "b"], ["b"]])
    out = tally(inst, prof, rule="mes", completion="add1")
    # e = 25: a only (rho 1/3); b needs v3 + v4 >= 50 -> e >= 35, then 110 > 100:
    # the last feasible run is e = 34 with just a
    assert out.selected == ["a"]
    assert out.final_endowment == 34
    rounds = [s for s in out.steps if isinstance(s, Add1Round)]
    assert rounds[0].endowment == "25"
    assert rounds[-1].feasible is False
    # e = 25 .. 35: eleven +1 steps, some proven identical and not recomputed
    assert sum(1 + r.repeated for r in rounds) == 11


def test_add1_skips_only_endowments_that_give_the_same_outcome():
    from buurtcore.voting.rules._data import prepare
    from buurtcore.voting.rules.completion import run_add1
    from buurtcore.voting.tiebreak import TieBreak

    ballots = [["a", "b"], ["b", "c"], ["c", "d"], ["d", "a"], ["a"], ["e"], ["e", "b"]]
    costs = {"a": 70, "b": 50, "c": 50, "d": 30, "e": 90}
    inst, prof = election(170, costs, ballots)
    prep = prepare(inst, prof, "cost")
    tie = TieBreak.make("lexico", prep.ids, prep.costs, prep.votes)
    for stop in ("exhaustive", "budget"):
        fast, fast_rounds = run_add1(prep, tie, stop=stop)
        slow, slow_rounds = run_add1(prep, tie, stop=stop, skip=False)
        assert fast.selected == slow.selected
        assert fast.endowment == slow.endowment
        assert all(r.repeated == 0 for r in slow_rounds)
        assert sum(1 + r.repeated for r in fast_rounds) == len(slow_rounds)
        # every skipped endowment really gives the recorded outcome
        by_endowment = {r.endowment: r.selected for r in slow_rounds}
        for r in fast_rounds:
            e = Fraction(r.endowment)
            for j in range(r.repeated + 1):
                assert by_endowment[str(e + j)] == r.selected


def test_add1u_fills_greedily_and_is_exhaustive():
    inst, prof = election(100, {"a": 60, "b": 50, "c": 40}, [["a", "c"], ["a"], ["a", "b"], ["b"]])
    out = tally(inst, prof, rule="mes", completion="add1u")
    assert out.selected == ["a", "c"]
    room = inst.budget - out.total_cost
    assert all(p.cost > room for pid, p in inst.projects.items() if pid not in out.selected)


def test_add1_budget_variant_keeps_raising_while_within_budget():
    # e = 10/3: only b (v3 alone). e = 13/3: a (7, v1+v2) and b -> 10, exhaustive.
    inst, prof = election(10, {"a": 7, "b": 3, "c": 5}, [["a"], ["a"], ["b", "c"]])
    ex = tally(inst, prof, rule="mes", completion="add1")
    assert ex.selected == ["a", "b"]
    assert ex.final_endowment == Fraction(13, 3)
    bud = tally(inst, prof, rule="mes", completion="add1", add1_stop="budget")
    # keeps going until v3 can also pay c (e >= 8 + ...), which is over the budget
    assert bud.selected == ["a", "b"]
    assert bud.final_endowment > ex.final_endowment
    assert bud.total_cost <= inst.budget


@pytest.mark.parametrize("tie_break", ["lexico", "cost-votes"])
def test_it_never_exceeds_the_budget(tie_break):
    ballots = [["a", "b"], ["b", "c"], ["c", "d"], ["d", "a"], ["a"], ["e"]]
    costs = {"a": 7, "b": 5, "c": 5, "d": 3, "e": 9}
    inst, prof = election(17, costs, ballots)
    for completion in ("none", "add1", "add1u"):
        out = tally(inst, prof, rule="mes", completion=completion, tie_break=tie_break, seed=7)
        assert out.total_cost <= inst.budget
        assert len(set(out.selected)) == len(out.selected)


def test_cost_votes_lot_is_reproducible_from_the_seed():
    # three projects with the same cost and votes: only the lot decides
    inst, prof = election(3, {"x": 3, "y": 3, "z": 3}, [["x"], ["y"], ["z"]])
    first = tally(inst, prof, rule="mes", tie_break="cost-votes", completion="add1")
    seed = first.params["seed"]
    assert isinstance(seed, int)
    again = tally(inst, prof, rule="mes", tie_break="cost-votes", seed=seed, completion="add1")
    assert again.selected == first.selected
