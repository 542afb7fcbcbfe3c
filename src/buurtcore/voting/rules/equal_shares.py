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
    stable_for: float = 0.0


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

    def __init__(self, prep: Prepared, endowment: Fraction, grid: np.ndarray | None = None):
        self.prep = prep
        self.exact: list[Fraction] = [Fraction(0), Fraction(endowment)]
        self.flt = np.zeros(64, dtype=np.float64)
        self.flt[1] = float(endowment)
        self.group_state = np.ones(len(prep.weights), dtype=np.int64)
        self.weights_f = prep.weights.astype(np.float64)
        self.U = prep.max_u + 1
        self.cache: dict[int, tuple] = {}
        # sensitivity (Add1): per state, upper bounds on how much more budget it
        # has when the endowment is raised by each value of ``grid``
        self.grid = grid
        self.ok = None
        if grid is not None:
            self.up = np.zeros((64, len(grid)), dtype=np.float64)
            self.up[1] = grid
            self.ok = np.ones(len(grid), dtype=bool)

    def new_state(self, value: Fraction) -> int:
        i = len(self.exact)
        self.exact.append(value)
        if i >= len(self.flt):
            self.flt = np.concatenate([self.flt, np.zeros(len(self.flt), dtype=np.float64)])
        self.flt[i] = float(value)
        return i

    def new_states(self, values: list[Fraction], up: np.ndarray) -> np.ndarray:
        """Add states with budgets ``values`` and growth bounds ``up``; returns their ids."""
        first = len(self.exact)
        self.exact.extend(values)
        need = first + len(values)
        if need > len(self.flt):
            size = max(need, 2 * len(self.flt))
            flt = np.zeros(size, dtype=np.float64)
            flt[:first] = self.flt[:first]
            self.flt = flt
            grown = np.zeros((size, self.up.shape[1]), dtype=np.float64)
            grown[:first] = self.up[:first]
            self.up = grown
        self.flt[first:need] = [float(v) for v in values]
        self.up[first:need] = up
        return np.arange(first, need, dtype=np.int64)

    def entries(self, p: int):
        """The supporters of ``p`` aggregated per (state, unit), state 0 left out (cached)."""
        hit = self.cache.get(p)
        if hit is None:
            hit = self.cache[p] = self._entries(p)
        return hit

    def _entries(self, p: int):
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
        return nz, st, uu, cnt

    def rho(self, p: int):
        """Exact price per unit ``u`` for project ``p`` and its entries, or None if unaffordable."""
        prep = self.prep
        cost = prep.costs[p]
        full = self.entries(p)
        nz, st, uu, cnt = full
        live = self.flt[st] > 0
        if not live.all():
            st, uu, cnt = st[live], uu[live], cnt[live]
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
        return res, full

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
        """Supporters of ``p`` pay ``min(budget, rho * u)``.

        Returns the groups whose state changed and the payments (when tracing).

        With sensitivity tracking, every supporter moves to a new state that
        also carries ``up``: upper bounds on its extra budget for each raise of
        the endowment in ``grid``, along the same sequence of purchases. With
        more endowment every budget is at least as large and every price at most
        as large (induction over the purchases). If the supporters who paid
        their share have ``R`` units, the price per unit drops by at most
        ``d = sum(min(up, margin) of those who paid all) / R`` (``margin``: what
        they were short of their share); a supporter who paid the share gains at
        most ``up + u * d``, one who paid all at most ``max(0, up + u * d -
        margin)``.
        """
        prep = self.prep
        nz, st, uu, cnt = cached
        exact = self.exact
        payments: dict[str, int] = {}
        sl, ul, cl = st.tolist(), uu.tolist(), cnt.tolist()
        track = self.grid is not None
        rich_units = 0
        rests: list[Fraction] = []
        margins: list[float] = []
        for s, u, c in zip(sl, ul, cl, strict=True):
            share = rho * u
            b = exact[s]
            if b < share:
                rests.append(Fraction(0))
                margins.append(float(share - b))
                amount = b
            else:
                rich_units += c * u
                rests.append(b - share)
                margins.append(0.0)
                amount = share
            if trace and amount:
                key = fmt(amount)
                payments[key] = payments.get(key, 0) + c
        if track:
            up = self.up[st]
            margin = np.asarray(margins)
            poor = margin > 0
            if rich_units == 0:
                self.ok[:] = False
                drop = np.zeros(up.shape[1])
            else:
                drop = (cnt[poor, None] * np.minimum(up[poor], margin[poor, None])).sum(0)
                drop /= rich_units
            up = up + uu[:, None] * drop[None, :]
            up[poor] = np.maximum(0.0, up[poor] - margin[poor, None])
            new_state = self.new_states(rests, up)
        else:
            new_state = np.zeros(len(nz), dtype=np.int64)
            for i, rest in enumerate(rests):
                if rest > 0:
                    new_state[i] = self.new_state(rest)
        a, b_ = int(prep.sup_ptr[p]), int(prep.sup_ptr[p + 1])
        g = prep.sup_group[a:b_]
        s_old = self.group_state[g]
        key = s_old if prep.uniform else s_old * self.U + prep.sup_u[a:b_]
        idx = np.searchsorted(nz, key)
        s_new = new_state[idx]
        changed = s_new != s_old
        g = g[changed]
        self.group_state[g] = s_new[changed]
        return g, payments

    def check_competitor(self, q: int, rho_f: float) -> None:
        """Keep only the raises with which ``q`` still cannot be paid at price ``rho_f``.

        What the supporters of ``q`` would pay at that price, with their extra
        budget, must stay strictly below its cost: then ``q`` stays strictly
        dearer than the round's winner.
        """
        _, st, uu, cnt = self.entries(q)
        if len(st) == 0:
            return
        cost = float(self.prep.costs[q])
        price = (rho_f * float(self.prep.scale[q])) * uu
        have = self.flt[st][:, None] + self.up[st]
        paid = (cnt[:, None] * np.minimum(have, price[:, None])).sum(0)
        self.ok &= paid < cost - 1e-9 * (cost + paid)

    def check_unaffordable(self, q: int) -> None:
        """Keep only the raises with which ``q``'s supporters still cannot pay it."""
        _, st, _, cnt = self.entries(q)
        if len(st) == 0:
            return
        cost = float(self.prep.costs[q])
        total = (cnt[:, None] * (self.flt[st][:, None] + self.up[st])).sum(0)
        self.ok &= total < cost - 1e-9 * (cost + total)

    def budget_left(self, p: int) -> Fraction:
        _, st, _, cnt = self.entries(p)
        live = self.flt[st] > 0
        st, cnt = st[live], cnt[live]
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
    sensitivity: np.ndarray | None = None,
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
    sensitivity : numpy.ndarray, optional
        Increasing raises of the endowment to test (floats). Then
        :attr:`MesResult.stable_for` is the largest of them such that every
        endowment in ``[endowment, endowment + stable_for]`` buys exactly the same
        projects in the same order. Along a fixed sequence of purchases, more
        endowment means budgets at least as large and prices at most as large
        (induction over the purchases); per budget state an upper bound on
        its extra budget is tracked for every raise (see ``_State.pay``).
        The sequence stays the same if (a) in every round,
        every project that was not cheaper than the winner even with all its
        supporters paying their share (``cost / total satisfaction``) cannot
        reach its cost at the winner's price with the extra money, and (b) at
        the end, no remaining project becomes affordable. The winner's price
        only falls, so it keeps winning. Computed with floats and a relative
        safety margin of 1e-9 (far above the rounding error of these sums).
        A tie in a round is kept only when the losers cannot get any cheaper
        (all their supporters already pay their share); otherwise 0.

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
    state = _State(prep, endowment, sensitivity)
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
    remaining = [p for p in cands if p not in chosen]
    rho0 = {p: float(prep.costs[p] / prep.total_sat(p)) for p in remaining}

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
        if sensitivity is not None and state.ok.any():
            # a tied project that cannot get cheaper than today's price keeps losing the tie
            if any(q != win and prep.costs[q] / prep.total_sat(q) < best for q in ties):
                state.ok[:] = False
            else:
                rw = float(best) * (1 + 1e-9)
                for q in remaining:
                    if q not in ties and rho0[q] <= rw:
                        state.check_competitor(q, float(best))
        remaining.remove(win)
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
                state.cache.pop(q, None)
                if q in dirty:
                    dirty[q] = True
    stable = 0.0
    if sensitivity is not None:
        for q in remaining:
            if not state.ok.any():
                break
            state.check_unaffordable(q)
        good = np.flatnonzero(~state.ok)
        upto = good[0] if len(good) else len(sensitivity)
        stable = float(sensitivity[upto - 1]) if upto else 0.0
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
    return MesResult(selected, total, Fraction(endowment), steps, unfunded, stable)
