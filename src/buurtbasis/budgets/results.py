"""What the results page shows, built from a stored :class:`Outcome` (no recomputation)."""

from __future__ import annotations

from django.urls import reverse

from . import services
from .models import BudgetRound, Outcome, Plan, Rule


def results_context(budget_round: BudgetRound, outcome: Outcome) -> dict:
    explanation = outcome.explanation or {}
    votes = explanation.get("votes", {})
    texts = explanation.get("texts", {})
    plan_ids = [int(pid) for pid in explanation.get("project_ids", votes.keys())]
    plans = {
        p.pk: p for p in Plan.objects.filter(pk__in=plan_ids).select_related("area", "initiative")
    }
    funded = list(outcome.funded_plan_ids)
    funded_set = set(funded)
    greedy = outcome.greedy_plan_ids
    greedy_set = set(greedy or [])
    rows = []
    for pid in plan_ids:
        plan = plans.get(pid)
        if plan is None:
            continue
        rows.append(
            {
                "plan": plan,
                "votes": votes.get(str(pid), 0),
                "funded": pid in funded_set,
                "greedy_funded": pid in greedy_set if greedy is not None else None,
                "text": texts.get(str(pid), ""),
                "order": funded.index(pid) + 1 if pid in funded_set else None,
            }
        )
    rows.sort(key=lambda r: (not r["funded"], r["order"] or 0, -_num(r["votes"]), r["plan"].pk))
    greedy_total = sum(plans[p].cost_cents for p in greedy_set if p in plans) if greedy else None
    download = reverse("budgets:round-pabulib", kwargs={"slug": budget_round.slug})
    return {
        "budget_round": budget_round,
        "outcome": outcome,
        "rows": rows,
        "funded_rows": [r for r in rows if r["funded"]],
        "leftover_cents": outcome.budget_cents - outcome.total_cost_cents,
        "is_mes": budget_round.rule == Rule.MES,
        "greedy_total_cents": greedy_total,
        "differs_from_greedy": greedy is not None and set(greedy) != funded_set,
        "summary": explanation.get("summary", {}),
        "summary_text": explanation.get("summary_text", ""),
        "command": services.recompute_command(
            budget_round, services.pabulib_filename(budget_round)
        ),
        "download_url": download,
        "params": outcome.params,
        "filename": services.pabulib_filename(budget_round),
    }


def _num(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0
