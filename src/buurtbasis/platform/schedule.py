"""Scheduled work: a registry of tasks to enqueue every so often, and one command.

Apps register their periodic tasks in ``AppConfig.ready``::

    from datetime import timedelta

    from buurtbasis.platform import schedule

    schedule.register("budgets.advance_phases", advance_phases, every=timedelta(minutes=5))

Cron or a systemd timer runs ``manage.py enqueue_scheduled`` every few minutes.
It only enqueues (the workers do the work) and remembers per job when it last
enqueued it, so each job is enqueued once per ``every``, however often the
command runs. Times are counted in whole minutes (the command's start time is
rounded down to the minute), so a job due every five minutes still runs every
five minutes when cron starts the command a second late.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django_tasks.base import Task

__all__ = ["ScheduledJob", "due_jobs", "enqueue_due", "register", "registered"]


@dataclass(frozen=True)
class ScheduledJob:
    name: str
    task: Task
    every: datetime.timedelta
    kwargs: dict = field(default_factory=dict)


_REGISTRY: dict[str, ScheduledJob] = {}


def register(
    name: str, task: Task, *, every: datetime.timedelta, kwargs: dict | None = None
) -> ScheduledJob:
    """Enqueue ``task`` (with these JSON keyword arguments) once every ``every``.

    ``name`` identifies the job in the run log (use ``"app.what"``); registering the
    same name again replaces the job, so a reloaded app config does no harm.
    """
    if not isinstance(task, Task):
        raise ImproperlyConfigured(f"scheduled job {name!r}: {task!r} is not a task")
    if every < datetime.timedelta(minutes=1):
        raise ImproperlyConfigured(f"scheduled job {name!r}: every must be a minute or more")
    job = ScheduledJob(name=name, task=task, every=every, kwargs=dict(kwargs or {}))
    _REGISTRY[name] = job
    return job


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def registered() -> list[ScheduledJob]:
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]


def _minute(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(second=0, microsecond=0)


def due_jobs(now: datetime.datetime | None = None) -> list[ScheduledJob]:
    """The registered jobs that are due at ``now`` (without enqueueing them)."""
    from buurtbasis.platform.models import ScheduledJobRun

    now = _minute(now or timezone.now())
    last = dict(ScheduledJobRun.objects.values_list("name", "last_enqueued_at"))
    return [
        job
        for job in registered()
        if last.get(job.name) is None or last[job.name] + job.every <= now
    ]


def enqueue_due(now: datetime.datetime | None = None) -> list[tuple[str, str]]:
    """Enqueue every job that is due; returns ``(name, task result id)`` per job enqueued.

    Safe to run concurrently: each job's run-log row is locked while it is checked
    and updated, so two overlapping runs enqueue a job once.
    """
    from buurtbasis.platform.models import ScheduledJobRun

    now = _minute(now or timezone.now())
    enqueued = []
    for job in registered():
        with transaction.atomic():
            run, _ = ScheduledJobRun.objects.get_or_create(name=job.name)
            run = ScheduledJobRun.objects.select_for_update().get(pk=run.pk)
            if run.last_enqueued_at is not None and run.last_enqueued_at + job.every > now:
                continue
            result = job.task.enqueue(**job.kwargs)
            run.last_enqueued_at = now
            run.last_result_id = str(result.id)
            run.save(update_fields=["last_enqueued_at", "last_result_id"])
        enqueued.append((job.name, run.last_result_id))
    return enqueued
