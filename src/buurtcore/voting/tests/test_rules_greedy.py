"""Greedy rules on hand-made elections (expected outcomes worked out by hand)."""

from fractions import Fraction

import pytest

from buurtcore.voting import RuleError, tally
from buurtcore.voting.outcome import GreedyStep
from buurtcore.voting.tests.rules_helpers import election

# budget 100; a: 3 votes, b: 2 votes, c: 1 vote
ABC = (100, {"a": 60, "b": 50, "c": 40}, [["a", "c"], ["a"], ["a", "b"], ["b"]])


def test_it_takes_most_votes_first_and_skips_what_no_longer_fits():
    out = tally(*election(*ABC), rule="greedy")
    assert out.selected == ["a", "c"]
    assert out.total_cost == 100
    actions = [(s.project, s.action) for s in out.steps]
    assert actions == [("a", "selected"), ("b", "skipped_no_fit"), ("c", "selected")]


def test_it_stops_at_the_first_misfit_without_skipping():
    out = tally(*election(*ABC), rule="greedy-no-skip")
    assert out.selected == ["a"]
    assert [s.action for s in out.steps] == ["selected", "stopped", "stopped"]


def test_it_leaves_out_projects_below_the_threshold():
    out = tally(*election(*ABC), rule="greedy", threshold=2)
    assert out.selected == ["a"]
    assert ("c", "below_threshold") in [(s.project, s.action) for s in out.steps]
    assert out.params["threshold"] == "2"


def test_it_reads_the_threshold_from_meta_for_greedy_threshold():
    inst, prof = election(*ABC)
    inst.meta["min_project_score_threshold"] = "2"
    assert tally(inst, prof, rule="greedy-threshold").selected == ["a"]
    del inst.meta["min_project_score_threshold"]
    with pytest.raises(RuleError, match="min_project_score_threshold"):
        tally(inst, prof, rule="greedy-threshold")


def test_it_uses_votes_per_euro_with_cardinality_satisfaction():
    # a: 4 votes / 100 = 0.04, b: 2 / 20 = 0.1, c: 1 / 20 = 0.05
    ballots = [["a", "b"], ["a", "b"], ["a", "c"], ["a"]]
    inst, prof = election(100, {"a": 100, "b": 20, "c": 20}, ballots)
    assert tally(inst, prof, sat="cardinality").selected == ["b", "c"]
    assert tally(inst, prof, sat="cost").selected == ["a"]


def test_it_breaks_ties_on_the_id_as_a_string():
    inst, prof = election(5, {"9": 5, "10": 5}, [["9"], ["10"]])
    assert tally(inst, prof).selected == ["10"]


def test_it_breaks_ties_on_cost_then_votes_with_cost_votes():
    # equal scores with cardinality sat: x 2 votes / 20, y 1 vote / 10
    inst, prof = election(20, {"x": 20, "y": 10}, [["x"], ["x", "y"]])
    out = tally(inst, prof, sat="cardinality", tie_break="cost-votes", seed=3)
    assert out.selected == ["y"]
    assert out.params["seed"] == 3
    assert tally(inst, prof, sat="cardinality").selected == ["x"]


def test_it_respects_category_budgets_then_spends_the_leftover():
    fields = {"a": {"category": "x"}, "b": {"category": "x"}, "c": {"category": "y"}}
    inst, prof = election(
        100, {"a": 40, "b": 30, "c": 30}, [["a", "b", "c"], ["a", "b"], ["a"]], fields=fields
    )
    out = tally(inst, prof, category_budgets={"x": 50})
    assert out.selected == ["a", "c", "b"]
    steps = [(s.project, s.action, s.phase) for s in out.steps]
    assert ("b", "category_budget_exhausted", "main") in steps
    assert ("b", "selected", "leftover") in steps
    assert [s.category for s in out.steps if s.action == "category_budget_exhausted"] == ["x"]


def test_it_reads_category_budgets_from_meta():
    fields = {"a": {"category": "x"}, "b": {"category": "x"}, "c": {"category": "y"}}
    inst, prof = election(
        60, {"a": 40, "b": 30, "c": 20}, [["a", "b", "c"], ["a", "b"], ["a"]], fields=fields
    )
    inst.meta["categories"] = "x,y"
    inst.meta["budget_per_category"] = "50,10"
    out = tally(inst, prof, category_budgets="meta")
    # a fits x (40 <= 50); b would make x 70; c is over y's 10; leftover 20: c fits
    assert out.selected == ["a", "c"]
    assert out.params["category_budgets"] == {"x": "50", "y": "10"}


def test_it_uses_points_for_cumulative_ballots():
    # points per euro: a 5/10 = 0.5, b 4/4 = 1
    inst, prof = election(
        10,
        {"a": 10, "b": 4},
        [["a", "b"], ["a"]],
        vote_type="cumulative",
        points=[[2, 4], [3]],
    )
    out = tally(inst, prof)
    assert out.params["sat"] == "points"
    assert out.selected == ["b"]


def test_it_scores_ordinal_ballots_with_borda():
    # Borda: length - position - 1. v1: a=2, b=1, c=0; v2: c=1, a=0; v3: b=0
    inst, prof = election(
        2, {"a": 1, "b": 1, "c": 1}, [["a", "b", "c"], ["c", "a"], ["b"]], vote_type="ordinal"
    )
    out = tally(inst, prof)
    assert out.params["sat"] == "borda"
    # a=2, b=1, c=1 -> a, then the b/c tie goes to b
    assert out.selected == ["a", "b"]


def test_it_rejects_unknown_parameters_with_a_clear_message():
    inst, prof = election(*ABC)
    with pytest.raises(RuleError, match="unknown rule"):
        tally(inst, prof, rule="borda-count")
    with pytest.raises(RuleError) as info:
        tally(inst, prof, rule="greedy", completion="add1")
    assert "mes" in str(info.value)
    assert info.value.message_nl


def test_it_never_exceeds_the_budget_and_reports_exact_totals():
    inst, prof = election(
        Fraction(1, 3) * 3,
        {"p": Fraction(1, 3), "q": Fraction(1, 3), "r": Fraction(1, 2)},
        [["p", "q", "r"], ["r"], ["q"]],
    )
    out = tally(inst, prof)
    assert out.total_cost <= inst.budget
    assert out.total_cost == sum(inst.projects[p].cost for p in out.selected)
    assert all(isinstance(s, GreedyStep) for s in out.steps)
