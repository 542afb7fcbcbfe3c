"""Completing the Method of Equal Shares: Add1 and Add1 followed by greedy.

Plain MES often leaves money unspent. *Add1* reruns MES with every voter's
endowment raised by one currency unit at a time:

``add1_stop="exhaustive"``
    stop at the first outcome that is *exhaustive* (no further MES candidate
    fits in what is left); if an outcome goes over the budget, the previous
    one is kept. This is pabutools' ``voter_budget_increment=1``.
``add1_stop="budget"``
    keep raising as long as the outcome stays within the budget and return the
    last such outcome (the variant behind Wieliczka 2023's official result).
    It also stops when every project with support is funded.

``add1u`` runs Add1 and then fills what is left greedily (utilitarian greedy
with the same satisfaction over all projects), as pabutools'
``completion_by_rule_combination`` does.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

import numpy as np

from buurtcore.voting.outcome import Add1Round, fmt
from buurtcore.voting.rules._data import Prepared
from buurtcore.voting.rules.equal_shares import MesResult, mes_candidates, run_mes
from buurtcore.voting.tiebreak import TieBreak

__all__ = ["ADD1_STOPS", "is_exhaustive", "run_add1"]

ADD1_STOPS = ("exhaustive", "budget")


def is_exhaustive(prep: Prepared, chosen: set[int], total: Fraction, pool) -> bool:
    """True when no project of ``pool`` outside ``chosen`` fits in the budget left."""
    room = prep.budget - total
    return not any(p not in chosen and prep.costs[p] <= room for p in pool)


def run_add1(
    prep: Prepared,
    tie: TieBreak,
    *,
    stop: str = "exhaustive",
    increment: Fraction = Fraction(1),
    skip: bool = True,
    progress: Callable[[int, Fraction], None] | None = None,
) -> tuple[MesResult, list[Add1Round]]:
    """MES with Add1; returns the final run (with its trace) and the rounds.

    Notes
    -----
    Semantically one MES run per currency unit. With ``skip`` (default) each
    run also computes how far the endowment can rise before anything in the
    run changes (see ``run_mes(sensitivity=True)``); those endowments give
    the identical outcome and are not recomputed. Computing the bound costs
    about as much as the run; when it allows no skip, the next runs do
    without it (backing off up to 63 runs). The final run is repeated once
    with tracing switched on.
    """
    if stop not in ADD1_STOPS:
        raise ValueError(f"unknown add1_stop {stop!r}")
    n = prep.n_voters
    if n == 0:
        res = run_mes(prep, tie, Fraction(0), trace=True)
        return res, []
    cands, _ = mes_candidates(prep)
    endowment = prep.budget / n
    limit = sum((prep.costs[p] for p in cands), Fraction(0)) + 1
    grid = None
    if skip:
        # raises to test: 1, 2, 3, 4, 6, 8, 12, 16, ... up to 4096 increments
        top = min(max(float(limit), 2.0), 4096 * float(increment))
        values = []
        k = 1
        while k * float(increment) <= top and len(values) < 64:
            values.append(k)
            values.append(k * 3 // 2)
            k *= 2
        grid = np.unique(np.asarray(values, dtype=np.float64) * float(increment))
    rounds: list[Add1Round] = []
    previous: MesResult | None = None
    steps = 0
    wait = backoff = 0
    while True:
        probe = grid is not None and wait == 0
        res = run_mes(prep, tie, endowment, sensitivity=grid if probe else None)
        chosen = set(res.selected)
        feasible = res.total_cost <= prep.budget
        exhaustive = is_exhaustive(prep, chosen, res.total_cost, cands)
        done = (
            not feasible
            or (stop == "exhaustive" and exhaustive)
            or (stop == "budget" and (all(p in chosen for p in cands) or endowment > limit))
        )
        repeat = 0
        if not done and res.stable_for >= increment:
            # endowment + j * increment buys the same for j * increment <= stable_for
            repeat = math.floor(Fraction(res.stable_for) / increment)
            if endowment + repeat * increment > limit:
                repeat = max(0, math.floor((limit - endowment) / increment))
        if probe:
            # the bound costs time; after runs without a skip, probe less often
            backoff = 0 if repeat else min(2 * backoff + 1, 63)
            wait = backoff
        elif wait:
            wait -= 1
        rounds.append(
            Add1Round(
                fmt(endowment),
                [prep.ids[p] for p in res.selected],
                fmt(res.total_cost),
                exhaustive,
                feasible,
                repeat,
            )
        )
        if progress is not None:
            progress(steps, endowment)
        if not feasible:
            final = previous if previous is not None else res
            break
        if done:
            final = res
            break
        previous = res
        if repeat:
            previous = MesResult(
                res.selected,
                res.total_cost,
                endowment + repeat * increment,
                [],
                [],
            )
        endowment += (repeat + 1) * increment
        steps += repeat + 1
    traced = run_mes(prep, tie, final.endowment, trace=True)
    return traced, rounds
