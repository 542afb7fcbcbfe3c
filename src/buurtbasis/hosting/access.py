"""Who may do what in fiscal hosting (least privilege).

- Host roles are the memberships of the host organisation: its finance officers
  (``Role.FINANCE_OFFICER``: record money, approve, pay) and its coordinators
  (``Role.COMMUNITY_WORKER``: offer and end agreements). A host sees only the
  initiatives it hosts, in every municipality it works in.
- Initiative roles: its initiators (``Initiative.members``) ask for hosting, accept
  an offer and end it; the agreement's treasurer (one of them) does the first check.
- Expenses: the initiative's members see all of theirs; a host's staff see only the
  expenses made under the host's own agreements (a later host does not see an earlier
  host's, nor the other way round). The receipt and the payee's full IBAN are for the
  submitter, the treasurer of that agreement and the host's finance officers; the others
  see the IBAN masked (``mask_iban``).
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


def sees_expense(user, expense) -> bool:
    """The initiative's members, and the staff of the host the expense was made under."""
    return is_initiator(user, expense.initiative) or is_host_staff(user, expense.host_id)


def expense_treasurer_id(expense) -> int | None:
    """The treasurer of the (last) agreement with the host the expense was made under."""
    from .models import HostingAgreement

    return (
        HostingAgreement.objects.filter(
            initiative_id=expense.initiative_id,
            host_id=expense.host_id,
            accepted_at__isnull=False,
        )
        .order_by("-accepted_at", "-pk")
        .values_list("treasurer_id", flat=True)
        .first()
    )


def sees_payment_details(user, expense) -> bool:
    """The receipt and the payee's full IBAN: the submitter, the treasurer and the host's
    finance officers (not its other staff, not the other members of the initiative)."""
    if not _signed_in(user):
        return False
    return (
        user.pk == expense.submitted_by_id
        or is_finance_officer(user, expense.host_id)
        or user.pk == expense_treasurer_id(expense)
    )


def mask_iban(iban: str) -> str:
    """The IBAN with only its country and last four characters, in groups of four:
    "NL** **** **** **12 34"."""
    compact = "".join(iban.split()).upper()
    if len(compact) <= 6:
        return "*" * len(compact)
    masked = compact[:2] + "*" * (len(compact) - 6) + compact[-4:]
    return " ".join(masked[i : i + 4] for i in range(0, len(masked), 4))
