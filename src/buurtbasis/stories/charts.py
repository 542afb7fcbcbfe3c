"""Server-rendered charts of the catalysis page: geometry only.

The templates under ``stories/catalysis/`` draw it as SVG (escaped by the template
engine, coloured by classes in ``stories/catalysis.css``: the CSP forbids inline
styles). Every chart is followed by the same figures as a table for screen readers.
"""

from __future__ import annotations

import math

WIDTH = 320
HIST_HEIGHT = 160
HIST_TOP = 20
HIST_BOTTOM = 24
SERIES = 8  # colour classes bb-series-0 .. bb-series-7, repeated after that


def histogram(counts: list[int], *, width: int = WIDTH, height: int = HIST_HEIGHT) -> dict:
    """Bars for a dyad histogram, left pole to right pole; a count above zero is at
    least 2 units high so it never disappears.

    >>> h = histogram([0, 2, 4])
    >>> [b["height"] for b in h["bars"]], [b["x"] for b in h["bars"]]
    ([0, 58, 116], [4, 111, 217])
    """
    n = max(len(counts), 1)
    plot = height - HIST_TOP - HIST_BOTTOM
    biggest = max(counts, default=0)
    slot = width / n
    bars = []
    for i, count in enumerate(counts):
        h = 0 if biggest <= 0 or count <= 0 else max(2, round(plot * count / biggest))
        x = round(i * slot + 4)
        bars.append(
            {
                "x": x,
                "y": HIST_TOP + plot - h,
                "width": max(1, round(slot - 8)),
                "height": h,
                "count": count,
                "label_x": round(i * slot + slot / 2),
                "label_y": HIST_TOP + plot - h - 4,
            }
        )
    return {"width": width, "height": height, "baseline": HIST_TOP + plot, "bars": bars}


TRI_SIZE = 300
TRI_MARGIN = 36


def triangle_corners(size: int = TRI_SIZE, margin: int = TRI_MARGIN) -> list[tuple[float, float]]:
    """Corner 1 at the top, corner 2 bottom left, corner 3 bottom right (equilateral).

    >>> [(round(x), round(y)) for x, y in triangle_corners()]
    [(150, 36), (36, 233), (264, 233)]
    """
    side = size - 2 * margin
    height = side * math.sqrt(3) / 2
    return [
        (size / 2, margin),
        (margin, margin + height),
        (size - margin, margin + height),
    ]


def triangle(points: list[tuple[float, float, float]], labels: list[str]) -> dict:
    """Dots for triad answers (three weights summing to one), placed by barycentric
    coordinates, and the three corner labels.

    >>> t = triangle([(1, 0, 0), (0, 0.5, 0.5)], ["a", "b", "c"])
    >>> [(d["x"], d["y"]) for d in t["dots"]]
    [(150.0, 36.0), (150.0, 233.5)]
    """
    corners = triangle_corners()
    dots = []
    for w in points:
        x = sum(w[i] * corners[i][0] for i in range(3))
        y = sum(w[i] * corners[i][1] for i in range(3))
        dots.append({"x": round(x, 1), "y": round(y, 1)})
    names = (list(labels) + ["", "", ""])[:3]
    return {
        "size": TRI_SIZE,
        "height": round(corners[1][1] + 40),
        "path": "M {:.1f} {:.1f} L {:.1f} {:.1f} L {:.1f} {:.1f} Z".format(
            *corners[0], *corners[1], *corners[2]
        ),
        "dots": dots,
        "labels": [
            {"text": names[0], "x": corners[0][0], "y": corners[0][1] - 12, "anchor": "middle"},
            {"text": names[1], "x": corners[1][0] - 8, "y": corners[1][1] + 24, "anchor": "start"},
            {"text": names[2], "x": corners[2][0] + 8, "y": corners[2][1] + 24, "anchor": "end"},
        ],
    }


BAR_ROW = 34
BAR_LABEL = 16
BAR_LEFT = 4


def stacked_bars(rows: list[dict], *, width: int = WIDTH) -> dict:
    """One horizontal bar per group, split into the themes' shares of all theme
    mentions in that group (a story with two themes counts in both).

    ``rows``: ``[{"label", "cells": [{"theme", "n"}, ...]}]`` in the themes' order.

    >>> c = stacked_bars([{"label": "A", "cells": [{"theme": 1, "n": 1}, {"theme": 2, "n": 3}]}])
    >>> [(s["x"], s["width"], s["series"]) for s in c["rows"][0]["segments"]]
    [(4, 78, 0), (82, 234, 1)]
    """
    inner = width - 2 * BAR_LEFT
    out = []
    for i, row in enumerate(rows):
        total = sum(c["n"] for c in row["cells"])
        y = i * (BAR_ROW + BAR_LABEL)
        segments, x = [], BAR_LEFT
        for j, cell in enumerate(row["cells"]):
            if total <= 0 or cell["n"] <= 0:
                continue
            w = round(inner * cell["n"] / total)
            segments.append(
                {"x": x, "width": w, "series": j % SERIES, "theme": cell["theme"], "n": cell["n"]}
            )
            x += w
        out.append(
            {
                "label": row["label"],
                "label_y": y + 12,
                "bar_y": y + BAR_LABEL,
                "segments": segments,
            }
        )
    return {
        "width": width,
        "height": len(rows) * (BAR_ROW + BAR_LABEL),
        "bar_height": BAR_ROW - 8,
        "rows": out,
    }
