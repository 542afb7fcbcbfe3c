"""Blocks hosting adds to pages of lower floors (registered in ``apps.py``)."""

from __future__ import annotations

from . import access, queries
from .models import OPEN_STATES, HostingAgreement


def plan_money_block(request, plan=None, **objects):
    """On a funded plan's page: received / spent / left (public, no personal data)."""
    if plan is None:
        return None
    summary = queries.plan_money(plan)
    if summary is None:
        return None
    return {"summary": summary, "initiative": summary.grant.initiative}


def organisation_block(request, organisation=None, **objects):
    """On a host's page, for its staff: a link to the host overview."""
    if organisation is None or not access.is_host_staff(request.user, organisation):
        return None
    count = HostingAgreement.objects.filter(host=organisation, state__in=OPEN_STATES).count()
    return {"organisation": organisation, "count": count}
