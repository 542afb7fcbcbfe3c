"""Who may do what with a partnership (least privilege).

- Participants: the initiative's initiators (its side), and the members of a partner
  organisation with the role partner contact, community worker or civil servant (their
  organisation's side). A participant reads the partnership, adds agreements and actions
  and answers the pulse; a partner side's participant confirms its participation.
- Initiators of the initiative and community workers of its host organisation create
  partnerships for it (``initiatives.access.can_manage_initiative``) and read them.
- Civil servants of the municipality read every partnership there and the overview.
- Platform admins read everything. Nobody else: the pulse is not public.
"""

from __future__ import annotations

from buurtbasis.initiatives.access import can_manage_initiative
from buurtbasis.organisations.access import is_platform_admin, memberships_of, organisations_where
from buurtbasis.organisations.models import Role

#: Roles by which a member of a partner organisation takes part in a partnership.
PARTNER_ROLES = frozenset({Role.PARTNER_CONTACT, Role.COMMUNITY_WORKER, Role.CIVIL_SERVANT})


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def partner_organisation_ids(user) -> set[int]:
    """Organisations for which the user may act in a partnership (no query: cached roles)."""
    if not _signed_in(user):
        return set()
    return {g.organisation_id for g in memberships_of(user) if g.role in PARTNER_ROLES}


def _initiative_member_ids(partnership) -> set[int]:
    cache = getattr(partnership, "_member_ids", None)
    if cache is None:
        cache = set(partnership.initiative.members.values_list("pk", flat=True))
        partnership._member_ids = cache
    return cache


def side_of(user, partnership, sides=None):
    """The side the user belongs to (initiators first), or None."""
    if not _signed_in(user):
        return None
    sides = list(partnership.sides.all()) if sides is None else sides
    if user.pk in _initiative_member_ids(partnership):
        for side in sides:
            if side.is_initiators:
                return side
    orgs = partner_organisation_ids(user)
    for side in sides:
        if side.organisation_id in orgs:
            return side
    return None


def is_civil_servant_of(user, code: str) -> bool:
    if not _signed_in(user):
        return False
    if is_platform_admin(user):
        return True
    if Role.CIVIL_SERVANT not in {g.role for g in memberships_of(user)}:
        return False
    return organisations_where(user, Role.CIVIL_SERVANT).municipality_of(code).exists()


def can_view(user, partnership) -> bool:
    if not _signed_in(user):
        return False
    if side_of(user, partnership) is not None:
        return True
    if can_manage_initiative(user, partnership.initiative):
        return True
    return is_civil_servant_of(user, partnership.municipality_code)


def can_work_on(user, partnership) -> bool:
    """Add agreements and actions, mark them done, start a pulse: participants of a
    confirmed side and those who manage the initiative."""
    side = side_of(user, partnership)
    if side is not None and side.is_confirmed:
        return True
    return _signed_in(user) and can_manage_initiative(user, partnership.initiative)


def can_confirm(user, side) -> bool:
    return side.organisation_id is not None and side.organisation_id in partner_organisation_ids(
        user
    )


def can_answer(user, partnership, side) -> bool:
    return side is not None and side.is_confirmed and _signed_in(user)


def can_create_for(user, initiative) -> bool:
    return _signed_in(user) and can_manage_initiative(user, initiative)
