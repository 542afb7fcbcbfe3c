"""Scheduled work: the registry, the run log and manage.py enqueue_scheduled."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from buurtbasis.platform import schedule
from buurtbasis.platform.models import ScheduledJobRun
from buurtbasis.platform.testing import clear_queue, run_worker
from buurtbasis.platform.tests.sample_tasks import CALLS, tick

pytestmark = pytest.mark.django_db
T0 = datetime.datetime(2026, 3, 2, 10, 0, 0, 700000, tzinfo=datetime.UTC)
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture(autouse=True)
def only_our_jobs(monkeypatch):
    """An empty registry for each test; the apps' own jobs come back afterwards."""
    monkeypatch.setattr(schedule, "_REGISTRY", {})
    CALLS.clear()
    clear_queue()
    yield
    CALLS.clear()


def test_a_job_is_enqueued_once_per_interval():
    schedule.register("test.tick", tick, every=5 * MINUTE, kwargs={"label": "a"})

    assert [name for name, _ in schedule.enqueue_due(T0)] == ["test.tick"]
    assert schedule.enqueue_due(T0 + MINUTE) == []
    assert schedule.enqueue_due(T0 + 4 * MINUTE) == []
    # cron starts the next run a little earlier in its minute than the first: still due
    early = T0 + 5 * MINUTE - datetime.timedelta(seconds=0.6)
    assert [name for name, _ in schedule.enqueue_due(early)] == ["test.tick"]
    run = ScheduledJobRun.objects.get(name="test.tick")
    assert run.last_enqueued_at == datetime.datetime(2026, 3, 2, 10, 5, tzinfo=datetime.UTC)
    assert tick.get_result(run.last_result_id).kwargs == {"label": "a"}


def test_only_due_jobs_are_enqueued():
    schedule.register("test.often", tick, every=MINUTE, kwargs={"label": "often"})
    schedule.register("test.daily", tick, every=datetime.timedelta(days=1), kwargs={"label": "d"})
    schedule.enqueue_due(T0)
    assert [job.name for job in schedule.due_jobs(T0 + 2 * MINUTE)] == ["test.often"]
    assert [name for name, _ in schedule.enqueue_due(T0 + 2 * MINUTE)] == ["test.often"]


@pytest.mark.tasks
def test_the_command_only_enqueues_and_a_worker_runs_the_job():
    schedule.register("test.tick", tick, every=5 * MINUTE, kwargs={"label": "cron"})
    out = StringIO()
    call_command("enqueue_scheduled", stdout=out)
    assert "test.tick: enqueued" in out.getvalue()
    assert CALLS == []  # nothing ran in the command itself

    run_worker()
    assert CALLS == [("tick", {"label": "cron"})]

    out = StringIO()
    call_command("enqueue_scheduled", stdout=out)
    assert "Nothing due." in out.getvalue()


def test_the_command_lists_the_jobs():
    schedule.register("test.tick", tick, every=5 * MINUTE)
    out = StringIO()
    call_command("enqueue_scheduled", "--list", stdout=out)
    assert "test.tick  every 0:05:00  last enqueued: never" in out.getvalue()


def test_register_refuses_what_is_no_task_and_too_short_an_interval():
    with pytest.raises(ImproperlyConfigured, match="is not a task"):
        schedule.register("test.plain", print, every=MINUTE)
    with pytest.raises(ImproperlyConfigured, match="a minute or more"):
        schedule.register("test.fast", tick, every=datetime.timedelta(seconds=10))


def test_registering_the_same_name_again_replaces_the_job():
    schedule.register("test.tick", tick, every=MINUTE)
    schedule.register("test.tick", tick, every=2 * MINUTE)
    assert [(job.name, job.every) for job in schedule.registered()] == [("test.tick", 2 * MINUTE)]


def test_the_command_is_quiet_with_verbosity_zero_for_cron():
    schedule.register("test.tick", tick, every=5 * MINUTE)
    out = StringIO()
    call_command("enqueue_scheduled", verbosity=0, stdout=out)
    assert out.getvalue() == ""
    assert ScheduledJobRun.objects.get(name="test.tick").last_result_id


def _utc(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=datetime.UTC)


def test_a_daily_job_runs_once_a_day_from_its_local_time_on(settings):
    settings.TIME_ZONE = "Europe/Amsterdam"  # 07:00 there is 06:00 UTC in December
    schedule.register("test.digest", tick, at=datetime.time(7, 0))

    assert schedule.enqueue_due(_utc(4, 5, 59)) == []  # never run, but not yet 07:00
    assert [name for name, _ in schedule.enqueue_due(_utc(4, 6, 0))] == ["test.digest"]
    assert schedule.enqueue_due(_utc(4, 6, 5)) == []
    assert schedule.enqueue_due(_utc(4, 23, 0)) == []
    assert schedule.enqueue_due(_utc(5, 5, 59)) == []
    assert [name for name, _ in schedule.enqueue_due(_utc(5, 6, 3))] == ["test.digest"]
    # three days without a run (the timer was off): one digest, not three
    assert [name for name, _ in schedule.enqueue_due(_utc(8, 12, 0))] == ["test.digest"]
    assert schedule.enqueue_due(_utc(8, 12, 5)) == []


def test_a_job_needs_either_an_interval_or_a_time_of_day():
    with pytest.raises(ImproperlyConfigured, match="either every or at"):
        schedule.register("test.none", tick)
    with pytest.raises(ImproperlyConfigured, match="either every or at"):
        schedule.register("test.both", tick, every=MINUTE, at=datetime.time(7, 0))


def test_a_job_that_cannot_be_enqueued_stays_due_and_the_others_still_go():
    from django.core.management.base import CommandError

    schedule.register("test.broken", tick, every=MINUTE, kwargs={"label": object()})
    schedule.register("test.tick", tick, every=MINUTE, kwargs={"label": "ok"})

    with pytest.raises(schedule.ScheduleError, match="could not enqueue test.broken"):
        schedule.enqueue_due(T0)
    assert ScheduledJobRun.objects.get(name="test.tick").last_result_id
    assert (
        not ScheduledJobRun.objects.filter(name="test.broken").exclude(last_result_id="").exists()
    )
    assert [job.name for job in schedule.due_jobs(T0)] == ["test.broken"]
    with pytest.raises(CommandError, match="test.broken"):
        call_command("enqueue_scheduled", stdout=StringIO())
