"""A compiled float run of the Method of Equal Shares that gives up on close calls (internal).

Add1 runs MES once per currency unit of endowment; on a large election that
is hundreds or thousands of runs. This module runs MES with floats only,
compiled with numba, and follows the Python run of
:func:`buurtcore.voting.rules.equal_shares.run_mes` step by step: the same
voter groups and budget states, the same lazy heap of prices and the same
relative float margin (``1e-9``) for every decision. Whenever a decision is
*not* clear by that margin -- a project whose supporters have almost exactly
its cost, a supporter whose budget is almost exactly its share, two prices
that are nearly equal (a tie), a budget that ends up almost empty -- the run
gives up and returns ``None``. The caller then runs the exact Python MES,
which settles such decisions with Fractions. A run that finishes therefore
took only decisions that floats decide correctly, and buys exactly what the
exact run buys.

Without numba (or with the environment variable ``BUURTCORE_NO_JIT=1``)
:func:`fast_run` always returns ``None`` and everything runs in Python.
"""

from __future__ import annotations

import heapq
import math
import os
from fractions import Fraction

import numpy as np

from buurtcore.voting.rules._data import Prepared
from buurtcore.voting.rules.equal_shares import _TOL, MesResult, mes_candidates
from buurtcore.voting.tiebreak import TieBreak

try:  # pragma: no cover - import guard
    if os.environ.get("BUURTCORE_NO_JIT"):
        raise ImportError("disabled by BUURTCORE_NO_JIT")
    import numba
except ImportError:  # pragma: no cover
    numba = None

__all__ = ["AVAILABLE", "FastMes", "fast_run"]

#: True when the compiled run can be used.
AVAILABLE = numba is not None


def _kernel(
    endow,
    sup_ptr,
    sup_group,
    sup_u,
    sup_w,
    n_groups,
    big_u,
    costs,
    scale,
    rho0,
    rank,
    cands,
    nb_ptr,
    nb_idx,
    cost_int,
    cost_sat,
    out,
):
    """One float MES run; returns the number of purchases written to ``out``, or < 0 to give up.

    ``cands`` are the projects that may be bought (support, positive cost, not
    bought beforehand). Budget state 0 is an empty budget; state 1 the endowment.
    Giving up: -2 a near-tie that needs exact budgets, -3 a budget that ends
    up almost empty, -12 supporters with almost exactly the cost, -13 a
    supporter with almost exactly its share (see :func:`_price`).
    """
    tol = _TOL  # the same relative margin as the Python run
    n_proj = len(costs)
    eps = max(endow, 1e-300) * 1e-7
    cap = 1024
    flt = np.zeros(cap)
    flt[1] = endow
    n_states = 2
    gstate = np.ones(n_groups, dtype=np.int32)
    # scratch maps keyed by state * big_u + unit
    slot = np.full(cap * big_u, -1, dtype=np.int32)
    # per-entry scratch for one project
    max_sup = 0
    for p in range(n_proj):
        if sup_ptr[p + 1] - sup_ptr[p] > max_sup:
            max_sup = sup_ptr[p + 1] - sup_ptr[p]
    e_state = np.empty(max_sup + 1, dtype=np.int64)
    e_u = np.empty(max_sup + 1, dtype=np.int64)
    e_cnt = np.empty(max_sup + 1)
    e_b = np.empty(max_sup + 1)
    dirty = np.zeros(n_proj, dtype=np.bool_)
    alive = np.zeros(n_proj, dtype=np.bool_)
    price = np.zeros(n_proj)  # rho per unit u of the last pricing
    runits = np.zeros(n_proj)  # units paying rho when nobody pays all they have, else -1
    near = np.empty(n_proj, dtype=np.int64)
    near_v = np.empty(n_proj)
    heap = [(0.0, 0, 0)]
    heap.pop()
    for p in cands:
        heap.append((rho0[p] * (1 - 4 * tol), rank[p], p))
        dirty[p] = True
        alive[p] = True
    heapq.heapify(heap)
    n_out = 0
    while len(heap):
        value, _, p = heap[0]
        if dirty[p]:
            heapq.heappop(heap)
            status, v = _reprice(
                p, sup_ptr, sup_group, sup_u, sup_w, gstate, flt, big_u, slot,
                e_state, e_u, e_cnt, e_b, costs, scale, tol, dirty, alive, price, runits,
            )  # fmt: skip
            if status < 0:
                return -10 + status
            if status > 0:
                heapq.heappush(heap, (v, rank[p], p))
            continue
        limit = value * (1 + 4 * tol)
        n_near = 0
        while len(heap) and heap[0][0] <= limit:
            v, r, q = heapq.heappop(heap)
            if dirty[q]:
                status, v = _reprice(
                    q, sup_ptr, sup_group, sup_u, sup_w, gstate, flt, big_u, slot,
                    e_state, e_u, e_cnt, e_b, costs, scale, tol, dirty, alive, price, runits,
                )  # fmt: skip
                if status < 0:
                    return -10 + status
                if status == 0:
                    continue
                if v > limit:
                    heapq.heappush(heap, (v, r, q))
                    continue
            near[n_near] = q
            near_v[n_near] = v
            n_near += 1
        win = near[0]
        if n_near > 1:
            win = _settle_tie(near, n_near, runits, cost_int, cost_sat, rank)
            if win < 0:
                return -2  # a near-tie that needs exact budgets: the exact run settles it
            for i in range(n_near):
                q = near[i]
                if q != win:
                    heapq.heappush(heap, (near_v[i], rank[q], q))
        # -- pay (see equal_shares._State.pay) ----------------------------------
        rho = price[win]
        a = sup_ptr[win]
        b = sup_ptr[win + 1]
        touched = 0
        for e in range(a, b):
            g = sup_group[e]
            s = gstate[g]
            if s == 0:
                continue
            u = sup_u[e]
            key = s * big_u + u
            c = slot[key]
            if c == -1:
                bs = flt[s]
                if bs < rho * u:
                    c = 0
                else:
                    rest = bs - rho * u
                    if rest <= eps:
                        return -3  # (almost) exactly its share: settled exactly
                    if n_states == len(flt):
                        flt2 = np.zeros(2 * len(flt))
                        flt2[: len(flt)] = flt
                        flt = flt2
                    flt[n_states] = rest
                    c = n_states
                    n_states += 1
                slot[key] = c
                e_state[touched] = key
                touched += 1
            gstate[g] = c
        for i in range(touched):
            slot[e_state[i]] = -1
        if len(slot) < len(flt) * big_u:
            slot = np.full(len(flt) * big_u, -1, dtype=np.int32)
        out[n_out] = win
        n_out += 1
        alive[win] = False
        for i in range(nb_ptr[win], nb_ptr[win + 1]):
            q = nb_idx[i]
            if alive[q]:
                dirty[q] = True
    return n_out


def _reprice(
    q, sup_ptr, sup_group, sup_u, sup_w, gstate, flt, big_u, slot,
    e_state, e_u, e_cnt, e_b, costs, scale, tol, dirty, alive, price, runits,
):  # fmt: skip
    """Price ``q`` now (see equal_shares._State.rho): ``(status, rho / scale)``.

    Records the price and who pays it; an unaffordable ``q`` (status 0) leaves
    for good (budgets only fall); status < 0 means too close to call.
    """
    status, rho, units = _price(
        q, sup_ptr, sup_group, sup_u, sup_w, gstate, flt, big_u, slot,
        e_state, e_u, e_cnt, e_b, costs[q], tol,
    )  # fmt: skip
    dirty[q] = False
    if status <= 0:
        if status == 0:
            alive[q] = False
        return status, 0.0
    price[q] = rho
    runits[q] = units if status == 2 else -1.0
    return status, rho / scale[q]


def _settle_tie(near, n_near, runits, cost_int, cost_sat, rank):
    """The winner among nearly equal prices, settled exactly; -1 when that needs exact budgets.

    Only when every one of them is paid by all its supporters is the price per
    unit of satisfaction known exactly from integers: ``1 / units`` for cost
    satisfaction, ``cost / units`` otherwise. Then the smallest wins; among equal
    ones the tie-breaking rank decides.
    """
    best = -1
    for i in range(n_near):
        q = near[i]
        if runits[q] < 0 or runits[q] > 2.0**53:
            return -1
        if not cost_sat and cost_int[q] < 0:
            return -1
    for i in range(n_near):
        q = near[i]
        if best < 0:
            best = q
            continue
        uq = np.int64(runits[q])
        ub = np.int64(runits[best])
        if cost_sat:
            # 1 / uq < 1 / ub
            if uq > ub or (uq == ub and rank[q] < rank[best]):
                best = q
        else:
            if cost_int[q] > 2**31 or cost_int[best] > 2**31 or uq > 2**31 or ub > 2**31:
                return -1
            lhs = cost_int[q] * ub
            rhs = cost_int[best] * uq
            if lhs < rhs or (lhs == rhs and rank[q] < rank[best]):
                best = q
    return best


def _price(
    p, sup_ptr, sup_group, sup_u, sup_w, gstate, flt, big_u, slot,
    e_state, e_u, e_cnt, e_b, cost, tol,
):  # fmt: skip
    """``(status, rho, units)``: the price per unit ``rho`` and the units of those who pay it.

    ``status`` is 1, or 2 when every supporter pays ``rho * u`` (then ``rho`` is
    exactly ``cost / units``); 0 when the supporters cannot pay the cost; < 0
    when that is too close to call with floats.
    """
    m = 0
    for e in range(sup_ptr[p], sup_ptr[p + 1]):
        s = gstate[sup_group[e]]
        if s == 0:
            continue
        u = sup_u[e]
        key = s * big_u + u
        k = slot[key]
        if k == -1:
            k = m
            slot[key] = m
            e_state[m] = s
            e_u[m] = u
            e_cnt[m] = 0.0
            m += 1
        e_cnt[k] += sup_w[e]
    for i in range(m):
        slot[e_state[i] * big_u + e_u[i]] = -1
        e_b[i] = flt[e_state[i]]
    return _solve(e_b, e_u, e_cnt, m, cost, tol)


def _solve(e_b, e_u, e_cnt, m, cost, tol):
    """``(status, rho, units)`` of :func:`_price` for ``e_cnt[i]`` supporters with
    budget ``e_b[i] > 0`` and ``e_u[i]`` units, ``i < m``.

    The compiled probe prices with this function too, so both give up on
    exactly the same close calls.
    """
    total = 0.0
    units = 0.0
    for i in range(m):
        total += e_cnt[i] * e_b[i]
        units += e_cnt[i] * e_u[i]
    if total < cost * (1 - tol):
        return 0, 0.0, 0.0
    if total <= cost * (1 + tol):
        return -2, 0.0, 0.0
    # the least rho with sum(min(b, rho * u)) >= cost: start from "everyone
    # pays rho * u" and move those who cannot to "pays all it has" until
    # nobody moves (rho only rises; the poor only grow)
    rho = cost / units
    n_poor = 0
    while True:
        paid = 0.0
        poor_units = 0.0
        count = 0
        for i in range(m):
            if e_b[i] < rho * e_u[i]:
                paid += e_cnt[i] * e_b[i]
                poor_units += e_cnt[i] * e_u[i]
                count += 1
        if count == n_poor:
            break
        n_poor = count
        rho = (cost - paid) / (units - poor_units)
    # clear by the margin: the poorest who pays rho * u and the richest who
    # pays all it has are both far from the price
    rest = cost - paid
    if rest <= 1e-6 * cost:
        return -3, 0.0, 0.0
    for i in range(m):
        r = e_b[i] / e_u[i]
        if r < rho:
            if r >= rho * (1 - tol):
                return -3, 0.0, 0.0
        elif r <= rho * (1 + tol):
            return -3, 0.0, 0.0
    if n_poor == 0:
        return 2, rho, units  # nobody pays all it has: rho = cost / units
    return 1, rho, units - poor_units


if numba is not None:  # pragma: no branch
    _solve = numba.njit(cache=True, nogil=True)(_solve)
    _price = numba.njit(cache=True, nogil=True)(_price)
    _settle_tie = numba.njit(cache=True, nogil=True)(_settle_tie)
    _reprice = numba.njit(cache=True, nogil=True)(_reprice)
    _kernel = numba.njit(cache=True, nogil=True)(_kernel)


class FastMes:
    """The arrays of one election for the compiled run (built once per Add1)."""

    def __init__(self, prep: Prepared, tie: TieBreak, cands: list[int]):
        self.prep = prep
        n_proj = prep.n_projects
        self.sup_group = prep.sup_group.astype(np.int32)
        self.sup_w = prep.weights[prep.sup_group].astype(np.float64)
        self.big_u = prep.max_u + 1  # keys are state * big_u + u with 1 <= u <= max_u
        self.sup_u = prep.sup_u.astype(np.int32)
        self.costs = np.array([float(c) for c in prep.costs])
        self.scale = np.array([float(s) for s in prep.scale])
        rho0 = np.zeros(n_proj)
        for p in cands:
            rho0[p] = float(prep.costs[p] / prep.total_sat(p))
        self.rho0 = rho0
        order = sorted(range(n_proj), key=tie.keys.__getitem__)
        rank = np.empty(n_proj, dtype=np.int64)
        rank[np.asarray(order, dtype=np.int64)] = np.arange(n_proj, dtype=np.int64)
        self.rank = rank
        self.cands = np.asarray(cands, dtype=np.int64)
        lens = [len(nb) for nb in prep.neighbours]
        self.nb_ptr = np.zeros(n_proj + 1, dtype=np.int64)
        np.cumsum(lens, out=self.nb_ptr[1:])
        self.nb_idx = np.asarray([q for nb in prep.neighbours for q in nb] or [0], dtype=np.int64)
        # exact costs as integers (a common denominator) for settling ties; -1 when too large
        den = 1
        for c in prep.costs:
            den = den * c.denominator // math.gcd(den, c.denominator)
        self.cost_int = np.array(
            [int(c * den) if c * den < 2**31 else -1 for c in prep.costs] or [0], dtype=np.int64
        )
        self.cost_sat = prep.sat == "cost"
        self.free = mes_candidates(prep)[1]
        self.out = np.empty(max(1, len(cands)), dtype=np.int64)

    def run(self, endowment: Fraction) -> list[int] | None:
        """The projects bought, in order, or None when a decision was too close for floats."""
        prep = self.prep
        n = _kernel(
            float(endowment),
            prep.sup_ptr,
            self.sup_group,
            self.sup_u,
            self.sup_w,
            len(prep.weights),
            self.big_u,
            self.costs,
            self.scale,
            self.rho0,
            self.rank,
            self.cands,
            self.nb_ptr,
            self.nb_idx,
            self.cost_int,
            self.cost_sat,
            self.out,
        )
        if n < 0:
            self.last_fail = n
            return None
        return self.out[:n].tolist()

    def result(self, bought: list[int], endowment: Fraction, stable_for: float = 0.0) -> MesResult:
        """The :class:`MesResult` of a finished compiled run (exact total, no trace)."""
        sel = self.free + bought
        total = sum((self.prep.costs[p] for p in sel), Fraction(0))
        return MesResult(sel, total, Fraction(endowment), [], [], stable_for)

    def mes(self, endowment: Fraction) -> MesResult | None:
        """``run_mes(prep, tie, endowment)`` without a trace, or None when it gave up."""
        bought = self.run(endowment)
        return None if bought is None else self.result(bought, endowment)


def fast_run(prep: Prepared, tie: TieBreak, cands: list[int]) -> FastMes | None:
    """A :class:`FastMes` for these candidates, or None without numba."""
    if not AVAILABLE or not cands:
        return None
    return FastMes(prep, tie, cands)
