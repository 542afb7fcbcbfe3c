"""Tie-breaking rules."""

from fractions import Fraction

import pytest

from buurtcore.voting.tiebreak import TieBreak


def test_it_prefers_the_smallest_id_as_a_string():
    tb = TieBreak.make("lexico", ["b", "a", "10", "9"], [Fraction(1)] * 4, [1] * 4)
    assert tb.order([0, 1, 2, 3]) == [2, 3, 1, 0]


def test_it_prefers_low_cost_then_many_votes():
    costs = [Fraction(5), Fraction(3), Fraction(3)]
    tb = TieBreak.make("cost-votes", ["a", "b", "c"], costs, [9, 1, 2], seed=0)
    assert tb.order([0, 1, 2]) == [2, 1, 0]


def test_the_lot_depends_only_on_the_seed():
    ids = [str(i) for i in range(20)]
    costs = [Fraction(1)] * 20
    a = TieBreak.make("cost-votes", ids, costs, [1] * 20, seed=42)
    b = TieBreak.make("cost-votes", ids, costs, [1] * 20, seed=42)
    c = TieBreak.make("cost-votes", ids, costs, [1] * 20, seed=43)
    assert a.order(range(20)) == b.order(range(20))
    assert a.order(range(20)) != c.order(range(20))


def test_a_seed_is_drawn_and_recorded_when_missing():
    tb = TieBreak.make("cost-votes", ["a"], [Fraction(1)], [1])
    assert isinstance(tb.seed, int)


def test_it_rejects_unknown_rules():
    with pytest.raises(ValueError, match="unknown tie-breaking"):
        TieBreak.make("coin", ["a"], [Fraction(1)], [1])
