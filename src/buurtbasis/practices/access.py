"""Who may do what with a practice page (least privilege).

- Everyone reads a published practice (its published text), in every municipality of
  the install.
- The initiative's initiators (its members) start, edit, submit and take offline the
  practice of their initiative. They see the working copy and the edit history.
- Reviewers publish a submitted practice or ask for changes, and may take it offline:
  the community workers of the initiative's host organisation; for an initiative
  without a host, the community workers of an organisation that works in the
  initiative's wijk (one of the organisation's areas is the wijk, a buurt of it or the
  whole gemeente). Platform admins too. Nobody in another municipality reviews.
- Civil servants and others only read what is published.
"""

from __future__ import annotations

from django.db.models import Q

from buurtbasis.initiatives.access import can_view_initiative, is_initiative_member
from buurtbasis.organisations.access import (
    Role,
    is_platform_admin,
    memberships_of,
    organisations_where,
)

from .models import Practice


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def can_edit(user, initiative) -> bool:
    """Start, edit, submit and take offline: the initiative's members."""
    return _signed_in(user) and is_initiative_member(user, initiative)


def reviewer_organisations(initiative, district=None):
    """The organisations whose community workers review the initiative's practice."""
    from buurtbasis.organisations.models import Organisation

    if initiative.host_organisation_id:
        return Organisation.objects.filter(pk=initiative.host_organisation_id)
    if district is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        Q(areas=district)
        | Q(areas__parent=district)
        | Q(areas__code=district.municipality_code, areas__level="gemeente")
    ).distinct()


def can_review(user, practice: Practice) -> bool:
    """Publish, ask for changes, take offline: the reviewers (see the module)."""
    if not _signed_in(user):
        return False
    if is_platform_admin(user):
        return True
    if Role.COMMUNITY_WORKER not in {g.role for g in memberships_of(user)}:
        return False
    return (
        organisations_where(user, Role.COMMUNITY_WORKER)
        .filter(pk__in=reviewer_organisations(practice.initiative, practice.district).values("pk"))
        .exists()
    )


def reviewers(practice: Practice):
    """The people who review the practice (for the notification on submission)."""
    from buurtbasis.accounts.models import User

    return User.objects.filter(
        is_active=True,
        memberships__role=Role.COMMUNITY_WORKER,
        memberships__organisation__in=reviewer_organisations(
            practice.initiative, practice.district
        ).values("pk"),
    ).distinct()


def can_see_working_copy(user, practice: Practice) -> bool:
    return can_edit(user, practice.initiative) or can_review(user, practice)


def can_view(user, practice: Practice) -> bool:
    if practice.is_public and can_view_initiative(user, practice.initiative):
        return True
    return can_see_working_copy(user, practice)
