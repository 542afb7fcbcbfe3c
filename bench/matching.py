"""Benchmark: buddy-household suggestions and batch proposals (buurtcore.matching).

Targets (issue "Learning and matching", Scale): suggestions for one household among
5,000 candidates under 200 ms; a batch proposal for 2,000 × 2,000 households under 10 s.

Households are generated (seeded) over a city of about 20 × 20 km with a realistic
mix of languages, children, interests, availability and wishes; max_km is 10.

Usage::

    .venv/bin/python bench/matching.py              # 5,000 candidates, 2,000 × 2,000
    .venv/bin/python bench/matching.py --quick      # smaller, for a smoke run
    .venv/bin/python bench/matching.py --queries 500 --runs 5
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import numpy as np  # noqa: E402
from scipy.optimize import linear_sum_assignment  # noqa: E402

from buurtcore.matching import Matcher, Options, score_block  # noqa: E402
from buurtcore.matching.model import (  # noqa: E402
    AVAILABILITY_DAYS,
    AVAILABILITY_PARTS,
    WISHES,
    Household,
    Language,
)

SLOTS = [f"{d}-{p}" for d in AVAILABILITY_DAYS for p in AVAILABILITY_PARTS]
NEWCOMER_LANGS = ["ar", "ti", "uk", "ru", "fa", "prs", "so", "tr", "en", "ku", "am"]
INTERESTS = [
    "koken", "voetbal", "muziek", "wandelen", "tuinieren", "fietsen", "schaken", "lezen",
    "zwemmen", "knutselen", "dansen", "naaien", "film", "bakken", "techniek", "natuur",
]  # fmt: skip


def household(rnd: random.Random, hid: str, kind: str) -> Household:
    if kind == "newcomer":
        codes = [rnd.choice(NEWCOMER_LANGS)]
        if rnd.random() < 0.5:
            codes.append("en")
        if rnd.random() < 0.4:
            codes.append("nl")
    else:
        codes = ["nl"] + rnd.sample(["en", "de", "fr", "ar", "tr"], rnd.randint(0, 2))
    levels = ["basic", "good", "native"]
    return Household(
        id=hid,
        kind=kind,
        lat=52.09 + rnd.uniform(-0.09, 0.09),
        lon=5.12 + rnd.uniform(-0.15, 0.15),
        adults=rnd.randint(1, 2),
        children_ages=tuple(sorted(rnd.randint(0, 17) for _ in range(rnd.choice([0, 1, 2, 2, 3])))),
        languages=tuple(
            Language(c, "native" if k == 0 else rnd.choice(levels)) for k, c in enumerate(codes)
        ),
        interests=frozenset(rnd.sample(INTERESTS, rnd.randint(1, 4))),
        availability=frozenset(rnd.sample(SLOTS, rnd.randint(1, 6))),
        area_code=f"BU{rnd.randint(1, 40):04d}",
        wishes=frozenset(rnd.sample(WISHES, rnd.randint(0, 2))),
        language_required=rnd.random() < 0.1,
    )


def population(n_new: int, n_local: int, seed: int) -> list[Household]:
    rnd = random.Random(seed)
    hs = [household(rnd, f"n{i:05d}", "newcomer") for i in range(n_new)]
    hs += [household(rnd, f"l{i:05d}", "local") for i in range(n_local)]
    return hs


def bench_suggest(candidates: int, queries: int, top: int) -> dict:
    hs = population(queries, candidates, seed=1)
    t0 = time.perf_counter()
    matcher = Matcher(hs, Options(max_km=10))
    encode_s = time.perf_counter() - t0
    times = []
    for i in range(queries):
        t = time.perf_counter()
        result = matcher.suggest(f"n{i:05d}", top)
        times.append(time.perf_counter() - t)
        assert result["n_candidates"] == candidates
    times_ms = sorted(1000 * t for t in times)
    return {
        "encode_s": encode_s,
        "median_ms": statistics.median(times_ms),
        "p95_ms": times_ms[int(0.95 * (len(times_ms) - 1))],
        "max_ms": times_ms[-1],
    }


def bench_batch(n: int, runs: int) -> dict:
    hs = population(n, n, seed=2)
    totals, parts = [], []
    result = None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = Matcher(hs, Options(max_km=10)).propose()
        totals.append(time.perf_counter() - t0)
    # Where the time goes (one more run, split up).
    t0 = time.perf_counter()
    matcher = Matcher(hs, Options(max_km=10))
    t1 = time.perf_counter()
    enc = matcher.enc
    rows = np.flatnonzero(enc.kind == 0)
    cols = np.flatnonzero(enc.kind == 1)
    block = score_block(enc, rows, cols, matcher.options)
    t2 = time.perf_counter()
    gain = np.where(block.feasible & (block.score > 0), block.score, 0.0)
    linear_sum_assignment(gain, maximize=True)
    t3 = time.perf_counter()
    parts = {"encode_s": t1 - t0, "score_s": t2 - t1, "assign_s": t3 - t2}
    assert result is not None
    return {
        "median_s": statistics.median(totals),
        "runs_s": totals,
        "pairs": len(result["pairs"]),
        "feasible_share": float(block.feasible.mean()),
        **parts,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--candidates", type=int, default=5000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--batch", type=int, default=2000, help="households per side")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    if args.quick:
        args.candidates, args.queries, args.batch, args.runs = 1000, 50, 300, 1

    s = bench_suggest(args.candidates, args.queries, args.top)
    print(
        f"suggest: top {args.top} among {args.candidates:,} candidates, {args.queries} queries: "
        f"median {s['median_ms']:.1f} ms, p95 {s['p95_ms']:.1f} ms, max {s['max_ms']:.1f} ms "
        f"(encoding all households once: {s['encode_s']:.2f} s)"
    )
    b = bench_batch(args.batch, args.runs)
    print(
        f"propose: {args.batch:,} × {args.batch:,}: median {b['median_s']:.2f} s over {args.runs} "
        f"runs ({', '.join(f'{t:.2f}' for t in b['runs_s'])} s); {b['pairs']:,} pairs; "
        f"{100 * b['feasible_share']:.0f}% of pairs allowed; split: encode {b['encode_s']:.2f} s, "
        f"score {b['score_s']:.2f} s, assignment {b['assign_s']:.2f} s"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MB")
    ok = s["p95_ms"] < 200 and b["median_s"] < 10
    print("targets (suggest p95 < 200 ms, propose < 10 s):", "met" if ok else "NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
