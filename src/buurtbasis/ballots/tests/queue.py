"""Run what a test enqueued, the way the database worker runs it (same code path)."""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def queued(task_name: str | None = None):
    rows = DBTaskResult.objects.ready()
    if task_name:
        rows = rows.filter(task_path__endswith=f".{task_name}")
    return rows


def run_queued_tasks(limit: int = 50) -> list[DBTaskResult]:
    """Claim and run every ready task (tasks enqueued while running run too)."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    done = []
    for _ in range(limit):
        row = DBTaskResult.objects.ready().order_by("enqueued_at").first()
        if row is None:
            break
        row.claim(worker.worker_id)
        worker.run_task(row)
        row.refresh_from_db()
        done.append(row)
    return done
