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

import copy
import math
import os
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction

from buurtcore.voting.outcome import Add1Round, fmt
from buurtcore.voting.rules._data import Prepared
from buurtcore.voting.rules.equal_shares import MesResult, mes_candidates, run_mes
from buurtcore.voting.tiebreak import TieBreak

__all__ = [
    "ADD1_STOPS",
    "CHUNKS",
    "CHUNK_AT_STEPS",
    "COMPILE_AT_ENTRIES",
    "PYTHON_SECONDS",
    "SWITCH_AT_FORECAST",
    "add1_threads",
    "is_exhaustive",
    "rounds_by_endowment",
    "run_add1",
]

ADD1_STOPS = ("exhaustive", "budget")


def is_exhaustive(prep: Prepared, chosen: set[int], total: Fraction, pool) -> bool:
    """True when no project of ``pool`` outside ``chosen`` fits in the budget left."""
    room = prep.budget - total
    return not any(p not in chosen and prep.costs[p] <= room for p in pool)


def rounds_by_endowment(
    rounds: list[Add1Round], increment: Fraction = Fraction(1)
) -> dict[Fraction, list[str]]:
    """Every endowment Add1 tried or skipped as proven identical, with what it bought.

    >>> r = Add1Round("5", ["a"], "10", False, True, 2)
    >>> rounds_by_endowment([r])
    {Fraction(5, 1): ['a'], Fraction(6, 1): ['a'], Fraction(7, 1): ['a']}
    >>> sorted(rounds_by_endowment([r], Fraction(1, 2)))
    [Fraction(5, 1), Fraction(11, 2), Fraction(6, 1)]
    """
    out = {}
    for r in rounds:
        for j in range(r.repeated + 1):
            out[Fraction(r.endowment) + j * increment] = r.selected
    return out


#: Elections with this many supporter entries use the compiled runs from the start.
COMPILE_AT_ENTRIES = 50_000
#: Estimated seconds of Python runs after which Add1 switches to the compiled runs.
PYTHON_SECONDS = 0.25
#: Add1 also switches as soon as the Python runs left are forecast to cost more
#: than this many estimated seconds (see ``_forecast``): loading numba costs
#: about 0.5 s, so on an election that needs many runs switching early pays.
SWITCH_AT_FORECAST = 0.6
#: ... once the Python runs have cost this many estimated seconds (the rate of
#: the first few runs says little: the probes only learn to skip later).
FORECAST_AFTER = 0.025
#: Set by the command line, which counts in one thread and imports nothing
#: else meanwhile: load numba without scipy's linear algebra (see ``_lean_numba``).
LEAN_NUMBA = False
#: With the compiled runs, the endowments still to try are split into this many
#: pieces of equal length, worked on by ``add1_threads()`` threads in parallel ...
CHUNKS = 8
#: ... when at least this many raises are left (estimated).
CHUNK_AT_STEPS = 64


def add1_threads() -> int:
    """Threads for the compiled Add1: ``BUURTCORE_THREADS``, else the CPUs this process may use.

    At most ``CHUNKS``. The outcome and the rounds are the same for any number.
    """
    env = os.environ.get("BUURTCORE_THREADS", "").strip()
    if env.isdigit() and int(env) > 0:
        n = int(env)
    else:
        try:
            n = len(os.sched_getaffinity(0))
        except AttributeError:  # pragma: no cover - not on Linux
            n = os.cpu_count() or 1
    return max(1, min(n, CHUNKS))


def _python_cost(prep: Prepared, bought: int) -> float:
    """Estimated seconds of one Python MES run (measured: about 0.1 ms per
    purchase and 46 ns per supporter entry; Toulouse 2024 13 ms, Warszawa 2026
    16 ms, Budapest 2024 12 ms)."""
    return 1e-4 * bought + 4.6e-8 * len(prep.sup_group)


def _forecast(
    prep: Prepared, res: MesResult, used: float, covered: Fraction, nxt: Fraction
) -> float:
    """Estimated seconds of the Python runs left, after the run ``res``.

    MES spends about in proportion to the endowment, so Add1 should stop near
    ``endowment * budget / spent``; the runs so far cost ``used`` estimated
    seconds for ``covered`` raises (probes skip some). The forecast is the
    endowments left to that stop at the same rate. Only the moment of the
    switch to the compiled runs depends on it, never an outcome; it uses
    estimates, not the clock, so the rounds are the same on every machine.

    >>> from buurtcore.voting.rules.equal_shares import MesResult
    >>> res = MesResult([0], Fraction(50), Fraction(10), [], [])
    >>> prep = type("P", (), {"budget": Fraction(100)})()
    >>> _forecast(prep, res, 0.1, Fraction(2), Fraction(12))  # stop near 20: 8 raises left
    0.4
    """
    if res.total_cost <= 0 or covered <= 0:
        return 0.0
    stop = res.endowment * prep.budget / res.total_cost
    left = max(Fraction(0), stop - nxt)
    return float(used * left / covered)


def _lean_numba() -> None:
    """Load numba's array functions without importing ``scipy.linalg`` (about 0.2 s CPU).

    On its first compilation or cache load numba imports
    ``numba.np.arraymath``, which imports ``scipy.linalg`` only to see whether
    ``np.dot`` may call BLAS; without it, ``np.dot`` in compiled code loops in
    this process (the MES kernels do not use it). ``scipy.linalg`` is hidden
    only while that module loads, and only when nothing imported it before.
    Not thread-safe: another thread importing ``scipy.linalg`` at that moment
    would fail, hence only for the command line (``LEAN_NUMBA``).
    """
    if "scipy.linalg" in sys.modules or "numba.np.arraymath" in sys.modules:
        return
    if os.environ.get("BUURTCORE_NO_JIT"):
        return
    sys.modules["scipy.linalg"] = None  # type: ignore[assignment]
    try:
        import numba.np.arraymath  # noqa: F401
    except ImportError:  # pragma: no cover - without numba
        pass
    finally:
        if sys.modules.get("scipy.linalg", 0) is None:
            del sys.modules["scipy.linalg"]


def _python_probe(prep: Prepared, tie: TieBreak, fast, endowment: Fraction, horizon) -> MesResult:
    """A probe in Python (the signature of ``_mes_probe.probe_mes``)."""
    return run_mes(prep, tie, endowment, stability=float(horizon))


@dataclass
class _Add1:
    """What every walk of one Add1 shares (read only)."""

    prep: Prepared
    tie: TieBreak
    stop: str
    increment: Fraction
    skip: bool
    cands: list[int]
    limit: Fraction

    def done(self, endowment: Fraction, res: MesResult) -> tuple[bool, bool, bool]:
        """``(done, feasible, exhaustive)`` of the run at ``endowment``."""
        prep = self.prep
        chosen = set(res.selected)
        feasible = res.total_cost <= prep.budget
        exhaustive = is_exhaustive(prep, chosen, res.total_cost, self.cands)
        done = (
            not feasible
            or (self.stop == "exhaustive" and exhaustive)
            or (
                self.stop == "budget"
                and (all(p in chosen for p in self.cands) or endowment > self.limit)
            )
        )
        return done, feasible, exhaustive


@dataclass
class _Step:
    """One run of Add1 and the raises after it proven to buy the same."""

    endowment: Fraction
    res: MesResult
    repeat: int
    exhaustive: bool
    feasible: bool
    done: bool
    probe: bool


class _Walk:
    """Add1's runs from one endowment up, deciding when a run is a probe.

    A probe (the run plus the stability bound; compiled too when it can be)
    costs about ``probe_cost`` plain runs, so it must prove that many steps to
    pay off. With the compiled run, probe once ``need`` runs in a row bought
    the same; ``need`` halves after a probe that paid off (down to 0: probe
    every run) and doubles after one that did not (Warszawa 2026: plateaus of
    1-5 steps, probes rarely pay; Budapest 2024: 124 plateaus over 22,000
    steps, they nearly always do). In Python, probe after ``wait`` runs, which
    doubles after probes without a skip.

    The horizon of the stability bound follows the raises that could be
    proven (the bounds are tighter for small raises): it grows three-fold
    while they reach it and shrinks at most to 2/3 after a probe in a
    plateau's tail. With ``end`` the walk covers the endowments below it only.
    """

    def __init__(self, add1: _Add1, endowment: Fraction, end: Fraction | None = None):
        self.add1 = add1
        self.endowment = endowment
        self.end = end
        self.fast = None
        self.probe_mes = _python_probe
        self.probe_cost = 1
        self.streak, self.need = 0, 4
        self.horizon = self.seen = 2 * add1.increment
        self.wait = self.backoff = 0
        self.last: list[int] | None = None

    def use_compiled(self, fast, probe_mes) -> None:
        """Go on with the compiled runs of ``fast`` (a ``FastMes``, or None without numba)."""
        self.probe_mes = probe_mes
        if fast is not None:
            self.fast = fast
            self.probe_cost, self.need = 3, 4

    def step(self) -> _Step:
        """The run at the current endowment; moves past the raises proven to buy the same."""
        a = self.add1
        prep, tie, inc, e = a.prep, a.tie, a.increment, self.endowment
        fast = self.fast
        probe = a.skip and (self.wait == 0 if fast is None else self.streak >= self.need)
        res = None
        if probe:
            res = self.probe_mes(prep, tie, fast, e, self.horizon)
        elif fast is not None:
            res = fast.mes(e)
        if res is None:
            res = run_mes(prep, tie, e)
        done, feasible, exhaustive = a.done(e, res)
        repeat = 0
        if not done and res.stable_for > 0:
            # e + j * increment buys the same for j * increment < stable_for
            if math.isinf(res.stable_for):
                repeat = math.ceil((a.limit - e) / inc)
            else:
                repeat = math.ceil(Fraction(res.stable_for) / inc) - 1
            if e + repeat * inc > a.limit:
                repeat = max(0, math.floor((a.limit - e) / inc))
            if self.end is not None:
                repeat = min(repeat, math.ceil((self.end - e) / inc) - 1)
        if probe:
            self._after_probe(Fraction(res.stable_for), repeat)
        elif self.wait:
            self.wait -= 1
        same = self.last is not None and self.last == res.selected
        self.streak = self.streak + 1 if same else 0
        self.last = res.selected
        self.endowment = e + (repeat + 1) * inc
        return _Step(e, res, repeat, exhaustive, feasible, done, probe)

    def _after_probe(self, proven: Fraction, repeat: int) -> None:
        inc = self.add1.increment
        if proven >= self.horizon * Fraction(99, 100):
            self.horizon *= 3
            self.seen = proven
        elif proven >= inc:
            self.horizon = max(2 * inc, proven * Fraction(3, 2), self.horizon * Fraction(2, 3))
            self.seen = proven
        else:
            # the run changes within one step; the next plateau is probably
            # about as long as the last one proven
            self.horizon = max(2 * inc, self.seen)
        # the bound costs about two runs; after probes without a skip, probe less often
        self.backoff = 0 if repeat else min(2 * self.backoff + 1, 15)
        self.wait = self.backoff
        self.need = self.need // 2 if repeat >= self.probe_cost else min(max(1, 2 * self.need), 64)


def _estimate_steps(add1: _Add1, fast, start: Fraction) -> int:
    """About how many raises from ``start`` until Add1 stops, from a few compiled runs.

    Doubles the raise until a run would stop Add1, then halves the gap to
    within an eighth. Only the split into chunks depends on it: a wrong
    estimate (Add1's stop need not be monotone) costs time, never correctness.
    """
    inc = add1.increment

    def stops(k: int) -> bool:
        e = start + k * inc
        if e > add1.limit + inc:
            return True
        res = fast.mes(e)
        return res is not None and add1.done(e, res)[0]

    lo, hi = 0, 16
    while not stops(hi):
        lo, hi = hi, 2 * hi
    while hi - lo > max(16, hi // 8):
        mid = (lo + hi) // 2
        if stops(mid):
            hi = mid
        else:
            lo = mid
    return hi


def _chunked(add1: _Add1, walk: _Walk, fast, probe_mes, threads: int) -> Iterator[_Step]:
    """Add1's steps from ``walk``'s endowment on with the compiled runs, in order.

    The endowments up to the estimated stop are split into ``CHUNKS`` pieces of
    equal length (and pieces of that length after it, as long as needed).
    Each piece is walked on its own (a fresh :class:`_Walk` that stops at the
    piece's end), by ``threads`` threads taking the next piece when they are
    free; the compiled runs release the GIL. The steps come out piece by piece,
    so the result does not depend on the number of threads or their timing.
    It ends with the first step where Add1 stops; pieces after it are
    abandoned. An error in a piece is raised where that piece's steps would
    come, so an error in an abandoned piece changes nothing, whatever the
    number of threads.
    """
    start = walk.endowment
    steps = _estimate_steps(add1, fast, start) + 1
    if steps < CHUNK_AT_STEPS:
        walk.use_compiled(fast, probe_mes)
        while True:
            step = walk.step()
            yield step
            if step.done:
                return

    size = math.ceil(steps / CHUNKS) * add1.increment
    lock = threading.Condition()
    results: dict[int, list[_Step]] = {}
    state = {"next": 0, "stop_at": math.inf, "closed": False}

    def walk_piece(i: int) -> list[_Step] | None:
        # the first piece goes on with the walk so far (it knows the horizon)
        piece = walk if i == 0 else _Walk(add1, start + i * size)
        piece.end = start + (i + 1) * size
        own = copy.copy(fast)
        own.out = fast.out.copy()  # the compiled runs' output buffer
        piece.use_compiled(own, probe_mes)
        if i:
            # a fresh walk in the middle of Add1, where plateaus tend to be
            # longer than at its start: probe sooner, with a longer horizon
            # (Budapest 2024: about 10% less work, Warszawa 2026 the same)
            piece.need = 2
            piece.horizon = piece.seen = 8 * add1.increment
        out = []
        while piece.endowment < piece.end:
            if state["closed"] or i > state["stop_at"]:
                return None
            step = piece.step()
            out.append(step)
            if step.done:
                with lock:
                    state["stop_at"] = min(state["stop_at"], i)
                break
        return out

    def worker() -> None:
        while True:
            with lock:
                i = state["next"]
                if state["closed"] or i > state["stop_at"]:
                    return
                state["next"] = i + 1
            try:
                out: list[_Step] | BaseException | None = walk_piece(i)
            except BaseException as exc:  # raised where the piece's steps would come
                out = exc
                with lock:  # nothing after this piece is needed
                    state["stop_at"] = min(state["stop_at"], i)
            with lock:
                if out is not None:
                    results[i] = out
                lock.notify_all()

    pool: list[threading.Thread] = []
    try:
        for _ in range(threads):
            pool.append(threading.Thread(target=worker, daemon=True))
            pool[-1].start()
        i = 0
        while True:
            with lock:
                while i not in results:
                    lock.wait()
                out = results.pop(i)
            if isinstance(out, BaseException):
                raise out
            for step in out:
                yield step
                if step.done:  # Add1 stops here: later pieces are never read
                    return
            i += 1
    finally:
        with lock:
            state["closed"] = True
            lock.notify_all()
        for t in pool:
            t.join()


def run_add1(
    prep: Prepared,
    tie: TieBreak,
    *,
    stop: str = "exhaustive",
    increment: Fraction = Fraction(1),
    skip: bool = True,
    compiled: bool | None = None,
    threads: int | None = None,
    progress: Callable[[int, Fraction], None] | None = None,
    trace: bool = True,
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
    supporter entries, not the clock, so the rounds are reproducible. With the
    compiled runs, the endowments left are split into pieces walked by
    ``threads`` threads (default :func:`add1_threads`; see ``_chunked``). The
    outcome is the same either way; only which endowments are probed
    (``Add1Round.repeated``) may differ, and not with the number of threads.
    The final run is repeated once in Python with tracing switched on
    (``trace=False`` skips that: the result then has no steps).
    """
    if stop not in ADD1_STOPS:
        raise ValueError(f"unknown add1_stop {stop!r}")
    n = prep.n_voters
    if n == 0:
        res = run_mes(prep, tie, Fraction(0), trace=trace)
        return res, []
    cands, _ = mes_candidates(prep)
    limit = sum((prep.costs[p] for p in cands), Fraction(0)) + 1
    add1 = _Add1(prep, tie, stop, increment, skip, cands, limit)
    walk = _Walk(add1, prep.budget / n)
    if compiled is False:
        python_left = math.inf
    elif compiled or len(prep.sup_group) >= COMPILE_AT_ENTRIES:
        python_left = 0.0
    else:
        python_left = PYTHON_SECONDS

    start = walk.endowment
    used = [0.0]  # estimated seconds of the Python runs so far

    def python_steps() -> Iterator[_Step]:
        nonlocal python_left
        while True:
            if python_left <= 0:
                python_left = math.inf
                # imported only here: numba costs about 0.5 s and 90 MB per
                # process, and nothing but Add1 needs it
                if LEAN_NUMBA:
                    _lean_numba()
                from buurtcore.voting.rules._mes_fast import fast_run
                from buurtcore.voting.rules._mes_probe import probe_mes

                fast = fast_run(prep, tie, cands)  # None without numba: probe_mes runs Python
                if fast is not None:
                    yield from _chunked(add1, walk, fast, probe_mes, threads or add1_threads())
                    return
                walk.use_compiled(None, probe_mes)
            step = walk.step()
            if python_left != math.inf:
                cost = _python_cost(prep, len(step.res.selected)) * (3 if step.probe else 1)
                python_left -= cost
                used[0] += cost
                covered = walk.endowment - start
                forecast = _forecast(prep, step.res, used[0], covered, walk.endowment)
                if used[0] >= FORECAST_AFTER and forecast > SWITCH_AT_FORECAST:
                    python_left = 0.0
            yield step

    rounds: list[Add1Round] = []
    previous: MesResult | None = None
    steps = 0
    inc = increment
    gen = python_steps()
    try:
        for step in gen:
            res = step.res
            rounds.append(
                Add1Round(
                    fmt(step.endowment),
                    [prep.ids[p] for p in res.selected],
                    fmt(res.total_cost),
                    step.exhaustive,
                    step.feasible,
                    step.repeat,
                )
            )
            if progress is not None:
                progress(steps, step.endowment)
            if not step.feasible:
                final = previous if previous is not None else res
                break
            if step.done:
                final = res
                break
            previous = res
            if step.repeat:
                previous = MesResult(
                    res.selected,
                    res.total_cost,
                    step.endowment + step.repeat * inc,
                    [],
                    [],
                )
            steps += step.repeat + 1
    finally:
        gen.close()
    if not trace:
        # the final run bought the same as a run at its endowment (proven when
        # it stands for skipped raises): only its trace is missing
        return MesResult(final.selected, final.total_cost, final.endowment, [], []), rounds
    traced = run_mes(prep, tie, final.endowment, trace=True)
    return traced, rounds
