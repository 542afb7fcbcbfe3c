"""Who may do what with volunteer tasks, hours and key roles (least privilege).

- Everyone sees the open tasks of an initiative that is visible to them.
- A signed-in person signs up for a shift, records their own hours and keeps a profile.
- Managing tasks, shifts, invitations, hours and key roles of an initiative is for its
  initiators and for the community workers of its host organisation (the
  ``host_organisation`` or the host of its active hosting agreement).
- Hours: a person sees their own hours everywhere; the managers of an initiative see the
  hours given to that initiative (to confirm them); the total of someone's hours across
  initiatives is seen by that person and by the community workers of an organisation
  that hosts an initiative the person gives time to or holds a key role in. Nobody else.
"""

from __future__ import annotations

from django.db.models import Q

from buurtbasis.hosting.models import AgreementState
from buurtbasis.initiatives.access import can_manage_initiative, can_view_initiative
from buurtbasis.initiatives.models import Initiative
from buurtbasis.organisations.access import memberships_of
from buurtbasis.organisations.models import Role

from .models import HoursEntry, KeyRole


def signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def worker_organisation_ids(user) -> set[int]:
    """Organisations in which the user is a community worker (cached memberships)."""
    if not signed_in(user):
        return set()
    return {g.organisation_id for g in memberships_of(user) if g.role == Role.COMMUNITY_WORKER}


def hosted_filter(organisation_ids) -> Q:
    """Initiatives hosted by one of these organisations."""
    return Q(host_organisation_id__in=organisation_ids) | Q(
        hosting_agreements__host_id__in=organisation_ids,
        hosting_agreements__state=AgreementState.ACTIVE,
    )


def supported_initiatives(user):
    """The initiatives the user supports as a community worker of their host."""
    ids = worker_organisation_ids(user)
    if not ids:
        return Initiative.objects.none()
    return Initiative.objects.filter(
        pk__in=Initiative.objects.filter(hosted_filter(ids)).values("pk")
    )


def can_manage(user, initiative: Initiative) -> bool:
    """Post and edit tasks and shifts, invite, confirm hours, record key roles."""
    if not signed_in(user):
        return False
    if can_manage_initiative(user, initiative):
        return True
    ids = worker_organisation_ids(user)
    return (
        bool(ids)
        and initiative.hosting_agreements.filter(
            host_id__in=ids, state=AgreementState.ACTIVE
        ).exists()
    )


def can_view(user, initiative: Initiative) -> bool:
    return can_view_initiative(user, initiative)


def can_see_load_of(viewer, person_id: int) -> bool:
    """May ``viewer`` see ``person``'s hours across initiatives?"""
    if not signed_in(viewer):
        return False
    if viewer.pk == person_id:
        return True
    supported = supported_initiatives(viewer)
    if not worker_organisation_ids(viewer):
        return False
    return (
        HoursEntry.objects.filter(user_id=person_id, initiative__in=supported).exists()
        or KeyRole.objects.filter(user_id=person_id, initiative__in=supported).exists()
    )
