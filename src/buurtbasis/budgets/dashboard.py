"""The buurtbudget block on "my dashboard" (registered in ``BudgetsConfig.ready``)."""

from __future__ import annotations

from django.db.models import Q

from buurtbasis.platform.tenancy import get_tenant

from .access import municipalities_managed_by
from .models import BudgetRound, Plan
from .queries import attach_results


def my_budget_block(request, limit: int = 10) -> dict | None:
    """My plans with status and reason, and (for civil servants) the rounds I manage, in
    the current municipality (with the published result of each plan). At most five
    queries, whatever the counts; None when there is nothing to show."""
    user = request.user
    if not user.is_authenticated:
        return None
    code = get_tenant(request).cbs_code
    in_tenant = BudgetRound.objects.in_municipality(code).values("pk")
    plans = list(
        Plan.objects.filter(Q(submitted_by=user) | Q(initiative__members=user))
        .filter(budget_round__in=in_tenant)
        .distinct()
        .select_related("budget_round", "merged_into")
        .order_by("-updated_at")[:limit]
    )
    managed = [o.pk for o in municipalities_managed_by(user)]
    rounds = (
        list(
            BudgetRound.objects.filter(organisation_id__in=managed)
            .in_municipality(code)
            .order_by("-created_at")[:limit]
        )
        if managed
        else []
    )
    if not plans and not rounds:
        return None
    return {"plans": attach_results(plans), "rounds": rounds}
