"""Background tasks of the budgets app."""

from __future__ import annotations

from buurtbasis.budgets.services import advance_due_phases
from buurtbasis.platform.tasks import background


@background(retries=2, backoff=60)
def advance_phases() -> list[str]:
    """Move every round whose next phase has started (scheduled, see BudgetsConfig.ready).

    The same service as ``manage.py advance_phases``; returns one line per round
    that moved or could not move, kept as the task's result.
    """
    return [
        f"{budget_round.slug}: {start} -> {result}"
        for budget_round, start, result in advance_due_phases()
    ]


@background(retries=2, backoff=30)
def make_council_report(report_id: int) -> str:
    """Render a round's council report (PDF) into private storage (see
    ``services.request_council_report``)."""
    from buurtbasis.budgets.services import render_council_report

    return render_council_report(report_id=report_id)
