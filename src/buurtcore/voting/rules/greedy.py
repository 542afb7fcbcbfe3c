"""Greedy utilitarian rules: most support first, skip what no longer fits.

Projects are sorted by *score* and bought in that order while the budget
lasts; a project that no longer fits is skipped (or, without skipping, ends
the selection). The score is the total satisfaction per unit of cost, as in
pabutools' ``greedy_utilitarian_welfare``:

* ``sat="cost"`` (approval/choose-1 default): total satisfaction is
  ``votes * cost``, so the score is the number of votes ("most votes first").
* ``sat="cardinality"``: votes per currency unit.
* ``sat="points"`` (cumulative/scoring default): points per currency unit.
* ``sat="borda"`` (ordinal default): Borda points per currency unit.

Zero-cost projects with support come first (score infinite); projects without
any support have score 0 and are bought last if they still fit, exactly as in
pabutools. Ties are settled by the tie-breaking rule.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from fractions import Fraction

from buurtcore.voting.outcome import GreedyStep, fmt
from buurtcore.voting.rules._data import Prepared
from buurtcore.voting.tiebreak import TieBreak

__all__ = ["greedy_order", "greedy_scores", "run_greedy"]


def greedy_scores(prep: Prepared) -> list[Fraction | float]:
    """The exact score of every project (``math.inf`` for zero-cost projects with support).

    With Borda satisfaction pabutools uses its general (non-additive) greedy,
    where every zero-cost project has an infinite score.
    """
    scores: list[Fraction | float] = []
    for p in range(prep.n_projects):
        total = prep.total_sat(p)
        cost = prep.costs[p]
        if prep.sat == "borda" or total > 0:
            scores.append(math.inf if cost == 0 else Fraction(total) / cost)
        else:
            scores.append(Fraction(0))
    return scores


def greedy_order(
    prep: Prepared, tie: TieBreak, scores: Sequence[Fraction | float] | None = None
) -> list[int]:
    """Project indices from highest to lowest score; exact ties by ``tie``."""
    if scores is None:
        scores = greedy_scores(prep)
    return sorted(range(prep.n_projects), key=lambda p: (-scores[p], tie.key(p)))


def run_greedy(
    prep: Prepared,
    tie: TieBreak,
    *,
    budget: Fraction | None = None,
    initial: Sequence[int] = (),
    threshold: Fraction | None = None,
    threshold_scores: Sequence[int] | None = None,
    skip: bool = True,
    limits: Sequence[tuple[Mapping[int, tuple[str, ...]], Mapping[str, Fraction]]] = (),
    leftover_fill: bool = True,
    trace: bool = True,
) -> tuple[list[int], list[GreedyStep]]:
    """Greedy selection; returns the selected indices (in order) and the trace.

    Parameters
    ----------
    prep : Prepared
        The election as arrays.
    tie : TieBreak
        Tie-breaking between equal scores.
    budget : Fraction, optional
        Defaults to the election's budget.
    initial : sequence of int
        Projects already selected (their cost is taken off the budget).
    threshold : Fraction, optional
        Minimum ``threshold_scores[p]`` for a project to be eligible.
    skip : bool
        True: skip projects that do not fit; False: stop at the first one.
    limits : sequence of (labels, caps)
        Extra budgets per label (category, neighbourhood): ``labels[p]`` are the
        labels of project ``p`` and ``caps[label]`` the most that may be spent
        on projects with that label. A project must fit in every cap.
    leftover_fill : bool
        With ``limits``: afterwards spend what is left of the overall budget in
        the same order without the extra budgets (Amsterdam's "fund additional
        projects that fit within leftover budget ordered by score").
    trace : bool
        Record a :class:`GreedyStep` per project considered.

    Notes
    -----
    ``O(P log P)`` for sorting plus ``O(P)`` exact comparisons; the ballots are
    only read once (by :func:`~buurtcore.voting.rules._data.prepare`).
    """
    scores = greedy_scores(prep)
    order = greedy_order(prep, tie, scores)
    remaining = (prep.budget if budget is None else budget) - sum(
        (prep.costs[p] for p in initial), Fraction(0)
    )
    chosen = set(initial)
    selected: list[int] = []
    steps: list[GreedyStep] = []
    spent = [dict.fromkeys(caps, Fraction(0)) for _, caps in limits]

    def step(p: int, action: str, phase: str = "main", label: str | None = None) -> None:
        if trace:
            steps.append(
                GreedyStep(
                    project=prep.ids[p],
                    score=fmt(scores[p]),
                    cost=fmt(prep.costs[p]),
                    action=action,
                    phase=phase,
                    remaining=fmt(remaining),
                    category=label,
                )
            )

    stopped = False
    deferred: list[int] = []
    for p in order:
        if p in chosen:
            continue
        cost = prep.costs[p]
        if (
            threshold is not None
            and threshold_scores is not None
            and threshold_scores[p] < threshold
        ):
            step(p, "below_threshold")
            continue
        if stopped:
            step(p, "stopped")
            continue
        if cost > remaining:
            if skip:
                step(p, "skipped_no_fit")
            else:
                stopped = True
                step(p, "stopped")
            continue
        over = None
        for (labels, caps), used in zip(limits, spent, strict=True):
            for label in labels.get(p, ()):
                if over is None and label in caps and used[label] + cost > caps[label]:
                    over = label
        if over is not None:
            step(p, "category_budget_exhausted", label=over)
            deferred.append(p)
            continue
        for (labels, caps), used in zip(limits, spent, strict=True):
            for label in labels.get(p, ()):
                if label in caps:
                    used[label] += cost
        remaining -= cost
        chosen.add(p)
        selected.append(p)
        step(p, "selected")
    if limits and leftover_fill:
        for p in deferred:
            cost = prep.costs[p]
            if cost <= remaining:
                remaining -= cost
                chosen.add(p)
                selected.append(p)
                step(p, "selected", "leftover")
            else:
                step(p, "skipped_no_fit", "leftover")
    return selected, steps
