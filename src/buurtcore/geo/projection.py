"""Project lon/lat to SVG coordinates.

An equirectangular projection with the longitudes scaled by cos(latitude) of
the map's centre. For a municipality (tens of kilometres) this is visually
indistinguishable from a conformal projection and needs no library.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

__all__ = [
    "Projection",
    "contains_point",
    "fit_projection",
    "iter_positions",
    "label_point",
    "path_data",
]


def iter_positions(geometry: dict) -> Iterator[tuple[float, float]]:
    """Every (lon, lat) of a Polygon or MultiPolygon.

    >>> list(iter_positions({"type": "Polygon", "coordinates": [[[1, 2], [3, 4]]]}))
    [(1, 2), (3, 4)]
    """
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    for rings in polygons:
        for ring in rings:
            for position in ring:
                yield position[0], position[1]


@dataclass(frozen=True)
class Projection:
    """Maps lon/lat onto a ``width`` × ``height`` SVG canvas (y grows downwards)."""

    min_lon: float
    max_lat: float
    scale: float
    cos_lat: float
    margin: float
    width: float
    height: float

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        """SVG x and y of one position.

        >>> p = fit_projection([(0.0, 0.0), (1.0, 1.0)], width=100, margin=0)
        >>> p.project(0.0, 1.0)
        (0.0, 0.0)
        >>> p.project(1.0, 0.0)
        (100.0, 100.0)
        """
        x = self.margin + (lon - self.min_lon) * self.cos_lat * self.scale
        y = self.margin + (self.max_lat - lat) * self.scale
        return round(x, 1), round(y, 1)

    def unproject(self, x: float, y: float) -> tuple[float, float]:
        """The (lon, lat) under SVG position ``x``, ``y``: the inverse of :meth:`project`.

        >>> p = fit_projection([(0.0, 0.0), (1.0, 1.0)], width=100, margin=0)
        >>> p.unproject(0.0, 0.0)
        (0.0, 1.0)
        >>> [round(v, 3) for v in p.unproject(*p.project(0.25, 0.75))]
        [0.25, 0.75]
        """
        lon = self.min_lon + (x - self.margin) / (self.cos_lat * self.scale)
        lat = self.max_lat - (y - self.margin) / self.scale
        return lon, lat


def fit_projection(
    positions: Iterable[tuple[float, float]], *, width: float = 600, margin: float = 4
) -> Projection:
    """A projection that fits all positions into ``width`` pixels, keeping the aspect ratio.

    The height follows from the shape of the area.

    >>> p = fit_projection([(6.0, 52.0), (7.0, 53.0)], width=200, margin=0)
    >>> round(p.cos_lat, 4), p.width, round(p.height, 1)
    (0.6088, 200, 328.5)
    """
    lons: list[float] = []
    lats: list[float] = []
    for lon, lat in positions:
        lons.append(lon)
        lats.append(lat)
    if not lons:
        raise ValueError("no positions to fit")
    min_lon, max_lon, min_lat, max_lat = min(lons), max(lons), min(lats), max(lats)
    cos_lat = math.cos(math.radians((min_lat + max_lat) / 2))
    span_x = (max_lon - min_lon) * cos_lat or 1e-9
    span_y = (max_lat - min_lat) or 1e-9
    scale = (width - 2 * margin) / span_x
    height = span_y * scale + 2 * margin
    return Projection(min_lon, max_lat, scale, cos_lat, margin, width, height)


def path_data(geometry: dict, projection: Projection) -> str:
    """SVG path data (``d``) for a Polygon or MultiPolygon; one subpath per ring.

    Holes are drawn with the even-odd fill rule, so the caller sets
    ``fill-rule="evenodd"``. Consecutive points that round to the same pixel
    are dropped.

    >>> p = fit_projection([(0.0, 0.0), (1.0, 1.0)], width=10, margin=0)
    >>> ring = [[0, 0], [1, 0], [1, 1], [1, 1], [0, 0]]
    >>> path_data({"type": "Polygon", "coordinates": [ring]}, p)
    'M0,10L10,10L10,0Z'
    """
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    parts: list[str] = []
    for rings in polygons:
        for ring in rings:
            points: list[tuple[float, float]] = []
            for position in ring[:-1]:
                xy = projection.project(position[0], position[1])
                if not points or points[-1] != xy:
                    points.append(xy)
            if len(points) < 3:
                continue
            coords = "L".join(f"{_fmt(x)},{_fmt(y)}" for x, y in points)
            parts.append(f"M{coords}Z")
    return "".join(parts)


def _fmt(number: float) -> str:
    """Short decimal notation: ``10.0`` → ``10``.

    >>> _fmt(10.0), _fmt(3.5), _fmt(-0.0)
    ('10', '3.5', '0')
    """
    text = f"{number:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def label_point(geometry: dict) -> tuple[float, float]:
    """A (lon, lat) to put a label on: the centroid of the largest outer ring.

    Falls back to the ring's first point when the centroid is degenerate.

    >>> square = [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]]
    >>> label_point({"type": "Polygon", "coordinates": square})
    (1.0, 1.0)
    """
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    best: tuple[float, float, float] | None = None
    for rings in polygons:
        ring = rings[0]
        area2 = cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(
            (p[:2] for p in ring[:-1]), (p[:2] for p in ring[1:]), strict=True
        ):
            cross = x0 * y1 - x1 * y0
            area2 += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        if area2 and (best is None or abs(area2) > best[0]):
            best = (abs(area2), cx / (3 * area2), cy / (3 * area2))
    if best is None:
        first = polygons[0][0][0]
        return float(first[0]), float(first[1])
    return best[1], best[2]


def contains_point(geometry: dict, lon: float, lat: float) -> bool:
    """Whether (lon, lat) lies inside a Polygon or MultiPolygon (holes excluded).

    Ray casting with the even-odd rule over every ring, so a point in a hole is outside.
    A point exactly on an edge may fall either way.

    >>> square = {"type": "Polygon", "coordinates": [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]]}
    >>> contains_point(square, 1, 1), contains_point(square, 5, 1)
    (True, False)
    >>> holed = {"type": "Polygon", "coordinates": [
    ...     [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]], [[1, 1], [3, 1], [3, 3], [1, 3], [1, 1]]]}
    >>> contains_point(holed, 2, 2), contains_point(holed, 0.5, 2)
    (False, True)
    """
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    inside = False
    for rings in polygons:
        for ring in rings:
            count = len(ring)
            for i in range(count):
                x0, y0 = ring[i - 1][0], ring[i - 1][1]
                x1, y1 = ring[i][0], ring[i][1]
                if (y1 > lat) != (y0 > lat):
                    cross_x = x1 + (lat - y1) * (x0 - x1) / (y0 - y1)
                    if lon < cross_x:
                        inside = not inside
    return inside
