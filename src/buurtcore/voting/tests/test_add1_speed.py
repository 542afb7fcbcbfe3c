"""Add1 and `pb tally` load numba late and lean (`completion.LEAN_NUMBA`, the forecast switch)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from buurtcore.voting import pabulib, tally
from buurtcore.voting.rules import _mes_fast

needs_numba = pytest.mark.skipif(not _mes_fast.AVAILABLE, reason="numba is not available")


@needs_numba
def test_lean_numba_hides_scipy_linalg_only_while_numba_loads():
    code = (
        "import sys\n"
        "from buurtcore.voting.rules.completion import _lean_numba\n"
        "_lean_numba()\n"
        "print('numba.np.arraymath' in sys.modules, 'scipy.linalg' in sys.modules)\n"
        "import scipy.linalg\n"  # still importable afterwards
        "print(scipy.linalg.norm([3.0, 4.0]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False", "5.0"]


@needs_numba
def test_pb_tally_loads_numba_without_scipy_and_counts_the_same(pabulib_file):
    # Amsterdam 179: Add1 switches to the compiled runs after a few Python runs
    path = pabulib_file("Netherlands_Amsterdam_179.pb")
    code = (
        "import sys, io, contextlib\n"
        "from buurtcore.cli import main\n"
        "buf = io.StringIO()\n"
        "with contextlib.redirect_stdout(buf):\n"
        f"    main(['pb', 'tally', {str(path)!r}, '--rule', 'mes', '--completion', 'add1'])\n"
        "print(buf.getvalue().replace('\\n', ' '))\n"
        "print('numba' in sys.modules, 'scipy.linalg' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    printed, loaded = out.stdout.strip().splitlines()
    assert loaded.split() == ["True", "False"]
    result = json.loads(printed)
    instance, profile = pabulib.read(path)
    outcome = tally(instance, profile, rule="mes", completion="add1")
    assert result["selected"] == outcome.selected
    assert result["final_endowment"] == str(outcome.final_endowment)
    assert result["params"] == {k: v for k, v in outcome.to_dict()["params"].items()}


@needs_numba
@pytest.mark.parametrize(
    ("name", "before"),
    [
        ("Netherlands_Amsterdam_179.pb", 106),  # rounds in Python before this forecast
        ("Netherlands_Amsterdam_166.pb", 77),
    ],
)
def test_add1_switches_to_the_compiled_runs_after_a_few_python_runs(pabulib_file, name, before):
    from buurtcore.voting.rules import completion
    from buurtcore.voting.rules._data import natural_sat, prepare
    from buurtcore.voting.tiebreak import TieBreak

    instance, profile = pabulib.read(pabulib_file(name))
    prep = prepare(instance, profile, natural_sat(instance.vote_type))
    tie = TieBreak.make("lexico", prep.ids, prep.costs, prep.votes)
    seen: list[int] = []
    switched_at: list[int] = []
    real = _mes_fast.fast_run

    def spy(*args):
        switched_at.append(len(seen))
        return real(*args)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_mes_fast, "fast_run", spy)
        res, rounds = completion.run_add1(prep, tie, progress=lambda s, e: seen.append(s))
    assert switched_at and switched_at[0] <= 20 < before
    plain, _ = completion.run_add1(prep, tie, compiled=False)
    assert (res.selected, res.endowment) == (plain.selected, plain.endowment)
