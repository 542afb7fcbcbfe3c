"""Blocks of practices on other pages: "initiatives like mine" and the practice of an
initiative on every initiative page; practices to review and one's own on "my
dashboard"."""

from __future__ import annotations

from django.db.models import Q

from buurtbasis.organisations.access import (
    Role,
    is_platform_admin,
    memberships_of,
    organisations_where,
)
from buurtbasis.platform.tenancy import get_tenant, path_without_prefix, tenants

from . import access, similarity
from .models import Practice, PracticeState

#: Practices listed on the dashboard.
DASHBOARD_PRACTICES = 10


def tenant_links(request):
    """``link(code, path)``: the path on the site of the municipality with that CBS code,
    with the scheme and port of this request (two queries, once per call of this)."""
    here = get_tenant(request).cbs_code
    by_code = {t.cbs_code: t for t in tenants()}
    port = request.get_port()
    default_ports = {"http": "80", "https": "443"}
    suffix = "" if str(port) == default_ports.get(request.scheme) else f":{port}"

    def link(code: str, path: str) -> str:
        path = path_without_prefix(path)
        tenant = by_code.get(code)
        if not code or code == here or tenant is None:
            return path
        hosts = [h.host for h in tenant.hosts.all()]
        if hosts:
            return f"{request.scheme}://{hosts[0]}{suffix}{path}"
        return f"/g/{tenant.slug}{path}"

    return link


def initiative_block(request, initiative=None, **objects):
    """Its practice (or the way to start one) and the initiatives like it."""
    if initiative is None:
        return None
    practice = Practice.objects.filter(initiative=initiative).first()
    editor = access.can_edit(request.user, initiative)
    if practice is not None and not (practice.is_public or access.can_view(request.user, practice)):
        practice = None
    similar = similarity.like_mine(initiative)
    if similar:
        link = tenant_links(request)
        for item in similar:
            if item.kind == "initiative":
                item.path = link(item.municipality_code, item.path)
    if practice is None and not editor and not similar:
        return None
    return {
        "initiative": initiative,
        "practice": practice,
        "editor": editor,
        "similar": similar,
    }


def review_queue(user, *, limit: int = DASHBOARD_PRACTICES):
    """Submitted practices the user reviews (one query; None: not a reviewer)."""
    if is_platform_admin(user):
        waiting = Practice.objects.filter(state=PracticeState.SUBMITTED)
    elif Role.COMMUNITY_WORKER in {g.role for g in memberships_of(user)}:
        orgs = organisations_where(user, Role.COMMUNITY_WORKER)
        areas = orgs.values("areas")
        waiting = Practice.objects.filter(state=PracticeState.SUBMITTED).filter(
            Q(initiative__host_organisation__in=orgs.values("pk"))
            | Q(
                initiative__host_organisation__isnull=True,
                district__in=areas,
            )
            | Q(initiative__host_organisation__isnull=True, district__children__in=areas)
            | Q(
                initiative__host_organisation__isnull=True,
                district__parent__in=areas,
            )
        )
    else:
        return None
    return list(waiting.select_related("initiative").distinct().order_by("submitted_at")[:limit])


def dashboard_block(request, **objects):
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    queue = review_queue(user)
    mine = list(
        Practice.objects.filter(initiative__members=user)
        .select_related("initiative")
        .order_by("-updated_at")[:DASHBOARD_PRACTICES]
    )
    if not queue and not mine:
        return None
    return {"queue": queue or [], "mine": mine}


def organisation_block(request, organisation=None, **objects):
    """The published practices of the initiatives the organisation hosts."""
    if organisation is None:
        return None
    practices = list(
        Practice.objects.published()
        .filter(initiative__host_organisation=organisation)
        .order_by("-published_at", "-pk")[:DASHBOARD_PRACTICES]
    )
    if not practices:
        return None
    for practice in practices:
        practice.shown_title = practice.published_content.get("title") or practice.title
    return {"practices": practices}
