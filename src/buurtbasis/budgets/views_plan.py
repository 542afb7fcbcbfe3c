"""The plan form's helpers: the map to pick a place on, and showing the form again.

Without JavaScript every step is a submit button: a click on the map (an ``<input
type="image">`` that sends the x and y of the click), "remove the place" and "add a line"
post the whole form, and the page comes back with everything typed still in it.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from buurtbasis.platform.tenancy import get_tenant

from . import access
from .forms import MAX_COST_LINES, CostLineFormSet, PlanForm, posted_cost_rows
from .maps import LocationPicker, location_picker

#: The buttons of the plan form that show it again instead of saving it.
REDISPLAY_ACTIONS = ("map", "remove_point", "add_line")


def plan_form_action(post) -> str | None:
    """Which redisplay button was pressed, if any."""
    if "map.x" in post or "map.y" in post:
        return "map"
    for action in ("remove_point", "add_line"):
        if action in post:
            return action
    return None


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def form_point(form) -> tuple[Decimal | None, Decimal | None]:
    """The place in a plan form (bound or not), or (None, None)."""
    lat, lon = _decimal(form["latitude"].value()), _decimal(form["longitude"].value())
    if lat is None or lon is None:
        return None, None
    return lat, lon


def place_context(budget_round, picker: LocationPicker | None, form) -> dict:
    """What the "Where" part of the plan form shows: the map and the place picked on it."""
    if picker is None:
        return {"picker": None}
    lat, lon = form_point(form)
    url = reverse("budgets:round-location-map", args=[budget_round.slug])
    if lat is not None:
        url += "?" + urlencode({"lat": str(lat), "lon": str(lon)})
    place_area = picker.area_at(lat, lon) if lat is not None else None
    return {
        "picker": picker,
        "map_url": url,
        "has_point": lat is not None,
        "place_area": place_area,
    }


def redisplay_plan_form(request, *, budget_round, action: str):
    """Show the form again after a map click, "remove the place" or "add a line".

    Nothing is validated yet (no error messages for fields the resident has not reached);
    the typed values come back as they were. Returns the form, the cost lines and extra context.
    """
    data = request.POST.copy()
    picker = location_picker(budget_round)
    extra: dict = {}
    if action == "map":
        extra["focus_map"] = True
        point = None
        try:
            x, y = int(data.get("map.x", "")), int(data.get("map.y", ""))
        except ValueError:
            x = y = 0
        if picker is None:
            extra["place_message"] = _("There is no map for this round.")
        elif (x, y) == (0, 0):
            # a keyboard "click" on the map sends 0, 0: there is no place to read
            extra["place_message"] = _(
                "To mark a place, click or tap on the map. You can also choose the area "
                "from the list and describe the place in words."
            )
        else:
            point = picker.point_at(x, y)
            if point is None:
                extra["place_message"] = _(
                    "That place lies outside the areas of this round. Click inside a grey area."
                )
        if point is not None:
            data["latitude"], data["longitude"] = str(point[0]), str(point[1])
            data["area"] = str(picker.area_at(*point).pk)
    elif action == "remove_point":
        data["latitude"] = data["longitude"] = ""
        extra["focus_map"] = picker is not None
    rows = posted_cost_rows(data)
    if action == "add_line":
        if len(rows) >= MAX_COST_LINES:
            extra["cost_message"] = ngettext(
                "A plan can have at most %(n)s cost line.",
                "A plan can have at most %(n)s cost lines.",
                MAX_COST_LINES,
            ) % {"n": MAX_COST_LINES}
        else:
            rows.append({})
            extra["new_line"] = len(rows) - 1
    initial = {name: data.get(name, "") for name in PlanForm.base_fields if name != "photo"}
    form = PlanForm(initial=initial, budget_round=budget_round, user=request.user)
    formset = CostLineFormSet(prefix="costs", initial=rows)
    formset.extra = 0 if rows else 1
    if "new_line" in extra:
        formset.forms[extra["new_line"]].fields["description"].widget.attrs["autofocus"] = True
    if request.FILES.get("photo"):
        extra["photo_again"] = True
    return form, formset, extra


@require_GET
def round_location_map(request, slug):
    """The round's areas as an SVG image, with the place of ``?lat=…&lon=…`` when given."""
    budget_round = access.get_round_for_viewer(request.user, slug, get_tenant(request).cbs_code)
    picker = location_picker(budget_round)
    if picker is None:
        raise Http404
    lat, lon = _decimal(request.GET.get("lat")), _decimal(request.GET.get("lon"))
    if lat is None or lon is None or picker.area_at(lat, lon) is None:
        lat = lon = None
    response = HttpResponse(picker.svg(lat, lon), content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
