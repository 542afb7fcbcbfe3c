"""An initiative's calendar address is secret to its initiators: when one of them stops
being an initiator, the address changes, so the old one (which they may keep) no longer
works. The remaining initiators find the new address on the initiative's rooms page."""

from __future__ import annotations

from django.db.models.signals import m2m_changed

from buurtbasis.initiatives.models import Initiative

from .models import InitiativeCalendar, new_token


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


def connect() -> None:
    through = Initiative.members.through
    m2m_changed.connect(members_changed, sender=through, dispatch_uid="rooms.members_changed")
