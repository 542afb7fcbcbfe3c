"""Compile the voting engine's numba code once, so the first large count is not slow.

MES + Add1 on a large election uses numba-compiled runs (``buurtcore.voting.rules._mes_fast``
and ``_mes_probe``). numba compiles them on first use (about 15 s) and caches the machine
code in ``src/buurtcore/voting/rules/__pycache__`` (or ``NUMBA_CACHE_DIR``). Run this after
installing or upgrading, as the user the app runs as::

    .venv/bin/python scripts/warm_engine.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from buurtcore.voting import pabulib  # noqa: E402
from buurtcore.voting.examples import example_path  # noqa: E402
from buurtcore.voting.rules import _mes_fast  # noqa: E402
from buurtcore.voting.rules._data import prepare  # noqa: E402
from buurtcore.voting.rules.completion import run_add1  # noqa: E402
from buurtcore.voting.tiebreak import TieBreak  # noqa: E402


def main() -> int:
    if not _mes_fast.AVAILABLE:
        print("numba is not available (or BUURTCORE_NO_JIT is set): nothing to compile")
        return 0
    inst, prof = pabulib.read(example_path("buurtbudget_approval.pb"))
    prep = prepare(inst, prof, "cost")
    tie = TieBreak.make("lexico", prep.ids, prep.costs, prep.votes)
    t0 = time.perf_counter()
    run_add1(prep, tie, compiled=True)
    print(f"compiled (or loaded from the cache) in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
