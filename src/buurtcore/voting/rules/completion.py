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

from buurtcore.voting.outcome import Add1Round, fmt
from buurtcore.voting.rules._data import Prepared
from buurtcore.voting.rules.equal_shares import MesResult, mes_candidates, run_mes
from buurtcore.voting.tiebreak import TieBreak

__all__ = [
    "ADD1_STOPS",
    "COMPILE_AT_ENTRIES",
    "PYTHON_SECONDS",
    "is_exhaustive",
    "rounds_by_endowment",
    "run_add1",
]

ADD1_STOPS = ("exhaustive", "budget")


def is_exhaustive(prep: Prepared, chosen: set[int], total: Fraction, pool) -> bool:
    """True when no project of ``pool`` outside ``chosen`` fits in the budget left."""
    room = prep.budget - total
    return not any(p not in chosen and prep.costs[p] <= room for p in pool)


def rounds_by_endowment(rounds: list[Add1Round]) -> dict[Fraction, list[str]]:
    """Every endowment Add1 tried or skipped as proven identical, with what it bought.

    >>> r = Add1Round("5", ["a"], "10", False, True, 2)
    >>> rounds_by_endowment([r])
    {Fraction(5, 1): ['a'], Fraction(6, 1): ['a'], Fraction(7, 1): ['a']}
    """
    out = {}
    for r in rounds:
        for j in range(r.repeated + 1):
            out[Fraction(r.endowment) + j] = r.selected
    return out


#: Elections with this many supporter entries use the compiled runs from the start.
COMPILE_AT_ENTRIES = 50_000
#: Estimated seconds of Python runs after which Add1 switches to the compiled runs.
PYTHON_SECONDS = 0.25


def _python_cost(prep: Prepared, bought: int) -> float:
    """Estimated seconds of one Python MES run (measured: about 0.1 ms per
    purchase and 46 ns per supporter entry; Toulouse 2024 13 ms, Warszawa 2026
    16 ms, Budapest 2024 12 ms)."""
    return 1e-4 * bought + 4.6e-8 * len(prep.sup_group)


def _python_probe(prep: Prepared, tie: TieBreak, fast, endowment: Fraction, horizon) -> MesResult:
    """A probe in Python (the signature of ``_mes_probe.probe_mes``)."""
    return run_mes(prep, tie, endowment, stability=float(horizon))


def run_add1(
    prep: Prepared,
    tie: TieBreak,
    *,
    stop: str = "exhaustive",
    increment: Fraction = Fraction(1),
    skip: bool = True,
    compiled: bool | None = None,
    progress: Callable[[int, Fraction], None] | None = None,
) -> tuple[MesResult, list[Add1Round]]:
    """MES with Add1; returns the final run (with its trace) and the rounds.

    Notes
    -----
    Semantically one MES run per currency unit. With ``skip`` (default) some
    runs are *probes*: they also compute how far the endowment can rise before
    anything in the run changes (see ``run_mes(stability=...)``); those
    endowments give the identical run and are not recomputed. Compiled runs
    and probes (``_mes_fast``, ``_mes_probe``; numba, float, every close call
    handed to the exact Python run) are used with ``compiled=True``; never with
    ``compiled=False`` or without numba; with ``compiled=None`` (default) from
    the start for large elections (``COMPILE_AT_ENTRIES`` supporter entries)
    and otherwise once the Python runs have cost an estimated
    ``PYTHON_SECONDS`` -- small elections, such as most neighbourhood rounds,
    never load numba (about 0.5 s and 90 MB, and a one-off compilation of
    about 15 s when its cache is empty). The estimate counts purchases and
    supporter entries, not the clock, so the rounds are reproducible. The
    outcome is the same either way; only which endowments are probed
    (``Add1Round.repeated``) may differ. The final run is repeated once in
    Python with tracing switched on.
    """
    if stop not in ADD1_STOPS:
        raise ValueError(f"unknown add1_stop {stop!r}")
    n = prep.n_voters
    if n == 0:
        res = run_mes(prep, tie, Fraction(0), trace=True)
        return res, []
    cands, _ = mes_candidates(prep)
    endowment = prep.budget / n
    # the compiled float run (None without numba). A probe (the run plus the
    # stability bound; compiled too when it can be) costs about `probe_cost`
    # plain compiled runs, so it must prove that many steps to pay off. With
    # the compiled run, probe once `need` runs in a row bought the same; `need`
    # halves after a probe that paid off (down to 0: probe every run) and
    # doubles after one that did not (Warszawa 2026: plateaus of 1-5 steps,
    # probes rarely pay; Budapest 2024: 124 plateaus over 22,000 steps, they
    # nearly always do)
    fast = None
    probe_mes = _python_probe
    if compiled is False:
        python_left = math.inf
    elif compiled or len(prep.sup_group) >= COMPILE_AT_ENTRIES:
        python_left = 0.0
    else:
        python_left = PYTHON_SECONDS
    probe_cost = 1
    streak, need = 0, 4
    limit = sum((prep.costs[p] for p in cands), Fraction(0)) + 1
    rounds: list[Add1Round] = []
    previous: MesResult | None = None
    steps = 0
    # horizon of the stability bound: the bounds are tighter for small raises,
    # so it follows the raises that could be proven (growing three-fold while
    # they reach it, shrinking at most to 2/3 after a probe in a plateau's tail)
    horizon = seen = 2 * increment
    wait = backoff = 0
    while True:
        if python_left <= 0:
            python_left = math.inf
            # imported only here: numba costs about 0.5 s and 90 MB per
            # process, and nothing but Add1 needs it
            from buurtcore.voting.rules._mes_fast import fast_run
            from buurtcore.voting.rules._mes_probe import probe_mes

            fast = fast_run(prep, tie, cands)  # None without numba: probe_mes runs Python
            if fast is not None:
                probe_cost, need = 3, 4
        probe = skip and (wait == 0 if fast is None else streak >= need)
        res = None
        if probe:
            res = probe_mes(prep, tie, fast, endowment, horizon)
        elif fast is not None:
            res = fast.mes(endowment)
        if res is None:
            res = run_mes(prep, tie, endowment)
        if python_left != math.inf:
            python_left -= _python_cost(prep, len(res.selected)) * (3 if probe else 1)
        chosen = set(res.selected)
        feasible = res.total_cost <= prep.budget
        exhaustive = is_exhaustive(prep, chosen, res.total_cost, cands)
        done = (
            not feasible
            or (stop == "exhaustive" and exhaustive)
            or (stop == "budget" and (all(p in chosen for p in cands) or endowment > limit))
        )
        repeat = 0
        if not done and res.stable_for > 0:
            # endowment + j * increment buys the same for j * increment < stable_for
            if math.isinf(res.stable_for):
                repeat = math.ceil((limit - endowment) / increment)
            else:
                repeat = math.ceil(Fraction(res.stable_for) / increment) - 1
            if endowment + repeat * increment > limit:
                repeat = max(0, math.floor((limit - endowment) / increment))
        if probe:
            proven = Fraction(res.stable_for)
            if proven >= horizon * Fraction(99, 100):
                horizon *= 3
                seen = proven
            elif proven >= increment:
                horizon = max(2 * increment, proven * Fraction(3, 2), horizon * Fraction(2, 3))
                seen = proven
            else:
                # the run changes within one step; the next plateau is probably
                # about as long as the last one proven
                horizon = max(2 * increment, seen)
            # the bound costs about two runs; after probes without a skip, probe less often
            backoff = 0 if repeat else min(2 * backoff + 1, 15)
            wait = backoff
            need = need // 2 if repeat >= probe_cost else min(max(1, 2 * need), 64)
        elif wait:
            wait -= 1
        streak = streak + 1 if previous is not None and previous.selected == res.selected else 0
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
