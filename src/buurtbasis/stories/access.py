"""Who may do what with story rounds and stories (named predicates).

- Setting up and running a round: a community worker of a welzijnsorganisatie that works
  in the municipality (the round belongs to that organisation), or a platform admin.
- The professionals of a round, who read stories unmasked, label themes and export:
  staff of the round's organisation (community workers and the others in
  ``STAFF_ROLES``), civil servants of the round's municipality, and platform admins.
- Telling a story: everyone, signed in or not, while the round is open.
- Everyone else sees a round that is not a draft, and only the stories whose teller
  allowed an anonymised quote in public, masked.

Every look-up is scoped to the municipality of the request: a round of another
municipality is a 404, never a 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from buurtbasis.organisations.access import (
    STAFF_ROLES,
    is_platform_admin,
    memberships_of,
    organisations_where,
    roles_in,
)
from buurtbasis.organisations.models import Organisation, OrganisationKind, Role

from .models import RoundStatus, Story, StoryRound


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def worker_organisations(user, municipality: str | None = None):
    """Welzijnsorganisaties in which the user is a community worker (working in the
    municipality with this CBS code, when given)."""
    qs = organisations_where(user, Role.COMMUNITY_WORKER).filter(kind=OrganisationKind.WELFARE)
    if municipality is not None:
        qs = qs.in_municipality(municipality)
    return qs


def can_create_round(user, municipality: str | None = None) -> bool:
    if not _signed_in(user):
        return False
    return is_platform_admin(user) or worker_organisations(user, municipality).exists()


def can_manage_round(user, story_round: StoryRound) -> bool:
    """A community worker of the round's organisation, or a platform admin."""
    if not _signed_in(user):
        return False
    if is_platform_admin(user):
        return True
    return Role.COMMUNITY_WORKER in roles_in(user, story_round.organisation_id)


def _civil_servant_of(user, code: str) -> bool:
    ids = {g.organisation_id for g in memberships_of(user) if g.role == Role.CIVIL_SERVANT}
    if not ids:
        return False
    return Organisation.objects.municipality_of(code).filter(pk__in=ids).exists()


def is_round_professional(user, story_round: StoryRound) -> bool:
    """May read the stories of the round unmasked, label themes and export."""
    if not _signed_in(user):
        return False
    if is_platform_admin(user):
        return True
    if roles_in(user, story_round.organisation_id) & STAFF_ROLES:
        return True
    return _civil_servant_of(user, story_round.municipality_code)


def rounds_for_professional(user, code: str):
    """The rounds of the municipality whose stories the user may read as a professional:
    the same people as ``is_round_professional``, as one query."""
    rounds = StoryRound.objects.in_municipality(code)
    if not _signed_in(user):
        return rounds.none()
    if is_platform_admin(user) or _civil_servant_of(user, code):
        return rounds
    staff = {g.organisation_id for g in memberships_of(user) if g.role in STAFF_ROLES}
    return rounds.filter(organisation_id__in=staff)


def may_see_contact(user, story: Story) -> bool:
    """The teller's contact details are for the community workers of the round's
    organisation (who follow up) and the worker who recorded the story: not for every
    professional of the round (least privilege)."""
    if not _signed_in(user):
        return False
    if story.recorded_by_id is not None and story.recorded_by_id == user.pk:
        return True
    return Role.COMMUNITY_WORKER in roles_in(user, story.round.organisation_id)


def can_record_on_behalf(user, story_round: StoryRound) -> bool:
    """Community workers of the round record stories for residents (with their consent)."""
    return can_manage_round(user, story_round)


def can_view_round(user, story_round: StoryRound) -> bool:
    return story_round.status != RoundStatus.DRAFT or is_round_professional(user, story_round)


def can_withdraw(user, story: Story) -> bool:
    """The teller who was signed in when the story was told (others use the code)."""
    return _signed_in(user) and story.teller_id == user.pk


def get_round(slug: str, code: str) -> StoryRound:
    """The round with this slug in the municipality; 404 otherwise."""
    try:
        return (
            StoryRound.objects.in_municipality(code).select_related("organisation").get(slug=slug)
        )
    except StoryRound.DoesNotExist:
        raise Http404("no such story round") from None


def get_round_for_viewer(user, slug: str, code: str) -> StoryRound:
    story_round = get_round(slug, code)
    if not can_view_round(user, story_round):
        raise Http404("no such story round")
    return story_round


def get_round_for_professional(user, slug: str, code: str) -> StoryRound:
    story_round = get_round(slug, code)
    if not is_round_professional(user, story_round):
        if not can_view_round(user, story_round):
            raise Http404("no such story round")
        raise PermissionDenied
    return story_round


def get_round_for_manager(user, slug: str, code: str) -> StoryRound:
    story_round = get_round(slug, code)
    if not can_manage_round(user, story_round):
        if not can_view_round(user, story_round):
            raise Http404("no such story round")
        raise PermissionDenied
    return story_round
