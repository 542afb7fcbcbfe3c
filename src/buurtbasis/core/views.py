from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from buurtbasis.areas import services as area_services
from buurtbasis.areas.maps import municipality_map
from buurtbasis.initiatives.models import Initiative

RECENT_INITIATIVES = 6


def home(request):
    """The municipality's wijken on a map shaded by a CBS figure, recent initiatives, search."""
    municipality = area_services.get_municipality()
    context = {"municipality": municipality}
    if municipality is not None:
        context.update(
            municipality_map(municipality=municipality, indicator_key=request.GET.get("indicator"))
        )
    if request.htmx and request.htmx.target == "map-region":
        return render(request, "areas/_map.html", {**context, "swapped": True})
    context["recent_initiatives"] = list(
        Initiative.objects.public()
        .order_by("-created_at")
        .prefetch_related("areas")[:RECENT_INITIATIVES]
    )
    return render(request, "core/home.html", context)


@login_required
def dashboard(request):
    return render(request, "core/dashboard.html")


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
