"""Who may do what with the social map and with referrals.

- Everyone browses the social map of a municipality. The contact for professionals and
  how to refer are shown to referrers, professionals and map maintainers only.
- The map is maintained by civil servants of the municipality and community workers of a
  welzijnsorganisatie working there (and platform admins).
- Referrers: volunteers and community workers of an organisation working in the
  municipality. A referrer sees the referrals they made, and of those only the status
  steps the person agreed to; never the details, never the case notes.
- Professionals (role PROFESSIONAL) of the receiving organisation see its referrals with
  the details and notes, act on them and export or erase them on the person's request.
  Nobody else does: not the referrer, not another organisation, not a platform admin.
"""

from __future__ import annotations

from buurtbasis.areas.models import Area
from buurtbasis.organisations.access import (
    Role,
    is_platform_admin,
    memberships_of,
    organisations_where,
)
from buurtbasis.organisations.models import Organisation, OrganisationKind

REFERRER_ROLES = (Role.VOLUNTEER, Role.COMMUNITY_WORKER)


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def _working_in(organisations, code: str):
    return organisations.filter(areas__in=Area.objects.in_municipality(code)).distinct()


def referrer_organisations(user, code: str):
    """The organisations working in the municipality through which the user refers."""
    if not _signed_in(user):
        return Organisation.objects.none()
    if not {g.role for g in memberships_of(user)} & set(REFERRER_ROLES):
        return Organisation.objects.none()
    return _working_in(organisations_where(user, REFERRER_ROLES), code)


def can_refer(user, code: str) -> bool:
    return referrer_organisations(user, code).exists()


def professional_organisation_ids(user) -> set[int]:
    """The organisations in which the user receives referrals (no query: cached grants)."""
    if not _signed_in(user):
        return set()
    return {g.organisation_id for g in memberships_of(user) if g.role == Role.PROFESSIONAL}


def is_professional(user) -> bool:
    return bool(professional_organisation_ids(user))


def can_handle(user, referral) -> bool:
    """May see the details and notes of the referral and act on it."""
    return referral.organisation_id in professional_organisation_ids(user)


def is_referrer_of(user, referral) -> bool:
    return _signed_in(user) and referral.referrer_id == user.pk


def maintainable_organisations(user, code: str):
    """Organisations whose services the user may put on the map of the municipality."""
    if not _signed_in(user):
        return Organisation.objects.none()
    there = Organisation.objects.in_municipality(code)
    if is_platform_admin(user):
        return there
    held = {g.role for g in memberships_of(user)}
    if Role.CIVIL_SERVANT in held and (
        organisations_where(user, Role.CIVIL_SERVANT).municipality_of(code).exists()
    ):
        return there
    if Role.COMMUNITY_WORKER in held:
        welfare = _working_in(
            organisations_where(user, Role.COMMUNITY_WORKER).filter(kind=OrganisationKind.WELFARE),
            code,
        )
        if welfare.exists():
            return there
    return Organisation.objects.none()


def can_maintain_map(user, code: str) -> bool:
    return maintainable_organisations(user, code).exists()


def sees_professional_contact(user, code: str) -> bool:
    return is_professional(user) or can_refer(user, code) or can_maintain_map(user, code)
