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


_TOL = 1e-9  # relative float margin; anything closer is settled with Fractions


class _Split:
    """The price of one project now: float ``rho`` per unit and who pays all they have."""

    __slots__ = ("state", "p", "rho_f", "rho_x", "full", "poor")

    def __init__(self, state, p, rho_f, rho_x, full, poor):
        self.state = state
        self.p = p
        self.rho_f = rho_f  # float price per unit u
        self.rho_x = rho_x  # exact price per unit u, or None until needed
        self.full = full  # (nz, st, uu, cnt) of all supporters
        self.poor = poor  # bool per entry: pays all it has (includes empty budgets)

    def exact(self) -> Fraction:
        """The exact price per unit (computed from the exact budgets of those who pay all)."""
        if self.rho_x is None:
            _, st, uu, cnt = self.full
            ex = self.state.exact
            paid = sum(
                (
                    c * ex(s)
                    for s, c in zip(st[self.poor].tolist(), cnt[self.poor].tolist(), strict=True)
                ),
                Fraction(0),
            )
            units = int(np.dot(cnt[~self.poor], uu[~self.poor]))
            self.rho_x = (self.state.prep.costs[self.p] - paid) / units
        return self.rho_x


class _State:
    """Budget states of one MES run.

    State 0 is an empty budget, state 1 the endowment. Every other state is
    either an empty budget or a *child*: its parent's budget minus the price
    per unit of one purchase times ``u``. Floats are kept for every state;
    exact Fractions are computed only when a decision is too close to call
    with floats (and for the trace), by walking the parents.
    """

    def __init__(self, prep: Prepared, endowment: Fraction, grid: np.ndarray | None = None):
        self.prep = prep
        self.endowment = Fraction(endowment)
        cap = 1024
        self.n = 2
        self.flt = np.zeros(cap, dtype=np.float64)
        self.flt[1] = float(endowment)
        self.parent = np.zeros(cap, dtype=np.int64)
        self.unit = np.zeros(cap, dtype=np.int64)
        self.buy = np.full(cap, -1, dtype=np.int64)
        self.memo: dict[int, Fraction] = {0: Fraction(0), 1: self.endowment}
        self.buys: list[_Split] = []
        self.eps = max(float(endowment), 1e-300) * 1e-7  # "near zero" for budgets
        self.group_state = np.ones(len(prep.weights), dtype=np.int64)
        self.weights_f = prep.weights.astype(np.float64)
        self.U = prep.max_u + 1
        self.cache: dict[int, tuple] = {}
        self.costs_f = [float(c) for c in prep.costs]
        # sensitivity (Add1): per state, upper bounds on how much more budget it
        # has when the endowment is raised by each value of ``grid``
        self.grid = grid
        self.ok = None
        if grid is not None:
            self.up = np.zeros((cap, len(grid)), dtype=np.float64)
            self.up[1] = grid
            self.ok = np.ones(len(grid), dtype=bool)

    # -- exact values ---------------------------------------------------------
    def exact(self, s: int) -> Fraction:
        memo = self.memo
        v = memo.get(s)
        if v is not None:
            return v
        chain = []
        while s not in memo:
            chain.append(s)
            s = int(self.parent[s])
        v = memo[s]
        for t in reversed(chain):
            v = v - self.buys[int(self.buy[t])].exact() * int(self.unit[t])
            memo[t] = v
        return v

    def _grow(self, need: int) -> None:
        cap = len(self.flt)
        if need <= cap:
            return
        size = max(need, 2 * cap)

        def ext(arr, fill=0):
            out = np.full((size,) + arr.shape[1:], fill, dtype=arr.dtype)
            out[:cap] = arr
            return out

        self.flt = ext(self.flt)
        self.parent = ext(self.parent)
        self.unit = ext(self.unit)
        self.buy = ext(self.buy, -1)
        if self.grid is not None:
            self.up = ext(self.up)

    def add_states(self, flt, parent, unit, buy) -> np.ndarray:
        first = self.n
        m = len(flt)
        self._grow(first + m)
        self.flt[first : first + m] = flt
        self.parent[first : first + m] = parent
        self.unit[first : first + m] = unit
        self.buy[first : first + m] = buy
        self.n = first + m
        return np.arange(first, first + m, dtype=np.int64)

    # -- supporters -----------------------------------------------------------
    def entries(self, p: int):
        """The supporters of ``p`` aggregated per (state, unit) (cached until they pay)."""
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

    # -- price ------------------------------------------------------------------
    def rho(self, p: int) -> _Split | None:
        """The price of ``p`` now, or None when its supporters cannot pay it."""
        full = self.entries(p)
        _, st, uu, cnt = full
        bf = self.flt[st]
        live = bf > 0
        if not live.any():
            return None
        cost_f = self.costs_f[p]
        idx = np.flatnonzero(live)
        money = cnt[idx] * bf[idx]
        total_f = float(money.sum())
        if total_f < cost_f * (1 - _TOL):
            return None
        if total_f > cost_f * (1 + _TOL):
            ratio = bf[idx] / uu[idx]
            order = np.argsort(ratio, kind="stable")
            ratio_o = ratio[order]
            wu = cnt[idx][order] * uu[idx][order]
            paid_before = np.concatenate(([0.0], np.cumsum(money[order])[:-1]))
            units_from = np.cumsum(wu[::-1])[::-1]
            rest = cost_f - paid_before
            cond = rest <= ratio_o * units_from
            if cond.any():
                k = int(np.argmax(cond))
                rho_f = rest[k] / units_from[k]
                clear = rest[k] > 1e-6 * cost_f and ratio_o[k] > rho_f * (1 + _TOL)
                if clear and k > 0:
                    clear = ratio_o[k - 1] < rho_f * (1 - _TOL)
                if clear:
                    poor = ~live
                    poor[idx[order[:k]]] = True
                    return _Split(self, p, float(rho_f), None, full, poor)
        return self._exact_rho(p, full, live)

    def _exact_rho(self, p: int, full, live) -> _Split | None:
        cost = self.prep.costs[p]
        _, st, uu, cnt = full
        ex = self.exact
        idx = np.flatnonzero(live).tolist()
        sl, ul, cl = st.tolist(), uu.tolist(), cnt.tolist()
        total = sum((cl[i] * ex(sl[i]) for i in idx), Fraction(0))
        if total < cost:
            return None
        items = sorted(idx, key=lambda i: ex(sl[i]) / ul[i])
        paid = Fraction(0)
        units = sum(cl[i] * ul[i] for i in idx)
        poor = ~live
        for i in items:
            rho = (cost - paid) / units
            if rho * ul[i] <= ex(sl[i]):
                # everyone from here on can pay their share rho * u
                for j in items:
                    if ex(sl[j]) < rho * ul[j]:
                        poor[j] = True
                return _Split(self, p, float(rho), rho, full, poor)
            paid += cl[i] * ex(sl[i])
            units -= cl[i] * ul[i]
        raise AssertionError("affordable project without a price")  # pragma: no cover

    # -- paying -----------------------------------------------------------------
    def pay(self, split: _Split, trace: bool):
        """Supporters pay ``min(budget, rho * u)``; returns changed groups and payments.

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
        nz, st, uu, cnt = split.full
        poor = split.poor
        rich = ~poor
        j = len(self.buys)
        self.buys.append(split)
        rho_f = split.rho_f
        bf = self.flt[st]
        m = len(st)
        new_flt = np.where(rich, bf - rho_f * uu, 0.0)
        # budgets that end up (nearly) empty are settled exactly
        near = np.flatnonzero(rich & (new_flt <= self.eps))
        exact_rest: dict[int, Fraction] = {}
        if len(near):
            rx = split.exact()
            for i in near.tolist():
                rest = self.exact(int(st[i])) - rx * int(uu[i])
                exact_rest[i] = rest
                new_flt[i] = float(rest)
        track = self.grid is not None
        if track:
            ids = self.add_states(new_flt, st, uu, np.where(rich, j, -1))
            zero = Fraction(0)
            for i in np.flatnonzero(poor).tolist():
                self.memo[int(ids[i])] = zero
            for i, rest in exact_rest.items():
                self.memo[int(ids[i])] = rest
            up = self.up[st]
            margin = np.where(poor, rho_f * uu - bf, 0.0)
            slack = self.eps * 1e-2
            rich_units = int(np.dot(cnt[rich], uu[rich]))
            if rich_units == 0:
                self.ok[:] = False
                drop = np.zeros(up.shape[1])
            else:
                hi = margin[poor] + slack
                drop = (cnt[poor, None] * np.minimum(up[poor], hi[:, None])).sum(0) / rich_units
            up = up + uu[:, None] * drop[None, :]
            lo = np.maximum(margin[poor] - slack, 0.0)
            up[poor] = np.maximum(0.0, up[poor] - lo[:, None])
            self.up[ids] = up
            new_state = ids
        else:
            keep = rich & (new_flt > 0)
            new_state = np.zeros(m, dtype=np.int64)
            kept = np.flatnonzero(keep)
            if len(kept):
                ids = self.add_states(new_flt[kept], st[kept], uu[kept], j)
                new_state[kept] = ids
                for i, rest in exact_rest.items():
                    if keep[i]:
                        self.memo[int(new_state[i])] = rest
        payments: dict[str, int] = {}
        if trace:
            rx = split.exact()
            for i in range(m):
                amount = self.exact(int(st[i])) if poor[i] else rx * int(uu[i])
                if amount:
                    key = fmt(amount)
                    payments[key] = payments.get(key, 0) + int(cnt[i])
        a, b_ = int(prep.sup_ptr[split.p]), int(prep.sup_ptr[split.p + 1])
        g = prep.sup_group[a:b_]
        s_old = self.group_state[g]
        key = s_old if prep.uniform else s_old * self.U + prep.sup_u[a:b_]
        s_new = new_state[np.searchsorted(nz, key)]
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
        cost = self.costs_f[q]
        price = (rho_f * float(self.prep.scale[q])) * uu
        have = self.flt[st][:, None] + self.up[st]
        paid = (cnt[:, None] * np.minimum(have, price[:, None])).sum(0)
        self.ok &= paid < cost - 1e-9 * (cost + paid)

    def check_unaffordable(self, q: int) -> None:
        """Keep only the raises with which ``q``'s supporters still cannot pay it."""
        _, st, _, cnt = self.entries(q)
        if len(st) == 0:
            return
        cost = self.costs_f[q]
        total = (cnt[:, None] * (self.flt[st][:, None] + self.up[st])).sum(0)
        self.ok &= total < cost - 1e-9 * (cost + total)

    def budget_left(self, p: int) -> Fraction:
        _, st, _, cnt = self.entries(p)
        return sum(
            (c * self.exact(s) for s, c in zip(st.tolist(), cnt.tolist(), strict=True)),
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
    scale_f = [float(x) for x in prep.scale]
    heap = []
    remaining = [p for p in cands if p not in chosen]
    rho0 = {p: float(prep.costs[p] / prep.total_sat(p)) for p in remaining}
    for p in remaining:
        heap.append((rho0[p] * (1 - 4 * _TOL), keys[p], p))
    heapq.heapify(heap)
    dirty = dict.fromkeys(remaining, True)
    splits: dict[int, _Split] = {}
    rnd = 0

    def refresh(p: int) -> float | None:
        sp = state.rho(p)
        dirty[p] = False
        if sp is None:
            splits.pop(p, None)
            return None
        splits[p] = sp
        return sp.rho_f / scale_f[p]

    while heap:
        value, _, p = heap[0]
        if dirty[p]:
            heapq.heappop(heap)
            new = refresh(p)
            if new is not None:
                heapq.heappush(heap, (new, keys[p], p))
            continue
        limit = value * (1 + 4 * _TOL)
        near = []
        while heap and heap[0][0] <= limit:
            v, _, q = heapq.heappop(heap)
            if dirty[q]:
                new = refresh(q)
                if new is None:
                    continue
                if new > limit:
                    heapq.heappush(heap, (new, keys[q], q))
                    continue
                v = new
            near.append((v, q))
        if len(near) == 1:
            win = near[0][1]
            ties = [win]
            best = None
        else:
            # too close for floats: compare the exact prices
            exact = {q: splits[q].exact() / prep.scale[q] for _, q in near}
            best = min(exact.values())
            ties = [q for _, q in near if exact[q] == best]
            win = tie.winner(ties)
        for v, q in near:
            if q != win:
                heapq.heappush(heap, (v, keys[q], q))
        split = splits.pop(win)
        if sensitivity is not None and state.ok.any():
            # a tied project that cannot get cheaper than today's price keeps losing the tie
            if best is not None and any(
                q != win and prep.costs[q] / prep.total_sat(q) < best for q in ties
            ):
                state.ok[:] = False
            else:
                rw_f = split.rho_f / scale_f[win]
                lim = rw_f * (1 + 1e-7)
                for q in remaining:
                    if q not in ties and rho0[q] <= lim:
                        state.check_competitor(q, rw_f * (1 + 1e-7))
        remaining.remove(win)
        paid_groups, payments = state.pay(split, trace)
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
                    fmt(split.exact() / prep.scale[win]),
                    prep.supporters[win],
                    payments,
                    fmt(endowment),
                )
            )
        if len(paid_groups):
            # only projects that share a supporter with the winner can have changed
            for q in prep.neighbours[win]:
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
