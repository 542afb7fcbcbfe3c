"""Registration and waiting-list integrity of exchange meetings: a registration larger
than the meeting, re-registering after cancelling, places after a cancelled meeting,
and the report of a cancelled meeting."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from buurtbasis.exchange import services
from buurtbasis.exchange.models import Meeting, RegistrationStatus
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.models import Notification

from .helpers import two_towns
from .test_meetings import _initiative, _meeting, _register

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_dutch():
    with translation.override("nl"):
        yield


def test_a_registration_larger_than_the_meeting_is_refused_and_blocks_nobody():
    zwolle, _rotterdam = two_towns()
    big, person_big = _initiative(zwolle, "Buurtkoor")
    meeting = _meeting(zwolle, invited=[zwolle.initiative, big], places=4)
    with pytest.raises(services.ExchangeError, match="4 plaatsen"):
        _register(meeting, big, person_big, people=5)
    # it never waits at the head of the list, so later registrations that fit get in
    assert _register(meeting, zwolle.initiative, zwolle.initiator, people=2).status == (
        RegistrationStatus.REGISTERED
    )


def test_re_registering_after_cancelling_joins_the_back_of_the_waiting_list():
    zwolle, _rotterdam = two_towns()
    a, person_a = _initiative(zwolle, "Buurtkoor")
    b, person_b = _initiative(zwolle, "Speeltuin")
    meeting = _meeting(zwolle, invited=[zwolle.initiative, a, b], places=2)
    first = _register(meeting, zwolle.initiative, zwolle.initiator, people=2)
    early = _register(meeting, a, person_a, people=1)
    later = _register(meeting, b, person_b, people=2)
    assert early.status == later.status == RegistrationStatus.WAITING
    services.cancel_registration(registration=early, origin=Origin(actor=person_a))
    again = _register(meeting, a, person_a, people=1)
    assert again.status == RegistrationStatus.WAITING
    services.cancel_registration(registration=first, origin=Origin(actor=zwolle.initiator))
    later.refresh_from_db()
    again.refresh_from_db()
    # the one that waited longest gets the places, not the one that cancelled and came back
    assert later.status == RegistrationStatus.REGISTERED
    assert again.status == RegistrationStatus.WAITING


def test_no_place_is_promised_at_a_cancelled_meeting():
    zwolle, _rotterdam = two_towns()
    a, person_a = _initiative(zwolle, "Buurtkoor")
    meeting = _meeting(zwolle, invited=[zwolle.initiative, a], places=2)
    first = _register(meeting, zwolle.initiative, zwolle.initiator, people=2)
    waiting = _register(meeting, a, person_a, people=1)
    services.cancel_meeting(meeting=meeting, origin=Origin(actor=zwolle.worker))
    services.cancel_registration(registration=first, origin=Origin(actor=zwolle.initiator))
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.WAITING
    assert not Notification.objects.filter(
        recipient=person_a, kind="exchange.place_available"
    ).exists()


def test_a_cancelled_meeting_gets_no_report(client):
    zwolle, _rotterdam = two_towns()
    meeting = _meeting(zwolle, invited=[zwolle.initiative])
    services.cancel_meeting(meeting=meeting, origin=Origin(actor=zwolle.worker))
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=1)
    )
    meeting.refresh_from_db()
    with pytest.raises(services.ExchangeError, match="gaat niet door"):
        services.publish_report(
            meeting=meeting, shared="Veel.", lessons="Nog meer.", origin=Origin(actor=zwolle.worker)
        )
    meeting.refresh_from_db()
    assert meeting.report_published_at is None


def test_asking_for_more_places_than_are_free_keeps_the_registration_as_it_was():
    zwolle, _rotterdam = two_towns()
    a, person_a = _initiative(zwolle, "Buurtkoor")
    b, person_b = _initiative(zwolle, "Speeltuin")
    meeting = _meeting(zwolle, invited=[zwolle.initiative, a, b], places=4)
    first = _register(meeting, zwolle.initiative, zwolle.initiator, people=2)
    _register(meeting, a, person_a, people=2)
    with pytest.raises(services.ExchangeError, match="blijft"):
        _register(meeting, zwolle.initiative, zwolle.initiator, people=3)
    first.refresh_from_db()
    assert (first.status, first.people) == (RegistrationStatus.REGISTERED, 2)
    assert services.places_taken(meeting) == 4
    # fewer people frees places, as before
    assert _register(meeting, zwolle.initiative, zwolle.initiator, people=1).people == 1
    assert _register(meeting, b, person_b, people=1).status == RegistrationStatus.REGISTERED


def test_the_form_refuses_a_meeting_in_the_past(client):
    zwolle, _rotterdam = two_towns()
    client.force_login(zwolle.worker)
    start = (timezone.localtime() - datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("exchange:meeting_new"),
        {
            "organisation": zwolle.welfare.pk,
            "title": "Al geweest",
            "starts_at": start,
            "place": "Buurthuis",
            "max_places": "12",
            "invited": [zwolle.initiative.pk],
        },
    )
    assert response.status_code == 200
    assert "in het verleden" in response.content.decode()
    assert not Meeting.objects.exists()
    assert not Notification.objects.filter(kind="exchange.meeting_invitation").exists()


def test_a_meeting_that_took_place_cannot_be_cancelled_afterwards(client):
    zwolle, _rotterdam = two_towns()
    meeting = _meeting(zwolle, invited=[zwolle.initiative])
    _register(meeting, zwolle.initiative, zwolle.initiator)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3)
    )
    client.force_login(zwolle.worker)
    response = client.post(reverse("exchange:cancel", args=[meeting.pk]), follow=True)
    assert response.status_code == 200
    assert "al begonnen" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.cancelled_at is None
    assert not Notification.objects.filter(kind="exchange.meeting_cancelled").exists()
