"""The greedy completion of ``add1u`` under cardinality satisfaction, with engineered ties.

``add1u`` fills what Add1 left over with utilitarian greedy from the Add1 outcome
(pabutools: ``greedy_utilitarian_welfare(initial_budget_allocation=...)``). These
tests feed both implementations the same starting selection, built so that the
completion meets every kind of tie at once:

* families of projects with the same votes per unit of cost but different votes
  and costs (``k`` votes for ``k * unit``), and projects that are exact copies
  (same cost, same supporters);
* a leftover that equals the cost of one or more tied projects exactly (a project
  whose cost exceeds what is left by exactly 0), or the cost of two of them together,
  so the order of the tied projects decides which of them still fits;
* a starting selection that uses up the budget exactly, unsupported projects
  (score 0), and ids that sort differently as strings and as
  numbers (``"10"`` before ``"9"``);
* budgets that do not divide by the number of voters.

``test_add1u_from_engineered_leftovers`` runs the whole chain (MES with Add1, then
greedy) against ``completion_by_rule_combination``.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from buurtcore.voting import pabulib, tally
from buurtcore.voting.rules._data import prepare
from buurtcore.voting.rules.greedy import run_greedy
from buurtcore.voting.tiebreak import TieBreak

pytest.importorskip("pabutools")
from pabutools.election import Cardinality_Sat  # noqa: E402
from pabutools.election.pabulib import parse_pabulib_from_string  # noqa: E402
from pabutools.rules import (  # noqa: E402
    completion_by_rule_combination,
    greedy_utilitarian_welfare,
    method_of_equal_shares,
)
from pabutools.rules.budgetallocation import BudgetAllocation  # noqa: E402

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))

IDS = ["1", "2", "3", "9", "10", "11", "20", "09", "a", "B", "p-7", "100", "12", "8"]


def _decimal(value: Fraction) -> str:
    """``value`` (a multiple of 1/10) as a decimal number."""
    tenths = int(value * 10)
    return f"{tenths // 10}.{tenths % 10}" if tenths % 10 else str(tenths // 10)


def _text(budget: Fraction, costs: dict[str, int], ballots: list[list[str]]) -> str:
    lines = [
        "META",
        "key;value",
        f"budget;{_decimal(budget)}",
        "vote_type;approval",
        f"num_projects;{len(costs)}",
        f"num_votes;{len(ballots)}",
        "PROJECTS",
        "project_id;cost",
        *(f"{pid};{cost}" for pid, cost in costs.items()),
        "VOTES",
        "voter_id;vote",
        *(f"v{n};{','.join(sorted(set(b)))}" for n, b in enumerate(ballots)),
    ]
    return "\n".join(lines) + "\n"


@st.composite
def tied_completions(draw) -> tuple[str, list[str]]:
    """An approval election and a starting selection whose leftover meets ties.

    Returns the file text and the ids of the starting selection (within budget).
    """
    ids = list(draw(st.permutations(IDS)))
    unit = draw(st.sampled_from([1, 2, 5, 10, 1000]))
    costs: dict[str, int] = {}
    ballots: list[list[str]] = []
    # the starting selection: projects with a few supporters each
    n_start = draw(st.integers(0, 3))
    start = [ids.pop() for _ in range(n_start)]
    for pid in start:
        costs[pid] = unit * draw(st.integers(1, 6))
        ballots += [[pid]] * draw(st.integers(1, 4))
    # families of equal votes per unit of cost: k votes for k * ratio * unit
    tied: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        ratio = draw(st.integers(1, 3))
        for k in draw(st.lists(st.integers(1, 3), min_size=1, max_size=3)):
            if not ids:
                break
            pid = ids.pop()
            costs[pid] = k * ratio * unit
            ballots += [[pid]] * k
            tied.append(pid)
    # exact copies of a tied project (same cost, the same supporters)
    if tied and ids and draw(st.booleans()):
        src = draw(st.sampled_from(tied))
        pid = ids.pop()
        costs[pid] = costs[src]
        ballots = [b + [pid] if src in b else b for b in ballots]
        tied.append(pid)
    # unsupported projects (score 0)
    for _ in range(draw(st.integers(0, 2))):
        if ids:
            costs[ids.pop()] = unit * draw(st.integers(1, 3))
    # some voters of the starting selection also approve a tied project
    for i in range(len(ballots)):
        if tied and draw(st.integers(0, 3)) == 0:
            ballots[i] = [*ballots[i], draw(st.sampled_from(tied))]
    spent = sum(costs[p] for p in start)
    # the leftover: the cost of a tied project, of two of them, or a bit more or less
    pick = draw(st.lists(st.sampled_from(tied), min_size=1, max_size=2, unique=True))
    leftover = sum(costs[p] for p in pick) + draw(st.sampled_from([0, 0, 0, -1, 1]))
    budget = Fraction(max(1, spent, spent + leftover))
    if draw(st.booleans()):
        # a budget that does not divide by the number of voters
        budget += Fraction(draw(st.integers(1, 9)), 10)
    return _text(budget, costs, ballots), start


def _pabutools_greedy(text: str, start: list[str]) -> list[str]:
    instance, profile = parse_pabulib_from_string(text)
    by_name = {p.name: p for p in instance}
    initial = BudgetAllocation([by_name[p] for p in start])
    outcome = greedy_utilitarian_welfare(
        instance, profile, sat_class=Cardinality_Sat, initial_budget_allocation=initial
    )
    return [str(p.name) for p in outcome]


def _our_greedy(text: str, start: list[str]) -> list[str]:
    instance, profile = pabulib.read(text)
    prep = prepare(instance, profile, "cardinality")
    tie = TieBreak.make("lexico", prep.ids, prep.costs, prep.votes)
    index = {pid: i for i, pid in enumerate(prep.ids)}
    extra, _ = run_greedy(prep, tie, initial=[index[p] for p in start])
    return start + [prep.ids[p] for p in extra]


@SETTINGS
@given(case=tied_completions())
def test_greedy_completion_from_a_given_selection_agrees_with_pabutools(case):
    text, start = case
    instance, _ = pabulib.read(text)
    left = instance.budget - sum(instance.projects[p].cost for p in start)
    fits_exactly = any(
        instance.projects[p].cost == left for p in instance.projects if p not in start
    )
    event(f"a project costs exactly what is left: {fits_exactly}")
    # the same projects, bought in the same order
    assert _our_greedy(text, start) == _pabutools_greedy(text, start), text


def _pabutools_add1u(text: str) -> list[str]:
    instance, profile = parse_pabulib_from_string(text)
    outcome = completion_by_rule_combination(
        instance,
        profile,
        [method_of_equal_shares, greedy_utilitarian_welfare],
        [
            {"sat_class": Cardinality_Sat, "voter_budget_increment": 1},
            {"sat_class": Cardinality_Sat},
        ],
    )
    return [str(p.name) for p in outcome]


@SETTINGS
@given(case=tied_completions())
def test_add1u_from_engineered_leftovers(case):
    text, _ = case
    instance, profile = pabulib.read(text)
    ours = tally(instance, profile, rule="mes", sat="cardinality", completion="add1u")
    added = [s for s in ours.steps if getattr(s, "phase", None) == "add1u"]
    event(f"greedy completion buys {min(sum(s.action == 'selected' for s in added), 2)}+")
    assert sorted(ours.selected) == sorted(_pabutools_add1u(text)), text
    assert ours.total_cost <= instance.budget
