"""Scheduled work of warm referral: overdue notices and the retention limit."""

from __future__ import annotations

from buurtbasis.platform.tasks import background


@background(retries=2)
def notify_overdue() -> int:
    from . import services

    return services.notify_overdue()


@background(retries=2)
def apply_retention() -> int:
    from . import services

    return services.apply_retention()
