"""Who may do what with an initiative (least privilege).

- Everyone may see a public initiative; an idea that its initiators keep private
  is only visible to the people who may manage it.
- Managing (editing, changing the status) is for the initiative's members and
  for the community workers of its host organisation. Nobody else: platform
  admins use the Django admin, civil servants only read.
"""

from __future__ import annotations

from buurtbasis.organisations.access import memberships_of, roles_in
from buurtbasis.organisations.models import Role

from .models import Initiative, Status


def organisation_ids_with_role(user, *roles: str) -> set[int]:
    """The ids of the organisations in which `user` holds one of `roles`."""
    return {g.organisation_id for g in memberships_of(user) if g.role in roles}


def is_initiative_member(user, initiative: Initiative) -> bool:
    if not user.is_authenticated:
        return False
    return initiative.members.filter(pk=user.pk).exists()


def can_manage_initiative(user, initiative: Initiative) -> bool:
    """Edit and change the status: members and the host's community workers."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_initiative_member(user, initiative):
        return True
    if initiative.host_organisation_id is None:
        return False
    return Role.COMMUNITY_WORKER in roles_in(user, initiative.host_organisation_id)


def can_view_initiative(user, initiative: Initiative) -> bool:
    if initiative.is_public or initiative.status != Status.IDEA:
        return True
    return can_manage_initiative(user, initiative)
