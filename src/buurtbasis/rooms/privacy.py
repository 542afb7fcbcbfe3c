"""Rooms and the AVG.

A booking belongs to an initiative, not to the person who requested it: the initiative
keeps its bookings (the partner needs them for its agenda and for money). What is the
requester's own is the link to their account: the export lists the requests a person
made and the bookings they answered or cancelled; erasing an account removes the link
(``requested_by``, ``decided_by`` and ``cancelled_by`` become empty), the bookings stay.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from .models import Booking

RETENTION_NOTE = (
    "Bookings of rooms belong to the initiative and stay with it. After deleting your "
    "account they no longer show that you requested, answered or cancelled them."
)


def export_rooms(user) -> dict[str, Any]:
    rows = (
        Booking.objects.filter(Q(requested_by=user) | Q(decided_by=user) | Q(cancelled_by=user))
        .select_related("room", "initiative")
        .order_by("starts_at")
    )
    return {
        "bookings": [
            {
                "room": b.room.name,
                "initiative": b.initiative.name,
                "activity": b.title,
                "expected_people": b.expected_people,
                "starts": b.starts_at,
                "ends": b.ends_at,
                "status": b.status,
                "requested_by_me": b.requested_by_id == user.pk,
                "answered_by_me": b.decided_by_id == user.pk,
                "cancelled_by_me": b.cancelled_by_id == user.pk,
                "reason": b.decline_reason or b.cancel_reason,
            }
            for b in rows
        ],
        "retention": RETENTION_NOTE,
    }


def erase_rooms(user) -> None:
    Booking.objects.filter(requested_by=user).update(requested_by=None)
    Booking.objects.filter(decided_by=user).update(decided_by=None)
    Booking.objects.filter(cancelled_by=user).update(cancelled_by=None)
