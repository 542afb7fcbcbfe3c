"""Retention: the names typed in registrations go some days after the meeting, and
conversations go after they closed or had no new message for a long time. Both run as
scheduled jobs."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from buurtbasis.exchange import services
from buurtbasis.exchange.models import Meeting, Message, Registration, Thread
from buurtbasis.platform import schedule
from buurtbasis.platform.audit import Origin

from .helpers import opt_in, two_towns

pytestmark = pytest.mark.django_db


def _job(name):
    jobs = {job.name: job for job in schedule.registered()}
    assert name in jobs, f"{name} is not a scheduled job"
    return jobs[name].task


def _registration(town, *, ended_days_ago):
    meeting = services.create_meeting(
        organisation=town.welfare,
        municipality_code=town.code,
        title=f"Bijeenkomst {ended_days_ago}",
        description="",
        themes=[],
        starts_at=timezone.now() + datetime.timedelta(days=1),
        ends_at=timezone.now() + datetime.timedelta(days=1, hours=2),
        place="Buurthuis De Kern",
        online_link="",
        max_places=10,
        open_to_all=True,
        invited=[],
        origin=Origin(actor=town.worker),
    )
    registration = services.register(
        meeting=meeting,
        initiative=town.initiative,
        people=2,
        names="Anna de Vries, Bram Jansen",
        origin=Origin(actor=town.initiator),
    )
    ended = timezone.now() - datetime.timedelta(days=ended_days_ago)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=ended - datetime.timedelta(hours=2), ends_at=ended
    )
    return registration


def test_names_in_registrations_are_removed_days_after_the_meeting(settings):
    settings.EXCHANGE_REGISTRATION_NAMES_DAYS = 30
    zwolle, _rotterdam = two_towns()
    old = _registration(zwolle, ended_days_ago=31)
    recent = _registration(zwolle, ended_days_ago=29)
    assert _job("exchange.remove_registration_names").call() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.names == "" and old.people == 2  # the registration itself stays
    assert recent.names == "Anna de Vries, Bram Jansen"
    assert Registration.objects.count() == 2


def _thread(zwolle, rotterdam, subject):
    cache.clear()  # the rate limit of questions to one initiative
    return services.ask_question(
        initiative=rotterdam.initiative,
        subject=subject,
        text="Hoe vinden jullie vrijwilligers?",
        origin=Origin(actor=zwolle.initiator),
    )


def test_old_conversations_are_deleted(settings):
    settings.EXCHANGE_THREAD_RETENTION_DAYS = 730
    zwolle, rotterdam = two_towns()
    opt_in(rotterdam.initiative)
    long_ago = timezone.now() - datetime.timedelta(days=731)
    lately = timezone.now() - datetime.timedelta(days=700)
    quiet = _thread(zwolle, rotterdam, "Stil")
    closed = _thread(zwolle, rotterdam, "Gesloten")
    closed_lately = _thread(zwolle, rotterdam, "Pas gesloten")
    active = _thread(zwolle, rotterdam, "Actief")
    Thread.objects.filter(pk=quiet.pk).update(last_message_at=long_ago)
    Thread.objects.filter(pk=closed.pk).update(
        status="closed", closed_at=long_ago, last_message_at=long_ago
    )
    Thread.objects.filter(pk=closed_lately.pk).update(
        status="closed", closed_at=lately, last_message_at=long_ago
    )
    Thread.objects.filter(pk=active.pk).update(last_message_at=lately)

    # closed long ago, or no new message for long (also when closed lately): deleted
    assert _job("exchange.delete_old_threads").call() == 3
    assert list(Thread.objects.values_list("subject", flat=True)) == ["Actief"]
    assert not Message.objects.exclude(thread=active).exists()
    assert _job("exchange.delete_old_threads").call() == 0
