"""Who may do what with questions between initiatives and with exchange meetings.

Questions (least privilege):
- Any signed-in person may ask the initiators (members) of a visible initiative that
  accepts questions, unless those initiators blocked them. Initiators do not ask their
  own initiative.
- A thread is read by its asker and the initiators of the initiative it was asked to,
  nobody else: not community workers, civil servants or platform admins. Once a thread is
  reported, the platform admins and the community workers of the initiative's host
  organisation read it too, to moderate.
- Only the initiators turn questions on or off, close a thread, report it or block an
  asker; the asker may close or report their own thread.

Meetings:
- Community workers of an organisation that works in the municipality (and platform
  admins) organise meetings there; the community workers of the organising organisation
  (and platform admins) change, cancel and report on a meeting.
- Initiators register their initiative if it was invited, or for an open meeting if the
  initiative lies in the meeting's municipality.
- A meeting's page (without the registrations' names) and its report are public.
"""

from __future__ import annotations

from buurtbasis.areas.models import Area
from buurtbasis.initiatives.access import can_view_initiative
from buurtbasis.initiatives.models import Initiative
from buurtbasis.organisations.access import (
    Role,
    is_platform_admin,
    organisations_where,
    roles_in,
)
from buurtbasis.organisations.models import Organisation

from .models import BlockedAsker, Meeting, QuestionSettings, Thread


def signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def is_initiator(user, initiative: Initiative) -> bool:
    if not signed_in(user):
        return False
    return initiative.members.filter(pk=user.pk).exists()


def accepts_questions(initiative: Initiative) -> bool:
    return QuestionSettings.objects.filter(initiative=initiative, accepts_questions=True).exists()


def is_blocked(user, initiative: Initiative) -> bool:
    return BlockedAsker.objects.filter(initiative=initiative, person=user).exists()


def can_ask(user, initiative: Initiative) -> bool:
    """May send a new question to the initiators of ``initiative``."""
    return (
        signed_in(user)
        and can_view_initiative(user, initiative)
        and not is_initiator(user, initiative)
        and accepts_questions(initiative)
        and not is_blocked(user, initiative)
    )


def is_moderator(user, thread: Thread) -> bool:
    """Reads a reported thread: platform admins and the host's community workers."""
    if not signed_in(user) or thread.reported_at is None:
        return False
    if is_platform_admin(user):
        return True
    host = thread.initiative.host_organisation_id
    return host is not None and Role.COMMUNITY_WORKER in roles_in(user, host)


def reported_threads_for(user):
    """The reported threads this person moderates (none for most people)."""
    reported = Thread.objects.filter(reported_at__isnull=False)
    if not signed_in(user):
        return reported.none()
    if is_platform_admin(user):
        return reported
    hosts = organisations_where(user, Role.COMMUNITY_WORKER)
    return reported.filter(initiative__host_organisation__in=hosts)


def side_of(user, thread: Thread) -> str:
    """``"asker"``, ``"initiators"``, ``"moderator"`` or ``""`` (may not read it)."""
    if not signed_in(user):
        return ""
    if is_initiator(user, thread.initiative):
        return "initiators"
    if thread.asker_id == user.pk:
        return "asker"
    if is_moderator(user, thread):
        return "moderator"
    return ""


# -- meetings ------------------------------------------------------------------------------------


def organising_organisations(user, code: str):
    """The organisations in whose name the user may organise a meeting in the municipality."""
    if not signed_in(user):
        return organisations_where(user, Role.COMMUNITY_WORKER)
    there = Area.objects.in_municipality(code)
    if is_platform_admin(user):
        return Organisation.objects.filter(areas__in=there).distinct().order_by("name")
    return (
        organisations_where(user, Role.COMMUNITY_WORKER)
        .filter(areas__in=there)
        .distinct()
        .order_by("name")
    )


def can_organise(user, code: str) -> bool:
    return signed_in(user) and organising_organisations(user, code).exists()


def can_manage_meeting(user, meeting: Meeting) -> bool:
    if not signed_in(user):
        return False
    if is_platform_admin(user):
        return True
    return Role.COMMUNITY_WORKER in roles_in(user, meeting.organisation_id)


def may_register(initiative: Initiative, meeting: Meeting) -> bool:
    """Is the initiative invited (or welcome at an open meeting)?"""
    if meeting.invited.filter(pk=initiative.pk).exists():
        return True
    return (
        meeting.open_to_all
        and Initiative.objects.in_municipality(meeting.municipality_code)
        .filter(pk=initiative.pk)
        .exists()
    )


def registrable_initiatives(user, meeting: Meeting) -> list[Initiative]:
    """The user's initiatives that may register for the meeting."""
    if not signed_in(user):
        return []
    mine = Initiative.objects.filter(members=user)
    invited = mine.filter(pk__in=meeting.invited.values("pk"))
    if meeting.open_to_all:
        invited = invited | mine.in_municipality(meeting.municipality_code)
    return list(invited.distinct().order_by("name"))
