"""A server-rendered bar chart of a round's results: votes, cost and outcome per plan.

Only geometry is computed here; ``budgets/_results_chart.html`` draws it as SVG
(escaped by the template engine, styled by classes in ``budgets/results.css``,
no inline styles). The same figures appear as a table next to it.
"""

from __future__ import annotations

WIDTH = 360
LEFT = 8
LABEL_ROOM = 92  # room right of the longest bar for its figure
BAR_MAX = WIDTH - LEFT - LABEL_ROOM
ROW = 56
LEGEND = 44
TITLE_CHARS = 44


def _short(title: str) -> str:
    """A title cut to fit one line of the chart.

    >>> _short("x" * 50)[-1], len(_short("x" * 50))
    ('…', 44)
    """
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1].rstrip() + "…"


def _bar(value: int, biggest: int) -> int:
    """Bar length for a value; a value above zero always shows (at least 2 units).

    >>> _bar(5, 10), _bar(0, 10), _bar(1, 1000), _bar(3, 0)
    (130, 0, 2, 0)
    """
    if biggest <= 0 or value <= 0:
        return 0
    return max(2, round(BAR_MAX * value / biggest))


def results_chart(rows: list[dict]) -> dict:
    """Geometry for every plan row (``score``: votes or points, ``cost_cents``, ``funded``).

    >>> chart = results_chart([
    ...     {"title": "A", "score": 10, "cost_cents": 500, "funded": True},
    ...     {"title": "B", "score": 5, "cost_cents": 1000, "funded": False}])
    >>> [(b["votes_width"], b["cost_width"]) for b in chart["bars"]]
    [(260, 130), (130, 260)]
    >>> chart["height"]
    156
    """
    top_score = max((int(r["score"] or 0) for r in rows), default=0)
    top_cost = max((int(r["cost_cents"] or 0) for r in rows), default=0)
    bars = []
    for i, row in enumerate(rows):
        y = LEGEND + i * ROW
        votes_w = _bar(int(row["score"] or 0), top_score)
        cost_w = _bar(int(row["cost_cents"] or 0), top_cost)
        bars.append(
            {
                **row,
                "short_title": _short(row["title"]),
                "title_y": y + 14,
                "votes_y": y + 20,
                "votes_width": votes_w,
                "votes_label_x": LEFT + votes_w + 4,
                "votes_label_y": y + 29,
                "cost_y": y + 33,
                "cost_width": cost_w,
                "cost_label_x": LEFT + cost_w + 4,
                "cost_label_y": y + 42,
            }
        )
    return {
        "width": WIDTH,
        "height": LEGEND + len(rows) * ROW,
        "left": LEFT,
        "bars": bars,
    }
