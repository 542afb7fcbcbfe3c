"""Helpers for tests of background tasks, on whichever backend is configured.

``run_worker()`` runs every job that is due with the backend's real worker,
in-process: the database backend's ``db_worker`` loop, or RQ's burst worker
against the Redis of ``scripts/with_redis.py``. Mark such tests
``@pytest.mark.tasks`` so ``make test`` runs them on both backends.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus

__all__ = ["clear_queue", "deferred_jobs", "make_deferred_jobs_due", "on_rq", "run_worker"]

_DATE_MAX = datetime.datetime(9999, 1, 1, tzinfo=datetime.UTC)


def on_rq() -> bool:
    return settings.TASKS_BACKEND == "rq"


def _rq_queue():
    import django_rq
    from django_tasks_rq import Job

    return django_rq.get_queue("default", job_class=Job)


def clear_queue() -> None:
    """Empty Redis before a test (the database backend's rows roll back by themselves)."""
    if on_rq():
        _rq_queue().connection.flushdb()


def run_worker(queue_name: str = "default") -> None:
    """Run every job that is due, and those they enqueue without delay, then return."""
    if on_rq():
        import django_rq
        from rq.worker import SimpleWorker

        class InProcessWorker(SimpleWorker):
            """RQ's worker without forking, and without the channel for remote
            commands (stopping its listener thread costs a minute per run)."""

            def subscribe(self) -> None:
                pass

        django_rq.get_worker(queue_name, worker_class=InProcessWorker).work(burst=True)
        return
    from unittest import mock

    from django_tasks_db.management.commands import db_worker

    worker = db_worker.Worker(
        queue_names=[queue_name],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    # The worker loop recycles database connections between jobs, as a long-running
    # process must. Inside a test's transaction that would close the connection the
    # test holds (PostgreSQL: "the connection is closed"; SQLite's in-memory test
    # database ignores it), so here the jobs share the test's connection.
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        worker.run()


def deferred_jobs() -> list[tuple[dict, datetime.datetime]]:
    """(keyword arguments, run after) of the jobs waiting for a later time."""
    if on_rq():
        from django_tasks_rq import Job

        queue = _rq_queue()
        registry = queue.scheduled_job_registry
        jobs = [Job.fetch(job_id, connection=queue.connection) for job_id in registry.get_job_ids()]
        return [(job.kwargs, registry.get_scheduled_time(job)) for job in jobs]
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY).exclude(run_after=_DATE_MAX)
    return [(row.args_kwargs["kwargs"], row.run_after) for row in ready]


def make_deferred_jobs_due() -> None:
    """Pretend the wait of every deferred job has passed."""
    if on_rq():
        from django_tasks_rq import Job

        queue = _rq_queue()
        registry = queue.scheduled_job_registry
        for job_id in registry.get_job_ids():
            job = Job.fetch(job_id, connection=queue.connection)
            registry.remove(job)
            queue.enqueue_job(job)
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())
