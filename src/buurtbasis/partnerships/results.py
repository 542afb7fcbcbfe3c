"""Pulse results: means per round, aspect and side, with the aggregation rule.

A side's mean in a round is shown only when at least ``MIN_ANSWERS`` people of that side
answered without their name, or when every answer of that side was given with a name
(a named answer does not count towards the threshold: it would leave the others fewer to
hide among). Open answers without a name are shown only with ``MIN_ANSWERS`` answers
without a name in that round; answers given with a name are always shown with that name.
There is no mean over all sides: with the side means it would give away a hidden side's
figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .pulse import ASPECT_KEYS, ASPECTS

MIN_ANSWERS = 3
#: A side's mean of an aspect that falls by this much from one round to the next is a drop.
DROP = 0.5


@dataclass
class Cell:
    n: int
    mean: float | None  # None: hidden (too few answers) or no answers


@dataclass
class RoundResult:
    number: int
    opens_on: object
    answers: int
    anonymous: int = 0  # answers given without a name
    #: side id -> aspect -> Cell
    cells: dict = field(default_factory=dict)
    open_answers: list = field(default_factory=list)  # texts (no names), sorted
    named: list = field(default_factory=list)  # (name, side name, aspect means, text)


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 2)


def compute(rounds, sides, answers) -> list[RoundResult]:
    """``answers``: dicts with ``pulse_round_id``, ``side_id``, the aspect keys,
    ``open_text``, ``show_name`` and ``name`` (the author's display name when shown)."""
    by_round: dict[int, list[dict]] = {}
    for a in answers:
        by_round.setdefault(a["pulse_round_id"], []).append(a)
    side_names = {s.pk: s.name for s in sides}
    out = []
    for r in rounds:
        rows = by_round.get(r.pk, [])
        result = RoundResult(
            number=r.number,
            opens_on=r.opens_on,
            answers=len(rows),
            anonymous=sum(1 for a in rows if not a["show_name"]),
        )
        for side in sides:
            mine = [a for a in rows if a["side_id"] == side.pk]
            anonymous = sum(1 for a in mine if not a["show_name"])
            visible = bool(mine) and (anonymous >= MIN_ANSWERS or anonymous == 0)
            result.cells[side.pk] = {
                key: Cell(n=len(mine), mean=_mean([a[key] for a in mine]) if visible else None)
                for key in ASPECT_KEYS
            }
        if result.anonymous >= MIN_ANSWERS:
            result.open_answers = sorted(
                a["open_text"] for a in rows if a["open_text"] and not a["show_name"]
            )
        result.named = [
            {
                "name": a["name"] or "",
                "side": side_names.get(a["side_id"], ""),
                "means": [(str(asp.label), a[asp.key]) for asp in ASPECTS],
                "text": a["open_text"],
            }
            for a in rows
            if a["show_name"]
        ]
        out.append(result)
    return out


def largest_gap(result: RoundResult | None, sides) -> dict | None:
    """The aspect with the largest difference between two sides' shown means in a round."""
    if result is None:
        return None
    best = None
    for aspect in ASPECTS:
        shown = [
            (side, result.cells[side.pk][aspect.key].mean)
            for side in sides
            if result.cells.get(side.pk, {}).get(aspect.key)
            and result.cells[side.pk][aspect.key].mean is not None
        ]
        if len(shown) < 2:
            continue
        low = min(shown, key=lambda s: s[1])
        high = max(shown, key=lambda s: s[1])
        gap = round(high[1] - low[1], 2)
        if best is None or gap > best["gap"]:
            best = {
                "aspect": str(aspect.label),
                "gap": gap,
                "low": low[0].name,
                "low_mean": low[1],
                "high": high[0].name,
                "high_mean": high[1],
            }
    return best


def drops(results: list[RoundResult], sides, *, threshold: float = DROP) -> list[dict]:
    """Aspects where a side's shown mean fell by ``threshold`` or more from the previous
    round to the latest one (both shown)."""
    if len(results) < 2:
        return []
    previous, latest = results[-2], results[-1]
    found = []
    for aspect in ASPECTS:
        for side in sides:
            before = previous.cells.get(side.pk, {}).get(aspect.key)
            now = latest.cells.get(side.pk, {}).get(aspect.key)
            if before is None or now is None or before.mean is None or now.mean is None:
                continue
            if before.mean - now.mean >= threshold:
                found.append(
                    {
                        "aspect": str(aspect.label),
                        "side": side.name,
                        "before": before.mean,
                        "now": now.mean,
                    }
                )
    return found


# -- the chart -------------------------------------------------------------------------

WIDTH = 320
HEIGHT = 180
LEFT = 28
RIGHT = 12
TOP = 12
BOTTOM = 28


def line_chart(results: list[RoundResult], sides, aspect_key: str) -> dict:
    """Geometry of one aspect's chart: x = round, y = mean 1..5, one line per side; a
    hidden mean breaks the line.

    >>> from types import SimpleNamespace as S
    >>> r = [RoundResult(1, None, 3, cells={7: {"ambition": Cell(3, 1.0)}}),
    ...      RoundResult(2, None, 3, cells={7: {"ambition": Cell(3, 5.0)}})]
    >>> c = line_chart(r, [S(pk=7, name="A")], "ambition")
    >>> [(p["x"], p["y"]) for p in c["series"][0]["points"]]
    [(28.0, 152.0), (308.0, 12.0)]
    """
    n = len(results)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def x_of(i: int) -> float:
        return round(LEFT + (plot_w * i / (n - 1) if n > 1 else plot_w / 2), 1)

    def y_of(v: float) -> float:
        return round(TOP + plot_h * (5 - v) / 4, 1)

    series = []
    for j, side in enumerate(sides):
        points, segments, current = [], [], []
        for i, result in enumerate(results):
            cell = result.cells.get(side.pk, {}).get(aspect_key)
            if cell is None or cell.mean is None:
                if len(current) > 1:
                    segments.append(current)
                current = []
                continue
            point = {"x": x_of(i), "y": y_of(cell.mean), "mean": cell.mean}
            points.append(point)
            current.append(point)
        if len(current) > 1:
            segments.append(current)
        series.append(
            {
                "name": side.name,
                "index": j % 8,
                "points": points,
                "paths": ["M " + " L ".join(f"{p['x']} {p['y']}" for p in seg) for seg in segments],
            }
        )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "grid": [{"value": v, "y": y_of(v)} for v in (1, 2, 3, 4, 5)],
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "labels": [{"x": x_of(i), "text": r.number} for i, r in enumerate(results)],
        "label_y": HEIGHT - 8,
        "series": series,
    }
