"""notify(): the in-app row, e-mail after the commit through the queue, preferences,
the daily digest, the recipient's language, required kinds, addresses without an account."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.mail.backends import locmem
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from buurtbasis.platform import notifications
from buurtbasis.platform.models import (
    Delivery,
    Follow,
    Notification,
    NotificationPreference,
    OutgoingEmail,
)
from buurtbasis.platform.notifications import Address, notify
from buurtbasis.platform.testing import (
    clear_queue,
    deferred_jobs,
    make_deferred_jobs_due,
    run_queued_tasks,
    run_worker,
)

pytestmark = pytest.mark.django_db


def test_notify_adds_a_row_and_mails_once_after_the_commit(
    make_person, django_capture_on_commit_callbacks
):
    anna = make_person()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        row = notify(anna, "test.news", {"thing": "de speeltuin", "link": "/iets/"})
        assert mail.outbox == []  # nothing before the commit
    assert len(callbacks) == 1
    assert mail.outbox == []  # enqueued, not yet sent: that is the worker's job
    assert OutgoingEmail.objects.count() == 1
    assert len(run_queued_tasks()) == 1
    assert not OutgoingEmail.objects.exists()  # sent, so forgotten
    [message] = mail.outbox
    assert message.to == [anna.email]
    assert message.subject == "Meldingen: de speeltuin"
    assert "Body about de speeltuin: http://127.0.0.1:8000/iets/" in message.body
    assert message.alternatives[0][0] == "<p>Body about de speeltuin</p>"
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    row.refresh_from_db()
    assert (row.recipient, row.kind, row.title, row.text, row.link) == (
        anna,
        "test.news",
        "Meldingen: de speeltuin",
        "Line about de speeltuin",
        "/iets/",
    )
    assert row.read_at is None and not row.digest_pending


def test_nothing_is_kept_or_sent_when_the_transaction_rolls_back(
    make_person, django_capture_on_commit_callbacks
):
    anna = make_person()

    class Undo(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Undo),
        transaction.atomic(),
    ):
        notify(anna, "test.news", {"thing": "x"})
        raise Undo
    assert callbacks == []
    assert len(run_queued_tasks()) == 0
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_preference_off_keeps_the_row_but_sends_no_mail(
    make_person, django_capture_on_commit_callbacks
):
    anna = make_person()
    notifications.set_preferences(anna, {"test.news": Delivery.OFF})
    with django_capture_on_commit_callbacks(execute=True):
        notify(anna, "test.news", {"thing": "x"})
    assert len(run_queued_tasks()) == 0
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=anna).count() == 1


def test_a_required_kind_is_mailed_even_when_the_person_turned_it_off(
    make_person, django_capture_on_commit_callbacks
):
    anna = make_person()
    with pytest.raises(ValueError):
        notifications.set_preferences(anna, {"test.secret": Delivery.OFF})
    # even a row written behind the service's back does not stop it
    NotificationPreference.objects.create(user=anna, kind="test.secret", delivery=Delivery.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        row = notify(anna, "test.secret", {"link": "http://127.0.0.1:8000/geheim/abc/"})
    # the queue holds only the id of the mail, never the secret link
    from django_tasks_db.models import DBTaskResult

    [queued] = DBTaskResult.objects.all()
    assert "geheim" not in str(queued.args_kwargs)
    run_queued_tasks()
    assert row is None  # mail-only: a secret link is not stored in the list
    assert not Notification.objects.exists()
    assert not OutgoingEmail.objects.exists()
    [message] = mail.outbox
    assert message.body == "Your link: http://127.0.0.1:8000/geheim/abc/"


def test_the_digest_sends_one_mail_with_all_pending_items(
    make_person, django_capture_on_commit_callbacks
):
    anna, bert = make_person(), make_person()
    notifications.set_preferences(anna, {"test.news": Delivery.DIGEST})
    with django_capture_on_commit_callbacks(execute=True):
        for thing in ("de bank", "het bankje", "de boom"):
            notify(anna, "test.news", {"thing": thing, "link": f"/{len(thing)}/"})
        notify(bert, "test.digest_news", {"thing": "de vijver"})  # digest by default
    assert len(run_queued_tasks()) == 0  # nothing immediate
    assert Notification.objects.filter(digest_pending=True).count() == 4

    notifications.send_daily_digests.enqueue()
    run_queued_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([anna.email, bert.email])
    to_anna = next(m for m in mail.outbox if m.to == [anna.email])
    assert to_anna.subject == "Buurtbasis: 3 nieuwe meldingen"
    for thing in ("de bank", "het bankje", "de boom"):
        assert f"Meldingen: {thing}" in to_anna.body
    assert "http://127.0.0.1:8000/10/" in to_anna.body
    assert "http://127.0.0.1:8000/meldingen/voorkeuren/" in to_anna.body
    assert not Notification.objects.filter(digest_pending=True).exists()

    mail.outbox.clear()
    notifications.send_daily_digests.enqueue()
    run_queued_tasks()
    assert mail.outbox == []  # every item goes in one digest only


def test_the_digest_works_once_per_person_however_many_items_wait(make_person):
    """The default ordering made DISTINCT return one recipient per notification, so
    the digest went round once per item instead of once per person."""
    anna, bert = make_person(), make_person()
    for person in (anna, bert):
        notify(person, "test.digest_news", {"thing": "x"})

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert notifications.deliver_digests() == 2
        return len(context.captured_queries)

    few = queries()
    for person in (anna, bert):
        for n in range(12):
            notify(person, "test.digest_news", {"thing": f"item {n}"})
    assert queries() == few


def test_the_digest_leaves_out_kinds_turned_off_since(make_person):
    anna = make_person()
    notify(anna, "test.digest_news", {"thing": "x"})
    notifications.set_preferences(anna, {"test.digest_news": Delivery.OFF})
    assert notifications.deliver_digests() == 0
    assert not Notification.objects.filter(digest_pending=True).exists()
    assert Notification.objects.count() == 1  # still in the list


def test_mail_is_written_in_the_language_of_the_recipient(
    make_person, django_capture_on_commit_callbacks
):
    anna, bob = make_person("nl"), make_person("en")
    with django_capture_on_commit_callbacks(execute=True):
        notify(anna, "test.news", {"thing": "x"})
        notify(bob, "test.news", {"thing": "x"})
    run_queued_tasks()
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects == {anna.email: "Meldingen: x", bob.email: "Notifications: x"}
    assert Notification.objects.get(recipient=bob).title == "Notifications: x"


def test_a_person_without_a_stored_language_gets_the_site_language(make_person):
    carla = make_person(language=None)
    assert notifications.language_of(carla) == "nl"
    with override_settings(LANGUAGE_CODE="en"):
        assert notifications.language_of(carla) == "en"


def test_an_address_without_an_account_gets_mail_only_kinds_in_its_language(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(Address("nieuw@example.nl", "en"), "test.secret", {"link": "/uitnodiging/x/"})
        notify("ander@example.nl", "test.secret", {"link": "/uitnodiging/y/"})
    run_queued_tasks()
    assert {m.to[0]: m.subject for m in mail.outbox} == {
        "nieuw@example.nl": "Notifications (secret)",
        "ander@example.nl": "Meldingen (secret)",
    }
    with pytest.raises(ValueError):
        notify(Address("nieuw@example.nl"), "test.news", {"thing": "x"})


def test_a_deleted_account_hears_nothing(make_person, django_capture_on_commit_callbacks):
    anna = make_person(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(anna, "test.news", {"thing": "x"}) is None
    assert len(run_queued_tasks()) == 0
    assert not Notification.objects.exists()


def test_an_unknown_kind_is_an_error(make_person):
    with pytest.raises(notifications.UnknownKind):
        notify(make_person(), "test.nothing", {})


def test_links_to_other_sites_are_not_stored_in_the_list(make_person):
    anna = make_person()
    row = notify(anna, "test.news", {"thing": "x", "link": "https://elders.example/"})
    assert row.link == ""
    row = notify(anna, "test.news", {"thing": "x", "link": "//elders.example/"})
    assert row.link == ""
    row = notify(anna, "test.news", {"thing": "x", "link": "http://127.0.0.1:8000/a/b/"})
    assert row.link == "/a/b/"


def test_a_failing_mail_server_fails_the_task_instead_of_being_ignored(
    make_person, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # discard port: nothing listens
    settings.EMAIL_TIMEOUT = 2
    with django_capture_on_commit_callbacks(execute=True):
        notify(make_person(), "test.news", {"thing": "x"})
    with pytest.raises(AssertionError, match="send_email failed"):
        run_queued_tasks()
    # the queue keeps the mail and tries again later
    [(kwargs, _when)] = deferred_jobs()
    assert kwargs["_attempt"] == 2
    [mail_id] = kwargs["mail_ids"]
    assert OutgoingEmail.objects.get(pk=mail_id).subject == "Meldingen: x"


def test_the_daily_digest_is_a_scheduled_job():
    from buurtbasis.platform import schedule

    [job] = [j for j in schedule.registered() if j.name == "platform.daily_digests"]
    assert job.task is notifications.send_daily_digests
    assert job.at == datetime.time(7, 0)  # every day at seven, local time


def test_privacy_export_and_erase(make_person):
    anna = make_person("en")
    notifications.set_preferences(anna, {"test.news": Delivery.DIGEST})
    notify(anna, "test.news", {"thing": "x", "link": "/a/"})
    exported = notifications.export_person(anna)
    assert exported["language"] == "en"
    assert exported["preferences"] == {"test.news": "digest"}
    assert exported["notifications"][0]["title"] == "Notifications: x"
    assert notifications.erase_person(anna) == 3
    assert notifications.export_person(anna) == {
        "language": None,
        "preferences": {},
        "follows": [],
        "notifications": [],
    }


class RefusingBackend(locmem.EmailBackend):
    """The test mailbox, with a mail server that refuses the addresses in ``refused``."""

    refused: set[str] = set()

    def send_messages(self, messages):
        for message in messages:
            if set(message.to) & self.refused:
                raise OSError("mailbox unavailable")
        return super().send_messages(messages)


def test_a_batch_sends_what_it_can_and_retries_only_the_rest(
    make_person, settings, django_capture_on_commit_callbacks
):
    people = [make_person() for _ in range(3)]
    group = Group.objects.create(name="public-buurt")
    for person in people:
        notifications.follow(user=person, obj=group)
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    RefusingBackend.refused = {people[1].email}
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.notify_followers(group, "test.news", {"thing": "x"}) == 3
    [queued] = DBTaskResult.objects.all()
    assert len(queued.args_kwargs["kwargs"]["mail_ids"]) == 3  # one task for the batch
    with pytest.raises(AssertionError, match="mailbox unavailable"):
        run_queued_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([people[0].email, people[2].email])
    [left] = OutgoingEmail.objects.all()
    assert left.to == people[1].email
    RefusingBackend.refused = set()  # the server takes it now
    make_deferred_jobs_due()
    run_queued_tasks()
    assert len(mail.outbox) == 3 and not OutgoingEmail.objects.exists()


def test_notify_followers_costs_a_few_queries_whatever_their_number(make_person):
    group = Group.objects.create(name="public-buurt")

    def queries_for(followers: int) -> int:
        Follow.objects.all().delete()
        for _ in range(followers):
            notifications.follow(user=make_person(), obj=group)
        with CaptureQueriesContext(connection) as captured:
            assert notifications.notify_followers(group, "test.news", {"thing": "x"}) == followers
        return len(captured.captured_queries)

    assert queries_for(3) == queries_for(30)


@pytest.mark.tasks
def test_the_real_worker_sends_the_mail_on_either_backend(
    make_person, django_capture_on_commit_callbacks
):
    clear_queue()
    anna = make_person()
    with django_capture_on_commit_callbacks(execute=True):
        notify(anna, "test.news", {"thing": "de speeltuin"})
    assert mail.outbox == []
    run_worker()
    [message] = mail.outbox
    assert message.to == [anna.email] and message.subject == "Meldingen: de speeltuin"
    assert not OutgoingEmail.objects.exists()


def test_a_mail_whose_enqueue_failed_is_enqueued_by_the_sweep_and_sent_once(
    make_person, monkeypatch, django_capture_on_commit_callbacks
):
    """The queue is down at the commit: the change stays, nothing is raised, and the
    outbox row waits for the sweep instead of waiting for ever."""
    anna = make_person()
    clear_queue()

    class QueueDown:
        def enqueue(self, *args, **kwargs):
            raise ConnectionError("queue down")

    monkeypatch.setattr(notifications, "send_email", QueueDown())
    with django_capture_on_commit_callbacks(execute=True):
        notify(anna, "test.news", {"thing": "x"})
    [waiting] = OutgoingEmail.objects.all()
    assert waiting.enqueued_at is None
    monkeypatch.undo()

    assert notifications.sweep_outbox() == 0  # too young: its enqueue may still come
    later = waiting.created_at + notifications.SWEEP_AFTER + datetime.timedelta(seconds=1)
    assert notifications.sweep_outbox(now=later) == 1
    assert notifications.sweep_outbox(now=later) == 0  # enqueued once, never twice
    run_queued_tasks()
    assert [m.to for m in mail.outbox] == [[anna.email]]
    assert not OutgoingEmail.objects.exists()


def test_the_outbox_sweep_is_a_scheduled_job():
    from buurtbasis.platform import schedule

    assert "platform.sweep_outbox" in [job.name for job in schedule.registered()]


def test_quiet_tells_nobody_inside_the_block_and_everybody_after_it(
    make_person, django_capture_on_commit_callbacks
):
    anna = make_person()
    with django_capture_on_commit_callbacks(execute=True), notifications.quiet():
        assert notifications.is_quiet()
        assert notify(anna, "test.news", {"thing": "vorig jaar"}) is None
    assert not notifications.is_quiet()
    assert not Notification.objects.exists() and not OutgoingEmail.objects.exists()
    assert len(run_queued_tasks()) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(anna, "test.news", {"thing": "nu"}) is not None
    assert Notification.objects.filter(recipient=anna).count() == 1
    assert len(run_queued_tasks()) == 1


def test_a_follow_key_with_a_non_ascii_digit_is_not_followable(make_person):
    # "²" is a digit to str.isdigit(), not to int(): no ValueError, a plain "not followable"
    group = Group.objects.create(name="public-buurt")
    person = make_person()
    assert notifications.resolve_followable(f"auth.group:{group.pk}", person) == group
    with pytest.raises(notifications.NotFollowable):
        notifications.resolve_followable("auth.group:\u00b2", person)
