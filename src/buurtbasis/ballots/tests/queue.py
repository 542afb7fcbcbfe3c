"""Run what a test enqueued, the way the database worker runs it (same code path)."""

from __future__ import annotations

from django_tasks_db.models import DBTaskResult

from buurtbasis.platform import testing


def queued(task_name: str | None = None):
    rows = DBTaskResult.objects.ready()
    if task_name:
        rows = rows.filter(task_path__endswith=f".{task_name}")
    return rows


def run_queued_tasks(limit: int = 50) -> list[DBTaskResult]:
    """Claim and run every ready task; a failure is left on its row for the test to see."""
    return testing.run_queued_tasks(limit=limit, raise_failures=False)
