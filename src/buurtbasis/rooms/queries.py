"""Reads of the rooms app: a room's week, lists for the dashboard, the feeds.

Every list reads a fixed number of queries, however many rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from .models import Booking, BookingStatus, Room

#: Rows on a dashboard block.
DASHBOARD_ROWS = 8
#: Feeds hold bookings from this many days back.
FEED_DAYS_BACK = 90


@dataclass
class Slot:
    starts: dt.time
    ends: dt.time
    booking: Booking | None = None


@dataclass
class Day:
    date: dt.date
    closed: bool = False
    closed_reason: str = ""
    open: list[Slot] = field(default_factory=list)
    busy: list[Slot] = field(default_factory=list)
    waiting: int = 0


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week(room: Room, start: dt.date, *, with_waiting: bool = False) -> list[Day]:
    """The seven days from ``start`` (a Monday): opening windows, closed dates, and the
    accepted bookings (three queries; four with the waiting requests for the partner)."""
    end = start + dt.timedelta(days=7)
    days = {start + dt.timedelta(days=n): Day(start + dt.timedelta(days=n)) for n in range(7)}
    for window in room.windows.all():
        for day in days.values():
            if day.date.weekday() == window.weekday:
                day.open.append(Slot(window.starts, window.ends))
    for blackout in room.blackouts.filter(date__gte=start, date__lt=end):
        days[blackout.date].closed = True
        days[blackout.date].closed_reason = blackout.reason
    lower = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    upper = timezone.make_aware(dt.datetime.combine(end, dt.time.min))
    bookings = (
        Booking.objects.filter(room=room, starts_at__lt=upper, ends_at__gt=lower)
        .filter(status__in=[BookingStatus.ACCEPTED, BookingStatus.REQUESTED])
        .select_related("initiative")
        .order_by("starts_at")
    )
    if not with_waiting:
        bookings = bookings.filter(status=BookingStatus.ACCEPTED)
    for booking in bookings:
        starts = timezone.localtime(booking.starts_at)
        ends = timezone.localtime(booking.ends_at)
        day = days.get(starts.date())
        if day is None:
            continue
        if booking.status == BookingStatus.ACCEPTED:
            day.busy.append(Slot(starts.time(), ends.time(), booking))
        else:
            day.waiting += 1
    return list(days.values())


def waiting_for(organisation_ids, *, code: str | None = None, limit: int = DASHBOARD_ROWS):
    """Requests waiting for an answer from these partners, one row per series (in the
    municipality with CBS code ``code`` when given)."""
    rows = (
        Booking.objects.filter(
            room__organisation_id__in=organisation_ids,
            status=BookingStatus.REQUESTED,
            starts_at__gt=timezone.now(),
        )
        .select_related("room", "initiative")
        .order_by("starts_at", "pk")
    )
    if code:
        rows = rows.filter(room__in=Room.objects.in_municipality(code))
    seen, out = set(), []
    for booking in rows[: limit * 4]:
        if booking.series not in seen:
            seen.add(booking.series)
            out.append(booking)
        if len(out) == limit:
            break
    return out


def count_waiting(organisation_ids, *, code: str | None = None) -> int:
    rows = Booking.objects.filter(
        room__organisation_id__in=organisation_ids,
        status=BookingStatus.REQUESTED,
        starts_at__gt=timezone.now(),
    )
    if code:
        rows = rows.filter(room__in=Room.objects.in_municipality(code))
    return rows.values("series").distinct().count()


def of_initiatives(initiative_ids, *, limit: int = DASHBOARD_ROWS, upcoming: bool = True):
    rows = Booking.objects.filter(initiative_id__in=initiative_ids).select_related(
        "room", "room__area", "initiative"
    )
    if upcoming:
        rows = rows.filter(ends_at__gt=timezone.now()).exclude(status=BookingStatus.CANCELLED)
    return list(rows.order_by("starts_at", "pk")[:limit])


def feed_bookings_of_room(room: Room):
    since = timezone.now() - dt.timedelta(days=FEED_DAYS_BACK)
    return (
        Booking.objects.filter(room=room, status=BookingStatus.ACCEPTED, ends_at__gt=since)
        .select_related("initiative")
        .order_by("starts_at")
    )


def feed_bookings_of_initiative(initiative):
    since = timezone.now() - dt.timedelta(days=FEED_DAYS_BACK)
    return (
        Booking.objects.filter(
            initiative=initiative,
            status__in=[BookingStatus.ACCEPTED, BookingStatus.REQUESTED, BookingStatus.CANCELLED],
            ends_at__gt=since,
        )
        .select_related("room", "room__organisation")
        .order_by("starts_at")
    )
