"""A compiled Add1 probe: the float MES run plus its stability bound (internal).

Add1 (:func:`buurtcore.voting.rules.completion.run_add1`) skips endowments
that are proven to give the identical run. The proof is
``run_mes(prep, tie, e, stability=H).stable_for`` in
:mod:`buurtcore.voting.rules.equal_shares` (its docstring and
``docs/voting-engine.md`` "How Add1 is fast" explain why it is sound). This
module computes the same bound in compiled code, on top of the float run of
:mod:`buurtcore.voting.rules._mes_fast`:

* the run itself is the fast run, step by step: the same lazy heap, the same
  margins, and it gives up (returns ``None``) on exactly the same close calls,
  so a finished probe bought exactly what the exact run buys;
* the bound is ``run_mes``'s bound, formula by formula: every budget state
  carries ``base``/``high``/``low`` (``_State._bounds``), every purchase a
  ``fall`` of its price, every project an *epoch* (its supporters' budget
  states at some point and the round from which they count), ``close`` bounds
  the raise by what a competitor could pay at the winners' prices since then
  (``_State.reach``, ``_first_reach``) -- checked when it is priced, when it
  wins, at the end, and just before a purchase makes its supporters pay, with
  the current states instead of the epoch whenever the epoch's check binds
  (``close_fresh`` in ``run_mes``) -- and at the end every project left must
  stay unaffordable. Only the order of some float sums differs, so the two
  bounds agree up to rounding (far below the relative safety margins of
  ``1e-9`` inside the bound).

As in ``run_mes`` with ``stability > 0``, supporters that pay all they have
keep a budget state of their own (with budget 0): their upper bound
``max(0, base + high * d)`` differs per state. One difference, for speed: a
supporter whose upper bound stays 0 for every raise up to the horizon
(``base + high * H < 0``, with a margin) goes to state 0, as in the compiled
run, and is left out of prices, epochs and checks, where it would only add
zeros (``run_mes`` leaves such entries out of the rounding margin of
``reach`` too). Its bound stays below 0 as long as every later purchase it
supports has ``drop * H < rho`` (``base`` falls by ``rho * u``, ``high`` rises
by ``drop * u``); when one does not, the probe proves nothing (``stable_for``
0, ``FastMes.last_revived``) and the run itself still counts. About two thirds
of all supporter entries are such on Budapest 2024; leaving them out makes the
probe about a third faster.

Without numba :func:`probe` always returns ``None``.
"""

from __future__ import annotations

import heapq
import math
from fractions import Fraction

import numpy as np

from buurtcore.voting.rules import _mes_fast
from buurtcore.voting.rules._data import Prepared
from buurtcore.voting.rules._mes_fast import FastMes, _settle_tie, _solve
from buurtcore.voting.rules.equal_shares import _TOL, MesResult, run_mes
from buurtcore.voting.tiebreak import TieBreak

__all__ = ["probe", "probe_mes"]

numba = _mes_fast.numba


def _aggregate(p, sup_ptr, sup_group, sup_u, sup_w, gstate, big_u, slot, ep_s, ep_u, ep_c, ep_n):
    """Store ``p``'s supporters per (state, unit) as its epoch; returns their number.

    Supporters in state 0 are left out: their budget is 0 for every raise up to
    the horizon (see ``_kernel``).
    """
    a = sup_ptr[p]
    m = 0
    for e in range(a, sup_ptr[p + 1]):
        s = gstate[sup_group[e]]
        if s == 0:
            continue
        u = sup_u[e]
        key = s * big_u + u
        k = slot[key]
        if k == -1:
            k = m
            slot[key] = m
            ep_s[a + m] = s
            ep_u[a + m] = u
            ep_c[a + m] = 0.0
            m += 1
        ep_c[a + k] += sup_w[e]
    ep_n[p] = m
    for i in range(a, a + m):
        slot[ep_s[i] * big_u + ep_u[i]] = -1
    return m


def _price(
    p, sup_ptr, sup_group, sup_u, sup_w, gstate, flt, big_u, slot,
    ep_s, ep_u, ep_c, ep_n, lu, lc, lb, cost, tol,
):  # fmt: skip
    """Aggregate ``p``'s supporters per (state, unit) into its epoch and price it.

    Returns ``(status, rho, units)`` exactly as ``_mes_fast._price`` does (its
    ``_solve`` on the same sums in the same order), over the supporters with a
    positive budget only: states with budget 0 are in the epoch but pay
    nothing (the compiled run drops them into its empty state).
    """
    a = sup_ptr[p]
    m = _aggregate(p, sup_ptr, sup_group, sup_u, sup_w, gstate, big_u, slot, ep_s, ep_u, ep_c, ep_n)
    n_live = 0
    for i in range(a, a + m):
        b = flt[ep_s[i]]
        if b > 0:
            lb[n_live] = b
            lu[n_live] = ep_u[i]
            lc[n_live] = ep_c[i]
            n_live += 1
    return _solve(lb, lu, lc, n_live, cost, tol)


def _float_price(budget, uu, cnt, m, cost):
    """``equal_shares._float_price`` over the first ``m`` entries."""
    ratio = budget[:m] / uu[:m]
    order = np.argsort(ratio, kind="mergesort")
    units = 0.0
    for i in range(m):
        units += cnt[i] * uu[i]
    paid = 0.0
    for j in range(m):
        i = order[j]
        rest = cost - paid
        if rest <= ratio[i] * units:
            return rest / units
        paid += cnt[i] * budget[i]
        units -= cnt[i] * uu[i]
    return math.inf


def _first_reach(value, times, dslope, n, target, horizon):
    """``equal_shares._first_reach`` over the first ``n`` breakpoints."""
    order = np.argsort(times[:n], kind="mergesort")
    n_keep = 0
    while n_keep < n and times[order[n_keep]] <= horizon:
        n_keep += 1
    if n_keep == 0:
        return math.inf
    sl = 0.0
    val = value
    t_prev = times[order[0]]
    slope_k = 0.0
    t_k = t_prev
    val_k = val
    for j in range(n_keep):
        t = times[order[j]]
        if j > 0:
            val = val + slope_k * (t - t_prev)
            if val >= target:
                d = t_k + (target - val_k) / slope_k
                return d if d <= horizon else math.inf
        elif val >= target:
            return t
        sl += dslope[order[j]]
        slope_k = sl
        t_k = t
        val_k = val
        t_prev = t
    if slope_k <= 0:
        return math.inf
    d = t_k + (target - val_k) / slope_k
    return d if d <= horizon else math.inf


def _reach(
    q, es, eu, ec, a, m, cap, fall, limit, horizon, costs, base, high, times, dsl
):  # fmt: skip
    """``_State.reach`` for the entries ``es/eu/ec[a : a + m]`` of project ``q``."""
    H = horizon
    cost = costs[q]
    finite = cap < math.inf
    abs_sum = 0.0
    have = 0.0
    slope = 0.0
    top_unit = cap * (1 + 1e-9)
    for i in range(a, a + m):
        b = base[es[i]]
        h = high[es[i]]
        if b + h * H > 0:
            abs_sum += ec[i] * abs(b)
        now = b if b > 0.0 else 0.0
        if finite and now >= top_unit * eu[i]:
            have += ec[i] * top_unit * eu[i]
        else:
            have += ec[i] * now
            if h > 0:
                slope += ec[i] * h
    target = cost - 1e-9 * (cost + abs_sum)
    if have >= target:
        return 0.0
    end = min(H, limit)
    if have + slope * end < target:
        return H
    n = 0
    for i in range(a, a + m):
        b = base[es[i]]
        now = b if b > 0.0 else 0.0
        c = ec[i]
        if finite:
            top = top_unit * eu[i]
            k = fall * eu[i]
        else:
            top = math.inf
            k = 0.0
        if finite and now >= top:
            times[n] = 0.0
            dsl[n] = -c * k
            n += 1
            continue
        h = high[es[i]]
        if h > 0:
            times[n] = max(-b, 0.0) / h
            dsl[n] = c * h
            n += 1
            times[n] = (top - b) / (h + k)
            dsl[n] = -c * (h + k)
            n += 1
    d = _first_reach(have, times, dsl, n, target, H)
    return max(0.0, min(d, H) * (1 - 1e-9))


def _close(
    q, stable, since, n_top, top, prices, falls, rho0, scale, ep_s, ep_u, ep_c, ep_n,
    sup_ptr, horizon, costs, base, high, times, dsl, line_i,
):  # fmt: skip
    """``close`` of ``run_mes``: the raise bounded by what ``q`` could pay since it was priced."""
    first = since[q]
    if first >= n_top or stable <= 0:
        return stable
    r = top[n_top - 1]
    if rho0[q] > r * (1 + 1e-9):
        return stable
    if ep_n[q] < 0:
        return 0.0
    sc = scale[q]
    # the rounds that count, sorted by (-price, fall) (insertion sort: few rounds)
    n = 0
    floor = rho0[q] * (1 - 1e-9)
    for i in range(first, n_top):
        pi = prices[i]
        if pi < floor:
            continue
        fi = falls[i]
        j = n
        while j > 0 and (
            prices[line_i[j - 1]] < pi
            or (prices[line_i[j - 1]] == pi and falls[line_i[j - 1]] > fi)
        ):
            line_i[j] = line_i[j - 1]
            j -= 1
        line_i[j] = i
        n += 1
    low_fall = math.inf
    for j in range(n):
        price = prices[line_i[j]]
        fall = falls[line_i[j]]
        if fall >= low_fall:
            continue
        low_fall = fall
        d = _reach(
            q, ep_s, ep_u, ep_c, sup_ptr[q], ep_n[q], price * sc, fall * sc, stable,
            horizon, costs, base, high, times, dsl,
        )  # fmt: skip
        if d < stable:
            stable = d
    return stable


def _close_fresh(
    q, stable, since, n_top, top, prices, falls, rho0, scale, ep_s, ep_u, ep_c, ep_n,
    sup_ptr, horizon, costs, base, high, times, dsl, line_i,
    fresh, sup_group, sup_u, sup_w, gstate, big_u, slot,
):  # fmt: skip
    """``close`` with ``q``'s supporters as they are now (see the module docstring).

    ``q``'s epoch may be older than its supporters' current states (an upper
    bound, so the check is valid but loose). Only when that loose check binds
    are the current states aggregated and the check repeated: they are the
    states of every round since ``since[q]`` (no supporter of ``q`` paid since).
    """
    d = _close(
        q, stable, since, n_top, top, prices, falls, rho0, scale, ep_s, ep_u, ep_c, ep_n,
        sup_ptr, horizon, costs, base, high, times, dsl, line_i,
    )  # fmt: skip
    if d < stable and not fresh[q] and ep_n[q] >= 0:
        _aggregate(q, sup_ptr, sup_group, sup_u, sup_w, gstate, big_u, slot, ep_s, ep_u, ep_c, ep_n)
        fresh[q] = True
        d = _close(
            q, stable, since, n_top, top, prices, falls, rho0, scale, ep_s, ep_u, ep_c, ep_n,
            sup_ptr, horizon, costs, base, high, times, dsl, line_i,
        )  # fmt: skip
    return d


def _reprice(
    q, stable, since, n_top, top, prices, falls, rho0, scale, ep_s, ep_u, ep_c,
    ep_n, sup_ptr, H, costs, base, high, times, dsl, line_i, fresh, sup_group,
    sup_u, sup_w, gstate, big_u, slot, flt, lu, lc, lb, tol, dirty, alive, price,
    runits,
):  # fmt: skip
    """Check ``q``'s rounds since its epoch, then price it anew: ``(status, rho / scale, stable)``.

    As ``refresh`` in ``run_mes``: ``close`` for the rounds since ``q`` was last
    priced, a new epoch from now on, and the price (status as ``_price``; 0:
    unaffordable, it leaves for good; < 0: too close to call).
    """
    stable = _close_fresh(
        q, stable, since, n_top, top, prices, falls, rho0, scale, ep_s, ep_u, ep_c,
        ep_n, sup_ptr, H, costs, base, high, times, dsl, line_i,
        fresh, sup_group, sup_u, sup_w, gstate, big_u, slot,
    )  # fmt: skip
    since[q] = n_top
    status, rho, units = _price(
        q, sup_ptr, sup_group, sup_u, sup_w, gstate, flt, big_u, slot,
        ep_s, ep_u, ep_c, ep_n, lu, lc, lb, costs[q], tol,
    )  # fmt: skip
    fresh[q] = True
    dirty[q] = False
    if status <= 0:
        if status == 0:
            alive[q] = False
        return status, 0.0, stable
    price[q] = rho
    runits[q] = units if status == 2 else -1.0
    return status, rho / scale[q], stable


def _kernel(
    endow, horizon, sup_ptr, sup_group, sup_u, sup_w, n_groups, big_u, costs, scale,
    rho0, rank, cands, nb_ptr, nb_idx, cost_int, cost_sat, out,
):  # fmt: skip
    """One float MES run with its stability bound: ``(purchases or < 0 to give up, stable)``.

    The run is ``_mes_fast._kernel`` (same give-up codes); the bound is
    ``run_mes(stability=horizon)``'s (see the module docstring).
    """
    tol = _TOL  # the same relative margin as the Python run
    H = horizon
    n_proj = len(costs)
    eps = max(endow, 1e-300) * 1e-7
    cap = 1024
    flt = np.zeros(cap)
    base = np.zeros(cap)
    high = np.zeros(cap)
    low = np.zeros(cap)
    flt[1] = endow
    base[1] = endow
    high[1] = 1.0
    low[1] = 1.0
    n_states = 2
    gstate = np.ones(n_groups, dtype=np.int32)
    slot = np.full(cap * big_u, -1, dtype=np.int32)
    max_sup = 1
    for p in range(n_proj):
        if sup_ptr[p + 1] - sup_ptr[p] > max_sup:
            max_sup = sup_ptr[p + 1] - sup_ptr[p]
    n_sup = sup_ptr[n_proj]
    # epochs: the supporters of p per (state, unit) when p was last priced
    ep_s = np.empty(n_sup, dtype=np.int32)  # read only below ep_n (written before)
    ep_u = np.empty(n_sup, dtype=np.int64)
    ep_c = np.empty(n_sup)
    ep_n = np.full(n_proj, -1, dtype=np.int64)
    since = np.zeros(n_proj, dtype=np.int64)
    lu = np.empty(max_sup, dtype=np.int64)  # the live entries of a pricing: units,
    lc = np.empty(max_sup)  # voters
    lb = np.empty(max_sup)  # and budget
    times = np.empty(2 * max_sup)
    dsl = np.empty(2 * max_sup)
    grown = np.empty(max_sup)
    w_u = np.empty(max_sup, dtype=np.int64)
    w_c = np.empty(max_sup)
    w_s = np.empty(max_sup, dtype=np.int64)
    n_c = len(cands)
    top = np.zeros(n_c + 1)
    prices = np.zeros(n_c + 1)
    falls = np.zeros(n_c + 1)
    line_i = np.zeros(n_c + 1, dtype=np.int64)
    n_top = 0
    stable = H
    n_revive = 0
    dirty = np.zeros(n_proj, dtype=np.bool_)
    alive = np.zeros(n_proj, dtype=np.bool_)
    bought = np.zeros(n_proj, dtype=np.bool_)
    is_cand = np.zeros(n_proj, dtype=np.bool_)
    fresh = np.zeros(n_proj, dtype=np.bool_)  # the epoch is the supporters' current states
    price = np.zeros(n_proj)
    runits = np.zeros(n_proj)
    near = np.empty(n_proj, dtype=np.int64)
    near_v = np.empty(n_proj)
    heap = [(0.0, 0, 0)]
    heap.pop()
    for p in cands:
        heap.append((rho0[p] * (1 - 4 * tol), rank[p], p))
        dirty[p] = True
        alive[p] = True
        is_cand[p] = True
    heapq.heapify(heap)
    n_out = 0
    while len(heap):
        value, _, p = heap[0]
        if dirty[p]:
            heapq.heappop(heap)
            status, v, stable = _reprice(
                p, stable, since, n_top, top, prices, falls, rho0, scale, ep_s, ep_u, ep_c,
                ep_n, sup_ptr, H, costs, base, high, times, dsl, line_i, fresh, sup_group,
                sup_u, sup_w, gstate, big_u, slot, flt, lu, lc, lb, tol, dirty, alive, price,
                runits,
            )  # fmt: skip
            if status < 0:
                return -10 + status, 0.0, 0
            if status > 0:
                heapq.heappush(heap, (v, rank[p], p))
            continue
        limit = value * (1 + 4 * tol)
        n_near = 0
        while len(heap) and heap[0][0] <= limit:
            v, r, q = heapq.heappop(heap)
            if dirty[q]:
                status, v, stable = _reprice(
                    q, stable, since, n_top, top, prices, falls, rho0, scale, ep_s, ep_u, ep_c,
                    ep_n, sup_ptr, H, costs, base, high, times, dsl, line_i, fresh, sup_group,
                    sup_u, sup_w, gstate, big_u, slot, flt, lu, lc, lb, tol, dirty, alive, price,
                    runits,
                )  # fmt: skip
                if status < 0:
                    return -10 + status, 0.0, 0
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
                return -2, 0.0, 0
            for i in range(n_near):
                q = near[i]
                if q != win:
                    heapq.heappush(heap, (near_v[i], rank[q], q))
        stable = _close_fresh(
            win, stable, since, n_top, top, prices, falls, rho0, scale, ep_s, ep_u, ep_c,
            ep_n, sup_ptr, H, costs, base, high, times, dsl, line_i,
            fresh, sup_group, sup_u, sup_w, gstate, big_u, slot,
        )  # fmt: skip
        rho = price[win]
        r = rho / scale[win]
        top[n_top] = max(r, top[n_top - 1]) if n_top else r
        prices[n_top] = r
        # -- pay, with the bounds of the children (equal_shares._State._bounds) --
        a = sup_ptr[win]
        m = ep_n[win]  # the entries of the last pricing are the current ones
        rich_units = 0.0
        gain = 0.0
        low_poor = 0.0
        n_poor = 0
        for i in range(a, a + m):
            s = ep_s[i]
            bs = flt[s]
            if bs < rho * ep_u[i]:
                n_poor += 1
                g = high[s] if base[s] >= 0 else max(base[s] + high[s] * H, 0.0) / H
                gain += ep_c[i] * g
                low_poor += ep_c[i] * low[s]
            else:
                if bs - rho * ep_u[i] <= eps:
                    return -3, 0.0, 0  # (almost) exactly its share: settled exactly
                rich_units += ep_c[i] * ep_u[i]
        drop = gain / rich_units * (1 + 1e-9)
        fall = 0.0
        if n_poor and low_poor > 0:
            for j in range(m):
                s = ep_s[a + j]
                grown[j] = flt[s] + low[s] * H
                w_u[j] = ep_u[a + j]
                w_c[j] = ep_c[a + j]
            p_h = _float_price(grown, w_u, w_c, m, costs[win])
            fall = max(0.0, (rho - p_h - 1e-9 * costs[win] / rich_units) / H)
        falls[n_top] = fall / scale[win]
        n_top += 1
        # the winner's neighbours are about to pay: check the rounds since their
        # epoch with their supporters as they are until now (run_mes: refresh_epoch)
        for i in range(nb_ptr[win], nb_ptr[win + 1]):
            q = nb_idx[i]
            if q == win or not is_cand[q] or bought[q]:
                continue
            stable = _close_fresh(
                q, stable, since, n_top, top, prices, falls, rho0, scale, ep_s, ep_u, ep_c,
                ep_n, sup_ptr, H, costs, base, high, times, dsl, line_i,
                fresh, sup_group, sup_u, sup_w, gstate, big_u, slot,
            )  # fmt: skip
            since[q] = n_top
        if n_states + m > len(flt):
            size = max(n_states + m, 2 * len(flt))
            flt2 = np.zeros(size)
            base2 = np.zeros(size)
            high2 = np.zeros(size)
            low2 = np.zeros(size)
            flt2[:n_states] = flt[:n_states]
            base2[:n_states] = base[:n_states]
            high2[:n_states] = high[:n_states]
            low2[:n_states] = low[:n_states]
            flt, base, high, low = flt2, base2, high2, low2
            slot = np.full(size * big_u, -1, dtype=np.int32)
        for i in range(a, a + m):
            s = ep_s[i]
            u = ep_u[i]
            w_s[i - a] = s * big_u + u
            bs = flt[s]
            if bs < rho * u:
                bc = base[s] - rho * u
                hc = high[s] + drop * u
                if bc + hc * H * (1 + 1e-9) + 1e-9 * abs(bc) < 0:
                    slot[s * big_u + u] = 0  # nothing left for any raise up to H
                    continue
                c = n_states
                n_states += 1
                flt[c] = 0.0
                base[c] = bc
                high[c] = hc
                low[c] = 0.0
                slot[s * big_u + u] = c
                continue
            c = n_states
            n_states += 1
            flt[c] = bs - rho * u
            base[c] = flt[c]
            low[c] = (low[s] + fall * u) * (1 - 1e-12)
            high[c] = high[s] + drop * u
            slot[s * big_u + u] = c
        dead = False
        for e in range(a, sup_ptr[win + 1]):
            g = sup_group[e]
            if gstate[g] == 0:
                dead = True
                continue
            gstate[g] = slot[gstate[g] * big_u + sup_u[e]]
        if dead and drop * H >= rho * (1 - 1e-9):
            # a supporter in state 0 pays all it has (nothing); its bound
            # base + high * H (<= 0) changes by (drop * H - rho) * u, so it
            # might have money within the horizon, and the epochs that left it
            # out are no bound any more: prove nothing (the run itself is right)
            stable = 0.0
            n_revive += 1
        for j in range(m):
            slot[w_s[j]] = -1
        out[n_out] = win
        n_out += 1
        alive[win] = False
        bought[win] = True
        for i in range(nb_ptr[win], nb_ptr[win + 1]):
            q = nb_idx[i]
            if alive[q]:
                dirty[q] = True
            if is_cand[q] and not bought[q]:
                fresh[q] = False
                if ep_n[q] < 0:
                    # never priced: its epoch starts now (run_mes: refresh_epoch)
                    _aggregate(
                        q, sup_ptr, sup_group, sup_u, sup_w, gstate, big_u, slot, ep_s, ep_u,
                        ep_c, ep_n,
                    )  # fmt: skip
                    fresh[q] = True
    # -- the end: every project left stays unaffordable --------------------------
    for q in cands:
        if bought[q]:
            continue
        stable = _close_fresh(
            q, stable, since, n_top, top, prices, falls, rho0, scale, ep_s, ep_u, ep_c,
            ep_n, sup_ptr, H, costs, base, high, times, dsl, line_i,
            fresh, sup_group, sup_u, sup_w, gstate, big_u, slot,
        )  # fmt: skip
        if stable <= 0:
            continue
        if ep_n[q] < 0:
            stable = 0.0
            continue
        d = _reach(
            q, ep_s, ep_u, ep_c, sup_ptr[q], ep_n[q], math.inf, 0.0, stable, H, costs,
            base, high, times, dsl,
        )  # fmt: skip
        if d < stable and not fresh[q]:
            # the epoch was only an upper bound: use the supporters as they are now
            _aggregate(
                q, sup_ptr, sup_group, sup_u, sup_w, gstate, big_u, slot, ep_s, ep_u, ep_c, ep_n
            )  # fmt: skip
            fresh[q] = True
            d = _reach(
                q, ep_s, ep_u, ep_c, sup_ptr[q], ep_n[q], math.inf, 0.0, stable, H, costs,
                base, high, times, dsl,
            )  # fmt: skip
        if d < stable:
            stable = d
    return n_out, max(stable, 0.0), n_revive


if numba is not None:  # pragma: no branch
    _aggregate = numba.njit(cache=True, nogil=True)(_aggregate)
    _price = numba.njit(cache=True, nogil=True)(_price)
    _float_price = numba.njit(cache=True, nogil=True)(_float_price)
    _first_reach = numba.njit(cache=True, nogil=True)(_first_reach)
    _reach = numba.njit(cache=True, nogil=True)(_reach)
    _close = numba.njit(cache=True, nogil=True)(_close)
    _close_fresh = numba.njit(cache=True, nogil=True)(_close_fresh)
    _reprice = numba.njit(cache=True, nogil=True)(_reprice)
    _kernel = numba.njit(cache=True, nogil=True)(_kernel)


def probe(fast: FastMes, endowment: Fraction, horizon: float) -> tuple[list[int] | None, float]:
    """The projects ``fast``'s run buys at ``endowment`` and the raise proven to keep that run.

    ``(None, 0.0)`` when a decision was too close for floats (exactly when
    :meth:`FastMes.run` gives up). The raise is ``run_mes(..., stability=horizon)``'s
    ``stable_for`` up to float rounding.
    """
    if not _mes_fast.AVAILABLE:
        return None, 0.0
    prep = fast.prep
    n, stable, revived = _kernel(
        float(endowment),
        float(horizon),
        prep.sup_ptr,
        fast.sup_group,
        fast.sup_u,
        fast.sup_w,
        len(prep.weights),
        fast.big_u,
        fast.costs,
        fast.scale,
        fast.rho0,
        fast.rank,
        fast.cands,
        fast.nb_ptr,
        fast.nb_idx,
        fast.cost_int,
        fast.cost_sat,
        fast.out,
    )
    fast.last_revived = revived
    if n < 0:
        fast.last_fail = n
        return None, 0.0
    return fast.out[:n].tolist(), float(stable)


def probe_mes(
    prep: Prepared, tie: TieBreak, fast: FastMes | None, endowment: Fraction, horizon
) -> MesResult:
    """``run_mes(prep, tie, endowment, stability=horizon)`` without a trace, compiled if possible.

    Falls back to the exact Python run when ``fast`` is None or gives up.
    """
    if fast is not None:
        bought, stable = probe(fast, endowment, float(horizon))
        if bought is not None:
            return fast.result(bought, endowment, stable)
    return run_mes(prep, tie, endowment, stability=float(horizon))
