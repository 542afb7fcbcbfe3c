"""Blocks of the rooms app on other pages (registered in ``RoomsConfig.ready``).

Each reads a fixed number of queries, however many bookings there are.
"""

from __future__ import annotations

from . import access, queries
from .models import Room

ORGANISATION_ROOMS = 20


def initiator_block(request, **_objects):
    """My dashboard: the upcoming bookings and requests of my initiatives."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    ids = list(user.initiatives.values_list("pk", flat=True))
    if not ids:
        return None
    return {"bookings": queries.of_initiatives(ids)}


def partner_block(request, **_objects):
    """My dashboard: requests waiting for the partner's answer."""
    ids = access.managed_organisation_ids(request.user)
    if not ids:
        return None
    code = request.tenant.cbs_code
    return {
        "waiting": queries.waiting_for(ids, code=code),
        "count": queries.count_waiting(ids, code=code),
    }


def initiative_block(request, initiative=None, **_objects):
    """An initiative's page: its rooms for its initiators; "find a room" when it needs one."""
    if initiative is None:
        return None
    member = access.is_member(request.user, initiative)
    if not member and not initiative.needs_room:
        return None
    return {"initiative": initiative, "member": member}


def organisation_block(request, organisation=None, **_objects):
    """An organisation's page: the rooms it offers."""
    if organisation is None:
        return None
    rooms = list(
        Room.objects.filter(organisation=organisation, is_active=True)
        .select_related("area")
        .order_by("name")[:ORGANISATION_ROOMS]
    )
    manager = access.can_manage_organisation_rooms(request.user, organisation)
    if not rooms and not manager:
        return None
    return {"rooms": rooms, "manager": manager, "organisation": organisation}
