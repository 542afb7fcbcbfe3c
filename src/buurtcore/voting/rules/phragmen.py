"""Sequential Phragmén for approval ballots.

Voters earn money continuously; a project is bought as soon as its supporters
together can pay it, and everyone who pays ends with the same *load* (what
they paid in total). In discrete form: repeatedly buy the project whose
supporters would end with the smallest common load
``(sum of their loads + cost) / supporters``; stop as soon as a project with
that smallest load no longer fits in the budget (pabutools'
``sequential_phragmen``; projects dearer than the whole budget are ignored,
projects without supporters have an infinite load).
"""

from __future__ import annotations

import heapq
import math
from fractions import Fraction

import numpy as np

from buurtcore.voting.outcome import PhragmenPurchase, fmt
from buurtcore.voting.rules._data import Prepared, RuleError
from buurtcore.voting.tiebreak import TieBreak

__all__ = ["run_phragmen"]


def run_phragmen(prep: Prepared, tie: TieBreak, *, trace: bool = True):
    """Sequential Phragmén; returns the selected indices (in order) and the trace.

    Notes
    -----
    A voter's load is the load of the last project they helped buy, so the
    loads of a project's supporters are aggregated per purchase with one
    ``numpy.bincount``; new loads are exact Fractions. Loads only grow, so a
    heap of lower bounds is re-evaluated lazily (only projects whose
    supporters bought something). ``O(k (S + E))`` numpy work for ``k``
    purchases.
    """
    if prep.vote_type not in ("approval", "choose-1"):
        raise RuleError(
            "sequential Phragmén needs approval ballots",
            "sequentiële Phragmén kan alleen bij stemmen met vinkjes (approval)",
        )
    n_groups = len(prep.weights)
    last = np.zeros(n_groups, dtype=np.int64)  # 0 = no load, j = load of purchase j
    loads: list[Fraction] = [Fraction(0)]
    weights_f = prep.weights.astype(np.float64)
    keys = tie.keys
    budget = prep.budget

    def new_load(p: int):
        score = prep.supporters[p]
        if score == 0:
            return math.inf
        a, b = int(prep.sup_ptr[p]), int(prep.sup_ptr[p + 1])
        g = prep.sup_group[a:b]
        agg = np.bincount(last[g], weights=weights_f[g])
        nz = np.flatnonzero(agg)
        total = prep.costs[p]
        for j, c in zip(nz.tolist(), agg[nz].tolist(), strict=True):
            if j:
                total += int(c) * loads[j]
        return Fraction(total) / score

    heap = []
    for p in range(prep.n_projects):
        if prep.costs[p] <= budget:
            heap.append((new_load(p), keys[p], p))
    heapq.heapify(heap)
    dirty: dict[int, bool] = {p: False for _, _, p in heap}
    spent = Fraction(0)
    selected: list[int] = []
    steps: list[PhragmenPurchase] = []
    while heap:
        value, _, p = heap[0]
        if dirty[p]:
            heapq.heappop(heap)
            heapq.heappush(heap, (new_load(p), keys[p], p))
            dirty[p] = False
            continue
        best = value
        ties = []
        while heap and heap[0][0] <= best:
            _, _, q = heapq.heappop(heap)
            if dirty[q]:
                dirty[q] = False
                new = new_load(q)
                if new > best:
                    heapq.heappush(heap, (new, keys[q], q))
                    continue
            ties.append(q)
        if any(spent + prep.costs[q] > budget for q in ties):
            break
        win = tie.winner(ties)
        for q in ties:
            if q != win:
                heapq.heappush(heap, (best, keys[q], q))
        del dirty[win]
        spent += prep.costs[win]
        selected.append(win)
        a, b = int(prep.sup_ptr[win]), int(prep.sup_ptr[win + 1])
        g = prep.sup_group[a:b]
        if len(g):
            loads.append(Fraction(best))
            last[g] = len(loads) - 1
            for q in prep.neighbours[win]:
                if q in dirty:
                    dirty[q] = True
        if trace:
            steps.append(
                PhragmenPurchase(prep.ids[win], fmt(best), len(selected), fmt(prep.costs[win]))
            )
    return selected, steps
