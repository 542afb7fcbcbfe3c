"""An initiative's calendar address is secret to its initiators: when one of them stops
being an initiator, the address changes, so the old one (which they may keep) no longer
works. The remaining initiators find the new address on the initiative's rooms page.

Likewise a room's calendar address is secret to its organisation's partner contacts: when a
partner contact's membership ends (also when their account is erased, which deletes the
memberships one by one, so this receiver runs for each), the addresses of that
organisation's rooms change."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete

from buurtbasis.initiatives.models import Initiative
from buurtbasis.organisations.models import Membership, Role

from .models import InitiativeCalendar, Room, new_token


def _rotate(initiative_ids) -> None:
    for calendar in InitiativeCalendar.objects.filter(initiative_id__in=initiative_ids):
        calendar.token = new_token()
        calendar.save(update_fields=["token"])


def members_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in ("post_remove", "post_clear"):
        return
    if not reverse:  # initiative.members.remove(user) / .clear()
        _rotate([instance.pk])
    elif action == "post_remove":  # from the person's side
        _rotate(pk_set or ())


def membership_deleted(sender, instance, **kwargs) -> None:
    if instance.role != Role.PARTNER_CONTACT:
        return
    for room in Room.objects.filter(organisation_id=instance.organisation_id):
        room.feed_token = new_token()
        room.save(update_fields=["feed_token"])


def connect() -> None:
    post_delete.connect(
        membership_deleted, sender=Membership, dispatch_uid="rooms.membership_deleted"
    )
    through = Initiative.members.through
    m2m_changed.connect(members_changed, sender=through, dispatch_uid="rooms.members_changed")
