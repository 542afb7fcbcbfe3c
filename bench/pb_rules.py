"""Benchmark: this engine against pabutools on the shared Pabulib files.

For every chosen file and rule it runs our engine and pabutools, each in a
fresh subprocess (so the peak memory is per run), and prints both times, the
ratio, both peak memories and whether the two selected the same projects. It
also times parsing the file (our reader against pabutools' ``parse_pabulib``),
runs a scaling series on generated elections (voters × projects) for our
engine, and ends with a summary table.

pabutools (GPL) is only imported in the pabutools subprocess, through
``scripts/reference_outcomes.py --one``; a run that exceeds ``--timeout`` is
shown as ``>300 s``.

Usage::

    .venv/bin/python bench/pb_rules.py                 # all files, main rules
    .venv/bin/python bench/pb_rules.py --quick         # a few files
    .venv/bin/python bench/pb_rules.py --files 'Poland_Warszawa_2026*' --rules mes-cost-add1
    .venv/bin/python bench/pb_rules.py --no-pabutools  # only this engine (fast)
    .venv/bin/python bench/pb_rules.py --cli-timing    # `pb tally` cold, warm and CLI wall time

``--cli-timing`` times ``buurtbasis pb tally --json`` on an ordinal election of
7,262 voters and 50 projects (Borda, MES + Add1; generated with a fixed seed, or
``--ordinal FILE``) and on the ordinal Pabulib files that are present: the
``seconds`` the command reports (read, count) on a first call in a fresh process,
the count repeated in one process (warm; wall and CPU time), and the wall and CPU
time (user + system, all threads) of the whole command; medians of ``--repeat`` runs.

Rule names are the case names of ``scripts/reference_outcomes.py`` (``--list-rules``).
"""

from __future__ import annotations

import argparse
import fnmatch
import importlib.util
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REF_SCRIPT = REPO / "scripts" / "reference_outcomes.py"
QUICK = [
    "Netherlands_Assen_2024.pb",
    "Netherlands_Amsterdam_309.pb",
    "Poland_Wieliczka_2023_Green_Budget.pb",
    "Poland_Warszawa_2026.pb",
]
DEFAULT_RULES = [
    "greedy-cost",
    "greedy-points",
    "greedy-threshold",
    "mes-cost",
    "mes-points",
    "mes-borda",
    "mes-cost-add1",
    "phragmen",
]


def _ref():
    spec = importlib.util.spec_from_file_location("reference_outcomes", REF_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# ----------------------------------------------------------------------- children


def engine_one(path: str, case: str) -> dict:
    sys.path.insert(0, str(REPO / "src"))
    from buurtcore.voting import pabulib, tally

    ref = _ref()
    t0 = time.perf_counter()
    instance, profile = pabulib.read(path)
    t_parse = time.perf_counter() - t0
    params = ref.case_params(case, instance.meta)
    t1 = time.perf_counter()
    outcome = tally(instance, profile, **params)
    t_rule = time.perf_counter() - t1
    return {
        "status": "ok",
        "seconds": t_rule,
        "parse_seconds": t_parse,
        "peak_rss_mb": _peak_mb(),
        "selected": sorted(outcome.selected),
    }


def scaling_one(n_voters: int, n_projects: int, case: str, seed: int = 1) -> dict:
    """Time one rule of our engine on a generated approval election."""
    sys.path.insert(0, str(REPO / "src"))
    from fractions import Fraction

    import numpy as np

    from buurtcore.voting import tally
    from buurtcore.voting.model import Instance, Profile, Project

    rng = np.random.default_rng(seed)
    ids = [str(i + 1) for i in range(n_projects)]
    costs = rng.integers(10, 200, size=n_projects) * 1000
    # ballots of 1..5 approvals, popularity skewed like real elections
    weights = rng.pareto(1.5, size=n_projects) + 0.05
    weights /= weights.sum()
    lengths = rng.integers(1, min(5, n_projects) + 1, size=n_voters)
    chunks = [np.sort(rng.choice(n_projects, size=k, replace=False, p=weights)) for k in lengths]
    indptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    instance = Instance(
        meta={"budget": str(int(costs.sum()) // 4), "vote_type": "approval"},
        projects={pid: Project(pid, Fraction(int(c))) for pid, c in zip(ids, costs, strict=True)},
        budget=Fraction(int(costs.sum()) // 4),
        vote_type="approval",
        project_columns=["project_id", "cost"],
    )
    profile = Profile(
        voter_ids=[str(v) for v in range(n_voters)],
        indptr=indptr,
        project_index=np.concatenate(chunks).astype(np.int32),
        points=None,
        voter_fields={},
        vote_columns=["voter_id", "vote"],
        project_ids=ids,
    )
    params = _ref().CASES[case]["params"]
    full = {"completion": "none", "add1_stop": "exhaustive", **params}
    t0 = time.perf_counter()
    tally(instance, profile, **full)
    return {"status": "ok", "seconds": time.perf_counter() - t0, "peak_rss_mb": _peak_mb()}


# ----------------------------------------------------------------------- CLI timing


def ordinal_election_text(
    n_voters: int = 7_262, n_projects: int = 50, max_rank: int = 10, seed: int = 7
) -> str:
    """A generated ordinal Pabulib file: skewed popularity, rankings of 1..max_rank projects."""
    import numpy as np

    rng = np.random.default_rng(seed)
    costs = rng.integers(20, 400, size=n_projects) * 1000
    weights = rng.pareto(1.5, size=n_projects) + 0.05
    weights /= weights.sum()
    lines = [
        "META",
        "key;value",
        "description;generated ordinal election (bench/pb_rules.py)",
        f"budget;{int(costs.sum()) * 3 // 10}",
        "vote_type;ordinal",
        f"num_projects;{n_projects}",
        f"num_votes;{n_voters}",
        "PROJECTS",
        "project_id;cost",
        *(f"{j + 1};{int(c)}" for j, c in enumerate(costs)),
        "VOTES",
        "voter_id;vote",
    ]
    for v in range(n_voters):
        k = int(rng.integers(1, max_rank + 1))
        ranking = rng.choice(n_projects, size=k, replace=False, p=weights)
        lines.append(f"{v + 1};{','.join(str(j + 1) for j in ranking)}")
    return "\n".join(lines) + "\n"


TALLY_ARGS = ["--rule", "mes", "--completion", "add1"]


def warm_one(path: str, repeat: int) -> dict:
    """In one process: the first count (cold) and ``repeat`` more (warm), in seconds.

    Counted as ``pb tally --json`` counts: without the trace, numba loaded lean.
    """
    sys.path.insert(0, str(REPO / "src"))
    from buurtcore.voting import pabulib, tally
    from buurtcore.voting.rules import completion

    completion.LEAN_NUMBA = True

    t0 = time.perf_counter()
    instance, profile = pabulib.read(path)
    read = time.perf_counter() - t0
    times, cpu = [], []
    for _ in range(repeat + 1):
        t0, c0 = time.perf_counter(), time.process_time()
        outcome = tally(instance, profile, rule="mes", completion="add1", trace=False)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return {
        "read": read,
        "first": times[0],
        "first_cpu": cpu[0],
        "warm": sorted(times[1:])[len(times[1:]) // 2],
        "warm_cpu": sorted(cpu[1:])[len(cpu[1:]) // 2],
        "runs": outcome.params.get("add1_runs"),
        "selected": len(outcome.selected),
    }


def cli_timing(paths: list[Path], repeat: int) -> list[list[str]]:
    """Median figures of `pb tally` per file (see the module docstring)."""
    import statistics

    py = sys.executable
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    rows = []
    for path in paths:
        walls, cpus, reads, counts = [], [], [], []
        for _ in range(repeat):
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            proc = subprocess.run(
                [py, "-m", "buurtcore", "pb", "tally", str(path), *TALLY_ARGS, "--json"],
                capture_output=True,
                text=True,
                env=env,
                check=True,
            )
            walls.append(time.perf_counter() - t0)
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
            seconds = json.loads(proc.stdout)["seconds"]
            reads.append(seconds["read"])
            counts.append(seconds["count"])
        warm = run([py, __file__, "--warm-one", str(path), str(repeat)], None)
        row = [
            path.name.removesuffix(".pb")[:40],
            f"{statistics.median(reads):.3f} s",
            f"{statistics.median(counts):.3f} s ({warm['first_cpu']:.3f} s CPU)",
            f"{warm['warm']:.3f} s ({warm['warm_cpu']:.3f} s CPU)",
            f"{statistics.median(walls):.3f} s ({statistics.median(cpus):.3f} s CPU)",
            str(warm["runs"]),
        ]
        rows.append(row)
        print("  ".join(row), flush=True)
    return rows


# ------------------------------------------------------------------------- parent


def run(cmd: list[str], timeout: float | None) -> dict:
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "seconds": time.perf_counter() - t0}
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"]
        return {"status": "error", "error": lines[-1][:200]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def fmt_s(result: dict | None, timeout: float) -> str:
    if result is None:
        return "-"
    if result["status"] == "timeout":
        return f">{result.get('timeout_seconds', timeout):.0f} s"
    if result["status"] != "ok":
        return result["status"]
    s = result["seconds"]
    return f"{s:.3f} s" if s < 10 else f"{s:.1f} s"


def fmt_mb(result: dict | None) -> str:
    if not result or "peak_rss_mb" not in result:
        return "-"
    return f"{result['peak_rss_mb']:.0f} MB"


def ratio(ours: dict | None, theirs: dict | None, timeout: float) -> str:
    if not ours or ours["status"] != "ok" or not theirs:
        return "-"
    base = max(ours["seconds"], 1e-4)
    if theirs["status"] == "timeout":
        return f">{_times(theirs.get('timeout_seconds', timeout) / base)}"
    if theirs["status"] != "ok":
        return "-"
    return _times(theirs["seconds"] / base)


def _times(r: float) -> str:
    """How many times faster we are: 2 significant figures below 10."""
    if r >= 10:
        return f"{r:.0f}x"
    return f"{r:.1f}x" if r >= 1 else f"{r:.2f}x"


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()
    out = [line, "  ".join("-" * w for w in widths)]
    for r in rows:
        out.append("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", nargs="*", help="glob patterns on file names")
    ap.add_argument("--rules", nargs="*", help="rule (case) names; default: the main rules")
    ap.add_argument("--quick", action="store_true", help=f"only {', '.join(QUICK)}")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds for pabutools (300)")
    ap.add_argument("--no-pabutools", action="store_true", help="only time this engine")
    ap.add_argument("--no-scaling", action="store_true", help="skip the scaling series")
    ap.add_argument("--scaling-only", action="store_true", help="only the scaling series")
    ap.add_argument(
        "--pabutools-from-fixture",
        action="store_true",
        help="take pabutools' times and outcomes from the committed fixture "
        "(measured by scripts/reference_outcomes.py) instead of running it again",
    )
    ap.add_argument("--list-rules", action="store_true")
    ap.add_argument("--engine-one", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--scaling-one", nargs=3, help=argparse.SUPPRESS)
    ap.add_argument("--warm-one", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--cli-timing", action="store_true", help="time `pb tally` (see above)")
    ap.add_argument("--ordinal", help="ordinal file for --cli-timing (default: generated)")
    ap.add_argument("--repeat", type=int, default=5, help="runs per figure (5)")
    args = ap.parse_args(argv)

    if args.warm_one:
        print(json.dumps(warm_one(args.warm_one[0], int(args.warm_one[1]))))
        return 0
    if args.cli_timing:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            if args.ordinal:
                paths = [Path(args.ordinal)]
            else:
                generated = Path(tmp) / "generated_ordinal_7262x50.pb"
                generated.write_text(ordinal_election_text(), encoding="utf-8")
                paths = [generated]
            directory = _ref().pabulib_dir()
            paths += [
                f
                for f in sorted(directory.glob("*.pb"), key=lambda p: p.stat().st_size)
                if _ref().read_meta(f).get("vote_type") == "ordinal" and f.stat().st_size < 2e6
            ]
            note = f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}"
            print(f"# pb tally {' '.join(TALLY_ARGS)} --json, medians of {args.repeat} ({note})\n")
            rows = cli_timing(paths, args.repeat)
        print()
        header = ["file", "read", "count (first call)", "count (warm)", "command", "Add1 runs"]
        # the CPU time counts both threads of Add1's pieces
        print(table(rows, header))
        return 0

    if args.engine_one:
        print(json.dumps(engine_one(*args.engine_one)))
        return 0
    if args.scaling_one:
        v, p, case = args.scaling_one
        print(json.dumps(scaling_one(int(v), int(p), case)))
        return 0

    ref = _ref()
    if args.list_rules:
        print("\n".join(ref.CASES))
        return 0
    directory = ref.pabulib_dir()
    files = sorted(directory.glob("*.pb"), key=lambda p: p.stat().st_size)
    if args.quick:
        files = [f for f in files if f.name in QUICK]
    if args.files:
        files = [f for f in files if any(fnmatch.fnmatch(f.name, g) for g in args.files)]
    rules = args.rules or DEFAULT_RULES
    unknown = [r for r in rules if r not in ref.CASES]
    if unknown:
        print(f"unknown rule(s): {', '.join(unknown)} (see --list-rules)", file=sys.stderr)
        return 2
    if args.scaling_only:
        files = []
    elif not files:
        print(f"NOTICE: no Pabulib files in {directory}; set PABULIB_DIR", file=sys.stderr)

    py = sys.executable
    stored = {}
    if args.pabutools_from_fixture:
        fixture = json.loads(ref.FIXTURE.read_text(encoding="utf-8"))
        stored = {(c["file"], c["case"]): c for c in fixture["cases"]}
    env_note = f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}; " + (
        "pabutools figures from the fixture"
        if args.pabutools_from_fixture
        else f"pabutools timeout {args.timeout:.0f} s"
    )
    print(f"# Pabulib rules: this engine vs pabutools ({env_note})\n", flush=True)
    rows: list[list[str]] = []
    parse_rows: list[list[str]] = []
    totals = {"runs": 0, "match": 0, "differ": 0, "max_ours": 0.0, "max_ours_mb": 0.0}
    for f in files:
        meta = ref.read_meta(f)
        parsed = False
        for case in rules:
            if not ref.applicable(case, meta):
                continue
            ours = run([py, __file__, "--engine-one", str(f), case], None)
            theirs = None
            if args.pabutools_from_fixture:
                theirs = stored.get((f.name, case))
            elif not args.no_pabutools:
                theirs = run([py, str(REF_SCRIPT), "--one", str(f), case], args.timeout)
            same = "-"
            if ours.get("status") == "ok" and theirs and theirs.get("status") == "ok":
                same = "yes" if ours["selected"] == theirs["selected"] else "NO"
                totals["match" if same == "yes" else "differ"] += 1
            if ours.get("status") == "ok":
                totals["max_ours"] = max(totals["max_ours"], ours["seconds"])
                totals["max_ours_mb"] = max(totals["max_ours_mb"], ours["peak_rss_mb"])
            totals["runs"] += 1
            row = [
                f.name.removesuffix(".pb")[:40],
                case,
                fmt_s(ours, args.timeout),
                fmt_s(theirs, args.timeout),
                ratio(ours, theirs, args.timeout),
                fmt_mb(ours),
                fmt_mb(theirs),
                same,
            ]
            rows.append(row)
            print("  ".join(row), flush=True)
            if not parsed and ours.get("status") == "ok":
                parsed = True
                parse_src = theirs if theirs and "parse_seconds" in theirs else None
                if parse_src is None and args.pabutools_from_fixture:
                    same_file = [c for (fn, _), c in stored.items() if fn == f.name]
                    parse_src = next((c for c in same_file if "parse_seconds" in c), None)
                their_parse = f"{parse_src['parse_seconds']:.2f} s" if parse_src else "-"
                parse_rows.append(
                    [f.name.removesuffix(".pb")[:40], f"{ours['parse_seconds']:.2f} s", their_parse]
                )

    scaling_rows: list[list[str]] = []
    if not args.no_scaling:
        print("\n# Scaling series (generated approval elections, this engine)\n", flush=True)
        sizes = [(1_000, 20), (10_000, 50), (100_000, 100), (100_000, 300)]
        if args.quick:
            sizes = sizes[:3]
        for v, p in sizes:
            for case in ("greedy-cost", "mes-cost", "mes-cost-add1"):
                r = run([py, __file__, "--scaling-one", str(v), str(p), case], 600)
                row = [f"{v:,} x {p}", case, fmt_s(r, 600), fmt_mb(r)]
                scaling_rows.append(row)
                print("  ".join(row), flush=True)

    print("\n# Summary\n")
    header = ["file", "rule", "ours", "pabutools", "ratio", "ours peak", "pbt peak", "same"]
    print(table(rows, header) if rows else "(no file runs)")
    if parse_rows:
        print("\n## Parsing\n")
        print(table(parse_rows, ["file", "ours", "pabutools"]))
    if scaling_rows:
        print("\n## Scaling (voters x projects)\n")
        print(table(scaling_rows, ["size", "rule", "ours", "peak"]))
    print(
        f"\n{totals['runs']} runs; same outcome {totals['match']}, different {totals['differ']}; "
        f"slowest run of ours {totals['max_ours']:.2f} s, "
        f"highest peak {totals['max_ours_mb']:.0f} MB"
    )
    return 1 if totals["differ"] else 0


if __name__ == "__main__":
    sys.exit(main())
