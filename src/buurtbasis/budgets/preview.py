"""Before the outcome: what each rule would fund with the support gathered so far.

:func:`rule_preview` takes a plain mapping ``plan_id -> set of supporter ids``, so any
source of support can be previewed: supporters of plans, or the votes cast so far
(``ballots`` answers :data:`signals.support_requested` while voting is open).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

from django.core.cache import cache
from django.utils.translation import gettext as _

from . import adapters, reasons
from .models import (
    PHASE_ORDER,
    BudgetRound,
    Completion,
    PhaseKind,
    Plan,
    PlanStatus,
    PlanSupport,
    Rule,
)
from .signals import support_requested


def preview_plans(budget_round: BudgetRound) -> list[Plan]:
    """The plans a preview is about: those on the ballot once voting has begun,
    before that also the plans that still wait for their assessment."""
    plans = budget_round.plans.select_related("area")
    if budget_round.phase_index() >= PHASE_ORDER.index(PhaseKind.VOTING):
        plans = plans.on_ballot()
    else:
        plans = plans.filter(status__in=[PlanStatus.SUBMITTED, PlanStatus.FEASIBLE])
    return list(plans.order_by("pk"))


def support_so_far(budget_round: BudgetRound) -> tuple[str | None, dict[int, set]]:
    """The support gathered so far: (kind, plan_id -> supporters), or (None, {}).

    Votes (while voting is open) come before supporters of plans when both answer.
    """
    answers = [
        answer
        for _receiver, answer in support_requested.send(
            sender=BudgetRound, budget_round=budget_round
        )
        if answer and answer.get("support")
    ]
    if not answers:
        supporters = _plan_supporters(budget_round)
        return ("supporters", supporters) if supporters else (None, {})
    best = min(answers, key=lambda a: 0 if a.get("kind") == "votes" else 1)
    return best.get("kind"), {int(k): set(v) for k, v in best["support"].items()}


def _plan_supporters(budget_round: BudgetRound) -> dict[int, set]:
    """Supporters of plans during submission, one voter each; the support of a deleted
    account still counts, as a supporter of its own."""
    support: dict[int, set] = {}
    rows = PlanSupport.objects.filter(plan__budget_round=budget_round).values_list(
        "plan_id", "user_id", "pk"
    )
    for plan_id, user_id, pk in rows:
        support.setdefault(plan_id, set()).add(f"u{user_id}" if user_id else f"s{pk}")
    return support


def _is_rounds_rule(budget_round: BudgetRound, rule: str, completion: str) -> bool:
    if budget_round.rule == Rule.GREEDY:
        return rule == "greedy"
    return rule == "mes" and completion == (budget_round.completion or Completion.NONE)


CACHE_SECONDS = 600


def _outcomes(budget_round: BudgetRound, plans: list[Plan], support: Mapping[int, Iterable]):
    """The engine's answers, cached for ten minutes per exact input: MES + Add1 on a few
    hundred plans and thousands of supporters takes seconds, and a civil servant may
    reload the page."""
    key_data = repr(
        (
            budget_round.pk,
            budget_round.budget_cents,
            budget_round.tie_break,
            budget_round.tie_break_seed,
            [(p.pk, p.cost_cents) for p in plans],
            sorted((int(k), sorted(map(str, v))) for k, v in support.items()),
        )
    )
    key = "budgets.rule_preview." + hashlib.sha256(key_data.encode()).hexdigest()
    outcomes = cache.get(key)
    if outcomes is None:
        outcomes = adapters.preview_outcomes(budget_round, plans, support)
        cache.set(key, outcomes, CACHE_SECONDS)
    return outcomes


def _short_label(rule: str, completion: str) -> str:
    """A column heading that fits a phone."""
    if rule != "mes":
        return _("Most votes first")
    if completion == "add1u":
        return _("Equal shares, Add1, most votes")
    if completion == "add1":
        return _("Equal shares, Add1")
    return _("Equal shares")


def rule_preview(
    budget_round: BudgetRound,
    support: Mapping[int, Iterable],
    *,
    plans: list[Plan] | None = None,
) -> dict:
    """Per rule the plans it would fund, with cost, money left and supporters served."""
    plans = plans if plans is not None else preview_plans(budget_round)
    by_id = {plan.pk: plan for plan in plans}
    counts = {plan.pk: len(set(support.get(plan.pk, ()))) for plan in plans}
    outcomes = _outcomes(budget_round, plans, support) if plans else []
    columns = []
    for result in outcomes:
        chosen = set(result["selected"])
        columns.append(
            {
                **result,
                "label": reasons.rule_label(
                    {"rule": result["rule"], "completion": result["completion"]}
                ),
                "short_label": _short_label(result["rule"], result["completion"]),
                "is_rounds_rule": _is_rounds_rule(
                    budget_round, result["rule"], result["completion"]
                ),
                "chosen": chosen,
                "plans": [by_id[pid] for pid in result["selected"] if pid in by_id],
                "leftover_cents": budget_round.budget_cents - result["total_cost_cents"],
            }
        )
    rows = [
        {
            "plan": plan,
            "supporters": counts[plan.pk],
            "chosen": [plan.pk in column["chosen"] for column in columns],
        }
        for plan in sorted(plans, key=lambda p: (-counts[p.pk], p.pk))
    ]
    return {
        "columns": columns,
        "rows": rows,
        "n_supporters": outcomes[0]["n_supporters"] if outcomes else 0,
    }
