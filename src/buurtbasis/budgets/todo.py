"""The civil servant's to-do list on "my dashboard" (registered in ``BudgetsConfig.ready``):
plans waiting for assessment and rounds whose phase changes in the coming week, in the
rounds they manage in the current municipality. Four queries, whatever the counts."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from buurtbasis.platform.tenancy import get_tenant

from .access import municipalities_managed_by
from .models import PHASE_ORDER, BudgetRound, Phase, PhaseKind, Plan, PlanStatus

#: The rounds in which plans can still be assessed.
ASSESSING = (PhaseKind.SUBMISSION, PhaseKind.ASSESSMENT)


def managed_rounds(request):
    """The rounds the user manages as a civil servant in the current municipality (a
    queryset), or None when they are no civil servant."""
    user = request.user
    if not user.is_authenticated:
        return None
    managed = [o.pk for o in municipalities_managed_by(user)]
    if not managed:
        return None
    return BudgetRound.objects.filter(organisation_id__in=managed).in_municipality(
        get_tenant(request).cbs_code
    )


def civil_servant_todo(request, *, limit: int = 15, days: int = 7) -> dict | None:
    rounds = managed_rounds(request)
    if rounds is None:
        return None
    waiting = Plan.objects.filter(
        budget_round__in=rounds.filter(phase__in=ASSESSING).values("pk"),
        status=PlanStatus.SUBMITTED,
    )
    n_waiting = waiting.count()
    plans = list(waiting.select_related("budget_round").order_by("created_at", "pk")[:limit])
    now = timezone.now()
    upcoming = [
        phase
        for phase in Phase.objects.filter(
            budget_round__in=rounds.values("pk"),
            starts_at__gte=now,
            starts_at__lt=now + timedelta(days=days),
        )
        .select_related("budget_round")
        .order_by("starts_at", "pk")[: limit * 2]
        # only phases still ahead of the round (a phase may have been started by hand)
        if PHASE_ORDER.index(phase.kind) > phase.budget_round.phase_index()
    ][:limit]
    return {
        "plans": plans,
        "n_plans": n_waiting,
        "more_plans": max(0, n_waiting - len(plans)),
        "phase_changes": upcoming,
        "days": days,
    }
