"""Colour classes for choropleth maps.

Five classes with quantile breaks (each class holds about as many areas) or
equal intervals, and a sequential, colour-blind-safe palette (yellow → green →
blue, after ColorBrewer's YlGnBu; the hex values are facts, not code).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from decimal import Decimal

__all__ = ["CLASS_COUNT", "PALETTE", "class_breaks", "class_index"]

CLASS_COUNT = 5
PALETTE = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")

Number = int | float | Decimal


def class_breaks(
    values: Sequence[Number], *, method: str = "quantile", classes: int = CLASS_COUNT
) -> list[Number]:
    """Class boundaries: ``[lowest, b1, …, highest]`` with at most ``classes`` classes.

    Class ``i`` runs from ``breaks[i]`` up to ``breaks[i + 1]``; the last class
    includes its upper boundary. Duplicate boundaries are merged, so few
    distinct values give fewer classes.

    >>> class_breaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    [1, 3, 5, 7, 9, 10]
    >>> class_breaks([0, 10, 20, 100], method="equal")
    [0, 20, 40, 60, 80, 100]
    >>> class_breaks([4, 4, 4])
    [4, 4]
    >>> class_breaks([])
    []
    """
    data = sorted(values)
    if not data:
        return []
    low, high = data[0], data[-1]
    if low == high:
        return [low, high]
    if method == "equal":
        step = (high - low) / classes
        inner = [low + step * i for i in range(1, classes)]
        if all(isinstance(v, int) for v in data) and all(float(b).is_integer() for b in inner):
            inner = [int(b) for b in inner]
    elif method == "quantile":
        # The lowest value of each class, taken at positions i·n/classes.
        n = len(data)
        inner = [data[(i * n) // classes] for i in range(1, classes)]
    else:
        raise ValueError(f"unknown classification method {method!r}")
    breaks = [low]
    for b in inner:
        if low < b < high and b != breaks[-1]:
            breaks.append(b)
    breaks.append(high)
    return breaks


def class_index(value: Number, breaks: Sequence[Number]) -> int:
    """Which class (0-based) a value falls into.

    >>> breaks = [1, 3, 5, 7, 9, 10]
    >>> [class_index(v, breaks) for v in (1, 2.9, 3, 9, 10)]
    [0, 0, 1, 4, 4]
    >>> class_index(7, [7, 7])
    0
    """
    if len(breaks) < 2:
        return 0
    position = bisect_right(breaks, value) - 1
    return max(0, min(position, len(breaks) - 2))
