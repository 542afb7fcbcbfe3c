"""Requests, answers and cancellations through the services: the reasons for refusing,
no overlap, notifications to the other side, the audit trail."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from buurtbasis.platform.audit import Origin
from buurtbasis.platform.models import AuditEvent, Notification
from buurtbasis.rooms import services
from buurtbasis.rooms.models import Blackout, Booking, BookingStatus

from .helpers import accept, next_weekday, request, town

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dutch(settings):
    settings.LANGUAGE_CODE = "nl"


def refused(code, fn, *args, **kwargs):
    with pytest.raises(services.RoomError) as info:
        fn(*args, **kwargs)
    assert info.value.code == code, str(info.value)
    return str(info.value)


def test_a_request_waits_and_tells_the_partner_contact():
    t = town()
    [booking] = request(t)
    assert booking.status == BookingStatus.REQUESTED
    assert booking.requested_by == t.initiator
    note = Notification.objects.get(recipient=t.contact)
    assert note.kind == "rooms.booking_requested"
    assert "Taalcafé Zwolle" in note.text and note.link.endswith(booking.get_absolute_url())
    # the community worker of another organisation hears nothing
    assert not Notification.objects.filter(recipient=t.worker).exists()
    assert AuditEvent.objects.filter(action="rooms.booking_requested").count() == 1


def test_a_weekly_request_makes_one_booking_per_week_in_local_time():
    t = town()
    bookings = request(t, weeks=4)
    assert len(bookings) == 4 and len({b.series for b in bookings}) == 1
    from django.utils import timezone

    local = [timezone.localtime(b.starts_at) for b in bookings]
    assert {(x.hour, x.minute, x.weekday()) for x in local} == {(19, 0, 1)}
    assert [(b - a).days for a, b in zip(local, local[1:], strict=False)] == [7, 7, 7]


def test_refused_with_a_clear_reason_outside_availability():
    t = town()
    message = refused("availability", request, t, start=(7, 0), end=(9, 30))
    assert "09:00–22:00" in message
    t.room.windows.filter(weekday=1).delete()
    assert "niet te boeken op dinsdag" in refused("availability", request, t)


def test_refused_over_capacity_on_a_closed_date_and_in_the_past():
    t = town()
    assert "40" in refused("capacity", request, t, people=41)
    day = next_weekday()
    Blackout.objects.create(room=t.room, date=day, reason="Vakantie")
    refused("closed", request, t, day=day)
    refused("past", request, t, day=dt.date.today() - dt.timedelta(days=1))
    refused("times", request, t, day=next_weekday(weeks=2), start=(20, 0), end=(19, 0))
    refused("weeks", request, t, day=next_weekday(weeks=2), weeks=13)
    # a closed date in the third week refuses the whole series
    refused("closed", request, t, day=day - dt.timedelta(weeks=1), weeks=3)
    assert not Booking.objects.exists()


def test_refused_when_it_overlaps_an_accepted_booking():
    t = town()
    [first] = request(t)
    accept(t, first)
    message = refused("overlap", request, t, start=(20, 30), end=(22, 0))
    assert "al geboekt" in message
    # touching is not overlapping
    [later] = request(t, start=(21, 0), end=(22, 0))
    assert later.status == BookingStatus.REQUESTED


def test_accepting_a_request_that_now_overlaps_is_refused():
    t = town()
    [a] = request(t)
    [b] = request(t, start=(20, 0), end=(21, 30), title="Bingo")
    accept(t, a)
    refused("overlap", accept, t, b)
    b.refresh_from_db()
    assert b.status == BookingStatus.REQUESTED
    # declining it still works and needs a reason
    refused("reason", services.decide, booking=b, accept=False, origin=Origin(actor=t.contact))
    services.decide(
        booking=b, accept=False, reason="Dan is de aula bezet.", origin=Origin(actor=t.contact)
    )
    b.refresh_from_db()
    assert b.status == BookingStatus.DECLINED and b.decline_reason == "Dan is de aula bezet."


def test_accepting_answers_the_whole_series_and_tells_the_initiators():
    t = town()
    bookings = request(t, weeks=3)
    accepted = accept(t, bookings[1])
    assert len(accepted) == 3
    assert set(Booking.objects.values_list("status", flat=True)) == {BookingStatus.ACCEPTED}
    note = Notification.objects.get(recipient=t.initiator, kind="rooms.booking_accepted")
    assert "Aula Zwolle" in note.text
    event = AuditEvent.objects.get(action="rooms.booking_accepted")
    assert event.actor == t.contact and event.details["dates"] == 3
    refused("state", accept, t, bookings[0])


def test_only_the_partner_answers():
    t = town()
    [booking] = request(t)
    for person in (t.initiator, t.worker, t.civil_servant, t.care_contact, t.resident):
        refused(
            "forbidden", services.decide, booking=booking, accept=True, origin=Origin(actor=person)
        )


def test_a_community_centre_of_a_welzijnsorganisatie_is_managed_by_its_community_workers():
    t = town()
    [booking] = request(t, room=t.centre)
    assert Notification.objects.filter(recipient=t.worker).exists()
    accept(t, booking, by=t.worker)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ACCEPTED
    # but a school's partner contact does not manage the centre
    [other] = request(t, room=t.centre, day=next_weekday(weeks=2))
    refused("forbidden", accept, t, other, by=t.contact)


def test_cancel_by_either_side_tells_the_other():
    t = town()
    a, b = request(t, weeks=2)
    accept(t, a)
    Notification.objects.all().delete()
    services.cancel(booking=a, reason="Ziek", origin=Origin(actor=t.initiator))
    assert Notification.objects.filter(recipient=t.contact, kind="rooms.booking_cancelled").exists()
    assert not Notification.objects.filter(recipient=t.initiator).exists()
    services.cancel(booking=b, reason="Lekkage", origin=Origin(actor=t.contact))
    assert Notification.objects.filter(
        recipient=t.initiator, kind="rooms.booking_cancelled"
    ).exists()
    assert set(Booking.objects.values_list("status", flat=True)) == {BookingStatus.CANCELLED}
    refused("state", services.cancel, booking=a, origin=Origin(actor=t.initiator))
    refused("forbidden", services.cancel, booking=a, origin=Origin(actor=t.resident))
    assert AuditEvent.objects.filter(action="rooms.booking_cancelled").count() == 2


def test_a_cancelled_slot_is_free_again():
    t = town()
    [a] = request(t)
    accept(t, a)
    services.cancel(booking=a, origin=Origin(actor=t.contact))
    [b] = request(t)
    accept(t, b)
    assert Booking.objects.filter(status=BookingStatus.ACCEPTED).count() == 1


def test_only_initiators_of_an_open_initiative_of_the_municipality_request():
    t = town()
    other = town("GM0599", "Rotterdam")
    # a resident who is not an initiator, and an initiator of Rotterdam for a Zwolle room
    refused("forbidden", request, t, by=t.resident)
    refused(
        "forbidden",
        services.request_booking,
        room=t.room,
        initiative=other.initiative,
        title="x",
        expected_people=3,
        day=next_weekday(),
        start=dt.time(19),
        end=dt.time(20),
        origin=Origin(actor=other.initiator),
    )
    t.initiative.status = "ended"
    t.initiative.save()
    refused("forbidden", request, t)


def test_requests_are_rate_limited(settings):
    settings.RATELIMIT_ENABLED = True
    from django.core.cache import cache

    cache.clear()
    t = town()
    for n in range(services.REQUEST_LIMIT):
        request(t, day=next_weekday(weeks=1 + n))
    refused("rate", request, t, day=next_weekday(weeks=30))
    cache.clear()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite path")
def test_on_sqlite_accepting_takes_the_write_lock_before_it_reads():
    t = town()
    [booking] = request(t)
    with CaptureQueriesContext(connection) as queries:
        accept(t, booking)
    sql = [q["sql"] for q in queries.captured_queries]
    first_room_write = next(i for i, s in enumerate(sql) if s.startswith('UPDATE "rooms_room"'))
    first_booking_read = next(
        i for i, s in enumerate(sql) if s.startswith("SELECT") and '"rooms_booking"' in s
    )
    assert first_room_write < first_booking_read
