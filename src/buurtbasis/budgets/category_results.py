"""The budgets per category on the results page: the limit, and what the funded plans of
each category cost (from the stored outcome; nothing is recounted)."""

from __future__ import annotations

from .models import BudgetRound, PlanCategory


def category_results(budget_round: BudgetRound, rows: list[dict]) -> dict:
    limits = list(budget_round.category_budgets.all())
    if not limits:
        return {"category_rows": []}
    spent: dict[str, int] = {}
    for row in rows:
        if row["funded"] and row["plan"].category:
            spent[row["plan"].category] = (
                spent.get(row["plan"].category, 0) + row["plan"].cost_cents
            )
    return {
        "category_rows": [
            {
                "label": PlanCategory(limit.category).label,
                "limit_cents": limit.amount_cents,
                "spent_cents": spent.get(limit.category, 0),
            }
            for limit in limits
        ]
    }
