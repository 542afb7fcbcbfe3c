"""Background work of partnerships: the quarterly pulse."""

from __future__ import annotations

from buurtbasis.platform.tasks import background


@background(retries=2, backoff=60)
def open_due_pulses() -> int:
    """Open the next pulse round of every partnership that is due (scheduled daily)."""
    from .services import open_due_rounds

    return open_due_rounds()
