"""Check that a GeoJSON geometry is a sensible lon/lat (Multi)Polygon.

The checks are deliberately strict and cheap: a choropleth needs closed rings
of real coordinates, nothing more. Problems are returned as codes plus a
location, so that the caller can word them in the user's language.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["GeometryProblem", "validate_geometry"]


@dataclass(frozen=True)
class GeometryProblem:
    """What is wrong with a geometry and where.

    ``code`` is one of: ``missing``, ``type``, ``structure``, ``too_few_points``,
    ``not_closed``, ``coordinate``, ``longitude``, ``latitude``.
    ``polygon``, ``ring`` and ``point`` are zero-based positions (or None).
    """

    code: str
    polygon: int | None = None
    ring: int | None = None
    point: int | None = None
    value: object = None


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _check_ring(ring: object, polygon: int, index: int) -> GeometryProblem | None:
    if not isinstance(ring, list):
        return GeometryProblem("structure", polygon, index)
    for n, position in enumerate(ring):
        if (
            not isinstance(position, list | tuple)
            or len(position) < 2
            or not all(_number(c) for c in position[:2])
        ):
            return GeometryProblem("coordinate", polygon, index, n, position)
        lon, lat = position[0], position[1]
        if not -180 <= lon <= 180:
            return GeometryProblem("longitude", polygon, index, n, lon)
        if not -90 <= lat <= 90:
            return GeometryProblem("latitude", polygon, index, n, lat)
    if len(ring) < 4:
        return GeometryProblem("too_few_points", polygon, index, None, len(ring))
    if list(ring[0][:2]) != list(ring[-1][:2]):
        return GeometryProblem("not_closed", polygon, index)
    return None


def validate_geometry(geometry: object) -> GeometryProblem | None:
    """Return the first problem of a GeoJSON (Multi)Polygon, or None when it is fine.

    >>> square = [[[6.0, 52.5], [6.1, 52.5], [6.1, 52.6], [6.0, 52.5]]]
    >>> validate_geometry({"type": "Polygon", "coordinates": square}) is None
    True
    >>> validate_geometry({"type": "Point", "coordinates": [6.0, 52.5]}).code
    'type'
    >>> open_ring = [[[6.0, 52.5], [6.1, 52.5], [6.1, 52.6], [6.0, 52.6]]]
    >>> validate_geometry({"type": "Polygon", "coordinates": open_ring}).code
    'not_closed'
    >>> swapped = [[[52.5, 6.0], [52.5, 6.1], [252.6, 6.1], [52.5, 6.0]]]
    >>> problem = validate_geometry({"type": "MultiPolygon", "coordinates": [swapped]})
    >>> (problem.code, problem.polygon, problem.ring, problem.point)
    ('longitude', 0, 0, 2)
    """
    if not isinstance(geometry, dict) or "type" not in geometry:
        return GeometryProblem("missing")
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon":
        if not isinstance(coordinates, list) or not coordinates:
            return GeometryProblem("structure")
        polygons = coordinates
    else:
        return GeometryProblem("type", value=kind)
    for p, rings in enumerate(polygons):
        if not isinstance(rings, list) or not rings:
            return GeometryProblem("structure", p)
        for r, ring in enumerate(rings):
            problem = _check_ring(ring, p, r)
            if problem:
                return problem
    return None
