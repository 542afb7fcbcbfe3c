"""Who may read and write the logbook and the signals of a municipality.

- Professionals of a municipality: its civil servants (members of the gemeente
  organisation) and community workers of organisations that work there (one of the
  organisation's areas lies in the municipality), and platform admins. They read the
  whole logbook, write notes and see every signal.
- Civil servants (and platform admins) answer signals and change their status.
- Community workers make signals from stories.
- Everyone else (residents, visitors) reads the public part of the logbook: rounds,
  results and public initiatives, which are public elsewhere on the site already.
"""

from __future__ import annotations

from buurtbasis.areas.models import Area
from buurtbasis.organisations.access import (
    Role,
    is_platform_admin,
    memberships_of,
    organisations_where,
)

_CACHE_ATTR = "_buurtbasis_logbook_access"


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def _roles(user, code: str) -> frozenset[str]:
    """The logbook roles of the user in the municipality, read once per user object."""
    if not _signed_in(user):
        return frozenset()
    cache = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        cache = {}
        setattr(user, _CACHE_ATTR, cache)
    if code not in cache:
        roles = set()
        held = {g.role for g in memberships_of(user)}  # cached per request: no query
        if is_platform_admin(user):
            roles |= {"admin", "civil_servant", "community_worker"}
        if (
            Role.CIVIL_SERVANT in held
            and organisations_where(user, Role.CIVIL_SERVANT).municipality_of(code).exists()
        ):
            roles.add("civil_servant")
        if (
            Role.COMMUNITY_WORKER in held
            and organisations_where(user, Role.COMMUNITY_WORKER)
            .filter(areas__in=Area.objects.in_municipality(code))
            .exists()
        ):
            roles.add("community_worker")
        cache[code] = frozenset(roles)
    return cache[code]


def forget(user) -> None:
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def is_professional(user, code: str) -> bool:
    """May read the whole logbook and every signal of the municipality, and write notes."""
    return bool(_roles(user, code))


def is_civil_servant(user, code: str) -> bool:
    """May answer signals and change their status."""
    return "civil_servant" in _roles(user, code)


def is_community_worker(user, code: str) -> bool:
    """May make signals from stories."""
    return "community_worker" in _roles(user, code)
