"""Test data for voting.

budget_round, plans = voting_round(ballot_type="knapsack", costs=[100_000, 250_000])
codes = make_codes(budget_round, 3)          # plain codes, returned once
"""

from __future__ import annotations

from buurtbasis.budgets.models import PlanStatus
from buurtbasis.budgets.tests.factories import BudgetRoundFactory, PlanFactory

from .. import services


def voting_round(*, costs=(1_000_000, 2_000_000, 1_500_000, 500_000), **kwargs):
    """A public round in its voting phase with feasible plans of the given costs."""
    kwargs.setdefault("phase", "voting")
    kwargs.setdefault("allow_code_voting", True)
    budget_round = BudgetRoundFactory(**kwargs)
    plans = [
        PlanFactory(budget_round=budget_round, cost_cents=cost, status=PlanStatus.FEASIBLE)
        for cost in costs
    ]
    return budget_round, plans


def make_codes(budget_round, n: int = 1) -> list[str]:
    return services.generate_codes(budget_round, n)
