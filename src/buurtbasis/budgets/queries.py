"""Read-only questions about supporters of plans (no writes here; see ``participation.py``).

A round may ask that a plan gathers ``BudgetRound.supporters_needed`` supporters while
plans are submitted, before the municipality may find it feasible (optional, per round).
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count

from .models import BudgetRound, Plan, PlanSupport


def supporters_by_plan(budget_round: BudgetRound) -> dict[int, set[int]]:
    """``{plan_id: {user_id, …}}`` for every plan of the round that has supporters.

    Supports of deleted accounts still count for the plan (``support_counts``) but
    point at nobody, so they are not in these sets.
    """
    result: dict[int, set[int]] = defaultdict(set)
    rows = PlanSupport.objects.filter(
        plan__budget_round=budget_round, user__isnull=False
    ).values_list("plan_id", "user_id")
    for plan_id, user_id in rows:
        result[plan_id].add(user_id)
    return dict(result)


def support_counts(budget_round: BudgetRound) -> dict[int, int]:
    """``{plan_id: number of supporters}`` for the plans of the round that have any."""
    return dict(
        PlanSupport.objects.filter(plan__budget_round=budget_round)
        .values("plan_id")
        .annotate(n=Count("pk"))
        .values_list("plan_id", "n")
    )


def support_count(plan: Plan) -> int:
    return PlanSupport.objects.filter(plan=plan).count()


def has_supported(user, plan: Plan) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return PlanSupport.objects.filter(plan=plan, user=user).exists()


def lacks_support(plan: Plan, count: int | None = None) -> bool:
    """The round needs supporters and the plan has fewer than that."""
    needed = plan.budget_round.supporters_needed
    if not needed:
        return False
    return (support_count(plan) if count is None else count) < needed
