from django.shortcuts import render

from buurtbasis.areas import services as area_services
from buurtbasis.areas.maps import municipality_map
from buurtbasis.budgets.queries import open_rounds
from buurtbasis.initiatives.models import Initiative
from buurtbasis.initiatives.queries import count_active_initiatives
from buurtbasis.initiatives.views import login_required
from buurtbasis.organisations.access import is_platform_admin
from buurtbasis.platform.blocks import blocks_for
from buurtbasis.platform.tenancy import get_tenant

RECENT_INITIATIVES = 6


def home(request):
    """The municipality's wijken on a map shaded by a CBS figure, recent initiatives, search.

    The municipality is the current tenant (``platform.tenancy``)."""
    code = get_tenant(request).cbs_code
    municipality = area_services.get_municipality(code=code)
    context = {"municipality": municipality}
    if municipality is not None:
        context.update(
            municipality_map(
                municipality=municipality,
                indicator_key=request.GET.get("indicator"),
                method=request.GET.get("classes"),
                counts=lambda districts: count_active_initiatives(districts=districts),
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
    context["open_rounds"] = open_rounds(code)
    return render(request, "portal/home.html", context)


@login_required
def dashboard(request):
    """My dashboard: the blocks that apps contribute for the roles the user holds."""
    return render(
        request,
        "portal/dashboard.html",
        {
            "blocks": blocks_for("dashboard", request),
            "open_rounds": open_rounds(get_tenant(request).cbs_code, area=request.user.home_area),
            "open_rounds_area": request.user.home_area,
            "is_platform_admin": is_platform_admin(request.user),
        },
    )
