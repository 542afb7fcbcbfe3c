"""Helpers for tests of background tasks.

On whichever backend is configured:

``run_worker()`` runs every job that is due with the backend's real worker,
in-process: the database backend's ``db_worker`` loop, or RQ's burst worker
against the Redis of ``scripts/with_redis.py``. Mark such tests
``@pytest.mark.tasks`` so ``make test`` runs them on both backends.

On the database backend, inside a test's transaction:

``run_queued_tasks()`` runs what is waiting in the database queue, in this process
and this transaction (so it sees the test's rows), and raises the first error, so
a failing task fails the test instead of being recorded quietly::

    with django_capture_on_commit_callbacks(execute=True):
        client.post(...)          # enqueues after the (captured) commit
    run_queued_tasks()            # the worker's part
    assert len(mail.outbox) == 1

or both at once: ``with delivered(): client.post(...)``.
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
        from rq.worker import SimpleWorker

        class InProcessWorker(SimpleWorker):
            """RQ's worker without forking, and without the channel for remote
            commands (stopping its listener thread costs a minute per run)."""

            def subscribe(self) -> None:
                pass

        django_rq.get_worker(queue_name, worker_class=InProcessWorker).work(burst=True)
        return
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(
        queue_names=[queue_name],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


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


def run_queued_tasks(*, limit: int = 1000) -> int:
    """Run every ready task of the database backend, oldest first; returns how many ran.

    Tasks enqueued by a task (the digest enqueues its mails after its own commit)
    run in the same call.
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
    ran = 0
    while ran < limit:
        row = DBTaskResult.objects.ready().order_by("enqueued_at").first()
        if row is None:
            return ran
        row.claim(worker.worker_id)
        # Tasks enqueue on commit; inside a test's transaction, run those callbacks now.
        with _run_on_commit_callbacks():
            worker.run_task(row)
        ran += 1
        row.refresh_from_db()
        if row.status == TaskResultStatus.FAILED:
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
