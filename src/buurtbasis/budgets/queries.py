"""Read-only questions other pages ask about rounds and plans, in a fixed number of queries
(no writes here; see ``services.py`` and ``participation.py``).

- ``open_rounds``: the public rounds open for plans or for voting in a municipality
  (optionally: that cover one wijk or buurt), each with the dates of its current phase.
- ``plan_results``: for plans of rounds whose result is published, whether each was
  chosen and, when it was, how far its execution is.
- Supporters of plans: a round may ask that a plan gathers ``BudgetRound.supporters_needed``
  supporters while plans are submitted, before the municipality may find it feasible.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, Count, Q, Value, When

from .models import (
    BudgetRound,
    FundedPlan,
    Outcome,
    Phase,
    PhaseKind,
    Plan,
    PlanStatus,
    PlanSupport,
)

OPEN_PHASES = (PhaseKind.SUBMISSION, PhaseKind.VOTING)


def _areas_around(area) -> set[int]:
    """The area, the areas it lies in, and the buurten in it (when it is a wijk)."""
    ids: set[int] = set()
    current = area
    while current is not None and current.pk not in ids:
        ids.add(current.pk)
        current = current.parent
    ids.update(area.children.values_list("pk", flat=True))
    return ids


def open_rounds(code: str, *, area=None, limit: int = 5) -> list[BudgetRound]:
    """Public rounds of municipality ``code`` open for plans or voting, voting first.

    With ``area``, only rounds for that area (or a wijk it lies in, or a buurt in it) and
    rounds for the whole municipality (without areas). Each round gets ``open_phase``:
    its current ``Phase`` row (dates), or None when the round has no dates for it.
    Two queries (three with ``area``).
    """
    rounds = BudgetRound.objects.public().in_municipality(code).filter(phase__in=OPEN_PHASES)
    if area is not None:
        through = BudgetRound.areas.through
        rounds = rounds.filter(
            Q(
                pk__in=through.objects.filter(area_id__in=_areas_around(area)).values(
                    "budgetround_id"
                )
            )
            | ~Q(pk__in=through.objects.values("budgetround_id"))
        )
    # Rounds open for voting first, in the database: sorting after a slice left out a
    # voting round whose title came late in the alphabet.
    voting_first = Case(When(phase=PhaseKind.VOTING, then=Value(0)), default=Value(1))
    found = list(rounds.order_by(voting_first, "title", "pk")[:limit])
    if not found:
        return []
    phases = {
        (p.budget_round_id, p.kind): p
        for p in Phase.objects.filter(budget_round__in=[r.pk for r in found], kind__in=OPEN_PHASES)
    }
    for budget_round in found:
        budget_round.open_phase = phases.get((budget_round.pk, budget_round.phase))
    return found


CHOSEN = "gekozen"
NOT_CHOSEN = "niet-gekozen"


@dataclass(frozen=True)
class PlanResult:
    """A plan's published result: ``chosen`` and (when chosen) its execution status."""

    chosen: bool
    execution_status: str = ""
    execution_label: str = ""

    @property
    def key(self) -> str:
        return CHOSEN if self.chosen else NOT_CHOSEN


def plan_results(plans: Iterable) -> dict[int, PlanResult]:
    """``{plan id: PlanResult}`` for the plans whose round has published its result.

    A plan of a round in the results or execution phase with an outcome is chosen
    when it is among the outcome's funded plans, not chosen when it was on the ballot
    (feasible) but is not; its execution status comes from
    its ``FundedPlan`` (kept up to date by progress updates). Plans of other rounds
    are left out. Two queries, whatever the number of plans.
    """
    plans = list(plans)
    published = {
        p.budget_round_id
        for p in plans
        if p.budget_round.phase in (PhaseKind.RESULTS, PhaseKind.EXECUTION)
    }
    if not published:
        return {}
    funded_ids: dict[int, set[int]] = {
        round_id: {int(pk) for pk in ids}
        for round_id, ids in Outcome.objects.filter(budget_round_id__in=published).values_list(
            "budget_round_id", "funded_plan_ids"
        )
    }
    chosen_ids = [p.pk for p in plans if p.pk in funded_ids.get(p.budget_round_id, ())]
    funding = (
        {f.plan_id: f for f in FundedPlan.objects.filter(plan_id__in=chosen_ids)}
        if chosen_ids
        else {}
    )
    results = {}
    for plan in plans:
        if plan.budget_round_id not in funded_ids:
            continue
        if plan.pk not in funded_ids[plan.budget_round_id] and plan.status != PlanStatus.FEASIBLE:
            continue  # never on the ballot (not feasible, merged): its status says why
        if plan.pk in funded_ids[plan.budget_round_id]:
            funded = funding.get(plan.pk)
            results[plan.pk] = PlanResult(
                chosen=True,
                execution_status=funded.status if funded else "",
                execution_label=funded.get_status_display() if funded else "",
            )
        else:
            results[plan.pk] = PlanResult(chosen=False)
    return results


def published_funded_ids(budget_round) -> set[int] | None:
    """The ids of the chosen plans once the round's result is published, else None."""
    if budget_round.phase not in (PhaseKind.RESULTS, PhaseKind.EXECUTION):
        return None
    ids = (
        Outcome.objects.filter(budget_round=budget_round)
        .values_list("funded_plan_ids", flat=True)
        .first()
    )
    return None if ids is None else {int(pk) for pk in ids}


def filter_by_result(plans, budget_round, result: str):
    """``plans`` narrowed to the chosen (``gekozen``) or not chosen (``niet-gekozen``) ones.

    Unchanged when the result is not published yet or ``result`` is neither.
    """
    funded = published_funded_ids(budget_round)
    if funded is None or result not in (CHOSEN, NOT_CHOSEN):
        return plans
    if result == CHOSEN:
        return plans.filter(pk__in=funded)
    return plans.filter(status=PlanStatus.FEASIBLE).exclude(pk__in=funded)


def attach_results(plans) -> list:
    """The plans as a list, each with ``result`` (a ``PlanResult`` or None)."""
    plans = list(plans)
    results = plan_results(plans)
    for plan in plans:
        plan.result = results.get(plan.pk)
    return plans


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
