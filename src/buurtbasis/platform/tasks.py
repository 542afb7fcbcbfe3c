"""Background tasks: the one wrapper every app uses.

Tasks are written with Django's tasks API through the ``django-tasks`` backport
(``from buurtbasis.platform.tasks import task``), so they move to Django 6's
built-in framework unchanged. The backend is chosen in settings (``TASKS``):
the database by default, RQ on Redis when ``TASKS_BACKEND=rq``.

Enqueue after the transaction commits, so a worker never sees a row that was
rolled back and a task is never lost when the request fails later on::

    from buurtbasis.platform.tasks import enqueue_on_commit

    enqueue_on_commit(count_round, round_id=round.pk)
"""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

__all__ = ["enqueue_on_commit", "task"]


def enqueue_on_commit(task_obj, *args, **kwargs) -> None:
    """Enqueue ``task_obj`` with these arguments once the current transaction commits."""
    transaction.on_commit(lambda: task_obj.enqueue(*args, **kwargs))
