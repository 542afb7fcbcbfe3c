"""Counting without the trace (``tally(trace=False)``, ``pb tally`` without ``--steps``)."""

from __future__ import annotations

import json

import pytest

from buurtcore.cli import main
from buurtcore.voting import pabulib, tally
from buurtcore.voting.examples import example_files

OPTIONS = [
    {"rule": "mes"},
    {"rule": "mes", "completion": "add1"},
    {"rule": "mes", "completion": "add1", "add1_stop": "budget"},
    {"rule": "mes", "completion": "add1u", "tie_break": "cost-votes", "seed": 5},
]


def _same_outcome(instance, profile, options) -> None:
    traced = tally(instance, profile, **options)
    bare = tally(instance, profile, trace=False, **options)
    assert bare.selected == traced.selected
    assert bare.total_cost == traced.total_cost
    assert bare.final_endowment == traced.final_endowment
    assert bare.params == traced.params
    kinds = {type(s).__name__ for s in bare.steps}
    assert "MesPurchase" not in kinds and "MesUnfunded" not in kinds
    # what is left are the Add1 rounds (and add1u's greedy steps), as with the trace
    assert [s for s in bare.steps if type(s).__name__ == "Add1Round"] == [
        s for s in traced.steps if type(s).__name__ == "Add1Round"
    ]


@pytest.mark.parametrize("path", example_files(), ids=lambda p: p.name)
@pytest.mark.parametrize(
    "options", OPTIONS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items())
)
def test_without_the_trace_the_examples_count_the_same(path, options):
    instance, profile = pabulib.read(path)
    _same_outcome(instance, profile, options)


@pytest.mark.parametrize(
    "name",
    [
        "Poland_Krakow_2022_Podgorze.pb",  # ordinal, Add1 in Python
        "Netherlands_Amsterdam_179.pb",  # Add1 switches to the compiled runs
        "Poland_Wieliczka_2023_Green_Budget.pb",
    ],
)
def test_without_the_trace_pabulib_files_count_the_same(pabulib_file, name):
    instance, profile = pabulib.read(pabulib_file(name))
    _same_outcome(instance, profile, {"rule": "mes", "completion": "add1"})


def test_pb_tally_without_steps_prints_the_same_outcome(capsys):
    path = str(next(p for p in example_files() if "ordinal" in p.name))
    argv = ["pb", "tally", path, "--rule", "mes", "--completion", "add1", "--json"]
    assert main(argv) == 0
    bare = json.loads(capsys.readouterr().out)
    assert main([*argv, "--steps"]) == 0
    full = json.loads(capsys.readouterr().out)
    assert "steps" not in bare
    assert any(s["kind"] == "MesPurchase" for s in full["steps"])
    for data in (bare, full):
        del data["seconds"]
    del full["steps"]
    assert bare == full
