"""Property tests: the fast MES (floats first, Fractions when close) against a
deliberately naive, all-Fraction implementation written from the definition.

Costs and budgets are drawn from values that are awkward in binary floating
point (tenths, thirds), so that prices tie exactly while their float
approximations differ.
"""

from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buurtcore.voting import tally
from buurtcore.voting.tests.rules_helpers import election

AWKWARD = [Fraction(1, 10), Fraction(3, 10), Fraction(1, 3), Fraction(2, 3), Fraction(7, 10),
           Fraction(1), Fraction(2), Fraction(3), Fraction(6, 5), Fraction(9, 10)]  # fmt: skip


def naive_mes(costs, ballots, budget, sat, endowment):
    """MES straight from the definition; ties to the smallest id (as a string)."""
    ids = list(costs)
    n = len(ballots)
    money = [Fraction(endowment)] * n

    def sat_of(v, p):
        if p not in ballots[v]:
            return Fraction(0)
        return costs[p] if sat == "cost" else Fraction(1)

    chosen = [p for p in ids if costs[p] == 0 and any(p in b for b in ballots)]
    left = {p for p in ids if costs[p] > 0 and any(p in b for b in ballots)}
    while True:
        best = None
        for p in sorted(left):
            supp = [v for v in range(n) if sat_of(v, p) > 0]
            if sum(money[v] for v in supp) < costs[p]:
                continue
            # smallest rho with sum(min(money, rho * sat)) == cost
            order = sorted(supp, key=lambda v, p=p: money[v] / sat_of(v, p))
            paid = Fraction(0)
            units = sum(sat_of(v, p) for v in supp)
            for v in order:
                rho = (costs[p] - paid) / units
                if rho * sat_of(v, p) <= money[v]:
                    break
                paid += money[v]
                units -= sat_of(v, p)
            if best is None or rho < best[0]:
                best = (rho, p)
        if best is None:
            return chosen
        rho, p = best
        for v in range(n):
            s = sat_of(v, p)
            if s:
                money[v] -= min(money[v], rho * s)
        chosen.append(p)
        left.discard(p)


def naive_add1(costs, ballots, budget, sat):
    n = len(ballots)
    pool = [p for p in costs if costs[p] > 0 and any(p in b for b in ballots)]
    e = Fraction(budget) / n
    previous = None
    while True:
        out = naive_mes(costs, ballots, budget, sat, e)
        total = sum(costs[p] for p in out)
        if total > budget:
            return previous
        if not any(p not in out and total + costs[p] <= budget for p in pool):
            return out
        previous = out
        e += 1


@st.composite
def elections(draw):
    n_proj = draw(st.integers(1, 5))
    ids = [str(i) for i in draw(st.permutations(range(1, 12)))[:n_proj]]
    unit = draw(st.sampled_from([Fraction(1), Fraction(1, 10), Fraction(1, 3)]))
    costs = {p: draw(st.sampled_from(AWKWARD)) * draw(st.integers(1, 6)) * unit for p in ids}
    ballots = draw(
        st.lists(
            st.lists(st.sampled_from(ids), min_size=1, max_size=n_proj, unique=True),
            min_size=1,
            max_size=9,
        )  # fmt: skip
    )
    budget = sum(costs.values()) * draw(st.sampled_from([Fraction(1, 3), Fraction(1, 2), 1]))
    return costs, ballots, budget


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(elections(), st.sampled_from(["cost", "cardinality"]))
def test_mes_matches_the_definition(case, sat):
    costs, ballots, budget = case
    out = tally(*election(budget, costs, ballots), rule="mes", sat=sat)
    assert out.selected == naive_mes(costs, ballots, budget, sat, Fraction(budget) / len(ballots))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(elections(), st.sampled_from(["cost", "cardinality"]))
def test_add1_matches_the_definition(case, sat):
    costs, ballots, budget = case
    unit = min(costs.values())
    if budget / len(ballots) + 200 * unit < max(costs.values()):
        return  # too many +1 rounds for the naive version
    inst, prof = election(budget, costs, ballots)
    out = tally(inst, prof, rule="mes", sat=sat, completion="add1")
    expected = naive_add1(costs, ballots, budget, sat)
    assert sorted(out.selected) == sorted(expected or [])
    assert out.total_cost <= budget
