"""A small server-rendered SVG that shows where a plan is: its area with a dot at the point.

No tiles and no JavaScript (the same projection as the areas app's maps). Returns an empty
string when the plan has no point or its area has no stored boundary.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from buurtcore.geo import (
    Projection,
    contains_point,
    fit_projection,
    iter_positions,
    label_point,
    path_data,
)

from .models import BudgetRound, Plan

#: The map to pick a plan's place on: this many CSS pixels wide and never scaled, so a click
#: on the ``<input type="image">`` (x and y in CSS pixels) is a point of the SVG canvas.
PICKER_WIDTH = 320
PICKER_MARGIN = 10
_SIX_PLACES = Decimal("0.000001")


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


@dataclass
class LocationPicker:
    """The areas of a round on one canvas: turns a click into a place and a place into an area."""

    projection: Projection
    areas: list  # Area rows that have a boundary, in the round's order

    @property
    def width(self) -> int:
        return round(self.projection.width)

    @property
    def height(self) -> int:
        return round(self.projection.height)

    def point_at(self, x: int, y: int) -> tuple[Decimal, Decimal] | None:
        """(latitude, longitude) with six decimals under a click, or None outside every area."""
        lon, lat = self.projection.unproject(float(x), float(y))
        if self.area_at(lat, lon) is None:
            return None
        return (
            Decimal(repr(lat)).quantize(_SIX_PLACES, ROUND_HALF_EVEN),
            Decimal(repr(lon)).quantize(_SIX_PLACES, ROUND_HALF_EVEN),
        )

    def area_at(self, lat, lon):
        """The round's area that holds the point, or None."""
        for area in self.areas:
            if contains_point(area.boundary, float(lon), float(lat)):
                return area
        return None

    def svg(self, lat=None, lon=None) -> str:
        """A standalone SVG document: the areas with their names and, when given, the place."""
        p = self.projection
        parts = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width} {self.height}" '
            f'width="{self.width}" height="{self.height}" font-family="sans-serif" '
            'font-size="12">',
            f'<rect width="{self.width}" height="{self.height}" fill="#ffffff"/>',
        ]
        for area in self.areas:
            parts.append(
                f'<path d="{path_data(area.boundary, p)}" fill="#e4e7eb" stroke="#4a4a4a" '
                'stroke-width="1" fill-rule="evenodd"/>'
            )
        for area in self.areas:
            x, y = p.project(*label_point(area.boundary))
            parts.append(
                f'<text x="{x}" y="{y}" text-anchor="middle" fill="#1a1a1a" stroke="#ffffff" '
                f'stroke-width="3" paint-order="stroke">{escape(area.name)}</text>'
            )
        if lat is not None and lon is not None:
            x, y = p.project(float(lon), float(lat))
            parts.append(
                f'<circle cx="{x}" cy="{y}" r="8" fill="#a3470d" stroke="#ffffff" '
                'stroke-width="3"/>'
            )
        parts.append("</svg>")
        return "".join(parts)


def location_picker(budget_round: BudgetRound) -> LocationPicker | None:
    """The picker for a round, or None when none of its areas has a stored boundary."""
    areas = [area for area in budget_round.areas.order_by("name", "pk") if area.boundary]
    if not areas:
        return None
    positions = [position for area in areas for position in iter_positions(area.boundary)]
    projection = fit_projection(positions, width=PICKER_WIDTH, margin=PICKER_MARGIN)
    return LocationPicker(projection=projection, areas=areas)
