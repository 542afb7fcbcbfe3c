"""Blocks hosting adds to pages of lower floors (registered in ``apps.py``)."""

from __future__ import annotations

from buurtbasis.organisations.models import Organisation

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


def dashboard_block(request, **objects):
    """My dashboard: the hosts I work for, and my initiatives' hosting."""
    user = request.user
    if not user.is_authenticated:
        return None
    hosts = list(Organisation.objects.filter(pk__in=access.host_ids(user)).order_by("name"))
    mine = list(
        HostingAgreement.objects.filter(initiative__members=user, state__in=OPEN_STATES)
        .select_related("initiative", "host")
        .order_by("initiative__name")
    )
    if not hosts and not mine:
        return None
    return {"hosts": hosts, "agreements": mine}


def initiative_block(request, initiative=None, **objects):
    """On an initiative's page: its host and public ledger; for initiators the way in."""
    if initiative is None:
        return None
    agreement = (
        HostingAgreement.objects.filter(initiative=initiative, state__in=OPEN_STATES)
        .select_related("host")
        .first()
    )
    has_ledger = agreement is not None or initiative.hosting_agreements.exists()
    is_initiator = access.is_initiator(request.user, initiative)
    is_staff = agreement is not None and access.is_host_staff(request.user, agreement.host_id)
    if not (has_ledger or is_initiator):
        return None
    return {
        "initiative": initiative,
        "agreement": agreement,
        "has_ledger": has_ledger,
        "can_manage": is_initiator or is_staff,
    }
