"""Blocks of warm referral on other pages: "my dashboard" (a referrer's referrals, a
professional's intake with the overdue ones), an organisation's services on its page,
and the services serving a wijk on its wijkprofiel."""

from __future__ import annotations

from buurtbasis.areas.models import AreaLevel
from buurtbasis.platform.tenancy import get_tenant

from . import access, queries
from .models import Service


def dashboard_block(request, **objects):
    return queries.dashboard(request.user, get_tenant(request).cbs_code)


def organisation_block(request, *, organisation, **objects):
    code = get_tenant(request).cbs_code
    services = list(
        Service.objects.in_municipality(code).active().filter(organisation=organisation)[:20]
    )
    receives = organisation.pk in access.professional_organisation_ids(request.user)
    if not services and not receives:
        return None
    return {"services": services, "receives": receives}


def wijkprofiel_block(request, *, area, **objects):
    code = get_tenant(request).cbs_code
    if area.level == AreaLevel.NEIGHBOURHOOD and area.parent_id:
        area = area.parent  # the map is filtered by wijk
    services = list(queries.map_services(code, wijk=area)[:50])
    if not services:
        return None
    return {"area": area, "count": len(services)}
