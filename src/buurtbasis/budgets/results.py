"""What the results page shows, built from a stored :class:`Outcome` (no recomputation)."""

from __future__ import annotations

from django.urls import reverse

from . import services
from .models import BudgetRound, Outcome, Plan, Rule


def results_context(budget_round: BudgetRound, outcome: Outcome) -> dict:
    """Rows for every plan on the ballot: votes, funded or not, the engine's Dutch reason."""
    explanation = outcome.explanation or {}
    projects = explanation.get("projects", [])
    plans = {
        p.pk: p
        for p in Plan.objects.filter(pk__in=[int(e["id"]) for e in projects]).select_related(
            "area", "initiative"
        )
    }
    greedy = outcome.greedy_plan_ids
    greedy_set = set(greedy or [])
    rows = []
    for entry in projects:  # funded first in the order chosen, then by votes (engine order)
        pid = int(entry["id"])
        plan = plans.get(pid)
        if plan is None:
            continue
        rows.append(
            {
                "plan": plan,
                "votes": entry.get("votes", 0),
                "points": entry.get("points"),
                "funded": bool(entry.get("funded")),
                "greedy_funded": pid in greedy_set if greedy is not None else None,
                "reason": entry.get("reason", ""),
                "text": entry.get("text", ""),
            }
        )
    funded_set = set(outcome.funded_plan_ids)
    greedy_total = (
        sum(plans[p].cost_cents for p in greedy_set if p in plans) if greedy is not None else None
    )
    compare = explanation.get("compare") or {}
    return {
        "budget_round": budget_round,
        "outcome": outcome,
        "rows": rows,
        "funded_rows": [r for r in rows if r["funded"]],
        "leftover_cents": outcome.budget_cents - outcome.total_cost_cents,
        "is_mes": budget_round.rule == Rule.MES,
        "is_points": budget_round.engine_vote_type() == "cumulative",
        "greedy_total_cents": greedy_total,
        "differs_from_greedy": greedy is not None and greedy_set != funded_set,
        "only_rule": [r for r in rows if r["funded"] and not r["greedy_funded"]],
        "only_greedy": [r for r in rows if r["greedy_funded"] and not r["funded"]],
        "compare_text": compare.get("text", ""),
        "summary": explanation.get("summary", {}),
        "summary_text": (explanation.get("summary") or {}).get("text", ""),
        "command": services.recompute_command(
            budget_round, services.pabulib_filename(budget_round)
        ),
        "download_url": reverse("budgets:round-pabulib", kwargs={"slug": budget_round.slug}),
        "params": outcome.params,
        "filename": services.pabulib_filename(budget_round),
    }
