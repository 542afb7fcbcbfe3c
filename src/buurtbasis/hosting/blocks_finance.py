"""The dashboard block of a host's finance officers: what waits for them, per host."""

from __future__ import annotations

from . import queries_banklines


def finance_block(request, **objects):
    """Expenses waiting for my approval, approved expenses not yet in a payout batch and
    bank lines waiting for a person, per host I am a finance officer of (fixed queries)."""
    work = queries_banklines.finance_work(request.user)
    if work is None:
        return None
    return {"hosts": work.hosts}
