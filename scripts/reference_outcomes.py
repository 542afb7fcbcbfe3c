"""Compute reference outcomes with pabutools and store them as a test fixture.

pabutools (GPL-3.0) is a *test-time* reference only: this script and the tests
import it, runtime code never does. For every Pabulib file in ``PABULIB_DIR``
(default ``../shared/data/pabulib`` relative to the repository root) and every
rule that both pabutools and our engine implement, it runs pabutools in a
separate process (one at a time, with a time limit and an address-space limit)
and writes what pabutools selected to
``src/buurtcore/voting/tests/fixtures/pabutools_outcomes.json``.

Each case records the file name, the file's sha256, the keyword arguments for
:func:`buurtcore.voting.tally` that mean the same rule (``params``), the exact
pabutools call (``reference``), the selected project ids (sorted), the
pabutools version, the seconds taken and the peak memory of the process. A run
that exceeds the time limit is recorded as ``"status": "timeout"``, one that
exceeds the memory limit as ``"status": "memory"``.

The script resumes: cases already in the fixture for the same file hash and
pabutools version are kept (``--redo`` recomputes them, ``--retry-timeouts``
recomputes the timed-out ones, e.g. with a larger ``--timeout``).

Usage::

    .venv/bin/python scripts/reference_outcomes.py [--timeout 300] [--mem-gb 12]
        [--files GLOB ...] [--cases NAME ...] [--max-tier N] [--list]

Mapping to pabutools (all with its default lexicographic tie-breaking on the
project id as a string, resolute):

* ``greedy-cost``: ``greedy_utilitarian_welfare(sat_class=Cost_Sat)`` (most
  approvals first); ``greedy-cardinality``: ``Cardinality_Sat`` (approvals per
  unit of cost); ``greedy-points`` (cumulative/scoring): ``Additive_Cardinal_Sat``
  (points per unit of cost); ``greedy-borda`` (ordinal): ``Additive_Borda_Sat``.
* ``greedy-threshold``: pabutools has no threshold rule; we run
  ``greedy_utilitarian_welfare`` with the natural satisfaction on the
  sub-instance of projects whose score (approvals, or total points) is at least
  META ``min_project_score_threshold``.
* ``mes-*``: ``method_of_equal_shares(sat_class=...)``.
* ``mes-*-add1``: ``method_of_equal_shares(..., voter_budget_increment=1)``:
  raise every voter's share by one currency unit until the outcome is
  exhaustive (over the projects MES can buy) or would overspend; in the latter
  case the last feasible outcome is kept.
* ``mes-*-add1-budget``: ``exhaustion_by_budget_increase(rule=method_of_equal_shares,
  budget_step=<number of voters>, exhaustive_stop=False, budget_bound=...)``: keep
  raising by one unit per voter while the outcome stays within the real budget
  (Wieliczka 2023). The bound is set to budget + voters x (total cost + 1):
  beyond it every voter alone can pay for everything, so the outcome no longer
  changes; pabutools' default bound (budget x (voters + 1)) stops tiny
  elections too early.
* ``mes-*-add1u``: ``completion_by_rule_combination`` of MES with
  ``voter_budget_increment=1`` followed by ``greedy_utilitarian_welfare`` with
  the same satisfaction measure.
* ``phragmen``: ``sequential_phragmen`` (approval ballots only).
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "src/buurtcore/voting/tests/fixtures/pabutools_outcomes.json"

# name -> (tier, vote types, tally params, pabutools description)
# tier 0: cheap, 1: add1 and add1u, 2: expensive (add1-budget, generic greedy)
APPROVAL = ("approval", "choose-1")
CARDINAL = ("cumulative", "scoring")
ORDINAL = ("ordinal",)
ALL = APPROVAL + CARDINAL + ORDINAL


def _case_table() -> dict[str, dict]:
    cases: dict[str, dict] = {}

    def add(name, tier, types, params, sat_class, kind):
        cases[name] = {
            "tier": tier,
            "types": types,
            "params": params,
            "sat_class": sat_class,
            "kind": kind,
        }

    add("greedy-cost", 0, ALL, {"rule": "greedy", "sat": "cost"}, "Cost_Sat", "greedy")
    add(
        "greedy-cardinality",
        0,
        ALL,
        {"rule": "greedy", "sat": "cardinality"},
        "Cardinality_Sat",
        "greedy",
    )
    add(
        "greedy-points",
        0,
        CARDINAL,
        {"rule": "greedy", "sat": None},
        "Additive_Cardinal_Sat",
        "greedy",
    )
    add("greedy-borda", 2, ORDINAL, {"rule": "greedy", "sat": None}, "Additive_Borda_Sat", "greedy")
    add(
        "greedy-threshold",
        0,
        APPROVAL + CARDINAL,
        {"rule": "greedy", "sat": None},
        None,
        "threshold",
    )
    add("mes-cost", 0, ALL, {"rule": "mes", "sat": "cost"}, "Cost_Sat", "mes")
    add("mes-cardinality", 0, ALL, {"rule": "mes", "sat": "cardinality"}, "Cardinality_Sat", "mes")
    add("mes-points", 0, CARDINAL, {"rule": "mes", "sat": None}, "Additive_Cardinal_Sat", "mes")
    add("mes-borda", 0, ORDINAL, {"rule": "mes", "sat": None}, "Additive_Borda_Sat", "mes")
    add("phragmen", 0, APPROVAL, {"rule": "phragmen"}, None, "phragmen")
    for natural, types, sat_class in (
        ("cost", APPROVAL, "Cost_Sat"),
        ("points", CARDINAL, "Additive_Cardinal_Sat"),
        ("borda", ORDINAL, "Additive_Borda_Sat"),
    ):
        base = {"rule": "mes", "sat": "cost" if natural == "cost" else None}
        add(
            f"mes-{natural}-add1",
            1,
            types,
            {**base, "completion": "add1", "add1_stop": "exhaustive"},
            sat_class,
            "add1",
        )
        add(
            f"mes-{natural}-add1u",
            1,
            types,
            {**base, "completion": "add1u", "add1_stop": "exhaustive"},
            sat_class,
            "add1u",
        )
        add(
            f"mes-{natural}-add1-budget",
            2,
            types,
            {**base, "completion": "add1", "add1_stop": "budget"},
            sat_class,
            "add1-budget",
        )
    return cases


CASES = _case_table()


def pabulib_dir() -> Path:
    """PABULIB_DIR, else ../shared/data/pabulib next to the repository (or its main worktree)."""
    env = os.environ.get("PABULIB_DIR")
    if env:
        return Path(env)
    candidates = [REPO.parent / "shared" / "data" / "pabulib"]
    git = REPO / ".git"
    if git.is_file():  # a linked worktree: .git says where the main repository is
        text = git.read_text(encoding="utf-8").strip()
        if text.startswith("gitdir:"):
            main_git = Path(text.split(":", 1)[1].strip()).resolve().parent.parent
            candidates.append(main_git.parent.parent / "shared" / "data" / "pabulib")
    for path in candidates:
        if path.is_dir():
            return path
    return candidates[0]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_meta(path: Path) -> dict[str, str]:
    """The META section of a Pabulib file (cheap: stops at PROJECTS)."""
    meta: dict[str, str] = {}
    with path.open(encoding="utf-8-sig") as fh:
        section = None
        for line in fh:
            line = line.strip()
            if line.upper() in ("META", "PROJECTS", "VOTES"):
                if section == "META":
                    break
                section = line.upper()
                continue
            if section == "META" and ";" in line:
                key, value = line.split(";", 1)
                if key != "key":
                    meta[key.strip()] = value.strip()
    return meta


def threshold_of(meta: dict[str, str]) -> str | None:
    return meta.get("min_project_score_threshold") or None


def applicable(name: str, meta: dict[str, str]) -> bool:
    case = CASES[name]
    if meta.get("vote_type") not in case["types"]:
        return False
    return not (case["kind"] == "threshold" and threshold_of(meta) is None)


def case_params(name: str, meta: dict[str, str]) -> dict:
    params = {
        "rule": "greedy",
        "sat": None,
        "completion": "none",
        "add1_stop": "exhaustive",
        "tie_break": "lexico",
    }
    params.update(CASES[name]["params"])
    if CASES[name]["kind"] == "threshold":
        params["threshold"] = threshold_of(meta)
    return params


# --------------------------------------------------------------------------- child


def _natural_sat(vote_type: str) -> str:
    return {
        "approval": "Cost_Sat",
        "choose-1": "Cost_Sat",
        "cumulative": "Additive_Cardinal_Sat",
        "scoring": "Additive_Cardinal_Sat",
        "ordinal": "Additive_Borda_Sat",
    }[vote_type]


def pabutools_outcome(
    instance, profile, name: str, derived: dict | None = None
) -> tuple[list[str], str]:
    """Run case ``name`` with pabutools on a parsed election: (selected ids sorted, call).

    For an ``add1`` case, pass a dict as ``derived`` to also get the ``add1u``
    outcome from the same run (the two steps of ``completion_by_rule_combination``).
    """
    import pabutools.election.satisfaction as satmod
    from pabutools.election import Instance
    from pabutools.rules import (
        completion_by_rule_combination,
        exhaustion_by_budget_increase,
        greedy_utilitarian_welfare,
        method_of_equal_shares,
        sequential_phragmen,
    )

    case = CASES[name]
    vote_type = instance.meta["vote_type"]
    kind = case["kind"]
    sat_name = case["sat_class"] or _natural_sat(vote_type)
    sat_class = getattr(satmod, sat_name)
    n = profile.num_ballots()
    if kind == "greedy":
        call = f"greedy_utilitarian_welfare(sat_class={sat_name})"
        outcome = greedy_utilitarian_welfare(instance, profile, sat_class=sat_class)
    elif kind == "threshold":
        threshold = Fraction(threshold_of(instance.meta))
        if vote_type in APPROVAL:
            scores = {p: profile.approval_score(p) for p in instance}
        else:
            points = profile.as_sat_profile(satmod.Additive_Cardinal_Sat)
            scores = {p: points.total_satisfaction_project(p) for p in instance}
        kept = Instance((p for p in instance if scores[p] >= threshold), meta=instance.meta)
        kept.budget_limit = instance.budget_limit
        call = (
            f"greedy_utilitarian_welfare(sat_class={sat_name}) on the projects with "
            f"score >= {threshold_of(instance.meta)}"
        )
        outcome = greedy_utilitarian_welfare(kept, profile, sat_class=sat_class)
    elif kind == "mes":
        call = f"method_of_equal_shares(sat_class={sat_name})"
        outcome = method_of_equal_shares(instance, profile, sat_class=sat_class)
    elif kind == "add1":
        call = f"method_of_equal_shares(sat_class={sat_name}, voter_budget_increment=1)"
        outcome = method_of_equal_shares(
            instance, profile, sat_class=sat_class, voter_budget_increment=1
        )
        if derived is not None:
            # completion_by_rule_combination([MES add1, greedy]) does exactly this: keep the
            # MES outcome when it is exhaustive, else complete it with greedy from there.
            t0 = time.perf_counter()
            if instance.is_exhaustive(outcome):
                filled = outcome
            else:
                filled = greedy_utilitarian_welfare(
                    instance, profile, sat_class=sat_class, initial_budget_allocation=outcome
                )
            derived["add1u_selected"] = sorted(str(p.name) for p in filled)
            derived["add1u_greedy_seconds"] = round(time.perf_counter() - t0, 3)
    elif kind == "add1u":
        call = (
            "completion_by_rule_combination([method_of_equal_shares, greedy_utilitarian_welfare], "
            f"[{{sat_class: {sat_name}, voter_budget_increment: 1}}, {{sat_class: {sat_name}}}])"
        )
        outcome = completion_by_rule_combination(
            instance,
            profile,
            [method_of_equal_shares, greedy_utilitarian_welfare],
            [{"sat_class": sat_class, "voter_budget_increment": 1}, {"sat_class": sat_class}],
        )
    elif kind == "add1-budget":
        # pabutools' default bound (budget x (voters + 1)) cuts tiny elections short; once
        # every voter alone has more than all projects cost, the outcome no longer changes.
        bound = instance.budget_limit + n * (sum(p.cost for p in instance) + 1)
        call = (
            "exhaustion_by_budget_increase(rule=method_of_equal_shares, "
            f"rule_params={{sat_class: {sat_name}}}, budget_step=num_ballots, "
            "exhaustive_stop=False, budget_bound=budget + num_ballots * (total cost + 1))"
        )
        outcome = exhaustion_by_budget_increase(
            instance,
            profile,
            method_of_equal_shares,
            rule_params={"sat_class": sat_class},
            budget_step=n,
            exhaustive_stop=False,
            budget_bound=bound,
        )
    elif kind == "phragmen":
        call = "sequential_phragmen()"
        outcome = sequential_phragmen(instance, profile)
    else:  # pragma: no cover - table and dispatch are kept in step
        raise ValueError(kind)
    return sorted(str(p.name) for p in outcome), call


def run_one(path: Path, name: str) -> dict:
    """Run one case in this process and return what pabutools selected."""
    from pabutools.election import parse_pabulib

    t0 = time.perf_counter()
    instance, profile = parse_pabulib(str(path))
    t_parse = time.perf_counter() - t0
    t1 = time.perf_counter()
    derived: dict = {}
    selected, call = pabutools_outcome(instance, profile, name, derived)
    t_rule = time.perf_counter() - t1 - derived.get("add1u_greedy_seconds", 0)
    costs = {str(p.name): p.cost for p in instance}
    total = sum((costs[p] for p in selected), 0)
    return {
        "status": "ok",
        "selected": selected,
        "total_cost": str(total),
        "reference": call,
        "seconds": round(t_rule, 3),
        "parse_seconds": round(t_parse, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        **derived,
    }


# -------------------------------------------------------------------------- parent


def load_fixture() -> dict:
    if FIXTURE.exists():
        return json.loads(FIXTURE.read_text(encoding="utf-8"))
    return {"cases": []}


def save_fixture(data: dict) -> None:
    data["cases"].sort(key=lambda c: (c["file"], c["case"]))
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    tmp = FIXTURE.with_suffix(".tmp")
    # one case per line: small diffs when a case is recomputed
    head = {k: v for k, v in sorted(data.items()) if k != "cases"}
    lines = [json.dumps(c, ensure_ascii=False, sort_keys=True) for c in data["cases"]]
    text = json.dumps(head, ensure_ascii=False, indent=1)[:-2]
    text += ',\n "cases": [\n  ' + ",\n  ".join(lines) + "\n ]\n}\n"
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(FIXTURE)


def run_child(path: Path, name: str, timeout: float, mem_gb: float) -> dict:
    limit = int(mem_gb * 1024**3)

    def limit_memory():  # runs in the child before exec
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    cmd = [sys.executable, str(Path(__file__).resolve()), "--one", str(path), name]
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            timeout=timeout,
            preexec_fn=limit_memory,  # noqa: PLW1509 - single-threaded parent
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "seconds": round(time.perf_counter() - t0, 1)}
    wall = round(time.perf_counter() - t0, 1)
    if proc.returncode == 0:
        return json.loads(proc.stdout.strip().splitlines()[-1])
    err = proc.stderr.strip().splitlines()
    last = err[-1] if err else f"exit code {proc.returncode}"
    status = "memory" if "MemoryError" in proc.stderr else "error"
    return {"status": status, "error": last[:300], "seconds": wall}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds per run (300)")
    ap.add_argument("--mem-gb", type=float, default=12.0, help="address-space limit per run (12)")
    ap.add_argument("--files", nargs="*", help="glob patterns on file names")
    ap.add_argument("--cases", nargs="*", help="case names (see --list)")
    ap.add_argument("--max-tier", type=int, default=2)
    ap.add_argument("--first", nargs="*", help="glob patterns of files to run before the others")
    ap.add_argument("--redo", action="store_true", help="recompute cases already stored")
    ap.add_argument("--retry-timeouts", action="store_true")
    ap.add_argument("--list", action="store_true", help="list the planned runs and exit")
    ap.add_argument("--one", nargs=2, metavar=("FILE", "CASE"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.one:
        result = run_one(Path(args.one[0]), args.one[1])
        print(json.dumps(result))
        return 0

    from importlib.metadata import version

    import pabutools  # noqa: F401  (fail early when the test extra is not installed)

    pbt_version = version("pabutools")
    directory = pabulib_dir()
    files = sorted(directory.glob("*.pb"), key=lambda p: p.stat().st_size)
    if args.files:
        files = [f for f in files if any(fnmatch.fnmatch(f.name, g) for g in args.files)]
    if not files:
        print(f"no .pb files in {directory}", file=sys.stderr)
        return 1
    data = load_fixture()
    data["pabutools_version"] = pbt_version
    data["generated_by"] = "scripts/reference_outcomes.py"
    data.pop("timeout_seconds", None)  # the limit is recorded per case
    data["memory_limit_gb"] = args.mem_gb
    stored = {(c["file"], c["case"]): c for c in data["cases"]}
    hashes = {f.name: sha256(f) for f in files}
    metas = {f.name: read_meta(f) for f in files}
    sizes = {f.name: f.stat().st_size for f in files}
    for entry in stored.values():  # lets the tests pick the small files for live runs
        if entry["file"] in sizes and entry["sha256"] == hashes[entry["file"]]:
            entry["file_bytes"] = sizes[entry["file"]]

    plan = []
    for tier in range(args.max_tier + 1):
        for f in files:
            for name, case in CASES.items():
                if case["tier"] != tier or not applicable(name, metas[f.name]):
                    continue
                if args.cases and name not in args.cases:
                    continue
                old = stored.get((f.name, name))
                fresh = (
                    old is not None
                    and old["sha256"] == hashes[f.name]
                    and old.get("pabutools_version") == pbt_version
                )
                retry = args.redo or (
                    args.retry_timeouts and old is not None and old["status"] == "timeout"
                )
                if fresh and not retry:
                    continue
                plan.append((f, name))
    if args.list:
        for f, name in plan:
            print(f"{f.name}\t{name}")
        print(f"{len(plan)} runs", file=sys.stderr)
        return 0

    # (file, satisfaction) whose add1 did not finish: the slower variants are skipped
    slow = {
        (c["file"], c["case"].split("-")[1])
        for c in stored.values()
        if CASES.get(c["case"], {}).get("kind") == "add1" and c["status"] != "ok"
    }
    from_add1: dict[tuple[str, str], dict] = {}
    if args.first:
        first = [p for p in plan if any(fnmatch.fnmatch(p[0].name, g) for g in args.first)]
        plan = first + [p for p in plan if p not in first]
    for i, (f, name) in enumerate(plan, 1):
        natural = name.split("-")[1] if name.startswith("mes-") else ""
        if CASES[name]["kind"] in ("add1u", "add1-budget") and (f.name, natural) in slow:
            result = {
                "status": "skipped",
                "error": "add1 (exhaustive stop) did not finish within the limit; "
                "this variant takes at least as long",
                "seconds": 0,
            }
        elif CASES[name]["kind"] == "add1u" and (f.name, natural) in from_add1:
            add1 = from_add1[(f.name, natural)]
            result = {
                "status": "ok",
                "selected": add1["add1u_selected"],
                "reference": (
                    f"{add1['reference']}, then (if not exhaustive) greedy_utilitarian_welfare"
                    "(same sat_class, initial_budget_allocation=that outcome): the steps of "
                    "completion_by_rule_combination, from the same MES run"
                ),
                "seconds": round(add1["seconds"] + add1["add1u_greedy_seconds"], 3),
                "parse_seconds": add1["parse_seconds"],
                "peak_rss_mb": add1["peak_rss_mb"],
            }
        else:
            print(f"[{i}/{len(plan)}] {f.name} {name} ...", file=sys.stderr, flush=True)
            result = run_child(f, name, args.timeout, args.mem_gb)
            if CASES[name]["kind"] == "add1" and result["status"] != "ok":
                slow.add((f.name, natural))
            if CASES[name]["kind"] == "add1" and "add1u_selected" in result:
                from_add1[(f.name, natural)] = dict(result)
                result.pop("add1u_selected")
                result.pop("add1u_greedy_seconds")
        entry = {
            "file": f.name,
            "sha256": hashes[f.name],
            "case": name,
            "vote_type": metas[f.name].get("vote_type"),
            "file_bytes": sizes[f.name],
            "params": case_params(name, metas[f.name]),
            "pabutools_version": pbt_version,
            **result,
        }
        entry["timeout_seconds"] = args.timeout
        print(
            f"    -> {result['status']} {result.get('seconds')} s "
            f"{len(result.get('selected', []))} selected",
            file=sys.stderr,
            flush=True,
        )
        stored[(f.name, name)] = entry
        data["cases"] = list(stored.values())
        save_fixture(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
