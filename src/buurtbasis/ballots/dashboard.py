"""The civil servant's to-do list on "my dashboard": paper batches waiting for a second
person (four eyes). Registered in ``BallotsConfig.ready``; two queries at most."""

from __future__ import annotations

from buurtbasis.budgets.todo import managed_rounds

from .models import BatchStatus, PaperBatch


def paper_batches_todo(request, *, limit: int = 15) -> dict | None:
    rounds = managed_rounds(request)
    if rounds is None:
        return None
    batches = list(
        PaperBatch.objects.filter(
            budget_round__in=rounds.values("pk"), status=BatchStatus.SUBMITTED
        )
        .select_related("budget_round")
        .order_by("submitted_at", "pk")[: limit + 1]
    )
    if not batches:
        return None
    return {
        "batches": batches[:limit],
        "more": len(batches) > limit,
        "user_id": request.user.pk,
    }
