"""Sequential Phragmén on hand-made elections."""

import pytest

from buurtcore.voting import RuleError, tally
from buurtcore.voting.outcome import PhragmenPurchase
from buurtcore.voting.tests.rules_helpers import election


def test_it_buys_the_project_with_the_lowest_new_load_first():
    # a: (0 + 2) / 2 = 1; b: 2 / 1 = 2
    inst, prof = election(4, {"a": 2, "b": 2}, [["a"], ["a"], ["b"]])
    out = tally(inst, prof, rule="phragmen")
    assert out.selected == ["a", "b"]
    assert [(s.project, s.load) for s in out.steps] == [("a", "1"), ("b", "2")]
    assert all(isinstance(s, PhragmenPurchase) for s in out.steps)


def test_it_stops_when_the_next_project_does_not_fit():
    # after a, b has the lowest load but does not fit; c would, but Phragmén stops
    inst, prof = election(4, {"a": 2, "b": 3, "c": 1}, [["a"], ["a"], ["b"], ["b"], ["c"]])
    # a: 1, b: 3/2, c: 1 -> tie a/c: a (lexico); then c (1), then b: 3 + 3 > 4 -> stop
    out = tally(inst, prof, rule="phragmen")
    assert out.selected == ["a", "c"]


def test_it_accumulates_loads_of_shared_supporters():
    # v1 approves a and b; after a (load 1 for v1, v2) b costs (1 + 3) / 2 = 2 for v1, v3
    inst, prof = election(10, {"a": 2, "b": 3, "c": 5}, [["a", "b"], ["a"], ["b"], ["c"]])
    out = tally(inst, prof, rule="phragmen")
    loads = {s.project: s.load for s in out.steps}
    assert loads["a"] == "1"
    assert loads["b"] == "2"
    assert out.selected == ["a", "b", "c"]


def test_it_refuses_non_approval_ballots():
    inst, prof = election(4, {"a": 2}, [["a"]], vote_type="cumulative", points=[[1]])
    with pytest.raises(RuleError, match="approval"):
        tally(inst, prof, rule="phragmen")
