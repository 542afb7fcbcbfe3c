"""Explanations of real tallies: the trace from the rules gives the figures worked out by hand."""

from __future__ import annotations

import pytest

from buurtcore.voting import pabulib, tally
from buurtcore.voting.explain import compare, explain, explain_text

# Budget 90, three voters: 30 each under equal shares.
# P1 (60, all three): 20 each, 1/3 per unit of cost; P3 (30, v1 v2): 15 each, 1/2 per unit.
# Plain MES buys P1 and stops: P3's supporters have 10 + 10 = 20 < 30, P2's one supporter 10 < 40.
# Add1: at 35 each, P1 costs 20 each (15 left), then P3 15 each: total 90, exhaustive.
PB = """META
key;value
num_projects;3
num_votes;3
budget;90
vote_type;approval
PROJECTS
project_id;cost;name
P1;60;Plein
P2;40;Pannaveld
P3;30;Picknicktafel
VOTES
voter_id;vote
v1;P1,P3
v2;P1,P3
v3;P1,P2
"""


@pytest.fixture
def election():
    return pabulib.read(PB)


def by_id(data):
    return {p["id"]: p for p in data["projects"]}


def test_it_explains_plain_equal_shares(election):
    data = explain(*election, tally(*election, rule="mes"))
    p = by_id(data)
    assert p["P1"]["payments"] == [{"amount": "20", "voters": 3}] and p["P1"]["round"] == 1
    assert p["P3"]["supporters_budget_left"] == "20" and p["P3"]["reason"] == "mes_not_affordable"
    assert p["P2"]["supporters_budget_left"] == "10"
    assert data["summary"]["leftover"] == "30" and data["endowment"] == "30"


def test_it_explains_add1(election):
    data = explain(*election, tally(*election, rule="mes", completion="add1"))
    p = by_id(data)
    assert p["P3"]["round"] == 2 and p["P3"]["payments"] == [{"amount": "15", "voters": 2}]
    assert p["P2"]["supporters_budget_left"] == "15"  # 35 - 20
    assert (data["initial_endowment"], data["endowment"]) == ("30", "35")
    rounds = data["add1_rounds"]
    assert (rounds[0]["endowment"], rounds[-1]["endowment"]) == ("30", "35")
    assert rounds[0]["selected"] == ["P1"] and rounds[-1]["selected"] == ["P1", "P3"]
    assert rounds[-1]["exhaustive"] and not rounds[0]["exhaustive"]
    # every endowment from 30 to 35 is accounted for: computed, or provably the same run
    assert data["add1_runs"] + data["add1_skipped"] == 6
    assert "tot € 35 per persoon" in data["summary"]["text"]


def test_it_explains_greedy_from_the_trace(election):
    p = by_id(explain(*election, tally(*election, rule="greedy")))
    assert [p[x]["rank"] for x in ("P1", "P3", "P2")] == [1, 2, 3]
    assert p["P2"]["reason"] == "greedy_no_fit" and p["P2"]["budget_left"] == "0"


def test_it_compares_greedy_and_equal_shares(election):
    c = compare(*election, tally(*election, rule="greedy"), tally(*election, rule="mes"))
    assert [r["id"] for r in c["only_a"]] == ["P3"] and c["only_b"] == []
    assert (c["a"]["leftover"], c["b"]["leftover"]) == ("0", "30")


def test_it_renders_every_project_once(election):
    text = explain_text(*election, tally(*election, rule="phragmen"))
    assert sum(line.startswith("- ") for line in text.splitlines()) == 3
    assert "Picknicktafel (€ 30) kreeg 2 stemmen. Dit project is als nummer 1 gekozen" in text
