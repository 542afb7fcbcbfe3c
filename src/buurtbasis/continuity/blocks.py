"""Blocks of hand-over and continuity on other pages: the initiative page (looking for
people, hand-overs so far, the way in for its managers), my dashboard (my responses and
hand-overs; for community workers the strain warnings and searches of the initiatives
their organisation hosts)."""

from __future__ import annotations

from django.db.models import Q

from buurtbasis.initiatives.models import Initiative
from buurtbasis.platform.tenancy import get_tenant

from . import access, strain
from .models import HandOver, HandOverStatus, OutgoingChoice, Response, Succession


def initiative_block(request, initiative=None, **objects):
    if initiative is None:
        return None
    search = (
        Succession.objects.filter(initiative=initiative, is_open=True)
        .prefetch_related("roles")
        .first()
    )
    handovers = list(
        HandOver.objects.filter(initiative=initiative)
        .exclude(status=HandOverStatus.CANCELLED)
        .select_related("incoming", "outgoing")
        .order_by("-started_at", "-pk")[:10]
    )
    can_manage = access.can_manage(request.user, initiative)
    if search is None and not handovers and not can_manage:
        return None
    return {
        "initiative": initiative,
        "search": search,
        "open_roles": [r for r in search.roles.all() if not r.filled] if search else [],
        "handovers": handovers,
        "can_manage": can_manage,
        "signed_in": access.signed_in(request.user),
        "FORMER": OutgoingChoice.FORMER,
    }


def dashboard_block(request, **objects):
    user = request.user
    if not access.signed_in(user):
        return None
    responses = list(
        Response.objects.filter(responder=user)
        .select_related("role__succession__initiative")
        .order_by("-created_at")[:10]
    )
    handovers = list(
        HandOver.objects.filter(
            Q(outgoing=user) | Q(incoming=user), status=HandOverStatus.IN_PROGRESS
        ).select_related("initiative")
    )
    org_ids = access.community_worker_org_ids(user)
    findings, searches = [], []
    if org_ids:
        # only the initiatives of the municipality whose site this is
        local = Initiative.objects.in_municipality(get_tenant(request).cbs_code)
        local_ids = set(local.filter(host_organisation_id__in=org_ids).values_list("pk", flat=True))
        findings = strain.findings([i for i in strain.hosted_by(org_ids) if i.pk in local_ids])
        searches = list(
            Succession.objects.filter(
                is_open=True,
                initiative__host_organisation_id__in=org_ids,
                initiative__in=local.values("pk"),
            ).select_related("initiative")
        )
    if not (responses or handovers or findings or searches or org_ids):
        return None
    return {
        "responses": responses,
        "handovers": handovers,
        "worker": bool(org_ids),
        "findings": findings,
        "searches": searches,
    }


def wijkprofiel_block(request, *, area, **objects):
    """The public initiatives of the wijk (or buurt) that look for people; None without."""
    areas = [area.pk, *area.children.values_list("pk", flat=True)]
    initiatives = Initiative.objects.public().filter(areas__in=areas)
    searches = list(
        Succession.objects.filter(is_open=True, initiative__in=initiatives)
        .select_related("initiative")
        .order_by("initiative__name")
    )
    if not searches:
        return None
    return {"area": area, "searches": searches, "is_wijk": area.level == "wijk"}
