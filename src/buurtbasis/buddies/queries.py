"""Reads of the buddy programme, each a fixed number of queries however many rows."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from .models import CheckIn, Household, Pair, PairStatus, Programme

PER_PAGE = 25
#: Overdue check-ins shown in the dashboard block.
DASHBOARD_OVERDUE = 10


def households(programme: Programme, *, status: str = "", kind: str = "", q: str = ""):
    rows = Household.objects.filter(programme=programme, erased_at__isnull=True).select_related(
        "area"
    )
    if status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    if q:
        rows = rows.filter(label__icontains=q)
    return rows.order_by("status", "label", "pk")


def counts(programme_ids) -> dict[int, dict[str, int]]:
    """Households per status for each programme (one query)."""
    out: dict[int, dict[str, int]] = {pk: {} for pk in programme_ids}
    for row in (
        Household.objects.filter(programme_id__in=programme_ids, erased_at__isnull=True)
        .values("programme_id", "status")
        .annotate(n=Count("pk"))
    ):
        out[row["programme_id"]][row["status"]] = row["n"]
    return out


def overdue_checkins(programme_ids, *, today: datetime.date | None = None, limit=DASHBOARD_OVERDUE):
    """Open check-ins of active pairs that are past their date, oldest first (one query)."""
    today = today or timezone.localdate()
    return list(
        CheckIn.objects.filter(
            pair__programme_id__in=programme_ids,
            pair__status=PairStatus.ACTIVE,
            done_on__isnull=True,
            due_on__lt=today,
        )
        .select_related("pair__newcomer", "pair__local")
        .order_by("due_on", "pk")[:limit]
    )


def overdue_count(programme_ids, *, today=None) -> int:
    today = today or timezone.localdate()
    return CheckIn.objects.filter(
        pair__programme_id__in=programme_ids,
        pair__status=PairStatus.ACTIVE,
        done_on__isnull=True,
        due_on__lt=today,
    ).count()


def pairs_of(household: Household):
    return list(
        Pair.objects.filter(Q(newcomer=household) | Q(local=household))
        .select_related("newcomer", "local")
        .order_by("-proposed_at")
    )


def pairs(programme: Programme, *, status: str = ""):
    rows = Pair.objects.filter(programme=programme).select_related("newcomer", "local")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-proposed_at", "-pk")
