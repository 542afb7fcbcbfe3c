"""Server-rendered SVG maps of wijken: a choropleth and a small location map.

No tiles, no JavaScript: the boundaries stored on each area are projected
(:mod:`buurtcore.geo`) and written as ``<path>`` elements. Every text that goes
into the SVG is escaped here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.urls import get_script_prefix
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from buurtcore.geo import (
    PALETTE,
    class_breaks,
    class_index,
    fit_projection,
    iter_positions,
    label_point,
    path_data,
)

from .models import Area, Indicator, IndicatorValue
from .services import data_version, load_boundaries, missing_label

NO_DATA_FILL = "url(#{id}-nodata)"
MAP_WIDTH = 600
CACHE_SECONDS = 60 * 60


@dataclass
class LegendClass:
    colour: str
    low: str
    high: str
    count: int


@dataclass
class MapRow:
    area: Area
    value: IndicatorValue | None
    colour: str | None
    initiatives: int

    @property
    def has_value(self) -> bool:
        return self.value is not None and self.value.value is not None


@dataclass
class Choropleth:
    svg: SafeString
    legend: list[LegendClass]
    rows: list[MapRow]
    has_missing: bool
    indicator: Indicator
    dom_id: str


def format_value(value, indicator: Indicator) -> str:
    """A figure in the active language's notation, with the indicator's decimals."""
    return number_format(value, decimal_pos=indicator.decimals, force_grouping=True)


def describe_value(value: IndicatorValue | None, indicator: Indicator) -> str:
    if value is None or value.value is None:
        return missing_label(value)
    text = format_value(value.value, indicator)
    unit = indicator.unit
    if unit.startswith("aantal "):  # "aantal inwoners per km²" reads as "inwoners per km²"
        unit = unit[len("aantal ") :]
    if unit and unit not in ("aantal", "number"):
        text = f"{text} {unit}" if unit != "%" else f"{text}%"
    return text


def build_choropleth(
    *,
    municipality: Area,
    districts: Sequence[Area],
    indicator: Indicator,
    values: Mapping[tuple[int, int], IndicatorValue],
    counts: Mapping[int, int],
    method: str = "quantile",
    dom_id: str = "wijkkaart",
) -> Choropleth:
    """Colour classes, legend, table rows and the (cached) SVG for one indicator."""
    rows = [
        MapRow(
            area=d,
            value=values.get((d.pk, indicator.pk)),
            colour=None,
            initiatives=counts.get(d.pk, 0),
        )
        for d in districts
    ]
    numbers = [r.value.value for r in rows if r.has_value]
    breaks = class_breaks(numbers, method=method)
    members: list[list] = [[] for _ in range(max(len(breaks) - 1, 0))]
    for row in rows:
        if row.has_value:
            members[class_index(row.value.value, breaks)].append(row)
    legend: list[LegendClass] = []
    for i, group in enumerate(members):
        if not group:
            continue
        numbers_in_class = [r.value.value for r in group]
        colour = PALETTE[i] if len(breaks) > 2 else PALETTE[2]
        # The legend shows the lowest and highest value actually in each class.
        legend.append(
            LegendClass(
                colour=colour,
                low=format_value(min(numbers_in_class), indicator),
                high=format_value(max(numbers_in_class), indicator),
                count=len(group),
            )
        )
        for row in group:
            row.colour = colour
    has_missing = any(not r.has_value for r in rows)
    fingerprint = hashlib.sha256(
        repr(
            [(r.area.pk, r.colour, r.initiatives, str(r.value and r.value.value)) for r in rows]
        ).encode()
    ).hexdigest()[:16]
    key = (
        f"areas:map:{municipality.pk}:{indicator.key}:{municipality.year}:{method}:"
        f"{get_language()}:{dom_id}:{data_version()}:{fingerprint}:"
        # the links in the map carry the /g/<slug>/ prefix when the page has one
        f"{get_script_prefix()}"
    )
    svg = cache.get(key)
    if svg is None:
        if any("boundary" in area.get_deferred_fields() for area in districts):
            load_boundaries(districts)
        svg = _choropleth_svg(municipality, indicator, rows, dom_id)
        cache.set(key, svg, CACHE_SECONDS)
    return Choropleth(
        svg=mark_safe(svg),  # noqa: S308 - built from escaped parts only
        legend=legend,
        rows=rows,
        has_missing=has_missing,
        indicator=indicator,
        dom_id=dom_id,
    )


def _svg_open(dom_id: str, width: float, height: float, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="area-map" id="{dom_id}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'role="img" aria-labelledby="{dom_id}-title {dom_id}-desc">',
        f'<title id="{dom_id}-title">{escape(title)}</title>',
        f'<desc id="{dom_id}-desc">{escape(desc)}</desc>',
    ]


def _no_data_pattern(dom_id: str) -> str:
    return (
        f'<defs><pattern id="{dom_id}-nodata" width="8" height="8" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="8" height="8" fill="#ffffff"/>'
        '<line x1="0" y1="0" x2="0" y2="8" stroke="#6b6b6b" stroke-width="3"/>'
        "</pattern></defs>"
    )


def _choropleth_svg(
    municipality: Area, indicator: Indicator, rows: Sequence[MapRow], dom_id: str
) -> str:
    drawable = [r for r in rows if r.area.boundary]
    if not drawable:
        return ""
    projection = fit_projection(
        (p for r in drawable for p in iter_positions(r.area.boundary)), width=MAP_WIDTH
    )
    title = _("%(municipality)s: %(indicator)s per wijk, %(year)s") % {
        "municipality": municipality.name,
        "indicator": indicator.title,
        "year": municipality.year,
    }
    desc = ngettext(
        "Map of %(count)s wijk. A darker colour means a higher value; hatched "
        "wijken have no data. Circles show the number of active initiatives. The "
        "table below the map gives the same figures.",
        "Map of %(count)s wijken. A darker colour means a higher value; hatched "
        "wijken have no data. Circles show the number of active initiatives. The "
        "table below the map gives the same figures.",
        len(drawable),
    ) % {"count": len(drawable)}
    parts = _svg_open(dom_id, projection.width, projection.height, title, desc)
    parts.append(_no_data_pattern(dom_id))
    parts.append(
        '<g class="area-map-areas" stroke="#1b1b1b" stroke-width="1.2" '
        'stroke-linejoin="round" fill-rule="evenodd">'
    )
    labels = []
    links = []
    for row in drawable:
        area = row.area
        fill = row.colour or NO_DATA_FILL.format(id=dom_id)
        shape = path_data(area.boundary, projection)
        tooltip = "{name}\n{indicator}: {value}\n{initiatives}".format(
            name=area.name,
            indicator=indicator.title,
            value=describe_value(row.value, indicator),
            initiatives=ngettext(
                "%(count)s active initiative", "%(count)s active initiatives", row.initiatives
            )
            % {"count": row.initiatives},
        )
        parts.append(f'<path d="{shape}" fill="{fill}"/>')
        links.append(
            f'<a href="{escape(area.get_absolute_url())}" tabindex="-1">'
            f'<path d="{shape}"><title>{escape(tooltip)}</title></path></a>'
        )
        if row.initiatives:
            x, y = projection.project(*label_point(area.boundary))
            labels.append(
                f'<g class="area-map-count">'
                f'<circle cx="{x}" cy="{y}" r="11" fill="#ffffff" stroke="#1b1b1b" '
                f'stroke-width="1.5"/><text x="{x}" y="{y}" dy="0.35em" '
                f'text-anchor="middle" font-size="13" font-weight="700" '
                f'fill="#1b1b1b">{row.initiatives}</text></g>'
            )
    parts.append("</g>")
    parts.extend(labels)
    parts.append("</svg>")
    # The picture is one image for assistive technology (role="img"); the clickable
    # wijken lie on top of it in a layer of their own that is hidden from it, since
    # an image cannot contain links. Keyboard and screen-reader users get the same
    # links in the table below the map.
    overlay = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="area-map-links" aria-hidden="true" '
        f'focusable="false" viewBox="0 0 {projection.width:.0f} {projection.height:.0f}">'
        '<g fill="#000000" fill-opacity="0" stroke="none" fill-rule="evenodd">'
        + "".join(links)
        + "</g></svg>"
    )
    return f'<div class="area-map-wrap">{"".join(parts)}{overlay}</div>'


def build_location_map(*, area: Area, siblings: Sequence[Area], width: int = 320) -> SafeString:
    """A small map that shows where a wijk lies among the other wijken."""
    key = f"areas:locator:{area.pk}:{get_language()}:{width}:{data_version()}:{get_script_prefix()}"
    svg = cache.get(key)
    if svg is not None:
        return mark_safe(svg)  # noqa: S308 - cached output of this function
    shapes = [a for a in siblings if a.boundary]
    if area.boundary and area not in shapes:
        shapes.append(area)
    if not area.boundary:
        return mark_safe("")
    projection = fit_projection(
        (p for a in shapes for p in iter_positions(a.boundary)), width=width
    )
    dom_id = f"ligging-{area.code.lower()}"
    parent_name = area.parent.name if area.parent else ""
    title = _("Where %(area)s lies in %(municipality)s") % {
        "area": area.name,
        "municipality": parent_name,
    }
    desc = _("%(area)s is drawn in dark blue, the other areas in grey.") % {"area": area.name}
    parts = _svg_open(dom_id, projection.width, projection.height, title, desc)
    parts.append('<g stroke="#4a4a4a" stroke-width="1" fill-rule="evenodd">')
    for shape in shapes:
        if shape.pk == area.pk:
            continue
        parts.append(f'<path d="{path_data(shape.boundary, projection)}" fill="#e4e7eb"/>')
    parts.append(
        f'<path d="{path_data(area.boundary, projection)}" fill="#0b5394" '
        'stroke="#073763" stroke-width="2"/>'
    )
    parts.append("</g></svg>")
    svg = "".join(parts)
    cache.set(key, svg, CACHE_SECONDS)
    return mark_safe(svg)  # noqa: S308 - built from escaped parts only


CLASS_METHODS = ("quantile", "equal")


def municipality_map(
    *,
    municipality: Area,
    indicator_key: str | None = None,
    method: str | None = None,
    counts=None,
) -> dict:
    """Everything the home page's map needs, in a constant number of queries.

    ``counts(districts) -> {wijk id: number}`` gives the number in each wijk's circle
    (the portal passes active initiatives); without it the circles are left out.

    ``method`` is ``quantile`` (each colour about as many wijken, the default) or
    ``equal`` (equal steps between the lowest and the highest value).
    """
    if method not in CLASS_METHODS:
        method = CLASS_METHODS[0]
    from . import services

    districts = services.get_districts(municipality=municipality, with_boundary=False)
    indicators = services.map_indicators(municipality=municipality)
    indicator = services.choose_indicator(indicators, indicator_key)
    counts = counts(districts) if counts is not None else {}
    choropleth = None
    if indicator is not None and districts:
        values = services.values_for(areas=districts, indicators=[indicator])
        choropleth = build_choropleth(
            municipality=municipality,
            districts=districts,
            indicator=indicator,
            values=values,
            counts=counts,
            method=method,
        )
    return {
        "method": method,
        "districts": districts,
        "indicators": indicators,
        "indicator": indicator,
        "choropleth": choropleth,
        "active_total": sum(counts.values()),
    }


def build_pick_map(*, areas: Sequence[Area], href, width: int = MAP_WIDTH) -> SafeString:
    """A map on which each area is a link (``href(area)``) that picks it; no JavaScript.

    Where an area and the buurten in it are both given, the buurten are drawn. The
    links lie in a layer hidden from assistive technology, like the home page's map:
    the same choice is always offered as a list next to the map.
    """
    drawable = [a for a in areas if a.boundary]
    parents = {a.parent_id for a in drawable}
    drawable = [a for a in drawable if a.pk not in parents]
    if not drawable:
        return mark_safe("")
    projection = fit_projection(
        (p for a in drawable for p in iter_positions(a.boundary)), width=width
    )
    title = _("Map of the areas of this round")
    desc = _("Choose the area where you live on the map or in the list below it.")
    parts = _svg_open("kies-gebied", projection.width, projection.height, title, desc)
    parts.append('<g stroke="#1b1b1b" stroke-width="1.2" fill="#e4e7eb" fill-rule="evenodd">')
    links = []
    for area in drawable:
        shape = path_data(area.boundary, projection)
        parts.append(f'<path d="{shape}"/>')
        links.append(
            f'<a href="{escape(href(area))}" tabindex="-1" class="pick-area" '
            f'data-area="{area.pk}"><path d="{shape}"><title>{escape(area.name)}</title>'
            "</path></a>"
        )
    parts.append("</g></svg>")
    overlay = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="area-map-links" aria-hidden="true" '
        f'focusable="false" viewBox="0 0 {projection.width:.0f} {projection.height:.0f}">'
        '<g fill="#000000" fill-opacity="0" stroke="none" fill-rule="evenodd">'
        + "".join(links)
        + "</g></svg>"
    )
    return mark_safe(f'<div class="area-map-wrap">{"".join(parts)}{overlay}</div>')  # noqa: S308
