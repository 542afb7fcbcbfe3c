"""Who may do what in hand-over and continuity (least privilege).

- Everyone sees which public initiatives look for people and what the open roles are.
- Signed-in residents respond to an open role (not to their own initiative).
- The initiative's initiators and the community workers of its host organisation
  (``initiatives.access.can_manage_initiative``) start and close the search, read the
  private reason and the responses, choose a successor and complete a hand-over.
- A hand-over's checklist is for those managers and for the outgoing and incoming
  person, who tick items.
- Strain warnings are for community workers of the initiative's host organisation.
"""

from __future__ import annotations

from buurtbasis.initiatives.access import can_manage_initiative, can_view_initiative
from buurtbasis.organisations.access import memberships_of
from buurtbasis.organisations.models import Role

from .models import HandOver, OpenRole


def signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def can_manage(user, initiative) -> bool:
    """Start or close a search, read responses, choose and complete: the initiative's
    initiators and its host's community workers."""
    return can_manage_initiative(user, initiative)


def can_see_search(user, initiative) -> bool:
    return can_view_initiative(user, initiative)


def can_respond(user, role: OpenRole) -> bool:
    """A signed-in person who is not yet an initiator, to a role still open."""
    if not signed_in(user) or role.filled or not role.succession.is_open:
        return False
    initiative = role.succession.initiative
    if not can_view_initiative(user, initiative):
        return False
    return not initiative.members.filter(pk=user.pk).exists()


def is_party(user, handover: HandOver) -> bool:
    return signed_in(user) and user.pk in (handover.outgoing_id, handover.incoming_id)


def can_see_handover(user, handover: HandOver) -> bool:
    return is_party(user, handover) or can_manage(user, handover.initiative)


def can_tick(user, handover: HandOver) -> bool:
    """Tick checklist items: the outgoing and incoming person, and the managers."""
    return handover.status == "in_progress" and can_see_handover(user, handover)


def community_worker_org_ids(user) -> set[int]:
    if not signed_in(user):
        return set()
    return {g.organisation_id for g in memberships_of(user) if g.role == Role.COMMUNITY_WORKER}
