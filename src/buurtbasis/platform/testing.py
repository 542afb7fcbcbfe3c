"""Test helpers for code that enqueues background tasks.

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

from contextlib import contextmanager

from django_tasks.base import TaskResultStatus


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
