"""Blocks of asking peers and meetings on other pages: the initiative's page and a
practice page (ask its initiators; for the initiators: consent and their questions;
meetings it is invited to and reports), and "my dashboard" (new questions for my
initiatives, meetings I am invited to). Bounded queries."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from buurtbasis.initiatives.models import Initiative
from buurtbasis.organisations.access import is_platform_admin, roles_in
from buurtbasis.organisations.models import Role
from buurtbasis.platform.tenancy import get_tenant

from . import access
from .models import Meeting, QuestionSettings, RegistrationStatus, Thread

#: Rows shown in a block (the rest is on the list pages).
BLOCK_ROWS = 5


def _meetings_of(initiative) -> tuple[list, list]:
    """Upcoming meetings the initiative is invited to, and past ones with a report."""
    now = timezone.now()
    invited = Meeting.objects.filter(invited=initiative, cancelled_at__isnull=True)
    upcoming = list(invited.filter(starts_at__gte=now).order_by("starts_at", "pk")[:BLOCK_ROWS])
    reports = list(
        invited.filter(report_published_at__isnull=False).order_by("-starts_at", "-pk")[:BLOCK_ROWS]
    )
    return upcoming, reports


def initiative_block(request, *, initiative, **objects):
    """On an initiative's (or a practice's) page. Only uses ``initiative``."""
    user = request.user
    initiator = access.is_initiator(user, initiative)
    settings = QuestionSettings.objects.filter(initiative=initiative).first()
    accepts = bool(settings and settings.accepts_questions)
    upcoming, reports = _meetings_of(initiative)
    context = {
        "initiative": initiative,
        "initiator": initiator,
        "accepts": accepts,
        "signed_in": access.signed_in(user),
        "can_ask": (
            access.signed_in(user)
            and not initiator
            and accepts
            and not access.is_blocked(user, initiative)
        ),
        "upcoming": upcoming,
        "reports": reports,
    }
    if initiator:
        context["waiting"] = Thread.objects.filter(
            initiative=initiative, status="open", waiting_for_initiators=True
        ).count()
    if not accepts and not initiator and not upcoming and not reports:
        return None
    return context


def dashboard_block(request, **objects):
    """New questions for my initiatives, answers to my questions, and meetings my
    initiatives are invited to. Four queries however many rows."""
    user = request.user
    if not access.signed_in(user):
        return None
    now = timezone.now()
    threads = list(
        Thread.objects.filter(
            Q(initiative__members=user, waiting_for_initiators=True)
            | Q(asker=user, waiting_for_initiators=False),
            status="open",
        )
        .distinct()
        .select_related("initiative")
        .order_by("-last_message_at", "-pk")[:BLOCK_ROWS]
    )
    mine = Initiative.objects.filter(members=user)
    meetings = list(
        Meeting.objects.filter(invited__in=mine, cancelled_at__isnull=True, starts_at__gte=now)
        .distinct()
        .order_by("starts_at", "pk")[:BLOCK_ROWS]
    )
    registered = set()
    if meetings:
        registered = set(
            Meeting.objects.filter(
                pk__in=[m.pk for m in meetings],
                registrations__initiative__in=mine,
                registrations__status__in=[
                    RegistrationStatus.REGISTERED,
                    RegistrationStatus.WAITING,
                ],
            ).values_list("pk", flat=True)
        )
    organiser = access.can_organise(user, get_tenant(request).cbs_code)
    if not threads and not meetings and not organiser:
        return None
    return {
        "threads": threads,
        "meetings": meetings,
        "registered": registered,
        "organiser": organiser,
        "user_pk": user.pk,
    }


def organisation_block(request, *, organisation, **objects):
    """On an organisation's page: its upcoming exchange meetings and reports, and for its
    community workers the way to organise one. None when there is nothing to show."""
    now = timezone.now()
    meetings = Meeting.objects.filter(organisation=organisation, cancelled_at__isnull=True)
    upcoming = list(meetings.filter(starts_at__gte=now).order_by("starts_at", "pk")[:BLOCK_ROWS])
    reports = list(
        meetings.filter(report_published_at__isnull=False).order_by("-starts_at", "-pk")[
            :BLOCK_ROWS
        ]
    )
    organiser = access.signed_in(request.user) and (
        is_platform_admin(request.user)
        or Role.COMMUNITY_WORKER in roles_in(request.user, organisation.pk)
    )
    if not upcoming and not reports and not organiser:
        return None
    return {"upcoming": upcoming, "reports": reports, "organiser": organiser}
