"""Who may do what: named predicates and access helpers for every app.

Roles are held within an organisation through ``organisations.Membership``. Every
signed-in person is also a resident (``Role.RESIDENT``); an initiator is someone with
an initiator membership or who started or joined an initiative. A platform admin is a
superuser or someone with a ``PLATFORM_ADMIN`` membership.

The memberships of a user are read once and cached on the user object, which lives
for one request (``request.user``), so role checks in loops cost no extra queries.
Call ``forget_roles(user)`` after changing memberships of a user object you keep.

Examples (no database needed for anonymous visitors):

>>> from django.contrib.auth.models import AnonymousUser
>>> roles_of(AnonymousUser())
frozenset()
>>> has_role(AnonymousUser(), Role.RESIDENT)
False
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from .models import Membership, Organisation, OrganisationKind, Role

__all__ = [
    "Role",
    "STAFF_ROLES",
    "can_edit_organisation",
    "can_view_audit_log",
    "forget_roles",
    "get_organisation_for_member",
    "has_role",
    "is_member_of",
    "is_platform_admin",
    "memberships_of",
    "organisations_where",
    "roles_in",
    "roles_of",
]

_CACHE_ATTR = "_buurtbasis_access"

#: Roles of professionals (not residents): they see more and may act for an organisation.
STAFF_ROLES = frozenset(
    {Role.COMMUNITY_WORKER, Role.FINANCE_OFFICER, Role.CIVIL_SERVANT, Role.PLATFORM_ADMIN}
)
#: Who may edit an organisation's public profile (besides platform admins).
PROFILE_EDITOR_ROLES = frozenset({Role.COMMUNITY_WORKER, Role.CIVIL_SERVANT})
#: In an informal resident group or residents' association its initiators may edit it too.
RESIDENT_KINDS = frozenset(
    {OrganisationKind.RESIDENT_GROUP, OrganisationKind.RESIDENTS_ASSOCIATION}
)


@dataclass(frozen=True)
class _Grant:
    organisation_id: int
    organisation_slug: str
    role: str


@dataclass
class _AccessCache:
    grants: tuple[_Grant, ...]
    has_initiatives: bool | None = None


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def _cache(user) -> _AccessCache:
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        grants = tuple(
            _Grant(org_id, slug, role)
            for org_id, slug, role in Membership.objects.filter(user=user).values_list(
                "organisation_id", "organisation__slug", "role"
            )
        )
        cached = _AccessCache(grants=grants)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def _has_initiatives(user) -> bool:
    cache = _cache(user)
    if cache.has_initiatives is None:
        created = getattr(user, "created_initiatives", None)
        joined = getattr(user, "initiatives", None)
        cache.has_initiatives = bool(
            (created is not None and created.exists()) or (joined is not None and joined.exists())
        )
    return cache.has_initiatives


def forget_roles(user) -> None:
    """Drop the cached memberships (after adding or removing one)."""
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _org_id(organisation) -> int | None:
    if organisation is None:
        return None
    return organisation if isinstance(organisation, int) else organisation.pk


def memberships_of(user) -> tuple[_Grant, ...]:
    """(organisation_id, organisation_slug, role) for every membership of the user."""
    if not _signed_in(user):
        return ()
    return _cache(user).grants


def is_platform_admin(user) -> bool:
    """A superuser, or a member with the platform-admin role in any organisation."""
    if not _signed_in(user):
        return False
    if user.is_superuser:
        return True
    return any(g.role == Role.PLATFORM_ADMIN for g in memberships_of(user))


def roles_of(user) -> frozenset[Role]:
    """Every role the user holds anywhere (residents and initiators included)."""
    if not _signed_in(user):
        return frozenset()
    roles = {Role(g.role) for g in memberships_of(user)}
    roles.add(Role.RESIDENT)
    if Role.INITIATOR not in roles and _has_initiatives(user):
        roles.add(Role.INITIATOR)
    if user.is_superuser:
        roles.add(Role.PLATFORM_ADMIN)
    return frozenset(roles)


def roles_in(user, organisation) -> frozenset[Role]:
    """The roles the user holds in one organisation (a model instance or its id)."""
    org_id = _org_id(organisation)
    return frozenset(Role(g.role) for g in memberships_of(user) if g.organisation_id == org_id)


def has_role(user, role: Role | str, organisation=None) -> bool:
    """Does the user hold ``role`` (in ``organisation`` when given)?

    Without an organisation, residents and initiators follow ``roles_of``. With one,
    only a membership of that organisation counts; platform admins hold every role
    nowhere but in their own organisations (check ``is_platform_admin`` separately).
    """
    if not _signed_in(user):
        return False
    role = Role(role)
    if organisation is None:
        return role in roles_of(user)
    return role in roles_in(user, organisation)


def is_member_of(user, organisation, roles: Iterable[Role | str] | None = None) -> bool:
    """Any membership of the organisation, or one of ``roles`` there."""
    held = roles_in(user, organisation)
    if roles is None:
        return bool(held)
    return bool(held & {Role(r) for r in roles})


def organisations_where(user, role: Role | str | Iterable[Role | str]) -> QuerySet[Organisation]:
    """The organisations in which the user holds the role (or any of the roles)."""
    if not _signed_in(user):
        return Organisation.objects.none()
    wanted = {Role(role)} if isinstance(role, str) else {Role(r) for r in role}
    ids = {g.organisation_id for g in memberships_of(user) if g.role in wanted}
    return Organisation.objects.filter(pk__in=ids)


def get_organisation_for_member(
    user, slug: str, roles: Iterable[Role | str] | None = None
) -> Organisation:
    """The organisation with ``slug`` if the user is a member (with one of ``roles``).

    Raises Http404 when it does not exist and PermissionDenied when the user is not
    allowed. Platform admins are always allowed.
    """
    try:
        organisation = Organisation.objects.get(slug=slug)
    except Organisation.DoesNotExist:
        raise Http404("no such organisation") from None
    if not _signed_in(user):
        raise PermissionDenied
    if is_platform_admin(user) or is_member_of(user, organisation, roles):
        return organisation
    raise PermissionDenied


def can_edit_organisation(user, organisation: Organisation) -> bool:
    """Community workers and civil servants of the organisation, its initiators when it
    is a resident group, and platform admins."""
    if is_platform_admin(user):
        return True
    held = roles_in(user, organisation)
    if held & PROFILE_EDITOR_ROLES:
        return True
    return Role.INITIATOR in held and organisation.kind in RESIDENT_KINDS


def can_view_audit_log(user) -> bool:
    """Platform admins only (the admin site shows it read-only)."""
    return is_platform_admin(user)
