"""Background tasks: the one wrapper every app uses.

Tasks are written with Django's tasks API through the ``django-tasks`` backport,
so they move to Django 6's built-in framework unchanged. The backend is chosen
in settings (``TASKS_BACKEND``): the database by default (``django-tasks-db``,
a worker is ``manage.py db_worker``), RQ on Redis when ``TASKS_BACKEND=rq``
(a worker is ``manage.py rqworker default``), or ``immediate`` (runs inline).

Apps declare a task with :func:`background`, which adds bounded retries with
backoff to Django's ``task``::

    from buurtbasis.platform.tasks import background, enqueue_on_commit

    @background(retries=3)
    def count_round(round_id: int) -> None:
        ...

    enqueue_on_commit(count_round, round_id=round.pk)

Arguments must be JSON values (ids, strings, numbers), never model instances.

What happens when a task raises:

- Every attempt is a task result of its own, stored by the backend with its
  traceback (the database backend shows them in the admin under "Task results").
- While attempts are left, the same task is enqueued again with the same
  arguments, after ``backoff * 2 ** (attempt - 1)`` seconds on backends that can
  defer (database, RQ); the attempt number travels along as the keyword
  argument ``_attempt`` and is removed before the function is called.
- When the last attempt fails, a :class:`~buurtbasis.platform.models.tasks.FailedTask`
  keeps the task's path, its arguments, the exception and the traceback. Admins
  see these under "Failed tasks" and can enqueue them again from there.

``task.call(...)`` runs the task in the calling process with the same retry
handling (a failure enqueues the next attempt); the plain function is
``task.func.__wrapped__``, for tests that want the exception and nothing else.

Enqueue after the transaction commits (:func:`enqueue_on_commit`), so a worker
never sees a row that was rolled back and a task is never lost when the request
fails later on.
"""

from __future__ import annotations

import datetime
import functools
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task
from django_tasks.utils import get_exception_traceback, get_module_path

if TYPE_CHECKING:
    from buurtbasis.platform.models import FailedTask

__all__ = [
    "ATTEMPT_KWARG",
    "background",
    "enqueue_on_commit",
    "prune_task_records",
    "requeue_failed",
    "retry_delay",
    "task",
]

logger = logging.getLogger(__name__)

#: The keyword argument that carries the attempt number of a retry.
ATTEMPT_KWARG = "_attempt"

DEFAULT_RETRIES = 3
DEFAULT_BACKOFF_SECONDS = 30.0


def retry_delay(attempt: int, backoff: float) -> datetime.timedelta:
    """How long to wait before the attempt after ``attempt`` (1-based): doubling backoff.

    >>> retry_delay(1, 30).total_seconds(), retry_delay(3, 30).total_seconds()
    (30.0, 120.0)
    """
    return datetime.timedelta(seconds=backoff * 2 ** (attempt - 1))


def background(
    function: Callable | None = None,
    *,
    retries: int = DEFAULT_RETRIES,
    backoff: float = DEFAULT_BACKOFF_SECONDS,
    priority: int = 0,
    queue_name: str = "default",
    backend: str = "default",
    takes_context: bool = False,
) -> Task | Callable[[Callable], Task]:
    """Declare a background task that is retried ``retries`` times after a failure.

    ``retries=0`` runs it once. ``backoff`` is the first wait in seconds; each
    further wait doubles. Works bare (``@background``) and with options. The
    result is a django-tasks ``Task``: ``.enqueue(...)``, ``.using(...)``,
    ``.call(...)`` work as documented by Django.
    """
    if retries < 0:
        raise ValueError("retries must be zero or more")
    if backoff < 0:
        raise ValueError("backoff must be zero or more seconds")

    def decorate(func: Callable) -> Task:
        holder: dict[str, Task] = {}

        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            attempt = int(kwargs.pop(ATTEMPT_KWARG, 1))
            try:
                return func(*args, **kwargs)
            except Exception as exc:
                # The arguments as the function saw them; ``args`` starts with the
                # context when the task takes one, which is not stored.
                stored_args = list(args[1:] if takes_context else args)
                _after_failure(holder["task"], attempt, retries, backoff, stored_args, kwargs, exc)
                raise
            except BaseException as exc:
                # The worker is being stopped: no retry now, but keep the arguments.
                stored_args = list(args[1:] if takes_context else args)
                _record_failure(holder["task"], attempt, stored_args, kwargs, exc)
                raise

        run.max_attempts = retries + 1  # type: ignore[attr-defined]
        task_obj = task(
            run,
            priority=priority,
            queue_name=queue_name,
            backend=backend,
            takes_context=takes_context,
        )
        holder["task"] = task_obj
        return task_obj

    if function is not None:
        return decorate(function)
    return decorate


def _after_failure(
    task_obj: Task,
    attempt: int,
    retries: int,
    backoff: float,
    args: list,
    kwargs: dict,
    exc: BaseException,
) -> None:
    """Enqueue the next attempt, or keep the task as failed when none is left."""
    if attempt <= retries:
        retry = task_obj
        if backoff and retry.get_backend().supports_defer:
            retry = retry.using(run_after=timezone.now() + retry_delay(attempt, backoff))
        try:
            retry.enqueue(*args, **{**kwargs, ATTEMPT_KWARG: attempt + 1})
        except Exception:
            logger.exception("Could not enqueue attempt %d of %s", attempt + 1, task_obj.name)
            _record_failure(task_obj, attempt, args, kwargs, exc)
        else:
            logger.warning(
                "Task %s failed (attempt %d of %d), retrying: %r",
                task_obj.name,
                attempt,
                retries + 1,
                exc,
            )
        return
    _record_failure(task_obj, attempt, args, kwargs, exc)


def _record_failure(
    task_obj: Task, attempt: int, args: list, kwargs: dict, exc: BaseException
) -> None:
    from buurtbasis.platform.models import FailedTask

    logger.error("Task %s failed for good after %d attempts: %r", task_obj.name, attempt, exc)
    try:
        FailedTask.objects.create(
            task_path=task_obj.module_path,
            args_kwargs={"args": args, "kwargs": kwargs},
            queue_name=task_obj.queue_name,
            backend_name=task_obj.backend,
            priority=task_obj.priority,
            attempts=attempt,
            exception_class_path=get_module_path(type(exc)),
            message=str(exc)[:1000],
            traceback=get_exception_traceback(exc),
        )
    except Exception:
        # Never hide the task's own error behind a bookkeeping error.
        logger.exception("Could not store the failure of %s", task_obj.name)


def requeue_failed(failed: FailedTask, *, actor=None) -> str:
    """Enqueue a failed task again with its stored arguments and a fresh set of attempts.

    Returns the id of the new task result. Refuses a task that was enqueued again
    already, and a path that no longer points to a task (after a rename).
    """
    from django.utils.module_loading import import_string

    try:
        task_obj = import_string(failed.task_path)
    except ImportError as exc:
        raise ValueError(f"{failed.task_path} no longer exists") from exc
    if not isinstance(task_obj, Task):
        raise ValueError(f"{failed.task_path} is not a task")
    # Claim the row first: a double submit or two admins at once enqueue it only once.
    now = timezone.now()
    claimed = (
        type(failed)
        .objects.filter(pk=failed.pk, requeued_at__isnull=True)
        .update(requeued_at=now, requeued_by=actor)
    )
    if not claimed:
        raise ValueError(f"failed task {failed.pk} was enqueued again already")
    stored = failed.args_kwargs
    result = task_obj.using(
        queue_name=failed.queue_name, priority=failed.priority, backend=failed.backend_name
    ).enqueue(*stored.get("args", []), **stored.get("kwargs", {}))
    failed.requeued_at = now
    failed.requeued_by = actor
    failed.requeued_result_id = str(result.id)
    failed.save(update_fields=["requeued_result_id"])
    return failed.requeued_result_id


@background(retries=1)
def prune_task_records() -> dict[str, int]:
    """Delete finished task results and failed tasks past their retention (scheduled daily).

    Task arguments and tracebacks can hold personal data (an e-mail address, a
    name): finished results go after ``TASKS_RESULT_RETENTION_DAYS``, failed tasks
    after ``TASKS_FAILED_RETENTION_DAYS``, whether or not they were enqueued again,
    and with them outbox mails that were never sent (they may hold a reset link).
    """
    from django.conf import settings
    from django_tasks_db.models import DBTaskResult

    from buurtbasis.platform.models import FailedTask, OutgoingEmail

    now = timezone.now()
    results_before = now - datetime.timedelta(days=settings.TASKS_RESULT_RETENTION_DAYS)
    failed_before = now - datetime.timedelta(days=settings.TASKS_FAILED_RETENTION_DAYS)
    results, _ = DBTaskResult.objects.finished().filter(finished_at__lt=results_before).delete()
    failed, _ = FailedTask.objects.filter(failed_at__lt=failed_before).delete()
    unsent, _ = OutgoingEmail.objects.filter(created_at__lt=failed_before).delete()
    return {"task_results": results, "failed_tasks": failed, "unsent_mails": unsent}


def enqueue_on_commit(task_obj: Task, *args: Any, **kwargs: Any) -> None:
    """Enqueue ``task_obj`` with these arguments once the current transaction commits."""
    transaction.on_commit(lambda: task_obj.enqueue(*args, **kwargs))
