"""The Method of Equal Shares (MES).

Every voter gets an equal share of the budget (the *endowment*). A project
can be bought when its supporters together still have enough; among those,
MES buys the project that is cheapest *per unit of satisfaction* for its
supporters: the smallest ``rho`` such that, when every supporter pays
``rho`` times their satisfaction from the project (or everything they have
left, if that is less), the project is paid for. Supporters pay, and the
next project is chosen with what they have left. This is the rule of
Peters, Pierczyński and Skowron (2021), in the form of pabutools'
``method_of_equal_shares`` (the same choices, the same tie-breaking).

How it is fast and still exact
------------------------------
* Voters with identical ballots are one weighted group.
* A voter's remaining budget is always one of few values: the endowment
  minus the prices of the projects they paid for. Groups therefore point to a
  *budget state*; each state holds its budget as an exact
  :class:`~fractions.Fraction` plus a float copy. The supporters of a project
  are aggregated per state with one ``numpy.bincount``, so finding ``rho`` is
  a scan over a handful of states, not over all voters.
* ``rho`` is found with floats, then settled exactly: the split between
  supporters who pay their full share and those who pay all they have is
  verified with Fractions near the boundary (and redone exactly when a float
  is too close to call). Every comparison between projects uses the exact
  ``rho``.
* Budgets only go down, so a project's ``rho`` only goes up. Projects sit in a
  heap with their last ``rho`` as a lower bound; only projects whose
  supporters paid since then are recomputed (lazy evaluation, as in
  pabutools' "affordability" ordering).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from buurtcore.voting.outcome import MesPurchase, MesUnfunded, fmt
from buurtcore.voting.rules._data import Prepared
from buurtcore.voting.tiebreak import TieBreak

__all__ = ["MesResult", "mes_candidates", "run_mes"]

_REL = 1e-9  # float margin; anything closer is settled with Fractions


@dataclass(slots=True)
class MesResult:
    """One run of MES with a given endowment."""

    selected: list[int]
    total_cost: Fraction
    endowment: Fraction
    steps: list
    unfunded: list[MesUnfunded]


def mes_candidates(prep: Prepared) -> tuple[list[int], list[int]]:
    """Projects MES may buy (support and a positive cost) and zero-cost projects with support.

    Zero-cost projects with support are selected before the first round, as in
    pabutools; projects without support are never selected.
    """
    cands, free = [], []
    for p in range(prep.n_projects):
        if prep.units[p] > 0:
            (cands if prep.costs[p] > 0 else free).append(p)
    return cands, free


class _State:
    """Budget states of one MES run (state 0 = nothing left)."""

    def __init__(self, prep: Prepared, endowment: Fraction):
        self.prep = prep
        self.exact: list[Fraction] = [Fraction(0), Fraction(endowment)]
        self.flt = np.zeros(64, dtype=np.float64)
        self.flt[1] = float(endowment)
        self.group_state = np.ones(len(prep.weights), dtype=np.int64)
        self.weights_f = prep.weights.astype(np.float64)
        self.U = prep.max_u + 1

    def new_state(self, value: Fraction) -> int:
        i = len(self.exact)
        self.exact.append(value)
        if i >= len(self.flt):
            self.flt = np.concatenate([self.flt, np.zeros(len(self.flt), dtype=np.float64)])
        self.flt[i] = float(value)
        return i

    def entries(self, p: int):
        """The supporters of ``p`` aggregated per (state, unit), state 0 left out."""
        prep = self.prep
        a, b = int(prep.sup_ptr[p]), int(prep.sup_ptr[p + 1])
        g = prep.sup_group[a:b]
        s = self.group_state[g]
        key = s if prep.uniform else s * self.U + prep.sup_u[a:b]
        agg = np.bincount(key, weights=self.weights_f[g])
        nz = np.flatnonzero(agg)
        cnt = agg[nz].astype(np.int64)
        if prep.uniform:
            st = nz
            uu = np.ones(len(nz), dtype=np.int64)
        else:
            st = nz // self.U
            uu = nz % self.U
        live = st != 0
        if not live.all():
            nz, cnt, st, uu = nz[live], cnt[live], st[live], uu[live]
        return nz, st, uu, cnt

    def rho(self, p: int):
        """Exact price per unit ``u`` for project ``p`` and its entries, or None if unaffordable."""
        prep = self.prep
        cost = prep.costs[p]
        nz, st, uu, cnt = self.entries(p)
        if len(st) == 0:
            return None
        exact = self.exact
        bf = self.flt[st]
        money_f = cnt * bf
        total_f = float(money_f.sum())
        cost_f = float(cost)
        if total_f < cost_f * (1 - _REL):
            return None
        if total_f <= cost_f * (1 + _REL):
            total = sum(
                (int(c) * exact[s] for c, s in zip(cnt.tolist(), st.tolist(), strict=True)),
                Fraction(0),
            )
            if total < cost:
                return None
        ratio_f = bf / uu
        order = np.argsort(ratio_f, kind="stable")
        cnt_o, st_o, uu_o = cnt[order], st[order], uu[order]
        ratio_o = ratio_f[order]
        wu = cnt_o * uu_o
        paid_before = np.concatenate(([0.0], np.cumsum(money_f[order])[:-1]))
        units_from = int(wu.sum()) - np.concatenate(([0], np.cumsum(wu)[:-1]))
        cond = (cost_f - paid_before) <= ratio_o * units_from * (1 + _REL)
        k = int(np.argmax(cond)) if cond.any() else len(cond) - 1
        res = self._settle(cost, cnt_o, st_o, uu_o, ratio_o, k)
        if res is None:
            res = self._exact_scan(cost, cnt_o, st_o, uu_o)
        return res, (nz, st, uu, cnt)

    def _settle(self, cost, cnt, st, uu, ratio_f, k):
        """Exact rho from the float split at ``k``; None if the split is not exactly right."""
        exact = self.exact
        cl, sl, ul = cnt.tolist(), st.tolist(), uu.tolist()
        paid = sum((cl[i] * exact[sl[i]] for i in range(k)), Fraction(0))
        units = sum(cl[i] * ul[i] for i in range(k, len(cl)))
        if units == 0:
            return None
        rho = (cost - paid) / units
        rf = float(rho)
        lo, hi = rf * (1 - _REL), rf * (1 + _REL)
        # entries whose float ratio is close to rho are checked exactly
        for i in np.flatnonzero((ratio_f >= lo) & (ratio_f <= hi)).tolist():
            r = exact[sl[i]] / ul[i]
            if i < k and r > rho:
                return None
            if i >= k and r < rho:
                return None
        # the others must be on the right side by a float margin
        if k > 0 and ratio_f[:k].max() > hi:
            return None
        if k < len(cl) and ratio_f[k:].min() < lo:
            return None
        return rho

    def _exact_scan(self, cost, cnt, st, uu):
        exact = self.exact
        items = sorted(
            zip(cnt.tolist(), st.tolist(), uu.tolist(), strict=True),
            key=lambda t: exact[t[1]] / t[2],
        )
        paid = Fraction(0)
        units = sum(c * u for c, _, u in items)
        for c, s, u in items:
            rho = (cost - paid) / units
            if rho * u <= exact[s]:
                return rho
            paid += c * exact[s]
            units -= c * u
        raise AssertionError("affordable project without rho")  # pragma: no cover

    def pay(self, p: int, rho: Fraction, cached, trace: bool):
        """Supporters of ``p`` pay ``min(budget, rho * u)``; returns the groups that paid."""
        prep = self.prep
        nz, st, uu, cnt = cached
        exact = self.exact
        new_state = np.empty(len(nz), dtype=np.int64)
        payments: dict[str, int] = {}
        for i, (s, u, c) in enumerate(zip(st.tolist(), uu.tolist(), cnt.tolist(), strict=True)):
            share = rho * u
            b = exact[s]
            if b <= share:
                new_state[i] = 0
                amount = b
            else:
                new_state[i] = self.new_state(b - share)
                amount = share
            if trace:
                key = fmt(amount)
                payments[key] = payments.get(key, 0) + c
        a, b_ = int(prep.sup_ptr[p]), int(prep.sup_ptr[p + 1])
        g = prep.sup_group[a:b_]
        s_old = self.group_state[g]
        key = s_old if prep.uniform else s_old * self.U + prep.sup_u[a:b_]
        live = s_old != 0
        g = g[live]
        idx = np.searchsorted(nz, key[live])
        self.group_state[g] = new_state[idx]
        return g, payments

    def budget_left(self, p: int) -> Fraction:
        _, st, _, cnt = self.entries(p)
        return sum(
            (c * self.exact[s] for c, s in zip(cnt.tolist(), st.tolist(), strict=True)),
            Fraction(0),
        )


def run_mes(
    prep: Prepared,
    tie: TieBreak,
    endowment: Fraction,
    *,
    initial: Sequence[int] = (),
    trace: bool = False,
) -> MesResult:
    """One run of the Method of Equal Shares with per-voter budget ``endowment``.

    Parameters
    ----------
    prep : Prepared
        The election as arrays.
    tie : TieBreak
        Settles exact ties in ``rho``.
    endowment : Fraction
        Each voter's budget (``budget / n_voters`` for plain MES).
    initial : sequence of int
        Projects bought beforehand (not charged to the voters).
    trace : bool
        Record :class:`MesPurchase` and :class:`MesUnfunded` steps.

    Notes
    -----
    Per purchase ``O(S + E)`` numpy work (``S`` supporter entries of the
    recomputed projects, ``E`` ballot entries for finding which projects
    changed) plus exact Fraction work on the few budget states near the
    decision. pabutools needs ``O(S log S)`` Fraction operations per recomputed
    project.
    """
    cands, free = mes_candidates(prep)
    initial = list(initial)
    chosen = set(initial)
    selected = [p for p in free if p not in chosen]
    chosen.update(selected)
    steps: list = []
    if trace:
        for p in selected:
            steps.append(
                MesPurchase(0, prep.ids[p], "0", "0", prep.supporters[p], {}, fmt(endowment))
            )
    state = _State(prep, endowment)
    keys = tie.keys
    heap = []
    for p in cands:
        if p in chosen:
            continue
        lb = prep.costs[p] / prep.total_sat(p)
        heap.append((lb, keys[p], p))
    heapq.heapify(heap)
    dirty = dict.fromkeys((p for _, _, p in heap), True)
    cache: dict[int, tuple] = {}
    rhos: dict[int, Fraction] = {}
    mark = np.zeros(len(prep.weights), dtype=bool)
    n_proj = prep.n_projects
    is_dirty = np.zeros(n_proj, dtype=bool)
    rnd = 0

    def refresh(p: int) -> Fraction | None:
        res = state.rho(p)
        if res is None:
            return None
        rho_u, cached = res
        cache[p] = (rho_u, cached)
        rho = rho_u / prep.scale[p]
        rhos[p] = rho
        dirty[p] = False
        return rho

    while heap:
        rho, _, p = heap[0]
        if dirty[p]:
            heapq.heappop(heap)
            new = refresh(p)
            if new is not None:
                heapq.heappush(heap, (new, keys[p], p))
            continue
        best = rho
        ties = []
        while heap and heap[0][0] <= best:
            _, _, q = heapq.heappop(heap)
            if dirty[q]:
                new = refresh(q)
                if new is None:
                    continue
                if new > best:
                    heapq.heappush(heap, (new, keys[q], q))
                    continue
            ties.append(q)
        win = tie.winner(ties)
        for q in ties:
            if q != win:
                heapq.heappush(heap, (best, keys[q], q))
        rho_u, cached = cache.pop(win)
        paid_groups, payments = state.pay(win, rho_u, cached, trace)
        rnd += 1
        selected.append(win)
        chosen.add(win)
        del dirty[win]
        if trace:
            steps.append(
                MesPurchase(
                    rnd,
                    prep.ids[win],
                    fmt(prep.costs[win]),
                    fmt(best),
                    prep.supporters[win],
                    payments,
                    fmt(endowment),
                )
            )
        if len(paid_groups):
            mark[paid_groups] = True
            is_dirty[:] = False
            is_dirty[prep.grp_proj[mark[prep.entry_group]]] = True
            mark[paid_groups] = False
            for q in np.flatnonzero(is_dirty).tolist():
                if q in dirty:
                    dirty[q] = True
    unfunded: list[MesUnfunded] = []
    if trace:
        for p in cands:
            if p not in chosen:
                unfunded.append(
                    MesUnfunded(
                        prep.ids[p],
                        fmt(prep.costs[p]),
                        prep.supporters[p],
                        fmt(state.budget_left(p)),
                    )
                )
    total = sum((prep.costs[p] for p in selected), Fraction(0)) + sum(
        (prep.costs[p] for p in initial), Fraction(0)
    )
    return MesResult(selected, total, Fraction(endowment), steps, unfunded)
