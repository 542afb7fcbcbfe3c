"""The wijk pages: CBS key figures of a wijk or buurt beside what happens there."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from buurtbasis.areas import services
from buurtbasis.areas.maps import build_location_map
from buurtbasis.areas.models import Area, AreaLevel
from buurtbasis.budgets.queries import open_rounds
from buurtbasis.initiatives.queries import count_active_initiatives, initiatives_in
from buurtbasis.platform.tenancy import get_tenant

INDEX_FIGURES = (
    "AantalInwoners_5",
    "Bevolkingsdichtheid_34",
    "percentagePersonen0Tot15Jaar",
    "percentagePersonen65JaarEnOuder",
    "GemiddeldeHuishoudensgrootte_33",
)
INITIATIVES_PER_PAGE = 12


def district_index(request):
    municipality = services.get_municipality(code=get_tenant(request).cbs_code)
    context = {"municipality": municipality, "rows": [], "indicators": []}
    if municipality is not None:
        districts = services.get_districts(municipality=municipality)
        indicators = services.indicators_by_key(INDEX_FIGURES)
        values = services.values_for(areas=[municipality, *districts], indicators=indicators)
        counts = count_active_initiatives(districts=districts)
        context["indicators"] = indicators
        context["rows"] = [
            {
                "area": d,
                "figures": [values.get((d.pk, i.pk)) for i in indicators],
                "initiatives": counts[d.pk],
            }
            for d in districts
        ]
        context["totals"] = [values.get((municipality.pk, i.pk)) for i in indicators]
        context["total_initiatives"] = sum(counts.values())
        context["sources"] = sorted({v.source for v in values.values() if v.source})
    return render(request, "areas/district_index.html", context)


def _render_detail(request, area: Area):
    siblings = (
        list(
            Area.objects.filter(parent_id=area.parent_id, level=area.level).only(
                "pk", "code", "boundary", "year"
            )
        )
        if area.parent_id
        else []
    )
    figures = services.key_figures(area=area)
    initiatives = initiatives_in(area=area).prefetch_related("themes")
    page = Paginator(initiatives, INITIATIVES_PER_PAGE).get_page(request.GET.get("pagina"))
    context = {
        "area": area,
        "municipality": area.parent
        if area.level == AreaLevel.DISTRICT
        else (area.parent.parent if area.parent else None),
        "figures": figures,
        "sources": sorted({f.value.source for f in figures if f.value.source}),
        "location_map": build_location_map(area=area, siblings=siblings),
        "page": page,
        "children": list(area.children.order_by("code").only("pk", "name", "code", "year")),
        "open_rounds": open_rounds(get_tenant(request).cbs_code, area=area),
        "open_rounds_area": area,
    }
    return render(request, "areas/district_detail.html", context)


def district_detail(request, year: int, code: str):
    area = get_object_or_404(
        Area.objects.in_municipality(get_tenant(request).cbs_code)
        .select_related("parent", "parent__parent")
        .exclude(level=AreaLevel.MUNICIPALITY),
        year=year,
        code=code.upper(),
    )
    return _render_detail(request, area)


def district_by_slug(request, slug: str):
    area = (
        Area.objects.in_municipality(get_tenant(request).cbs_code)
        .select_related("parent", "parent__parent")
        .exclude(level=AreaLevel.MUNICIPALITY)
        .filter(slug=slug)
        .order_by("-year")
        .first()
    )
    if area is None:
        raise Http404
    return _render_detail(request, area)
