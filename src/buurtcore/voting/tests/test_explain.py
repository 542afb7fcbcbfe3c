"""Explanations on hand-made elections; every expected figure is worked out by hand below."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import pytest

from buurtcore.voting.explain import (
    compare,
    compare_text,
    explain,
    explain_text,
    format_money,
    satisfied_voters,
)
from buurtcore.voting.model import Instance, Profile, Project


# Stand-ins with the field names of the engine contract (Outcome and its steps).
@dataclass
class GreedyStep:
    project: str
    score: Fraction
    cost: Fraction
    action: str


@dataclass
class MesPurchase:
    round: int
    project: str
    cost: Fraction
    rho: Fraction
    supporters: int
    payments: dict[str, int]


@dataclass
class MesUnfunded:
    project: str
    cost: Fraction
    supporters: int
    supporters_budget_left: Fraction


@dataclass
class Add1Round:
    endowment: Fraction
    selected: list[str]
    total_cost: Fraction
    exhaustive: bool


@dataclass
class Outcome:
    selected: list[str]
    budget: Fraction
    params: dict[str, object]
    steps: list[object] = field(default_factory=list)
    final_endowment: Fraction | None = None

    @property
    def total_cost(self) -> Fraction:  # not used by explain, which recomputes it
        return Fraction(-1)


def make_election(budget, projects, ballots, *, vote_type="approval", points=None):
    """projects: [(id, cost, name)], ballots: [[ids]] (points: [[ints]] aligned)."""
    inst = Instance(
        meta={"budget": str(budget), "vote_type": vote_type, "currency": "EUR"},
        projects={pid: Project(pid, Fraction(cost), name) for pid, cost, name in projects},
        budget=Fraction(budget),
        vote_type=vote_type,
        project_columns=["project_id", "cost", "name"],
    )
    ids = inst.project_ids()
    flat = [ids.index(p) for ballot in ballots for p in ballot]
    indptr = np.cumsum([0] + [len(b) for b in ballots]).astype(np.int64)
    prof = Profile(
        voter_ids=[f"v{i + 1}" for i in range(len(ballots))],
        indptr=indptr,
        project_index=np.array(flat, dtype=np.int32),
        points=None if points is None else np.array([x for b in points for x in b], np.int64),
        voter_fields={},
        vote_columns=["voter_id", "vote"],
        project_ids=ids,
    )
    return inst, prof


@pytest.fixture
def greedy_case():
    # A 60 (3 votes), B 50 (2 votes), C 30 (1 vote); budget 100; v4 handed in an empty ballot.
    # Most votes first: A fits (40 left), B (50) does not fit, C (30) fits (10 left).
    inst, prof = make_election(
        100,
        [("A", 60, "Speeltuin"), ("B", 50, "Bankjes"), ("C", 30, "Moestuin")],
        [["A", "B"], ["A", "B"], ["A", "C"], []],
    )
    steps = [
        GreedyStep("A", Fraction(3), Fraction(60), "selected"),
        GreedyStep("B", Fraction(2), Fraction(50), "skipped_no_fit"),
        GreedyStep("C", Fraction(1), Fraction(30), "selected"),
    ]
    out = Outcome(["A", "C"], Fraction(100), {"rule": "greedy", "sat": "cost"}, steps)
    return inst, prof, out


def by_id(data):
    return {p["id"]: p for p in data["projects"]}


def test_it_explains_greedy_rank_and_fit(greedy_case):
    data = explain(*greedy_case)
    p = by_id(data)
    assert [x["id"] for x in data["projects"]] == ["A", "C", "B"]  # funded in order, then others
    assert p["A"]["reason"] == "greedy_selected" and p["A"]["rank"] == 1
    assert p["A"]["budget_left"] == "100"
    assert p["B"]["reason"] == "greedy_no_fit" and p["B"]["rank"] == 2
    assert p["B"]["budget_left"] == "40"  # 100 - 60 when B's turn came
    assert p["C"]["reason"] == "greedy_selected" and p["C"]["budget_left"] == "40"
    assert p["B"]["text"] == (
        "Bankjes (€ 50) kreeg 2 stemmen en stond op plaats 2. Toen dit project aan de beurt "
        "was, was er nog € 40 over. Dat is te weinig, dus dit project krijgt geen geld."
    )
    assert p["C"]["text"] == (
        "Moestuin (€ 30) kreeg 1 stem en stond op plaats 3. Er was toen nog € 40 over. "
        "Dat is genoeg, dus dit project krijgt geld."
    )


def test_it_summarises_cost_leftover_and_satisfied_voters(greedy_case):
    s = explain(*greedy_case)["summary"]
    # v1, v2, v3 each approved A; v4 approved nothing: 3 of 4.
    assert (s["total_cost"], s["leftover"], s["n_voters"]) == ("90", "10", 4)
    assert (s["satisfied_voters"], s["satisfied_share"]) == (3, "3/4")
    assert s["satisfied_percent"] == "75%"
    assert s["text"] == (
        "Er was € 100 te verdelen. 2 projecten krijgen samen € 90. Er blijft € 10 over. "
        "4 mensen hebben gestemd. 3 van hen (75%) stemden op minstens één project dat geld krijgt."
    )


def test_it_is_plain_json(greedy_case):
    data = explain(*greedy_case)
    assert json.loads(json.dumps(data)) == data


@pytest.fixture
def mes_case():
    # Budget 90, three voters with 30 each (cost satisfaction).
    # P1 (60) approved by all: each pays 20, 1/3 per unit of satisfaction.
    # P3 (30) approved by v1, v2: would cost 15 each, 1/2 per unit; P1 is cheaper, so round 1 = P1.
    # Then everybody has 10 left: P3 needs 30 but v1 + v2 have 20; P2 (40) needs 40, v3 has 10.
    inst, prof = make_election(
        90,
        [("P1", 60, "Plein"), ("P2", 40, "Pannaveld"), ("P3", 30, "Picknicktafel")],
        [["P1", "P3"], ["P1", "P3"], ["P1", "P2"]],
    )
    steps = [
        MesPurchase(1, "P1", Fraction(60), Fraction(1, 3), 3, {"20": 3}),
        MesUnfunded("P2", Fraction(40), 1, Fraction(10)),
        MesUnfunded("P3", Fraction(30), 2, Fraction(20)),
    ]
    out = Outcome(["P1"], Fraction(90), {"rule": "mes", "sat": "cost"}, steps, Fraction(30))
    return inst, prof, out


def test_it_explains_equal_shares_payments(mes_case):
    p = by_id(explain(*mes_case))
    assert p["P1"]["reason"] == "mes_bought" and p["P1"]["round"] == 1
    assert p["P1"]["payments"] == [{"amount": "20", "voters": 3}]
    assert p["P1"]["text"] == (
        "Plein (€ 60) kreeg 3 stemmen. Dit project is gekozen in ronde 1. De 3 mensen die ervoor "
        "stemden, betaalden het samen uit hun deel van het budget. Ieder van hen betaalde € 20."
    )


def test_it_explains_what_supporters_had_left(mes_case):
    p = by_id(explain(*mes_case))
    assert p["P3"]["reason"] == "mes_not_affordable"
    assert (p["P3"]["supporters_budget_left"], p["P3"]["cost"]) == ("20", "30")
    assert p["P3"]["fits_leftover"] is True  # 30 left of 90, P3 costs 30
    assert p["P3"]["text"] == (
        "Picknicktafel (€ 30) kreeg 2 stemmen. De 2 mensen die ervoor stemden, hadden samen nog "
        "€ 20 over. Het project kost € 30. Dat is te weinig, dus dit project krijgt geen geld."
    )
    assert p["P2"]["fits_leftover"] is False  # 40 > 30
    assert p["P2"]["text"].endswith("Het past ook niet meer in het geld dat over is.")
    assert p["P2"]["text"].startswith(
        "Pannaveld (€ 40) kreeg 1 stem. De enige persoon die ervoor stemde, had nog € 10 over."
    )


def test_it_groups_unequal_payments_largest_first():
    # Cardinality-like payments: 2 voters paid 25, 1 voter paid everything she had left (10).
    inst, prof = make_election(90, [("X", 60, "Buurthuis")], [["X"], ["X"], ["X"]])
    steps = [MesPurchase(1, "X", Fraction(60), Fraction(25), 3, {"10": 1, "25": 2})]
    data = explain(inst, prof, Outcome(["X"], Fraction(90), {"rule": "mes"}, steps))
    x = by_id(data)["X"]
    assert x["payments"] == [{"amount": "25", "voters": 2}, {"amount": "10", "voters": 1}]
    assert x["text"].endswith("Zo betaalden ze: 2 mensen betaalden € 25; 1 persoon betaalde € 10.")


def test_it_tells_about_the_raised_endowment_after_add1(mes_case):
    inst, prof, out = mes_case
    out.final_endowment = Fraction(35)
    out.steps.append(Add1Round(Fraction(30), ["P1"], Fraction(60), False))
    out.steps.append(Add1Round(Fraction(31), ["P1"], Fraction(60), False))
    data = explain(inst, prof, out)
    assert (data["initial_endowment"], data["endowment"]) == ("30", "35")
    assert data["add1_rounds"][1]["endowment"] == "31"
    assert (data["add1_runs"], data["add1_skipped"]) == (2, 0)
    assert data["summary"]["text"].endswith(
        "Bij gelijke delen kreeg iedereen eerst € 30 om mee te betalen. Omdat er dan geld "
        "overbleef, is dat bedrag steeds een beetje verhoogd, tot € 35 per persoon. "
        "De verdeling is 2 keer uitgerekend."
    )


@dataclass
class SkippingAdd1Round:
    endowment: str
    selected: list[str]
    total_cost: str
    exhaustive: bool
    feasible: bool = True
    repeated: int = 0


def test_it_says_how_many_add1_endowments_were_skipped(mes_case):
    # 30 computed, 31..34 provably the same run (repeated=4), 35 computed.
    inst, prof, out = mes_case
    out.final_endowment = Fraction(35)
    out.steps += [
        SkippingAdd1Round("30", ["P1"], "60", False, repeated=4),
        SkippingAdd1Round("35", ["P1", "P3"], "90", True),
    ]
    data = explain(inst, prof, out)
    assert (data["add1_runs"], data["add1_skipped"]) == (2, 4)
    assert data["summary"]["text"].endswith(
        "De verdeling is 2 keer uitgerekend. Bij 4 bedragen daartussen stond vooraf vast dat "
        "de uitkomst hetzelfde bleef. Die zijn niet apart uitgerekend."
    )


def test_it_marks_the_greedy_fill_after_equal_shares(mes_case):
    inst, prof, out = mes_case
    out.selected = ["P1", "P3"]
    out.params["completion"] = "add1u"
    out.steps.append(GreedyStep("P3", Fraction(2), Fraction(30), "selected"))
    p = by_id(explain(inst, prof, out))
    assert p["P3"]["funded"] and p["P3"]["reason"] == "completion_selected"
    assert p["P3"]["budget_left"] == "30"  # 90 - 60 spent by equal shares


def test_it_explains_threshold_and_projects_without_votes():
    inst, prof = make_election(
        100, [("A", 10, "Kunst"), ("B", 10, "Hek"), ("Z", 10, "")], [["A", "B"], ["A"]]
    )
    steps = [
        GreedyStep("A", Fraction(2), Fraction(10), "selected"),
        GreedyStep("B", Fraction(1), Fraction(10), "below_threshold"),
        GreedyStep("Z", Fraction(0), Fraction(10), "below_threshold"),
    ]
    out = Outcome(["A"], Fraction(100), {"rule": "greedy", "threshold": "2"}, steps)
    p = by_id(explain(inst, prof, out))
    assert p["B"]["reason"] == "below_threshold" and p["B"]["threshold"] == "2"
    assert p["B"]["text"] == (
        "Hek (€ 10) kreeg 1 stem. Dat is minder dan de ondergrens van 2. "
        "Daarom krijgt dit project geen geld."
    )
    assert p["Z"]["reason"] == "no_votes"
    assert p["Z"]["text"] == "Project Z (€ 10) kreeg geen stemmen en krijgt geen geld."


def test_it_counts_points_and_ignores_zero_points():
    inst, prof = make_election(
        50,
        [("A", 20, "Bomen"), ("B", 20, "Lantaarns")],
        [["A", "B"], ["B"], ["A"]],
        vote_type="cumulative",
        points=[[3, 0], [2], [1]],
    )
    assert satisfied_voters(inst, prof, ["B"]) == 1  # v1 gave B 0 points
    assert satisfied_voters(inst, prof, ["A"]) == 2
    out = Outcome(["A"], Fraction(50), {"rule": "greedy"}, [])
    a = by_id(explain(inst, prof, out))["A"]
    assert (a["points"], a["votes"]) == ("4", 2)
    assert a["text"].startswith("Bomen (€ 20) kreeg 4 punten.")


def test_it_says_ranked_for_ordinal_ballots():
    inst, prof = make_election(
        10, [("A", 5, "Plantsoen"), ("B", 5, "Zebrapad")], [["A", "B"]], vote_type="ordinal"
    )
    data = explain(inst, prof, Outcome(["A"], Fraction(10), {"rule": "mes"}, []))
    assert by_id(data)["A"]["text"].startswith("Plantsoen (€ 5) stond op de lijst van 1 persoon.")


def test_it_compares_two_outcomes(greedy_case):
    inst, prof, a = greedy_case
    b = Outcome(["B", "C"], Fraction(100), {"rule": "mes", "sat": "cost"})
    c = compare(inst, prof, a, b)
    assert [r["id"] for r in c["only_a"]] == ["A"]
    assert [r["id"] for r in c["only_b"]] == ["B"]
    assert [r["id"] for r in c["both"]] == ["C"]
    assert (c["a"]["total_cost"], c["b"]["total_cost"]) == ("90", "80")
    assert (c["a"]["leftover"], c["b"]["leftover"]) == ("10", "20")
    # b funds B (v1, v2) and C (v3): also 3 of 4.
    assert (c["a"]["satisfied_voters"], c["b"]["satisfied_voters"]) == (3, 3)
    assert c["same"] is False
    text = compare_text(inst, prof, a, b)
    assert "Alleen regel A kiest: Speeltuin (€ 60)." in text
    assert "Alleen regel B kiest: Bankjes (€ 50)." in text
    assert "Regel B geeft € 80 uit en houdt € 20 over. 3 van de 4 mensen (75%)" in text


def test_it_says_when_two_rules_agree(greedy_case):
    inst, prof, a = greedy_case
    c = compare(inst, prof, a, a)
    assert c["same"] is True and c["only_a"] == [] and c["only_b"] == []
    assert c["text"].startswith("Beide regels")


def test_it_renders_the_whole_explanation(mes_case):
    text = explain_text(*mes_case)
    lines = text.splitlines()
    assert lines[0] == "Uitslag volgens de regel: gelijke delen (Method of Equal Shares)."
    assert "Projecten die geld krijgen:" in lines
    assert lines.index("Projecten die geen geld krijgen:") > lines.index(
        "Projecten die geld krijgen:"
    )
    assert sum(1 for line in lines if line.startswith("- ")) == 3


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (Fraction(1234567, 100), "EUR", "€ 12.345,67"),
        (Fraction(1, 200), "EUR", "€ 0,01"),  # half a cent rounds up
        (Fraction(24186815), "PLN", "24.186.815 PLN"),
        (0, "EUR", "€ 0"),
    ],
)
def test_it_formats_money_the_dutch_way(amount, currency, expected):
    assert format_money(amount, currency) == expected


@dataclass
class PhasedGreedyStep:
    project: str
    score: str
    cost: str
    action: str
    phase: str = "main"


def test_it_explains_a_greedy_that_stops_and_a_leftover_pass():
    # Budget 100: A (70) selected; B (50) exhausted its category; C (20) funded in the
    # leftover pass (30 left after A); with "no skip" D would be "stopped".
    inst, prof = make_election(
        100,
        [("A", 70, "Speelplek"), ("B", 50, "Bloembak"), ("C", 20, "Kast"), ("D", 5, "Bel")],
        [["A", "B", "C", "D"], ["A", "B", "C"], ["A", "B"], ["A"]],
    )
    steps = [
        PhasedGreedyStep("A", "4", "70", "selected"),
        PhasedGreedyStep("B", "3", "50", "category_budget_exhausted"),
        PhasedGreedyStep("C", "2", "20", "category_budget_exhausted"),
        PhasedGreedyStep("D", "1", "5", "stopped"),
        PhasedGreedyStep("C", "2", "20", "selected", phase="leftover"),
    ]
    out = Outcome(["A", "C"], Fraction(100), {"rule": "greedy"}, steps)
    p = by_id(explain(inst, prof, out))
    assert p["C"]["reason"] == "leftover_selected" and p["C"]["budget_left"] == "30"
    assert p["C"]["rank"] == 3  # the leftover pass does not count as a new place
    assert "nog € 30 over, en daar paste dit project in" in p["C"]["text"]
    assert p["B"]["reason"] == "category_budget_exhausted"
    assert p["D"]["reason"] == "greedy_stopped" and p["D"]["rank"] == 4
    assert p["D"]["text"].startswith("Bel (€ 5) kreeg 1 stem en stond op plaats 4.")
