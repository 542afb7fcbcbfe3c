"""The buddy programme on "my dashboard": for matchers, their programmes with the
households per status and the overdue check-ins (bounded); for a household's contact
person, the way to their household's page."""

from __future__ import annotations

from django.utils import timezone

from buurtbasis.platform.tenancy import get_tenant

from . import access, queries
from .models import Household, PairStatus


def dashboard_block(request, **objects):
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    code = get_tenant(request).cbs_code
    programmes = list(access.programmes_for(user, code))
    mine = list(
        Household.objects.filter(contact=user, programme__municipality_code=code).only(
            "pk", "label", "status"
        )[:5]
    )
    if not programmes and not mine:
        return None
    ids = [p.pk for p in programmes]
    counts = queries.counts(ids) if ids else {}
    today = timezone.localdate()
    return {
        "programmes": [(p, counts.get(p.pk, {})) for p in programmes],
        "overdue": queries.overdue_checkins(ids, today=today) if ids else [],
        "overdue_count": queries.overdue_count(ids, today=today) if ids else 0,
        "mine": mine,
        "active": PairStatus.ACTIVE,
    }


def organisation_block(request, organisation=None, **objects):
    """On an organisation's page: its buddy programme in this municipality, the way to sign
    up a household, and for its matchers the way to the programme."""
    if organisation is None:
        return None
    code = get_tenant(request).cbs_code
    programme = organisation.buddy_programmes.filter(municipality_code=code).order_by("pk").first()
    if programme is None:
        return None
    return {
        "programme": programme,
        "can_match": access.can_match(request.user, programme, code),
    }
