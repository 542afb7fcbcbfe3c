"""Parity with pabutools and with published real outcomes on the shared Pabulib files.

* ``test_it_matches_pabutools``: for every file and rule in the committed fixture
  ``fixtures/pabutools_outcomes.json`` (made by ``scripts/reference_outcomes.py``),
  :func:`tally` selects exactly the projects pabutools selected. Cases where
  pabutools itself did not finish within the time limit are skipped with a notice.
* ``test_it_matches_pabutools_live``: the cheap cases on the small files are
  recomputed with the installed pabutools during the test, so the fixture
  cannot drift from the library.
* ``test_it_reproduces_the_published_outcome``: the ``selected`` column of the
  real elections (the projects the city actually funded).

The Pabulib files are not part of the project: without them these tests skip
with a notice (under ``CI=true`` they fail, see ``conftest.pabulib_file``).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from functools import cache
from pathlib import Path

import pytest

from buurtcore.voting import pabulib, tally

FIXTURE = Path(__file__).parent / "fixtures" / "pabutools_outcomes.json"
REPO = Path(__file__).resolve().parents[4]
REF_SCRIPT = REPO / "scripts" / "reference_outcomes.py"

#: live comparison only for files below this size and cases pabutools did quickly
LIVE_MAX_BYTES = 30_000
LIVE_MAX_SECONDS = 0.5


def _cases() -> list[dict]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))["cases"]


CASES = _cases()


@cache
def _read(path: str):
    return pabulib.read(path)


@cache
def _sha256(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _election(pabulib_file, case: dict):
    path = pabulib_file(case["file"])
    if _sha256(str(path)) != case["sha256"]:
        pytest.fail(
            f"{case['file']} differs from the file the fixture was made from; "
            "rerun scripts/reference_outcomes.py"
        )
    return _read(str(path))


def _id(case: dict) -> str:
    return f"{case['file'].removesuffix('.pb')}:{case['case']}"


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_it_matches_pabutools(pabulib_file, case):
    if case["status"] != "ok":
        pytest.skip(
            f"NOTICE: pabutools gave no outcome ({case['status']} after "
            f"{case.get('seconds')} s): {case.get('error', '')}"
        )
    instance, profile = _election(pabulib_file, case)
    outcome = tally(instance, profile, **case["params"])
    assert sorted(outcome.selected) == case["selected"], case["reference"]
    assert outcome.total_cost == sum(instance.projects[p].cost for p in case["selected"])


@cache
def _reference_module():
    spec = importlib.util.spec_from_file_location("reference_outcomes", REF_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


LIVE = [
    c
    for c in CASES
    if c["status"] == "ok"
    and c["seconds"] <= LIVE_MAX_SECONDS
    and c.get("file_bytes", 0) <= LIVE_MAX_BYTES
]


@pytest.mark.parametrize("case", LIVE, ids=_id)
def test_it_matches_pabutools_live(pabulib_file, case):
    path = pabulib_file(case["file"])
    if path.stat().st_size > LIVE_MAX_BYTES:
        pytest.skip(f"NOTICE: {case['file']} too large for a live run")
    instance, profile = _election(pabulib_file, case)
    live = _reference_module().run_one(path, case["case"])
    assert live["selected"] == case["selected"], "fixture is stale: rerun the script"
    assert sorted(tally(instance, profile, **case["params"]).selected) == live["selected"]


# --------------------------------------------------------------------------- published

PUBLISHED = [
    # (file, tally parameters): the rule the city used, as recorded in META and SOURCES.md
    ("Netherlands_Assen_2024.pb", {"rule": "mes", "completion": "add1"}),
    ("Poland_Swiecie_2023.pb", {"rule": "mes", "completion": "add1"}),
    (
        "Poland_Wieliczka_2023_Green_Budget.pb",
        {"rule": "mes", "completion": "add1", "add1_stop": "budget"},
    ),
    ("Poland_Lodz_2022.pb", {"rule": "greedy-threshold"}),
    ("Poland_Warszawa_2022_Wola.pb", {"rule": "greedy"}),
    ("Poland_Wroclaw_2015_150_-_500.pb", {"rule": "greedy-no-skip"}),
    ("Poland_Warszawa_2026.pb", {"rule": "greedy-threshold"}),
    # further real elections in the shared set whose outcome the engine reproduces
    ("Poland_Warszawa_2018_Radosc.pb", {"rule": "greedy-threshold"}),
    ("Poland_Warszawa_2019_WrzecionoMlociny.pb", {"rule": "greedy"}),
    # cumulative ballots: the cities ranked by the number of voters, which is sat="cost"
    ("Poland_Katowice_2024.pb", {"rule": "greedy", "sat": "cost"}),
    ("Poland_Czestochowa_2024_Trzech_Wieszczow.pb", {"rule": "greedy", "sat": "cost"}),
]


def _published_selection(instance) -> set[str]:
    return {pid for pid, p in instance.projects.items() if p.fields.get("selected") == "1"}


@pytest.mark.parametrize(
    ("name", "params"), PUBLISHED, ids=[n.removesuffix(".pb") for n, _ in PUBLISHED]
)
def test_it_reproduces_the_published_outcome(pabulib_file, name, params):
    path = pabulib_file(name)
    instance, profile = _read(str(path))
    official = _published_selection(instance)
    assert official, "the file has no selected column"
    outcome = tally(instance, profile, **params)
    assert set(outcome.selected) == official
