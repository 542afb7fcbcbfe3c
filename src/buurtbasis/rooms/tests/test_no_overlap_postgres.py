"""Accepted bookings never overlap, also when two partner contacts accept at the same moment
and when a write bypasses the services (PostgreSQL: the exclusion constraint).

PostgreSQL only: run with ``scripts/with_postgres.py``. Each thread has its own
connection; a barrier starts them together.
"""

import datetime as dt
import threading
from functools import partial

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.organisations.models import Role
from buurtbasis.platform.audit import Origin
from buurtbasis.rooms import services
from buurtbasis.rooms.models import Booking, BookingStatus

from .helpers import next_weekday, request, town

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the constraint and row locks need PostgreSQL"
    ),
]

ROUNDS = 3


def _race(*targets):
    barrier = threading.Barrier(len(targets))
    results: list = [None] * len(targets)
    errors: list = [None] * len(targets)

    def run(i, target):
        try:
            barrier.wait()
            results[i] = target()
        except BaseException as exc:  # noqa: BLE001 - checked by the caller
            errors[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_two_overlapping_requests_accepted_at_once_one_wins():
    t = town()
    second_contact = UserFactory(roles=[(Role.PARTNER_CONTACT, t.school)])
    for n in range(ROUNDS):
        day = next_weekday(weeks=1 + n)
        [a] = request(t, day=day, start=(19, 0), end=(21, 0), title="A")
        [b] = request(t, day=day, start=(20, 0), end=(22, 0), title="B")
        results, errors = _race(
            partial(services.decide, booking=a, accept=True, origin=Origin(actor=t.contact)),
            partial(services.decide, booking=b, accept=True, origin=Origin(actor=second_contact)),
        )
        assert sum(r is not None for r in results) == 1, errors
        [refused] = [e for e in errors if e is not None]
        assert isinstance(refused, services.RoomError) and refused.code == "overlap", refused
        assert "al geboekt" in str(refused) or "already booked" in str(refused)
    assert Booking.objects.filter(status=BookingStatus.ACCEPTED).count() == ROUNDS


def test_the_constraint_refuses_an_overlapping_insert_that_bypasses_the_service():
    t = town()
    starts = timezone.make_aware(dt.datetime.combine(next_weekday(), dt.time(19)))
    common = {"room": t.room, "initiative": t.initiative, "expected_people": 5}
    Booking.objects.create(
        **common,
        series="00000000-0000-0000-0000-000000000001",
        title="A",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        status=BookingStatus.ACCEPTED,
    )
    with pytest.raises(IntegrityError, match="rooms_booking_no_overlap"), transaction.atomic():
        Booking.objects.create(
            **common,
            series="00000000-0000-0000-0000-000000000002",
            title="B",
            starts_at=starts + dt.timedelta(hours=1),
            ends_at=starts + dt.timedelta(hours=3),
            status=BookingStatus.ACCEPTED,
        )
    # touching, waiting, other rooms: allowed
    Booking.objects.create(
        **common,
        series="00000000-0000-0000-0000-000000000003",
        title="C",
        starts_at=starts + dt.timedelta(hours=2),
        ends_at=starts + dt.timedelta(hours=3),
        status=BookingStatus.ACCEPTED,
    )
    Booking.objects.create(
        **common,
        series="00000000-0000-0000-0000-000000000004",
        title="D",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
    )
    Booking.objects.create(
        **{**common, "room": t.centre},
        series="00000000-0000-0000-0000-000000000005",
        title="E",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        status=BookingStatus.ACCEPTED,
    )
    # and an update that turns a waiting booking into an overlapping accepted one
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.filter(title="D").update(status=BookingStatus.ACCEPTED)


def test_when_the_check_misses_an_overlap_the_constraint_still_refuses_with_a_clear_error(
    monkeypatch,
):
    t = town()
    [a] = request(t, start=(19, 0), end=(21, 0), title="A")
    [b] = request(t, start=(20, 0), end=(22, 0), title="B")
    services.decide(booking=a, accept=True, origin=Origin(actor=t.contact))
    # a service whose own check is broken: the database is the last guard
    monkeypatch.setattr(services, "overlapping", lambda *args: Booking.objects.none())
    with pytest.raises(services.RoomError) as info:
        services.decide(booking=b, accept=True, origin=Origin(actor=t.contact))
    assert info.value.code == "overlap"
    b.refresh_from_db()
    assert b.status == BookingStatus.REQUESTED
