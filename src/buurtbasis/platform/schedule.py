"""Scheduled work: a registry of tasks to enqueue every so often, and one command.

Apps register their periodic tasks in ``AppConfig.ready``::

    from datetime import time, timedelta

    from buurtbasis.platform import schedule

    schedule.register("budgets.advance_phases", advance_phases, every=timedelta(minutes=5))
    schedule.register("notifications.daily_digest", send_digests, at=time(7, 0))

Cron or a systemd timer runs ``manage.py enqueue_scheduled`` every few minutes.
It only enqueues (the workers do the work) and remembers per job when it last
enqueued it, so each job is enqueued once per ``every`` (or once a day, at the
first run from ``at`` on), however often the command runs. Times are counted in
whole minutes (the command's start time is rounded down to the minute), so a job
due every five minutes still runs every five minutes when cron starts the
command a second late.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django_tasks.base import Task

__all__ = ["ScheduleError", "ScheduledJob", "due_jobs", "enqueue_due", "register", "registered"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScheduledJob:
    """A task enqueued every ``every``, or daily at the local time ``at``."""

    name: str
    task: Task
    every: datetime.timedelta | None = None
    at: datetime.time | None = None
    kwargs: dict = field(default_factory=dict)

    def is_due(self, last: datetime.datetime | None, now: datetime.datetime) -> bool:
        """Whether the job is due at ``now`` when it was last enqueued at ``last``."""
        if self.every is not None:
            return last is None or last + self.every <= now
        local_now = timezone.localtime(now)
        slot = timezone.make_aware(
            datetime.datetime.combine(local_now.date(), self.at), local_now.tzinfo
        )
        if slot > local_now:
            if last is None:
                return False  # never run: wait for today's time instead of running now
            slot -= datetime.timedelta(days=1)
        return last is None or last < slot


class ScheduleError(Exception):
    """Some due jobs could not be enqueued (the others were)."""


_REGISTRY: dict[str, ScheduledJob] = {}


def register(
    name: str,
    task: Task,
    *,
    every: datetime.timedelta | None = None,
    at: datetime.time | None = None,
    kwargs: dict | None = None,
) -> ScheduledJob:
    """Enqueue ``task`` (with these JSON keyword arguments) once every ``every``, or
    once a day at the local time ``at`` (e.g. ``datetime.time(7, 0)`` for a morning digest).

    ``name`` identifies the job in the run log (use ``"app.what"``); registering the
    same name again replaces the job, so a reloaded app config does no harm.
    """
    if not isinstance(task, Task):
        raise ImproperlyConfigured(f"scheduled job {name!r}: {task!r} is not a task")
    if (every is None) == (at is None):
        raise ImproperlyConfigured(f"scheduled job {name!r}: give either every or at")
    if every is not None and every < datetime.timedelta(minutes=1):
        raise ImproperlyConfigured(f"scheduled job {name!r}: every must be a minute or more")
    job = ScheduledJob(name=name, task=task, every=every, at=at, kwargs=dict(kwargs or {}))
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
    return [job for job in registered() if job.is_due(last.get(job.name), now)]


def enqueue_due(now: datetime.datetime | None = None) -> list[tuple[str, str]]:
    """Enqueue every job that is due; returns ``(name, task result id)`` per job enqueued.

    Safe to run concurrently: each job's run-log row is locked while it is checked
    and updated, so two overlapping runs enqueue a job once. A job that cannot be
    enqueued (the queue is down) stays due; the others are still enqueued, then
    :class:`ScheduleError` names the ones that failed.
    """
    from buurtbasis.platform.models import ScheduledJobRun

    now = _minute(now or timezone.now())
    enqueued, failed = [], []
    for job in registered():
        try:
            with transaction.atomic():
                run, _ = ScheduledJobRun.objects.get_or_create(name=job.name)
                run = ScheduledJobRun.objects.select_for_update().get(pk=run.pk)
                if not job.is_due(run.last_enqueued_at, now):
                    continue
                result = job.task.enqueue(**job.kwargs)
                run.last_enqueued_at = now
                run.last_result_id = str(result.id)
                run.save(update_fields=["last_enqueued_at", "last_result_id"])
        except Exception:
            logger.exception("Could not enqueue the scheduled job %s", job.name)
            failed.append(job.name)
            continue
        enqueued.append((job.name, run.last_result_id))
    if failed:
        raise ScheduleError(
            f"could not enqueue {', '.join(failed)}"
            f" (enqueued: {', '.join(name for name, _ in enqueued) or 'none'})"
        )
    return enqueued
