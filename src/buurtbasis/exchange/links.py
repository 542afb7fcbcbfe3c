"""Links to initiatives of any municipality: an initiative's page opens only on the site
of its own municipality, and conversations and meetings cross municipalities."""

from __future__ import annotations

from buurtbasis.initiatives.models import Initiative
from buurtbasis.platform.tenancy import get_tenant, path_without_prefix, site_url, tenants


def initiative_urls(request, initiatives) -> dict[int, str]:
    """{pk: where its page is}: a plain path when the initiative lies in the request's
    municipality, else the page on its own municipality's site. One query per other
    municipality on the install, not per initiative."""
    initiatives = list(initiatives)
    here = get_tenant(request).cbs_code
    rest = {i.pk for i in initiatives}
    if rest:
        rest -= set(
            Initiative.objects.in_municipality(here)
            .filter(pk__in=rest)
            .values_list("pk", flat=True)
        )
    urls: dict[int, str] = {}
    for tenant in tenants() if rest else []:
        if tenant.cbs_code == here:
            continue
        there = set(
            Initiative.objects.in_municipality(tenant.cbs_code)
            .filter(pk__in=rest)
            .values_list("pk", flat=True)
        )
        if not there:
            continue
        base = site_url(tenant.cbs_code)
        for initiative in initiatives:
            if initiative.pk in there:
                urls[initiative.pk] = base + path_without_prefix(initiative.get_absolute_url())
        rest -= there
        if not rest:
            break
    for initiative in initiatives:
        urls.setdefault(initiative.pk, initiative.get_absolute_url())
    return urls
