"""Who may do what with rooms and bookings (least privilege).

- Everyone (also without an account) browses the rooms of the municipality and sees
  when a room is busy, never for whom.
- A room is managed (edited, requests answered, bookings cancelled, names of the
  bookers seen) by the partner contacts (``PARTNER_CONTACT``) of its organisation.
  A community centre (buurthuis) is run by a welzijnsorganisatie: for rooms of a
  welzijnsorganisatie its community workers manage them too. Community workers of
  any other kind of organisation do not.
- Platform admins use the Django admin; on the site they have no extra rights here.
- An initiator (a member of an initiative) requests rooms for the initiative, in the
  municipality of the initiative, and sees the bookings of the initiative (the key
  instructions only once a booking is accepted) and may cancel them.
"""

from __future__ import annotations

from buurtbasis.initiatives.models import Initiative, Status
from buurtbasis.organisations.access import memberships_of
from buurtbasis.organisations.models import Organisation, OrganisationKind, Role

from .models import Booking, BookingStatus, Room

#: Initiatives in these states no longer book rooms.
CLOSED_STATES = (Status.ENDED, Status.HANDED_OVER)

_CACHE_ATTR = "_buurtbasis_rooms_managed"


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def manager_roles(organisation: Organisation) -> set[str]:
    """The roles that manage the rooms of this organisation."""
    roles = {Role.PARTNER_CONTACT.value}
    if organisation.kind == OrganisationKind.WELFARE:
        roles.add(Role.COMMUNITY_WORKER.value)
    return roles


def managed_organisation_ids(user) -> frozenset[int]:
    """The organisations whose rooms the user manages (read once per user object)."""
    if not _signed_in(user):
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        grants = memberships_of(user)
        contact = {g.organisation_id for g in grants if g.role == Role.PARTNER_CONTACT}
        worker = {g.organisation_id for g in grants if g.role == Role.COMMUNITY_WORKER}
        if worker:
            worker = set(
                Organisation.objects.filter(
                    pk__in=worker, kind=OrganisationKind.WELFARE
                ).values_list("pk", flat=True)
            )
        cached = frozenset(contact | worker)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget(user) -> None:
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def can_manage_organisation_rooms(user, organisation: Organisation | int) -> bool:
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return org_id in managed_organisation_ids(user)


def can_manage_room(user, room: Room) -> bool:
    return room.organisation_id in managed_organisation_ids(user)


def is_member(user, initiative: Initiative) -> bool:
    if not _signed_in(user):
        return False
    return initiative.members.filter(pk=user.pk).exists()


def initiatives_for_request(user, code: str):
    """The initiatives of the user in the municipality that may request a room."""
    if not _signed_in(user):
        return Initiative.objects.none()
    return (
        Initiative.objects.in_municipality(code)
        .filter(members=user)
        .exclude(status__in=CLOSED_STATES)
        .order_by("name")
    )


def can_request(user, initiative: Initiative, room: Room) -> bool:
    """A member of an open initiative of the room's municipality, for an active room."""
    if not room.is_active or not _signed_in(user):
        return False
    code = room.area.municipality_code
    return initiatives_for_request(user, code).filter(pk=initiative.pk).exists()


def can_see_booking(user, booking: Booking) -> bool:
    return can_manage_room(user, booking.room) or is_member(user, booking.initiative)


def can_see_key(user, booking: Booking) -> bool:
    """The key instructions: the partner, and the initiative once the booking is accepted."""
    if can_manage_room(user, booking.room):
        return True
    return booking.status == BookingStatus.ACCEPTED and is_member(user, booking.initiative)
