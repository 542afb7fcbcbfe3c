"""Who may see and change buddy households.

- Matchers (role ``MATCHER``) and community workers of a programme's organisation see
  and change the households and pairs of that programme, and only in the programme's
  municipality (the request's tenant). Platform admins may too.
- The contact person of a household (an account linked at intake) sees their own
  household and its pairs, and accepts or declines a proposal for it.
- Nobody else sees anything of the programme.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from buurtbasis.organisations.access import Role, is_platform_admin, organisations_where

from .models import Household, Pair, Programme

MATCHING_ROLES = (Role.MATCHER, Role.COMMUNITY_WORKER)


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def programmes_for(user, code: str) -> QuerySet[Programme]:
    """The programmes in municipality ``code`` whose households the user may match."""
    if not _signed_in(user):
        return Programme.objects.none()
    programmes = Programme.objects.filter(municipality_code=code).select_related("organisation")
    if is_platform_admin(user):
        return programmes
    return programmes.filter(organisation__in=organisations_where(user, MATCHING_ROLES))


def can_match(user, programme: Programme, code: str) -> bool:
    """May see and change the programme's households and pairs (in municipality ``code``)."""
    if not _signed_in(user) or programme.municipality_code != code:
        return False
    if is_platform_admin(user):
        return True
    return organisations_where(user, MATCHING_ROLES).filter(pk=programme.organisation_id).exists()


def programme_or_404(request, pk: int) -> Programme:
    """The programme in the request's municipality; 404 elsewhere, 403 without the role."""
    code = request.tenant.cbs_code
    programme = Programme.objects.filter(pk=pk, municipality_code=code).first()
    if programme is None:
        raise Http404("no such programme")
    if not can_match(request.user, programme, code):
        raise PermissionDenied
    return programme


def is_contact(user, household: Household) -> bool:
    return _signed_in(user) and household.contact_id == user.pk


def household_for_matcher(request, pk: int) -> Household:
    household = (
        Household.objects.select_related("programme__organisation", "area")
        .filter(pk=pk, programme__municipality_code=request.tenant.cbs_code)
        .first()
    )
    if household is None:
        raise Http404("no such household")
    if not can_match(request.user, household.programme, request.tenant.cbs_code):
        raise PermissionDenied
    return household


def pair_for(request, pk: int) -> tuple[Pair, bool, str]:
    """The pair, whether the user matches for it, and the side the user is contact of ('')."""
    pair = (
        Pair.objects.select_related("programme__organisation", "newcomer", "local")
        .filter(pk=pk, programme__municipality_code=request.tenant.cbs_code)
        .first()
    )
    if pair is None:
        raise Http404("no such pair")
    matcher = can_match(request.user, pair.programme, request.tenant.cbs_code)
    side = ""
    if is_contact(request.user, pair.newcomer):
        side = "newcomer"
    elif is_contact(request.user, pair.local):
        side = "local"
    if not matcher and not side:
        raise PermissionDenied
    return pair, matcher, side
