"""Check Add1's skipping on a real file against the plain unit-by-unit loop.

Add1 (``run_add1``) skips raises of the endowment that a proof shows give the
identical MES run. This script runs it both ways on one Pabulib file and
compares every endowment: the skipping run must record, for every endowment
the plain loop tried, the same purchases, and both must end with the same
outcome. It prints both times (the plain loop can take minutes on large files;
Budapest 2024 needs 22,002 runs). Too slow for the test suite, so it lives
here; ``src/buurtcore/voting/tests/test_add1_skipping.py`` does the same on
generated elections and small files.

Usage::

    .venv/bin/python bench/add1_verify.py ../shared/data/pabulib/Hungary_Budapest_2024.pb
    .venv/bin/python bench/add1_verify.py FILE --sat cardinality --stop budget
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from buurtcore.voting import pabulib  # noqa: E402
from buurtcore.voting.rules._data import natural_sat, prepare  # noqa: E402
from buurtcore.voting.rules.completion import rounds_by_endowment, run_add1  # noqa: E402
from buurtcore.voting.tiebreak import TieBreak  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file")
    ap.add_argument("--sat", help="satisfaction (default: the ballot type's natural one)")
    ap.add_argument("--stop", default="exhaustive", choices=["exhaustive", "budget"])
    ap.add_argument("--tie-break", default="lexico", choices=["lexico", "cost-votes"])
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)

    inst, prof = pabulib.read(args.file)
    prep = prepare(inst, prof, args.sat or natural_sat(inst.vote_type))
    tie = TieBreak.make(args.tie_break, prep.ids, prep.costs, prep.votes, seed=args.seed)

    t0 = time.perf_counter()
    fast, fast_rounds = run_add1(prep, tie, stop=args.stop)
    t_fast = time.perf_counter() - t0
    t0 = time.perf_counter()
    slow, slow_rounds = run_add1(prep, tie, stop=args.stop, skip=False)
    t_slow = time.perf_counter() - t0

    a, b = rounds_by_endowment(fast_rounds), rounds_by_endowment(slow_rounds)
    differ = [e for e in b if a.get(e) != b[e]]
    same = (
        not differ
        and len(a) == len(b)
        and fast.selected == slow.selected
        and fast.endowment == slow.endowment
    )
    print(
        f"{Path(args.file).name}: {len(b)} endowments; with skipping {len(fast_rounds)} runs in "
        f"{t_fast:.2f} s, unit by unit {len(slow_rounds)} runs in {t_slow:.2f} s; "
        f"{'identical' if same else f'DIFFERENT at {len(differ)} endowments'}"
    )
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
