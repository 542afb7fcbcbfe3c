"""Check MES + Add1 + greedy (``add1u``) piece by piece against pabutools on real files.

A full pabutools Add1 takes minutes to hours on large files, so this script
checks the pieces that together decide the outcome, each cheaply:

1. Add1 with its skipping and compiled runs (``run_add1``) against the plain
   unit-by-unit loop in exact Python (``skip=False, compiled=False``): the same
   final endowment and purchases (skipped with ``--no-plain``);
2. pabutools' MES run (``method_of_equal_shares_scheme``) at our final endowment
   ``E``: the same purchases in the same order, and within budget;
3. Add1's stop: our outcome at ``E`` is exhaustive, or pabutools' outcome at
   ``E + 1`` goes over the budget;
4. the greedy completion: pabutools' ``greedy_utilitarian_welfare`` started from
   our Add1 outcome (as ``completion_by_rule_combination`` does) buys what our
   ``add1u`` buys.

pabutools (GPL) is a test-only dependency; this script is not part of the engine.

Usage::

    .venv/bin/python bench/add1u_parity.py FILE... [--sat cardinality] [--no-plain]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from buurtcore.voting import pabulib, tally  # noqa: E402
from buurtcore.voting.rules._data import prepare  # noqa: E402
from buurtcore.voting.rules.completion import is_exhaustive, run_add1  # noqa: E402
from buurtcore.voting.rules.equal_shares import mes_candidates  # noqa: E402
from buurtcore.voting.tiebreak import TieBreak  # noqa: E402

SAT_CLASS = {
    "cost": "Cost_Sat",
    "cardinality": "Cardinality_Sat",
    "points": "Additive_Cardinal_Sat",
    "borda": "Additive_Borda_Sat",
}


def check(path: str, sat: str, plain: bool) -> dict:
    import gmpy2
    import pabutools.election as pe
    from pabutools.rules import greedy_utilitarian_welfare
    from pabutools.rules.budgetallocation import BudgetAllocation
    from pabutools.rules.mes.mes_rule import method_of_equal_shares_scheme
    from pabutools.tiebreaking import lexico_tie_breaking

    instance, profile = pabulib.read(path)
    prep = prepare(instance, profile, sat)
    tie = TieBreak.make("lexico", prep.ids, prep.costs, prep.votes)
    t0 = time.perf_counter()
    res, rounds = run_add1(prep, tie)
    ours_u = tally(instance, profile, rule="mes", sat=sat, completion="add1u")
    seconds = time.perf_counter() - t0
    problems = []
    steps = sum(1 + r.repeated for r in rounds)
    if plain:
        slow, _ = run_add1(prep, tie, compiled=False, skip=False)
        if (slow.selected, slow.endowment) != (res.selected, res.endowment):
            problems.append(f"plain loop ends at {slow.endowment}, ours at {res.endowment}")
    p_inst, p_prof = pe.parse_pabulib(path)
    sat_profile = p_prof.as_sat_profile(getattr(pe, SAT_CLASS[sat]))

    def pbt_mes(e):
        start = gmpy2.mpq(e.numerator, e.denominator)
        return method_of_equal_shares_scheme(
            p_inst,
            p_prof,
            sat_profile,
            start,
            BudgetAllocation(),
            lexico_tie_breaking,
            binary_sat=sat in ("cost", "cardinality") and instance.vote_type != "ordinal",
        )

    e = res.endowment
    at_e = pbt_mes(e)
    if [str(p.name) for p in at_e] != [prep.ids[p] for p in res.selected]:
        problems.append(f"MES at {e} differs from pabutools")
    if res.total_cost > instance.budget:
        problems.append("our Add1 outcome is over budget")
    cands, _ = mes_candidates(prep)
    exhaustive = is_exhaustive(prep, set(res.selected), res.total_cost, cands)
    if not exhaustive and p_inst.is_feasible(pbt_mes(e + 1)):
        problems.append(f"Add1 stopped at {e}: not exhaustive, and {e + 1} is within budget")
    by_name = {p.name: p for p in p_inst}
    start = BudgetAllocation([by_name[prep.ids[p]] for p in res.selected])
    filled = (
        start
        if p_inst.is_exhaustive(start)
        else greedy_utilitarian_welfare(
            p_inst, p_prof, sat_class=getattr(pe, SAT_CLASS[sat]), initial_budget_allocation=start
        )
    )
    if sorted(str(p.name) for p in filled) != sorted(ours_u.selected):
        problems.append(f"greedy completion: pabutools {len(filled)}, ours {len(ours_u.selected)}")
    return {
        "file": Path(path).name,
        "voters": profile.n_voters,
        "projects": len(prep.ids),
        "endowment": str(e),
        "add1_steps": steps,
        "mes": len(res.selected),
        "add1u": len(ours_u.selected),
        "exhaustive": exhaustive,
        "seconds": round(seconds, 2),
        "same": not problems,
        "problems": problems,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+")
    ap.add_argument("--sat", default="cardinality", choices=sorted(SAT_CLASS))
    ap.add_argument("--no-plain", action="store_true", help="skip the unit-by-unit loop")
    args = ap.parse_args(argv)
    bad = 0
    for path in args.files:
        result = check(path, args.sat, not args.no_plain)
        bad += not result["same"]
        print(json.dumps(result), flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
