"""A small server-rendered SVG that shows where a plan is: its area with a dot at the point.

No tiles and no JavaScript (the same projection as the areas app's maps). Returns an empty
string when the plan has no point or its area has no stored boundary.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from buurtcore.geo import fit_projection, iter_positions, path_data

from .models import Plan


def plan_point_map(plan: Plan, *, width: int = 320) -> SafeString:
    if plan.latitude is None or plan.longitude is None or plan.area_id is None:
        return mark_safe("")
    boundary = plan.area.boundary
    if not boundary:
        return mark_safe("")
    lon, lat = float(plan.longitude), float(plan.latitude)
    projection = fit_projection([*iter_positions(boundary), (lon, lat)], width=width, margin=10)
    x, y = projection.project(lon, lat)
    dom_id = f"plan-map-{plan.pk}"
    title = _("Where the plan “%(title)s” is") % {"title": plan.title}
    desc = _("The area %(area)s in grey; the dot marks the place of the plan.") % {
        "area": plan.area.name
    }
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="plan-map" id="{dom_id}" '
        f'viewBox="0 0 {projection.width:.0f} {projection.height:.0f}" '
        f'width="{projection.width:.0f}" height="{projection.height:.0f}" role="img" '
        f'aria-labelledby="{dom_id}-title {dom_id}-desc">'
        f'<title id="{dom_id}-title">{escape(title)}</title>'
        f'<desc id="{dom_id}-desc">{escape(desc)}</desc>'
        f'<path d="{path_data(boundary, projection)}" fill="#e4e7eb" stroke="#4a4a4a" '
        'stroke-width="1.5" fill-rule="evenodd"/>'
        f'<circle cx="{x}" cy="{y}" r="9" fill="#a3470d" stroke="#ffffff" stroke-width="3"/>'
        "</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - numbers and escaped text only
