"""Who may do what in fiscal hosting (least privilege).

- Host roles are the memberships of the host organisation: its finance officers
  (``Role.FINANCE_OFFICER``: record money, approve, pay) and its coordinators
  (``Role.COMMUNITY_WORKER``: offer and end agreements). A host sees only the
  initiatives it hosts, in every municipality it works in.
- Initiative roles: its initiators (``Initiative.members``) ask for hosting, accept
  an offer and end it; the agreement's treasurer (one of them) does the first check.
- The public ledger of a hosted initiative is public (no personal data in it).
"""

from __future__ import annotations

from buurtbasis.organisations.access import memberships_of
from buurtbasis.organisations.models import Role

FINANCE_ROLES = frozenset({Role.FINANCE_OFFICER})
COORDINATOR_ROLES = frozenset({Role.COMMUNITY_WORKER, Role.FINANCE_OFFICER})
HOST_ROLES = FINANCE_ROLES | COORDINATOR_ROLES


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def host_ids(user, roles=HOST_ROLES) -> set[int]:
    """The organisations in which the user holds one of the host roles."""
    if not _signed_in(user):
        return set()
    return {g.organisation_id for g in memberships_of(user) if g.role in roles}


def is_finance_officer(user, host) -> bool:
    host_id = host if isinstance(host, int) else host.pk
    return host_id in host_ids(user, FINANCE_ROLES)


def is_coordinator(user, host) -> bool:
    host_id = host if isinstance(host, int) else host.pk
    return host_id in host_ids(user, COORDINATOR_ROLES)


def is_host_staff(user, host) -> bool:
    host_id = host if isinstance(host, int) else host.pk
    return host_id in host_ids(user)


def is_initiator(user, initiative) -> bool:
    if not _signed_in(user):
        return False
    return initiative.members.filter(pk=user.pk).exists()


def can_see_books(user, agreement) -> bool:
    """The balances and budget against actuals: the initiative's initiators and the host."""
    return is_host_staff(user, agreement.host_id) or is_initiator(user, agreement.initiative)
