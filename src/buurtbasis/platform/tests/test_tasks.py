"""Background tasks: retries with backoff, failures kept for admins, re-enqueueing.

The tests marked ``tasks`` run on the configured backend: the database in the
ordinary runs, RQ on a throwaway Redis under ``scripts/with_redis.py``
(``TASKS_BACKEND=rq``). A real worker runs the jobs in-process: the database
backend's ``db_worker`` loop, or RQ's burst ``SimpleWorker``.
"""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus

from buurtbasis.platform.models import FailedTask
from buurtbasis.platform.tasks import ATTEMPT_KWARG, background, enqueue_on_commit, requeue_failed
from buurtbasis.platform.testing import (
    clear_queue,
    deferred_jobs,
    make_deferred_jobs_due,
    on_rq,
    run_worker,
)
from buurtbasis.platform.tests import sample_tasks
from buurtbasis.platform.tests.sample_tasks import CALLS, always_fails, flaky, with_context

ON_RQ = on_rq()


@pytest.fixture(autouse=True)
def _clean_queue():
    CALLS.clear()
    clear_queue()
    yield
    CALLS.clear()


pytestmark = pytest.mark.django_db


@pytest.mark.tasks
def test_a_failed_task_is_retried_after_its_backoff_with_the_same_arguments():
    first = flaky.enqueue(key="a", failures=1)
    started = timezone.now()

    run_worker()

    first.refresh()
    assert first.status == TaskResultStatus.FAILED
    assert first.errors[-1].exception_class_path == "builtins.RuntimeError"
    assert "flaky a failed on purpose" in first.errors[-1].traceback
    [(kwargs, run_after)] = deferred_jobs()
    assert kwargs == {"key": "a", "failures": 1, ATTEMPT_KWARG: 2}
    # backoff=30: the second attempt waits 30 seconds.
    assert started + datetime.timedelta(seconds=25) < run_after
    assert run_after < timezone.now() + datetime.timedelta(seconds=35)

    run_worker()  # not due yet: nothing runs
    assert len(CALLS) == 1

    make_deferred_jobs_due()
    run_worker()

    assert CALLS == [("flaky", {"key": "a", "failures": 1})] * 2
    assert deferred_jobs() == []
    assert not FailedTask.objects.exists()


@pytest.mark.tasks
def test_a_task_that_uses_up_its_attempts_is_kept_with_its_arguments_and_error():
    result = always_fails.enqueue(item_id=7, note="fietsenstalling")

    run_worker()  # retries=1, backoff=0: both attempts run now

    assert CALLS == [("always_fails", {"item_id": 7, "note": "fietsenstalling"})] * 2
    result.refresh()
    assert result.status == TaskResultStatus.FAILED
    failed = FailedTask.objects.get()
    assert failed.task_path == "buurtbasis.platform.tests.sample_tasks.always_fails"
    assert failed.args_kwargs == {"args": [], "kwargs": {"item_id": 7, "note": "fietsenstalling"}}
    assert failed.attempts == 2
    assert failed.exception_class_path == "builtins.ValueError"
    assert failed.message == "item 7 cannot be handled"
    assert "ValueError: item 7 cannot be handled" in failed.traceback


@pytest.mark.tasks
def test_an_admin_sees_the_failure_and_enqueues_it_again(admin_client):
    always_fails.enqueue(item_id=8)
    run_worker()
    failed = FailedTask.objects.get()

    changelist = reverse("admin:platform_failedtask_changelist")
    page = admin_client.get(changelist)
    assert page.status_code == 200
    assert "item 8 cannot be handled" in page.content.decode()
    detail = admin_client.get(reverse("admin:platform_failedtask_change", args=[failed.pk]))
    assert "ValueError: item 8 cannot be handled" in detail.content.decode()

    response = admin_client.post(
        changelist, {"action": "enqueue_again", "_selected_action": [failed.pk]}, follow=True
    )
    assert response.status_code == 200
    failed.refresh_from_db()
    assert failed.requeued_at is not None
    assert failed.requeued_by.is_superuser
    new = always_fails.get_result(failed.requeued_result_id)
    assert new.kwargs == {"item_id": 8}  # no attempt number: a fresh set of attempts

    CALLS.clear()
    run_worker()
    assert len(CALLS) == 2
    assert FailedTask.objects.filter(requeued_at__isnull=True).count() == 1


@pytest.mark.tasks
def test_a_task_that_takes_its_context_gets_it_without_the_attempt_argument():
    result = with_context.enqueue(value=21)
    run_worker()
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 42
    assert CALLS == [("with_context", {"value": 21, "attempt": 1})]


def test_a_failed_task_is_enqueued_again_only_once():
    failed = FailedTask.objects.create(
        task_path="buurtbasis.platform.tests.sample_tasks.always_fails",
        args_kwargs={"args": [], "kwargs": {"item_id": 3}},
        attempts=2,
        exception_class_path="builtins.ValueError",
    )
    stale = FailedTask.objects.get(pk=failed.pk)  # a second admin's copy of the row
    requeue_failed(failed)
    with pytest.raises(ValueError, match="enqueued again already"):
        requeue_failed(failed)
    # The same row loaded before the first requeue (a double submit, two admins at once)
    # must not enqueue it a second time either.
    with pytest.raises(ValueError, match="enqueued again already"):
        requeue_failed(stale)
    assert deferred_or_ready_count("always_fails") == 1


@pytest.mark.parametrize(
    "path", ["buurtbasis.platform.tests.sample_tasks.gone", "buurtbasis.platform.tasks.retry_delay"]
)
def test_a_path_that_is_no_task_is_not_enqueued(path):
    failed = FailedTask.objects.create(
        task_path=path,
        args_kwargs={"args": [], "kwargs": {}},
        attempts=1,
        exception_class_path="builtins.ValueError",
    )
    with pytest.raises(ValueError):
        requeue_failed(failed)
    failed.refresh_from_db()
    assert failed.requeued_at is None


def test_staff_without_the_permission_cannot_enqueue_again(client, django_user_model):
    from django.contrib.auth.models import Permission

    staff = django_user_model.objects.create_user(email="staff@example.org", password="x" * 12)
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(Permission.objects.get(codename="view_failedtask"))
    client.force_login(staff)
    failed = FailedTask.objects.create(
        task_path="buurtbasis.platform.tests.sample_tasks.always_fails",
        args_kwargs={"args": [], "kwargs": {"item_id": 4}},
        attempts=2,
        exception_class_path="builtins.ValueError",
    )
    changelist = reverse("admin:platform_failedtask_changelist")
    assert client.get(changelist).status_code == 200
    client.post(changelist, {"action": "enqueue_again", "_selected_action": [failed.pk]})
    failed.refresh_from_db()
    assert failed.requeued_at is None


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
)
def test_the_immediate_backend_retries_at_once():
    result = flaky.enqueue(key="b", failures=2)
    # The first attempt failed; its retries ran inline, the last one succeeded.
    assert result.status == TaskResultStatus.FAILED
    assert len(CALLS) == 3
    assert not FailedTask.objects.exists()


def test_enqueue_on_commit_waits_for_the_commit(django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    with (
        override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        enqueue_on_commit(always_fails, item_id=5)
        assert not DBTaskResult.objects.exists()
    assert len(callbacks) == 1
    assert DBTaskResult.objects.get().args_kwargs["kwargs"] == {"item_id": 5}


def test_the_decorator_refuses_negative_retries():
    with pytest.raises(ValueError, match="retries"):
        background(retries=-1)
    with pytest.raises(ValueError, match="backoff"):
        background(backoff=-1)


def test_sample_tasks_module_is_importable_by_path():
    assert sample_tasks.flaky.module_path == "buurtbasis.platform.tests.sample_tasks.flaky"


@pytest.mark.tasks
@pytest.mark.skipif(not ON_RQ, reason="only with TASKS_BACKEND=rq")
def test_on_rq_staff_see_the_queue_pages(admin_client, client):
    always_fails.enqueue(item_id=9)
    run_worker()
    page = admin_client.get("/beheer/rq/")
    assert page.status_code == 200
    assert "default" in page.content.decode()
    assert client.get("/beheer/rq/").status_code == 302  # to the log-in page


@pytest.mark.tasks
@pytest.mark.skipif(not ON_RQ, reason="only with TASKS_BACKEND=rq")
def test_on_rq_a_worker_stops_within_seconds_not_a_minute():
    import time

    with_context.enqueue(value=1)
    started = time.monotonic()
    run_worker()  # RQ's own worker class takes 60 s to stop here
    assert time.monotonic() - started < 20
    assert CALLS == [("with_context", {"value": 1, "attempt": 1})]


def test_old_task_records_are_pruned_and_recent_ones_kept(settings):
    from django_tasks_db.models import DBTaskResult, get_date_max

    from buurtbasis.platform import schedule
    from buurtbasis.platform.tasks import prune_task_records

    settings.TASKS_RESULT_RETENTION_DAYS = 30
    settings.TASKS_FAILED_RETENTION_DAYS = 90
    now = timezone.now()

    def result(status, finished_days_ago):
        row = DBTaskResult.objects.create(
            args_kwargs={"args": [], "kwargs": {"email": "bewoner@example.org"}},
            task_path="buurtbasis.platform.tests.sample_tasks.tick",
            backend_name="default",
            run_after=get_date_max(),
            status=status,
            finished_at=now - datetime.timedelta(days=finished_days_ago),
        )
        return row.pk

    old_done = result(TaskResultStatus.SUCCESSFUL, 31)
    old_failed = result(TaskResultStatus.FAILED, 31)
    recent = result(TaskResultStatus.SUCCESSFUL, 29)
    waiting = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="buurtbasis.platform.tests.sample_tasks.tick",
        backend_name="default",
        run_after=get_date_max(),
    ).pk

    def failure(days_ago):
        row = FailedTask.objects.create(
            task_path="buurtbasis.platform.tests.sample_tasks.always_fails",
            args_kwargs={"args": [], "kwargs": {"item_id": days_ago}},
            attempts=2,
            exception_class_path="builtins.ValueError",
        )
        FailedTask.objects.filter(pk=row.pk).update(
            failed_at=now - datetime.timedelta(days=days_ago)
        )
        return row.pk

    failure(91)
    recent_failure = failure(89)

    assert prune_task_records.call() == {
        "task_results": 2,
        "failed_tasks": 1,
        "unsent_mails": 0,
    }

    remaining = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert old_done not in remaining and old_failed not in remaining
    assert {recent, waiting} <= remaining
    assert set(FailedTask.objects.values_list("pk", flat=True)) == {recent_failure}
    assert "platform.prune_task_records" in [job.name for job in schedule.registered()]


def deferred_or_ready_count(task_name: str) -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path__endswith=f".{task_name}", status=TaskResultStatus.READY
    ).count()


def test_unsent_outbox_mails_go_with_the_failed_tasks(settings):
    """A mail that never went out may hold a reset link: it is not kept forever."""
    from buurtbasis.platform.models import OutgoingEmail
    from buurtbasis.platform.tasks import prune_task_records

    settings.TASKS_FAILED_RETENTION_DAYS = 90
    old = OutgoingEmail.objects.create(to="a@example.org", subject="s", text="t")
    recent = OutgoingEmail.objects.create(to="b@example.org", subject="s", text="t")
    OutgoingEmail.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=91)
    )
    assert prune_task_records.call()["unsent_mails"] == 1
    assert list(OutgoingEmail.objects.values_list("pk", flat=True)) == [recent.pk]
