"""Lists of the social map and of referrals, each in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from buurtbasis.areas.models import Area, AreaLevel

from . import access
from .models import WAITING, Referral, Service

#: Rows on a dashboard block.
BLOCK_ROWS = 5


def map_services(code: str, *, domain: str = "", wijk: Area | None = None):
    """Active services of the municipality, filtered by domain and the wijk they serve (a
    service without wijken serves the whole municipality). Two queries (areas prefetched)."""
    services = Service.objects.in_municipality(code).active()
    if domain:
        services = services.filter(domain=domain)
    if wijk is not None:
        services = services.filter(Q(areas=wijk) | Q(areas__isnull=True)).distinct()
    return (
        services.select_related("organisation")
        .prefetch_related("areas")
        .order_by("domain", "name", "pk")
    )


def wijken(code: str):
    """The wijken of the municipality in the latest year."""
    there = Area.objects.in_municipality(code).filter(level=AreaLevel.DISTRICT)
    year = there.order_by("-year").values_list("year", flat=True).first()
    return there.filter(year=year).order_by("code")


def made_by(user, code: str):
    return (
        Referral.objects.in_municipality(code)
        .filter(referrer=user)
        .select_related("service", "organisation")
        .order_by("-sent_at", "-pk")
    )


def received_by(user, code: str):
    """Referrals addressed to the organisations where the user is a professional."""
    ids = access.professional_organisation_ids(user)
    return (
        Referral.objects.in_municipality(code)
        .filter(organisation_id__in=ids)
        .select_related("service", "organisation", "professional")
        .order_by("-sent_at", "-pk")
    )


def dashboard(user, code: str) -> dict | None:
    """Counts and the overdue referrals for a referrer and for a professional: at most
    six queries."""
    today = timezone.localdate()
    context = {"today": today}
    if access.can_refer(user, code):
        mine = made_by(user, code)
        context["referrer"] = {
            # A referral whose steps are not reported back stays "sent" for the
            # referrer, so it counts as waiting whatever the professional did.
            "waiting": mine.filter(Q(status__in=WAITING) | ~Q(report_back="status")).count(),
            # The referrer sees "overdue" (no first contact in time) only when the person
            # agreed that the status steps are reported back.
            "overdue": list(mine.overdue(today).filter(report_back="status")[:BLOCK_ROWS]),
        }
    if access.is_professional(user):
        received = received_by(user, code)
        overdue = received.overdue(today).order_by("first_contact_due", "pk")
        context["professional"] = {
            "new": received.filter(status="sent").count(),
            "overdue_count": received.overdue(today).count(),
            "overdue": list(overdue[:BLOCK_ROWS]),
        }
    if len(context) == 1:
        return None
    return context
