"""What the results page, the council report and the exports show, built from a stored
:class:`Outcome` (no recomputation)."""

from __future__ import annotations

from django.urls import reverse

from . import reasons, services
from .charts import results_chart
from .models import BudgetRound, FundedPlan, Outcome, Plan, Rule


def _category(plan: Plan) -> str:
    """The plan's category, when plans have one (a later part adds categories)."""
    display = getattr(plan, "get_category_display", None)
    if callable(display):
        return str(display() or "")
    value = getattr(plan, "category", None)
    return str(value or "")


def results_context(budget_round: BudgetRound, outcome: Outcome) -> dict:
    """Rows for every plan on the ballot: votes, funded or not, the reason in words."""
    explanation = outcome.explanation or {}
    projects = explanation.get("projects", [])
    plans = {
        p.pk: p
        for p in Plan.objects.filter(pk__in=[int(e["id"]) for e in projects]).select_related(
            "area", "initiative"
        )
    }
    execution = {
        f.plan_id: f.get_status_display()
        for f in FundedPlan.objects.filter(budget_round=budget_round)
    }
    is_points = budget_round.engine_vote_type() == "cumulative"
    greedy = outcome.greedy_plan_ids
    greedy_set = set(greedy or [])
    rows = []
    for entry in projects:  # funded first in the order chosen, then by votes (engine order)
        pid = int(entry["id"])
        plan = plans.get(pid)
        if plan is None:
            continue
        points = entry.get("points")
        score = reasons.whole(points) if is_points and points is not None else entry.get("votes", 0)
        text = reasons.plan_text(entry, plan.title)
        rows.append(
            {
                "plan": plan,
                "votes": entry.get("votes", 0),
                "points": points,
                "score": int(score or 0),
                "funded": bool(entry.get("funded")),
                "greedy_funded": pid in greedy_set if greedy is not None else None,
                "reason": entry.get("reason", ""),
                "text": text,
                "reason_text": reasons.reason_sentence(entry) or text,
                "engine_text": entry.get("text", ""),
                "area": plan.area.name if plan.area_id else "",
                "category": _category(plan),
                "execution": execution.get(pid, ""),
            }
        )
    funded_set = set(outcome.funded_plan_ids)
    greedy_total = (
        sum(plans[p].cost_cents for p in greedy_set if p in plans) if greedy is not None else None
    )
    compare = explanation.get("compare") or {}
    summary = explanation.get("summary") or {}
    differs = greedy is not None and greedy_set != funded_set
    # The plan with the most votes (points): first of the highest in the engine's order.
    top = max(rows, key=lambda r: r["score"], default=None)
    if top is not None and top["score"] == 0:
        top = None
    chart = results_chart(
        [
            {
                "title": r["plan"].title,
                "score": r["score"],
                "cost_cents": r["plan"].cost_cents,
                "funded": r["funded"],
            }
            for r in rows
        ]
    )
    return {
        "budget_round": budget_round,
        "outcome": outcome,
        "rows": rows,
        "funded_rows": [r for r in rows if r["funded"]],
        "leftover_cents": outcome.budget_cents - outcome.total_cost_cents,
        "leftover_text": budget_round.leftover_text,
        "is_mes": budget_round.rule == Rule.MES,
        "is_points": is_points,
        "greedy_total_cents": greedy_total,
        "differs_from_greedy": differs,
        "only_rule": [r for r in rows if r["funded"] and not r["greedy_funded"]],
        "only_greedy": [r for r in rows if r["greedy_funded"] and not r["funded"]],
        "top_row": top,
        # up front: why the plan with the most votes was or was not chosen, when the
        # outcome is not simply "most votes first" or that plan got nothing
        "explain_top": top is not None and (differs or not top["funded"]),
        "compare_text": compare.get("text", ""),
        "compare_lines": reasons.compare_sentences(compare),
        "summary": summary,
        "summary_text": summary.get("text", ""),
        "satisfied_voters": summary.get("satisfied_voters"),
        "satisfied_percent": summary.get("satisfied_percent", ""),
        "rule_label": reasons.rule_label(outcome.params or {}),
        "endowment_lines": reasons.endowment_sentences(explanation),
        "chart": chart,
        "command": services.recompute_command(
            budget_round, services.pabulib_filename(budget_round)
        ),
        "download_url": reverse("budgets:round-pabulib", kwargs={"slug": budget_round.slug}),
        "params": outcome.params,
        "filename": services.pabulib_filename(budget_round),
    }
