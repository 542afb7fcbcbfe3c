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
import math
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


_ZERO = Fraction(0)
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
            paid = self.state.exact_sum(st[self.poor], cnt[self.poor])
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

    def __init__(self, prep: Prepared, endowment: Fraction, horizon: float = 0.0):
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
        self.scale_f = [float(c) for c in prep.scale]
        # stability (Add1): for raises d in [0, horizon] of the endowment, along
        # this run's purchases, every state's budget lies between
        # budget + low * d and max(0, base + high * d) (see run_mes)
        self.horizon = horizon
        self.track = horizon > 0
        self.falls: list[float] = []
        if self.track:
            self.base = np.zeros(cap, dtype=np.float64)
            self.base[1] = float(endowment)
            self.high = np.zeros(cap, dtype=np.float64)
            self.high[1] = 1.0
            self.low = np.zeros(cap, dtype=np.float64)
            self.low[1] = 1.0

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
        if self.track:
            self.base = ext(self.base)
            self.high = ext(self.high)
            self.low = ext(self.low)

    def add_states(self, flt, parent, unit, buy, bound=None) -> np.ndarray:
        first = self.n
        m = len(flt)
        self._grow(first + m)
        self.flt[first : first + m] = flt
        if bound is not None:
            self.base[first : first + m] = bound[0]
            self.high[first : first + m] = bound[1]
            self.low[first : first + m] = bound[2]
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
        span = self.n * (1 if prep.uniform else self.U)
        if span > 8 * len(key) + 64:
            # many budget states (Borda, points: one per state and unit): a
            # bincount over all keys would cost O(states) per project
            nz, inverse = np.unique(key, return_inverse=True)
            cnt = np.bincount(inverse, weights=self.weights_f[g]).astype(np.int64)
        else:
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
    def pay(self, split: _Split, trace: bool, fall: float | None = None):
        """Supporters pay ``min(budget, rho * u)``; returns changed groups and payments.

        With stability tracking (``horizon > 0``) the children also get the
        bounds described in :func:`run_mes`, and ``falls`` records how fast
        this price falls at least with the raise.
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
        keep = rich & (new_flt > 0)
        bound = None
        if self.track:
            bound = self._bounds(split, new_flt, fall)
            keep = np.ones(m, dtype=bool)
        new_state = np.zeros(m, dtype=np.int64)
        kept = np.flatnonzero(keep)
        if len(kept):
            ids = self.add_states(
                new_flt[kept],
                st[kept],
                uu[kept],
                j,
                None if bound is None else tuple(x[kept] for x in bound),
            )
            new_state[kept] = ids
            for i, rest in exact_rest.items():
                if keep[i]:
                    self.memo[int(new_state[i])] = rest
            if self.track:
                memo = self.memo
                for s_ in new_state[poor].tolist():
                    memo[s_] = _ZERO
        payments: dict[str, int] = {}
        if trace:
            rx = split.exact()
            # one amount per unit u (those who pay their share rho * u) or per
            # budget state (those who pay all they have), in the order the
            # entries first name it; keyed by (numerator, denominator): hashing
            # a Fraction is slow
            big = self.U
            ident = np.where(poor, st + big, uu)
            uniq, first, inverse = np.unique(ident, return_index=True, return_inverse=True)
            sums = np.bincount(inverse.ravel(), weights=cnt).astype(np.int64).tolist()
            paid: dict[tuple[int, int], int] = {}
            for j in np.argsort(first, kind="stable").tolist():
                code = int(uniq[j])
                amount = self.exact(code - big) if code >= big else rx * code
                if amount:
                    key = (amount.numerator, amount.denominator)
                    paid[key] = paid.get(key, 0) + sums[j]
            payments = {fmt(Fraction(*key)): c_ for key, c_ in paid.items()}
        a, b_ = int(prep.sup_ptr[split.p]), int(prep.sup_ptr[split.p + 1])
        g = prep.sup_group[a:b_]
        s_old = self.group_state[g]
        key = s_old if prep.uniform else s_old * self.U + prep.sup_u[a:b_]
        lut = np.empty(int(nz[-1]) + 1, dtype=np.int64)
        lut[nz] = new_state
        s_new = lut[key]
        changed = s_new != s_old
        g = g[changed]
        self.group_state[g] = s_new[changed]
        return g, payments

    # -- stability (Add1) ----------------------------------------------------------
    def _bounds(self, split: _Split, new_flt: np.ndarray, fall: float | None = None):
        """Bounds for the children of a purchase (see run_mes); appends to ``falls``.

        ``fall`` is :meth:`fall` when the caller computed it already.
        """
        _, st, uu, cnt = split.full
        poor = split.poor
        rich = ~poor
        H = self.horizon
        rich_units = int(np.dot(cnt[rich], uu[rich]))
        sp, cp = st[poor], cnt[poor]
        base_p, high_p = self.base[sp], self.high[sp]
        # the price falls at most by `drop * d`: the poor gain at most the chord
        # of max(0, base + high * d) over [0, H]
        gain = np.where(base_p >= 0, high_p, np.maximum(base_p + high_p * H, 0.0) / H)
        drop = float(np.dot(cp, gain)) / rich_units * (1 + 1e-9)
        if fall is None:
            fall = self.fall(split)
        self.falls.append(fall / self.scale_f[split.p])
        base = np.where(rich, new_flt, self.base[st] - split.rho_f * uu)
        high = self.high[st] + drop * uu
        low = np.where(rich, self.low[st] + fall * uu, 0.0) * (1 - 1e-12)
        return base, high, low

    def fall(self, split: _Split) -> float:
        """How fast the price per unit of ``split`` falls at least with the raise.

        Budgets are at least ``budget + low * d``, so the price is at most the
        price ``p(d)`` computed from those; ``p`` is convex in ``d`` (the least
        ``r`` with ``sum(min(budget + low * d, r * u)) >= cost``, a concave
        function of ``(r, d)``), hence below its chord on ``[0, H]``.
        """
        _, st, uu, cnt = split.full
        poor = split.poor
        sp, cp = st[poor], cnt[poor]
        if not len(sp) or float(np.dot(cp, self.low[sp])) <= 0:
            return 0.0
        H = self.horizon
        rich = ~poor
        rich_units = int(np.dot(cnt[rich], uu[rich]))
        cost = self.costs_f[split.p]
        grown = self.flt[st] + self.low[st] * H
        p_h = _float_price(grown, uu, cnt, cost)
        return max(0.0, (split.rho_f - p_h - 1e-9 * cost / rich_units) / H)

    def reach(self, entries, cap: float, fall: float = 0.0, limit: float = math.inf) -> float:
        """A raise below which these supporters cannot pay ``q``'s cost at the price ``cap``.

        ``entries`` are ``(q, st, uu, cnt)``; at raise ``d`` a supporter has at
        most ``max(0, base + high * d)`` and pays at most ``(cap - fall * d) *
        u`` (``cap``, ``fall`` per unit of ``q``). Returns a ``d`` in ``[0,
        horizon]`` below which the payments stay below the cost (0 when they may
        already reach it; ``horizon`` when they do not reach it there; with
        margins of 1e-9 for float rounding). Any value ``>= limit`` may be
        returned when the answer is at least ``limit``.
        """
        q, st, uu, cnt = entries
        H = self.horizon
        cost = self.costs_f[q]
        base = self.base[st]
        high = self.high[st]
        cntf = cnt.astype(np.float64)
        now = np.maximum(base, 0.0)
        # margin for the rounding of the sums (entries with nothing up to the horizon add 0)
        alive = base + high * H > 0
        target = cost - 1e-9 * (cost + float(np.dot(cntf, np.where(alive, np.abs(base), 0.0))))
        if math.isfinite(cap):
            top = (cap * (1 + 1e-9)) * uu
            k = fall * uu
        else:
            top = np.full(len(st), np.inf)
            k = np.zeros(len(st))
        capped = now >= top
        have = float(np.dot(cntf, np.where(capped, top, now)))
        if have >= target:
            return 0.0
        free = ~capped & (high > 0)
        bf, hf, tf, kf, cf = base[free], high[free], top[free], k[free], cntf[free]
        # quick test: the payments grow by at most sum(cnt * high) per unit of d
        end = min(H, limit)
        if have + float(np.dot(cf, hf)) * end < target:
            return H
        rise_at = np.maximum(-bf, 0.0) / hf
        meet_at = (tf - bf) / (hf + kf)
        times = np.concatenate((np.zeros(int(capped.sum())), rise_at, meet_at))
        dsl = np.concatenate((-cntf[capped] * k[capped], cf * hf, -cf * (hf + kf)))
        d = _first_reach(have, times, dsl, target, H)
        return max(0.0, min(d, H) * (1 - 1e-9))

    def budget_left(self, p: int) -> Fraction:
        """What the supporters of ``p`` have left together, exactly.

        A budget is the endowment minus ``rho_j * u`` for every purchase ``j``
        on its state's chain, so the sum is ``endowment * W - sum_j rho_j *
        K_j`` with integer ``W`` (voters with money left) and ``K_j`` (their
        units in purchase ``j``): one exact product per purchase instead of
        one Fraction per budget state.
        """
        _, st, _, cnt = self.entries(p)
        return self.exact_sum(st, cnt)

    def exact_sum(self, st: np.ndarray, cnt: np.ndarray) -> Fraction:
        """``sum(cnt[i] * budget of state st[i])``, exactly (see :meth:`budget_left`).

        Empty budgets are the states whose float is 0 (state 0, and while
        tracking the kept children of those who paid all they had); every
        other budget is positive, and so is every budget on its chain.
        """
        live = self.flt[st] > 0
        t, c = st[live], cnt[live].astype(object)
        weight = int(c.sum()) if len(c) else 0
        per_buy = np.zeros(len(self.buys) + 1, dtype=object)
        while len(t):
            inner = t > 1
            t, c = t[inner], c[inner]
            if not len(t):
                break
            np.add.at(per_buy, self.buy[t], c * self.unit[t].astype(object))
            t = self.parent[t]
        total = self.endowment * weight
        for j, k in enumerate(per_buy[:-1].tolist()):
            if k:
                total -= self.buys[j].exact() * k
        return total


def _float_price(budget, uu, cnt, cost: float) -> float:
    """The MES price per unit for these (float) budgets; ``inf`` when they do not cover ``cost``."""
    ratio = budget / uu
    order = np.argsort(ratio, kind="stable")
    ratio_o = ratio[order]
    money = (cnt * budget)[order]
    paid_before = np.concatenate(([0.0], np.cumsum(money)[:-1]))
    units_from = np.cumsum((cnt * uu)[order][::-1])[::-1]
    rest = cost - paid_before
    ok = np.flatnonzero(rest <= ratio_o * units_from)
    if not len(ok):
        return math.inf
    k = int(ok[0])
    return float(rest[k] / units_from[k])


def _first_reach(value: float, times, dslope, target: float, horizon: float) -> float:
    """First ``d`` at which a piecewise-linear function reaches ``target``.

    The function is ``value`` at 0 and its slope changes by ``dslope[i]`` at
    ``times[i]`` (slope 0 before the first change). ``inf`` when it does not
    reach ``target`` up to ``horizon``.
    """
    order = np.argsort(times, kind="stable")
    t = times[order]
    sl = np.cumsum(dslope[order])
    keep = t <= horizon
    t, sl = t[keep], sl[keep]
    if not len(t):
        return math.inf
    vals = value + np.concatenate(([0.0], np.cumsum(sl[:-1] * np.diff(t))))
    hit = np.flatnonzero(vals >= target)
    if len(hit):
        k = int(hit[0]) - 1
        if k < 0:
            return float(t[0])
    else:
        k = len(t) - 1
        if sl[k] <= 0:
            return math.inf
    d = float(t[k] + (target - vals[k]) / sl[k])
    return d if d <= horizon else math.inf


def run_mes(
    prep: Prepared,
    tie: TieBreak,
    endowment: Fraction,
    *,
    initial: Sequence[int] = (),
    trace: bool = False,
    stability: float = 0.0,
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
    stability : float
        When positive (a *horizon* ``H``), also compute
        :attr:`MesResult.stable_for`: a raise ``D`` in ``[0, H]`` such that every
        endowment ``endowment + d`` with ``0 <= d < D`` buys exactly the same
        projects in the same order (used by Add1 to skip runs).

    Notes
    -----
    Why ``stable_for`` is safe. Fix this run's purchases and, per purchase,
    who pays all they have (*poor*) and who pays their share ``rho * u``
    (*rich*). Following that script with endowment ``e + d``, every budget is
    affine in ``d`` with a slope >= 0: the endowment has slope 1, a poor
    supporter's rest is 0, a rich one's rest has its old slope minus
    ``gamma * u``, where ``gamma = -(sum of the poor's slopes) / R`` (``R``: the
    rich units) is the slope of the price, ``<= 0``. The script is what MES
    really does at ``e + d`` as long as (by induction over the purchases)

    a. every poor supporter still has at most its share (rich ones stay
       rich: their margin only grows) -- a threshold per poor supporter;
    b. every other remaining project stays strictly dearer than the winner.
       For any split ``P`` of a project's supporters, ``(cost - sum over P of
       budgets) / (units outside P)`` is at most its price, so the split found
       when the project was last priced gives a lower bound on its price that
       is affine in ``d`` and stays valid while budgets fall (the check for
       round ``j`` takes the supporters' budget states at some moment before
       round ``j``, their *epoch*: budgets only fall, so these bound their
       budgets in round ``j`` from above, and states taken after their last
       payment before round ``j`` are exact; see ``close_fresh``); a project found
       unaffordable stays so while ``d`` is below what its supporters lack
       divided by their slopes; every price is at least
       ``cost / total satisfaction``. Each gives a threshold against the
       winner's affine price. Near-ties give 0 (no skip);
    c. at the end every remaining project is still unaffordable.

    ``D`` is the smallest threshold, computed with floats and a relative
    safety margin of 1e-9 (far above the rounding error of these sums); it is
    only used to skip runs, never to decide an outcome.

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
    state = _State(prep, endowment, float(stability))
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
    stability = float(stability)
    stable = stability if stability > 0 else 0.0
    if stability > 0:
        # Epochs: a project's supporters as they were when it was last priced
        # (budgets only fall afterwards) and the round from which they count.
        # ``top[k]``: highest winner's price (per satisfaction unit) in rounds 0..k.
        epoch: dict[int, tuple] = {}
        fresh: dict[int, bool] = {}  # the epoch is the supporters' current states
        falls: list[float] = []
        since = dict.fromkeys(remaining, 0)
        top: list[float] = []
        prices: list[float] = []

    def close(q: int) -> None:
        """Bound the raise by what ``q`` could pay in the rounds since it was priced."""
        nonlocal stable
        first = since[q]
        if first >= len(top) or stable <= 0:
            return
        r = top[-1]
        if rho0[q] > r * (1 + 1e-9):
            return  # even if all supporters pay their share, q is dearer
        ent = epoch.get(q)
        if ent is None:
            stable = 0.0  # never priced and a near-tie on cost / satisfaction
            return
        sc = scale_f[q]
        # the winners' prices since then, each at most price - fall * d; a
        # round whose line lies below another one's needs no check of its own
        lines = sorted(zip(prices[first:], falls[first:], strict=True), key=lambda x: (-x[0], x[1]))
        low_fall = math.inf
        for price, fall in lines:
            if price < rho0[q] * (1 - 1e-9) or fall >= low_fall:
                continue
            low_fall = fall
            stable = min(stable, state.reach(ent, price * sc, fall * sc, stable))

    def close_fresh(q: int) -> None:
        """``close``; when it binds with an older epoch, again with the current states.

        The supporters of ``q`` did not pay since round ``since[q]`` (every
        purchase of a neighbour moves ``since[q]``), so their current states
        are their states in all those rounds.
        """
        nonlocal stable
        old = stable
        close(q)
        if stable < old and not fresh.get(q) and epoch.get(q) is not None:
            stable = old
            ent = state.entries(q)
            epoch[q] = (q, ent[1], ent[2], ent[3])
            fresh[q] = True
            close(q)

    def refresh(p: int) -> float | None:
        if stability:
            close_fresh(p)
            since[p] = len(top)
        sp = state.rho(p)
        dirty[p] = False
        if stability:
            ent = state.entries(p)
            epoch[p] = (p, ent[1], ent[2], ent[3])
            fresh[p] = True
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
        else:
            # too close for floats: compare the exact prices
            exact = {q: splits[q].exact() / prep.scale[q] for _, q in near}
            best = min(exact.values())
            win = tie.winner([q for _, q in near if exact[q] == best])
        for v, q in near:
            if q != win:
                heapq.heappush(heap, (v, keys[q], q))
        split = splits.pop(win)
        remaining.remove(win)
        fall = None
        if stability:
            close_fresh(win)
            r = split.rho_f / scale_f[win]
            top.append(max(r, top[-1]) if top else r)
            prices.append(r)
            fall = state.fall(split)
            falls.append(fall / scale_f[win])
            # the winner's neighbours are about to pay: check the rounds since
            # their epoch while their supporters are as they were in them
            for q in prep.neighbours[win]:
                if q != win and q in dirty:
                    close_fresh(q)
                    since[q] = len(top)
        paid_groups, payments = state.pay(split, trace, fall)
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
                    if stability:
                        fresh[q] = False
                        if epoch.get(q) is None:
                            # never priced: its epoch starts now
                            ent = state.entries(q)
                            epoch[q] = (q, ent[1], ent[2], ent[3])
                            fresh[q] = True
    if stability > 0:
        for q in remaining:
            close_fresh(q)
            if stable <= 0:
                continue
            if epoch.get(q) is None:
                stable = 0.0
                continue
            # still unaffordable at the end, whatever the price
            d = state.reach(epoch[q], math.inf, 0.0, stable)
            if d < stable and not fresh.get(q):
                # the epoch was only an upper bound: use the current states
                ent = state.entries(q)
                epoch[q] = (q, ent[1], ent[2], ent[3])
                fresh[q] = True
                d = state.reach(epoch[q], math.inf, 0.0, stable)
            stable = min(stable, d)
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
    return MesResult(selected, total, Fraction(endowment), steps, unfunded, max(stable, 0.0))
