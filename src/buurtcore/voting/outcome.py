"""The result of a tally and the trace that explains it.

An :class:`Outcome` lists the selected projects in the order the rule chose
them, together with every parameter that was used and a list of *steps*: one
small record per event of the rule (a project considered by greedy, a purchase
by the Method of Equal Shares, an Add1 round, ...). The steps are what the
explanations (``voting.explain``) are built from.

All steps are JSON-able through :func:`dataclasses.asdict`: amounts are exact
rationals written as strings (``"1500"``, ``"1000/3"``), never floats.

Examples
--------
>>> from fractions import Fraction
>>> from dataclasses import asdict
>>> step = GreedyStep(project="7", score="120", cost="5000", action="selected")
>>> asdict(step)["action"]
'selected'
>>> out = Outcome(selected=["7"], total_cost=Fraction(5000), budget=Fraction(6000),
...               params={"rule": "greedy"}, steps=[step])
>>> out.leftover
Fraction(1000, 1)
>>> out.to_dict()["total_cost"]
'5000'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from fractions import Fraction

__all__ = [
    "Add1Round",
    "GreedyStep",
    "MesPurchase",
    "MesUnfunded",
    "Outcome",
    "PhragmenPurchase",
    "Step",
    "fmt",
]


def fmt(value: Fraction | int | float | None) -> str | None:
    """Write an exact amount as a string (``"3"``, ``"7/2"``); ``inf`` for infinity.

    >>> fmt(Fraction(7, 2)), fmt(Fraction(6, 2)), fmt(None)
    ('7/2', '3', None)
    """
    if value is None:
        return None
    if isinstance(value, float):
        return "inf" if value == float("inf") else str(Fraction(value))
    return str(Fraction(value))


@dataclass(frozen=True, slots=True)
class GreedyStep:
    """A project considered by a greedy rule, in the order considered.

    ``action`` is one of ``"selected"``, ``"skipped_no_fit"`` (it no longer fitted
    in what was left of the budget), ``"below_threshold"`` (score under the
    minimum), ``"category_budget_exhausted"`` (it did not fit in the budget of
    one of its categories or its neighbourhood) and ``"stopped"`` (greedy
    without skipping stopped before it). ``phase`` is ``"main"`` or, with
    category/neighbourhood budgets, ``"leftover"`` for the second pass that
    spends what is left without those limits. ``score`` is what the rule
    sorted on (votes, or votes per currency unit), ``remaining`` the budget left
    after the step; ``category`` names the category or neighbourhood whose
    budget ran out (action ``"category_budget_exhausted"``).
    """

    project: str
    score: str
    cost: str
    action: str
    phase: str = "main"
    remaining: str | None = None
    category: str | None = None


@dataclass(frozen=True, slots=True)
class MesPurchase:
    """A project bought by the Method of Equal Shares.

    ``rho`` is the price per unit of satisfaction (pabutools' "affordability");
    ``payments`` aggregates what the supporters paid: ``{"<amount>": count}``.
    ``endowment`` is the per-voter budget of the run.
    """

    round: int
    project: str
    cost: str
    rho: str
    supporters: int
    payments: dict[str, int]
    endowment: str | None = None


@dataclass(frozen=True, slots=True)
class MesUnfunded:
    """A project the Method of Equal Shares did not buy (at the end of the final run).

    ``supporters_budget_left`` is what its supporters still had together at the
    end, to compare with ``cost``.
    """

    project: str
    cost: str
    supporters: int
    supporters_budget_left: str


@dataclass(frozen=True, slots=True)
class Add1Round:
    """One run of the Method of Equal Shares in the Add1 completion.

    ``repeated`` counts the following +1 steps that provably give exactly the
    same run (so they were not recomputed); the next round's endowment is
    ``endowment + repeated + 1``.
    """

    endowment: str
    selected: list[str]
    total_cost: str
    exhaustive: bool
    feasible: bool = True
    repeated: int = 0


@dataclass(frozen=True, slots=True)
class PhragmenPurchase:
    """A project bought by sequential Phragmén.

    ``load`` is the new (common) load of its supporters; ``time`` the step number.
    """

    project: str
    load: str
    time: int
    cost: str = ""


Step = GreedyStep | MesPurchase | MesUnfunded | Add1Round | PhragmenPurchase


@dataclass
class Outcome:
    """The funded projects and how the rule got there.

    Attributes
    ----------
    selected : list[str]
        Project ids in the order they were selected.
    total_cost : Fraction
        Sum of the costs of the selected projects.
    budget : Fraction
        The budget of the election.
    params : dict
        Every parameter used (rule, sat, completion, add1_stop, tie_break, seed,
        threshold, ...), JSON-able.
    steps : list[Step]
        The trace, see the step classes.
    final_endowment : Fraction or None
        Method of Equal Shares: the per-voter budget of the run that produced
        the outcome.
    """

    selected: list[str]
    total_cost: Fraction
    budget: Fraction
    params: dict[str, object]
    steps: list[Step] = field(default_factory=list)
    final_endowment: Fraction | None = None

    @property
    def leftover(self) -> Fraction:
        """The budget that was not spent."""
        return self.budget - self.total_cost

    def to_dict(self) -> dict[str, object]:
        """A JSON-able dictionary (amounts as exact strings, steps with their ``kind``)."""
        steps = []
        for step in self.steps:
            item = asdict(step)
            item["kind"] = type(step).__name__
            steps.append(item)
        return {
            "selected": list(self.selected),
            "total_cost": fmt(self.total_cost),
            "budget": fmt(self.budget),
            "leftover": fmt(self.leftover),
            "params": dict(self.params),
            "final_endowment": fmt(self.final_endowment),
            "steps": steps,
        }
