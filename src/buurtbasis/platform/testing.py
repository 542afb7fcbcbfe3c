"""Helpers for tests of background tasks, on whichever backend is configured.

``run_worker()`` runs every job that is due with the backend's real worker,
in-process: the database backend's ``db_worker`` loop, or RQ's burst worker
against the Redis of ``scripts/with_redis.py``. Mark such tests
``@pytest.mark.tasks`` so ``make test`` runs them on both backends.

``run_queued_tasks()`` and ``delivered()`` (database backend) run what is queued
inside the test's own transaction, so the tasks see the test's rows, and raise
the first error, so a failing task fails the test::

    with delivered():             # as if the transaction committed, then the worker
        client.post(...)
    assert len(mail.outbox) == 1
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus

__all__ = [
    "clear_queue",
    "deferred_jobs",
    "delivered",
    "make_deferred_jobs_due",
    "on_rq",
    "run_queued_tasks",
    "run_worker",
]

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

        from buurtbasis.platform.rq_worker import SimpleWorker

        django_rq.get_worker(queue_name, worker_class=SimpleWorker).work(burst=True)
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


def run_queued_tasks(*, limit: int = 1000, raise_failures: bool = True) -> list:
    """Run every ready task of the database backend, oldest first; returns their rows.

    Tasks enqueued by a task (the digest enqueues its mails after its own commit)
    run in the same call. A task that fails raises ``AssertionError`` with its
    traceback, unless ``raise_failures=False`` (for tests of what a failure leaves).
    """
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

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
    while len(done) < limit:
        row = DBTaskResult.objects.ready().order_by("enqueued_at").first()
        if row is None:
            return done
        row.claim(worker.worker_id)
        # Tasks enqueue on commit; inside a test's transaction, run those callbacks now.
        with _run_on_commit_callbacks():
            worker.run_task(row)
        row.refresh_from_db()
        done.append(row)
        if raise_failures and row.status == TaskResultStatus.FAILED:
            raise AssertionError(f"task {row.task_path} failed:\n{row.traceback}")
    raise AssertionError(f"more than {limit} tasks: a task that enqueues itself?")


class _run_on_commit_callbacks:
    """Run the ``on_commit`` callbacks a task registers, as a worker's commit would."""

    def __enter__(self):
        from django.db import connection

        self.connection = connection
        self.start = len(connection.run_on_commit)

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            return False
        connection = self.connection
        while len(connection.run_on_commit) > self.start:
            _sids, func, _robust = connection.run_on_commit.pop(self.start)
            func()
        return False


@contextmanager
def delivered():
    """Run the block as if its transaction committed, then run the queued tasks::

    with delivered():
        client.post(reverse("accounts:register"), {...})
    assert len(mail.outbox) == 1
    """
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        yield
    run_queued_tasks()
