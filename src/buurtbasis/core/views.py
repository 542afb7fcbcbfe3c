from django.shortcuts import render

from buurtbasis.accounts.access import is_platform_admin, organisations_where, roles_of
from buurtbasis.areas import services as area_services
from buurtbasis.areas.maps import municipality_map
from buurtbasis.initiatives import dashboard as blocks
from buurtbasis.initiatives.models import NEEDS, Initiative, Status
from buurtbasis.initiatives.views import login_required
from buurtbasis.organisations.models import Role
from buurtbasis.platform.tenancy import get_tenant

RECENT_INITIATIVES = 6


def home(request):
    """The municipality's wijken on a map shaded by a CBS figure, recent initiatives, search."""
    code = get_tenant(request).cbs_code
    municipality = area_services.get_municipality(code=code)
    context = {"municipality": municipality}
    if municipality is not None:
        context.update(
            municipality_map(
                municipality=municipality,
                indicator_key=request.GET.get("indicator"),
                method=request.GET.get("classes"),
            )
        )
    if request.htmx and request.htmx.target == "map-region":
        return render(request, "areas/_map.html", {**context, "swapped": True})
    context["recent_initiatives"] = list(
        Initiative.objects.public()
        .in_municipality(code)
        .order_by("-created_at")
        .prefetch_related("areas")[:RECENT_INITIATIVES]
    )
    return render(request, "core/home.html", context)


@login_required
def dashboard(request):
    """My dashboard: one block per role the user holds (see initiatives.dashboard)."""

    user = request.user
    code = get_tenant(request).cbs_code
    roles = roles_of(user)
    context = {
        "my_initiatives": blocks.my_initiatives(user),
        "roles": roles,
        "is_platform_admin": is_platform_admin(user),
        "statuses": Status.choices,
        "needs": [(key, label) for key, _field, label in NEEDS],
    }
    if Role.COMMUNITY_WORKER in roles:
        orgs = list(organisations_where(user, Role.COMMUNITY_WORKER))
        status = request.GET.get("status", "")
        need = request.GET.get("need", "")
        sort = request.GET.get("sort", "name")
        context["worker"] = {
            "organisations": orgs,
            "hosted": blocks.hosted_initiatives(
                orgs, status=status, need=need, sort=sort, municipality=code
            ),
            "needing_host": blocks.initiatives_needing_host(orgs, municipality=code)[:50],
            "status": status,
            "need": need,
            "sort": sort,
        }
    if Role.CIVIL_SERVANT in roles:
        orgs = list(organisations_where(user, Role.CIVIL_SERVANT))
        rows = blocks.wijk_overview(orgs, municipality=code)
        context["civil_servant"] = {
            "organisations": orgs,
            "rows": rows,
            "totals": blocks.total_row(rows),
            "need_columns": blocks.NEED_SHORT_LABELS,
        }
    return render(request, "core/dashboard.html", context)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def permission_denied(request, exception):
    return render(request, "403.html", status=403)
