"""The civil servant's to-do list on "my dashboard": open signals, overdue ones first."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from buurtbasis.platform.tenancy import get_tenant

from . import access
from .models import Signal

#: Signals shown on the dashboard (the rest is on the signals page).
DASHBOARD_SIGNALS = 10


def todo_signals(code: str, *, limit: int = DASHBOARD_SIGNALS, now=None):
    """Open signals of the municipality: overdue first (longest overdue on top), then by
    due date. One query."""
    now = now or timezone.now()
    return list(
        Signal.objects.in_municipality(code)
        .open()
        .select_related("area", "department")
        .annotate(
            late=Case(
                When(due_at__lt=now, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("late", "due_at", "pk")[:limit]
    )


def dashboard_block(request, **objects):
    """Civil servants: the to-do list. Community workers: the signals they made that are
    still open, and the way to make one. Nobody else sees the block."""
    code = get_tenant(request).cbs_code
    now = timezone.now()
    if not access.is_civil_servant(request.user, code):
        if not access.is_community_worker(request.user, code):
            return None
        mine = Signal.objects.in_municipality(code).open().filter(created_by=request.user)
        return {
            "worker": True,
            "now": now,
            "signals": list(
                mine.select_related("area", "department").order_by("due_at", "pk")[
                    :DASHBOARD_SIGNALS
                ]
            ),
        }
    signals = todo_signals(code, now=now)
    counts = Signal.objects.in_municipality(code).open()
    return {
        "worker": False,
        "signals": signals,
        "now": now,
        "open_count": counts.count(),
        "overdue_count": counts.filter(due_at__lt=now).count(),
    }
