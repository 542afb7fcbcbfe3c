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
