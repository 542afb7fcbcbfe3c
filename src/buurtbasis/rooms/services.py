"""Every write of the rooms app: rooms, requests, answers, cancellations, feed tokens.

Services take plain values and an ``Origin``; they check who acts (``access``), write
the audit trail for decisions and tell the other side (``notify``). Errors are
``RoomError`` with a message for the person.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from buurtbasis.initiatives.models import Initiative
from buurtbasis.organisations.models import Membership, Organisation
from buurtbasis.platform import ratelimit
from buurtbasis.platform.audit import Origin, record_event
from buurtbasis.platform.notifications import notify

from . import access
from .models import (
    AvailabilityWindow,
    Blackout,
    Booking,
    BookingStatus,
    InitiativeCalendar,
    Room,
    new_token,
)

#: A weekly request covers at most this many weeks.
MAX_WEEKS = 12
#: Requests (series) one person may send per hour.
REQUEST_LIMIT = 20
#: How far ahead a room may be requested.
MAX_DAYS_AHEAD = 366

#: Fields of a room a partner edits.
ROOM_FIELDS = (
    "name",
    "area",
    "address",
    "description",
    "capacity",
    "wheelchair",
    "step_free",
    "accessible_toilet",
    "hearing_loop",
    "facilities",
    "key_instructions",
    "price_cents_per_hour",
    "free_for_initiatives",
    "waiver_rules",
    "show_titles_in_feed",
    "is_active",
)


class RoomError(Exception):
    """A write that is not allowed or not valid; ``str(error)`` is for the person."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.code = code


def _actor(origin: Origin):
    return origin.actor


def _local(day: dt.date, at: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, at))


def _day(day: dt.date) -> str:
    return date_format(day, "l j F Y")


# -- rooms ----------------------------------------------------------------------------------------


def save_room(
    *, organisation: Organisation, values: dict, origin: Origin, room: Room | None = None
) -> Room:
    """Create a room for ``organisation`` or change ``room`` (partner contacts only)."""
    if not access.can_manage_organisation_rooms(_actor(origin), organisation):
        raise RoomError(_("You may not manage the rooms of this organisation."), "forbidden")
    if room is not None and room.organisation_id != organisation.pk:
        raise RoomError(_("This room belongs to another organisation."), "forbidden")
    created = room is None
    room = room or Room(organisation=organisation)
    for name in ROOM_FIELDS:
        if name in values:
            setattr(room, name, values[name])
    room.save()
    record_event(
        action="rooms.room_created" if created else "rooms.room_changed",
        target=room,
        details={"organisation": organisation.pk},
        origin=origin,
    )
    return room


def _managed(room: Room, origin: Origin) -> None:
    if not access.can_manage_room(_actor(origin), room):
        raise RoomError(_("You may not manage this room."), "forbidden")


def add_window(
    *, room: Room, weekday: int, starts: dt.time, ends: dt.time, origin: Origin
) -> AvailabilityWindow:
    _managed(room, origin)
    if ends <= starts:
        raise RoomError(_("The end time must be later than the start time."), "times")
    return AvailabilityWindow.objects.create(room=room, weekday=weekday, starts=starts, ends=ends)


def remove_window(*, room: Room, window_id: int, origin: Origin) -> None:
    _managed(room, origin)
    AvailabilityWindow.objects.filter(room=room, pk=window_id).delete()


def add_blackout(*, room: Room, date: dt.date, reason: str, origin: Origin) -> Blackout:
    _managed(room, origin)
    blackout, _created = Blackout.objects.get_or_create(
        room=room, date=date, defaults={"reason": reason.strip()[:150]}
    )
    return blackout


def remove_blackout(*, room: Room, blackout_id: int, origin: Origin) -> None:
    _managed(room, origin)
    Blackout.objects.filter(room=room, pk=blackout_id).delete()


def rotate_room_token(*, room: Room, origin: Origin) -> Room:
    """A new secret address for the room's calendar; the old one stops working."""
    _managed(room, origin)
    room.feed_token = new_token()
    room.save(update_fields=["feed_token"])
    record_event(action="rooms.room_feed_rotated", target=room, origin=origin)
    return room


def initiative_calendar(initiative: Initiative) -> InitiativeCalendar:
    calendar, _created = InitiativeCalendar.objects.get_or_create(initiative=initiative)
    return calendar


def rotate_initiative_token(*, initiative: Initiative, origin: Origin) -> InitiativeCalendar:
    if not access.is_member(_actor(origin), initiative):
        raise RoomError(_("Only the initiators may change this address."), "forbidden")
    calendar = initiative_calendar(initiative)
    calendar.token = new_token()
    calendar.save(update_fields=["token"])
    record_event(action="rooms.initiative_feed_rotated", target=initiative, origin=origin)
    return calendar


# -- checks ---------------------------------------------------------------------------------------


def slots(day: dt.date, start: dt.time, end: dt.time, weeks: int = 1) -> list[dt.date]:
    """The dates of a request repeated weekly ``weeks`` times (1 = once)."""
    return [day + dt.timedelta(weeks=n) for n in range(weeks)]


def overlapping(room: Room, starts_at: dt.datetime, ends_at: dt.datetime):
    """Accepted bookings of the room that overlap [starts_at, ends_at)."""
    return Booking.objects.filter(
        room=room, status=BookingStatus.ACCEPTED, starts_at__lt=ends_at, ends_at__gt=starts_at
    )


def check_slot(
    room: Room,
    day: dt.date,
    start: dt.time,
    end: dt.time,
    expected_people: int,
    *,
    windows: Iterable[AvailabilityWindow] | None = None,
    closed: set[dt.date] | None = None,
) -> None:
    """Raise ``RoomError`` with the reason when the slot cannot be requested."""
    if end <= start:
        raise RoomError(_("The end time must be later than the start time."), "times")
    if expected_people < 1:
        raise RoomError(_("Fill in how many people you expect (at least 1)."), "people")
    if expected_people > room.capacity:
        raise RoomError(
            _("This room holds at most %(capacity)s people; you expect %(people)s.")
            % {"capacity": room.capacity, "people": expected_people},
            "capacity",
        )
    if windows is None:
        windows = list(room.windows.all())
    if closed is None:
        closed = set(room.blackouts.values_list("date", flat=True))
    if day in closed:
        raise RoomError(
            _("The room is closed on %(day)s.") % {"day": _day(day)},
            "closed",
        )
    if not any(w.weekday == day.weekday() and w.starts <= start and end <= w.ends for w in windows):
        times = ", ".join(
            f"{w.starts:%H:%M}–{w.ends:%H:%M}" for w in windows if w.weekday == day.weekday()
        )
        if times:
            message = _("On %(day)s the room can only be booked at these times: %(times)s.") % {
                "day": _day(day),
                "times": times,
            }
        else:
            message = _("The room cannot be booked on %(day)s.") % {"day": _day(day)}
        raise RoomError(message, "availability")
    if overlapping(room, _local(day, start), _local(day, end)).exists():
        raise RoomError(
            _("On %(day)s the room is already booked at that time. Choose another time.")
            % {"day": _day(day)},
            "overlap",
        )


# -- requests and answers -------------------------------------------------------------------------


def _link(booking: Booking) -> str:
    return booking.get_absolute_url()


def request_booking(
    *,
    room: Room,
    initiative: Initiative,
    title: str,
    expected_people: int,
    day: dt.date,
    start: dt.time,
    end: dt.time,
    weeks: int = 1,
    origin: Origin,
    now: dt.datetime | None = None,
) -> list[Booking]:
    """An initiator asks the partner for the room; one booking per week of the series."""
    actor = _actor(origin)
    if not access.can_request(actor, initiative, room):
        raise RoomError(
            _("You may only request a room for an initiative of yours in this municipality."),
            "forbidden",
        )
    title = " ".join(title.split())
    if not title:
        raise RoomError(_("Fill in what the activity is."), "title")
    if not 1 <= weeks <= MAX_WEEKS:
        raise RoomError(
            ngettext(
                "Repeat weekly for at most %(max)s week.",
                "Repeat weekly for at most %(max)s weeks.",
                MAX_WEEKS,
            )
            % {"max": MAX_WEEKS},
            "weeks",
        )
    now = now or timezone.now()
    if _local(day, start) <= now:
        raise RoomError(_("Choose a date and time in the future."), "past")
    if day > now.date() + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise RoomError(_("A room can be requested at most a year ahead."), "far")
    if not ratelimit.hit("rooms-request", str(actor.pk), limit=REQUEST_LIMIT, window=3600):
        raise RoomError(
            _("You have sent many requests in a short time. Please try again in an hour."),
            "rate",
        )
    windows = list(room.windows.all())
    closed = set(room.blackouts.values_list("date", flat=True))
    dates = slots(day, start, end, weeks)
    for date in dates:
        check_slot(room, date, start, end, expected_people, windows=windows, closed=closed)
    series = uuid.uuid4()
    with transaction.atomic():
        bookings = Booking.objects.bulk_create(
            [
                Booking(
                    room=room,
                    initiative=initiative,
                    requested_by=actor,
                    series=series,
                    title=title,
                    expected_people=expected_people,
                    starts_at=_local(date, start),
                    ends_at=_local(date, end),
                )
                for date in dates
            ]
        )
        bookings = list(Booking.objects.filter(series=series).order_by("starts_at"))
        first = bookings[0]
        record_event(
            action="rooms.booking_requested",
            target=first,
            details={"room": room.pk, "initiative": initiative.pk, "dates": len(bookings)},
            origin=origin,
        )
        context = {
            "room": room.name,
            "initiative": initiative.name,
            "title": title,
            "when": _when(first),
            "weeks": len(bookings),
            "link": _link(first),
        }
        for person in managers_of(room):
            notify(
                person,
                "rooms.booking_requested",
                context,
                language=origin.language,
                municipality=room.area.municipality_code,
            )
    return bookings


def managers_of(room: Room):
    from django.contrib.auth import get_user_model

    roles = access.manager_roles(room.organisation)
    ids = Membership.objects.filter(organisation=room.organisation, role__in=roles).values(
        "user_id"
    )
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk")


def _when(booking: Booking) -> str:
    starts = timezone.localtime(booking.starts_at)
    ends = timezone.localtime(booking.ends_at)
    return f"{_day(starts.date())} {starts:%H:%M}–{ends:%H:%M}"


def _lock_room(room: Room) -> None:
    """Hold the write lock on the room until the transaction ends.

    PostgreSQL: a row lock (``SELECT … FOR UPDATE``) makes a second decision on the
    same room wait. SQLite has no row locks: an UPDATE takes the database's write lock
    at once, so a second writer waits (or fails) before it reads.
    """
    if connection.vendor == "sqlite":
        Room.objects.filter(pk=room.pk).update(capacity=F("capacity"))
    list(Room.objects.select_for_update().filter(pk=room.pk).values_list("pk", flat=True))


def decide(*, booking: Booking, accept: bool, reason: str = "", origin: Origin) -> list[Booking]:
    """The partner accepts or declines the requested bookings of ``booking``'s series."""
    room = booking.room
    _managed(room, origin)
    reason = reason.strip()
    if not accept and not reason:
        raise RoomError(_("Give a reason for declining, so the initiative knows why."), "reason")
    try:
        with transaction.atomic():
            _lock_room(room)
            pending = list(
                Booking.objects.select_for_update()
                .filter(series=booking.series, status=BookingStatus.REQUESTED)
                .order_by("starts_at")
            )
            if not pending:
                raise RoomError(_("This request has already been answered."), "state")
            now = timezone.now()
            if accept:
                for item in pending:
                    clash = overlapping(room, item.starts_at, item.ends_at).exclude(pk=item.pk)
                    if clash.exists():
                        raise RoomError(
                            _(
                                "On %(day)s the room is already booked at that time, so this "
                                "request cannot be accepted. Decline it with a reason."
                            )
                            % {"day": _day(timezone.localtime(item.starts_at).date())},
                            "overlap",
                        )
            status = BookingStatus.ACCEPTED if accept else BookingStatus.DECLINED
            Booking.objects.filter(pk__in=[b.pk for b in pending]).update(
                status=status,
                decided_by=_actor(origin),
                decided_at=now,
                decline_reason="" if accept else reason,
            )
            for item in pending:
                item.status, item.decided_at = status, now
                item.decline_reason = "" if accept else reason
            record_event(
                action="rooms.booking_accepted" if accept else "rooms.booking_declined",
                target=pending[0],
                details={
                    "room": room.pk,
                    "initiative": booking.initiative_id,
                    "dates": len(pending),
                    "reason": reason if not accept else "",
                },
                origin=origin,
            )
            _tell_initiative(
                pending[0],
                "rooms.booking_accepted" if accept else "rooms.booking_declined",
                {"reason": reason, "weeks": len(pending)},
                origin,
                skip=_actor(origin),
            )
    except IntegrityError:
        # The database's own guard (PostgreSQL exclusion constraint) caught an overlap.
        raise RoomError(
            _("The room is already booked at that time, so this request cannot be accepted."),
            "overlap",
        ) from None
    return pending


def _tell_initiative(booking: Booking, kind: str, extra: dict, origin: Origin, skip=None) -> None:
    context = {
        "room": booking.room.name,
        "initiative": booking.initiative.name,
        "title": booking.title,
        "when": _when(booking),
        "link": _link(booking),
        **extra,
    }
    for person in booking.initiative.members.filter(is_active=True).order_by("pk"):
        if skip is not None and person.pk == skip.pk:
            continue
        notify(
            person,
            kind,
            context,
            language=origin.language,
            municipality=booking.room.area.municipality_code,
        )


def cancel(*, booking: Booking, reason: str = "", origin: Origin) -> Booking:
    """Either side cancels one date; the other side is told."""
    actor = _actor(origin)
    by_partner = access.can_manage_room(actor, booking.room)
    if not by_partner and not access.is_member(actor, booking.initiative):
        raise RoomError(_("You may not cancel this booking."), "forbidden")
    reason = reason.strip()
    with transaction.atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.status not in (BookingStatus.REQUESTED, BookingStatus.ACCEPTED):
            raise RoomError(_("This booking can no longer be cancelled."), "state")
        if locked.ends_at <= timezone.now():
            raise RoomError(_("This booking is over and can no longer be cancelled."), "past")
        locked.status = BookingStatus.CANCELLED
        locked.cancelled_by = actor
        locked.cancel_reason = reason
        locked.save(update_fields=["status", "cancelled_by", "cancel_reason"])
        record_event(
            action="rooms.booking_cancelled",
            target=locked,
            details={"room": locked.room_id, "by_partner": by_partner, "reason": reason},
            origin=origin,
        )
        extra = {"reason": reason, "by_partner": by_partner}
        if by_partner:
            _tell_initiative(locked, "rooms.booking_cancelled", extra, origin, skip=actor)
        else:
            context = {
                "room": locked.room.name,
                "initiative": locked.initiative.name,
                "title": locked.title,
                "when": _when(locked),
                "link": _link(locked),
                **extra,
            }
            for person in managers_of(locked.room):
                if person.pk != actor.pk:
                    notify(
                        person,
                        "rooms.booking_cancelled",
                        context,
                        language=origin.language,
                        municipality=locked.room.area.municipality_code,
                    )
    return locked


def free_rooms(rooms, starts_at: dt.datetime, ends_at: dt.datetime):
    """``rooms`` without an accepted booking overlapping [starts_at, ends_at)."""
    busy = Booking.objects.filter(
        status=BookingStatus.ACCEPTED, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).values("room_id")
    return rooms.exclude(pk__in=busy)


def open_at(rooms, day: dt.date, start: dt.time, end: dt.time):
    """``rooms`` with a window covering the slot and not closed that day."""
    return (
        rooms.filter(
            Q(windows__weekday=day.weekday(), windows__starts__lte=start, windows__ends__gte=end)
        )
        .exclude(blackouts__date=day)
        .distinct()
    )


def open_on(rooms, day: dt.date):
    """``rooms`` open some time on ``day`` (a window that weekday, not a closed date)."""
    return rooms.filter(windows__weekday=day.weekday()).exclude(blackouts__date=day).distinct()
