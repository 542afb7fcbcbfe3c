"""Blocks of partnerships on other pages: the initiative's partnerships, "my dashboard"
(pulses waiting for my answer, my actions due, partnerships to confirm) and the
partnerships of an organisation. Each shows only what the person may see."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from buurtbasis.platform.tenancy import get_tenant

from . import access, queries
from .models import FollowUpAction, Partnership, Side


def _signed_in(request) -> bool:
    return request.user.is_authenticated and request.user.is_active


def initiative_block(request, *, initiative, **objects):
    if not _signed_in(request):
        return None
    partnerships = list(
        Partnership.objects.filter(initiative=initiative)
        .prefetch_related("sides__organisation")
        .order_by("title", "pk")
    )
    members = set(initiative.members.values_list("pk", flat=True))
    for p in partnerships:
        p._member_ids = members  # one query for all of them (see access.side_of)
    # the same initiative and municipality for all: ask once, not per partnership
    may_create = access.can_create_for(request.user, initiative)
    civil = {}

    def civil_servant(code):
        if code not in civil:
            civil[code] = access.is_civil_servant_of(request.user, code)
        return civil[code]

    visible = [
        p
        for p in partnerships
        if may_create
        or access.side_of(request.user, p) is not None
        or civil_servant(p.municipality_code)
    ]
    if not visible and not may_create:
        return None
    return {"initiative": initiative, "partnerships": visible, "may_create": may_create}


def dashboard_block(request, **objects):
    if not _signed_in(request):
        return None
    user = request.user
    code = get_tenant(request).cbs_code
    today = timezone.localdate()
    pulses = queries.waiting_pulses(user, code, today)
    actions = list(
        FollowUpAction.objects.filter(
            owner=user, done_at__isnull=True, partnership__municipality_code=code
        )
        .select_related("partnership")
        .order_by("due_on", "pk")[:10]
    )
    orgs = access.partner_organisation_ids(user)
    to_confirm = list(
        Side.objects.filter(
            organisation_id__in=orgs,
            confirmed_at__isnull=True,
            partnership__municipality_code=code,
        )
        .select_related("partnership", "organisation")
        .order_by("pk")[:10]
    )
    overview = access.is_civil_servant_of(user, code)
    if not (pulses or actions or to_confirm or overview):
        mine = Partnership.objects.filter(municipality_code=code).filter(
            Q(initiative__members=user) | Q(sides__organisation_id__in=orgs)
        )
        if not mine.exists():
            return None
    return {
        "pulses": pulses,
        "actions": actions,
        "to_confirm": to_confirm,
        "overview": overview,
        "today": today,
    }


def organisation_block(request, *, organisation, **objects):
    if not _signed_in(request):
        return None
    code = get_tenant(request).cbs_code
    user = request.user
    member = organisation.pk in access.partner_organisation_ids(user)
    if not (member or access.is_civil_servant_of(user, code)):
        return None
    partnerships = list(
        Partnership.objects.filter(municipality_code=code)
        .filter(Q(sides__organisation=organisation))
        .select_related("initiative")
        .distinct()
        .order_by("title", "pk")
    )
    if not partnerships:
        return None
    return {"organisation": organisation, "partnerships": partnerships}
