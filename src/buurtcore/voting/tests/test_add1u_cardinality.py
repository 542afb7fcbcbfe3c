"""MES with cardinality satisfaction, completed by Add1 and then greedy (``add1u``).

pabutools' ``completion_by_rule_combination`` runs MES with ``voter_budget_increment=1``
and then ``greedy_utilitarian_welfare`` from that outcome, both with ``Cardinality_Sat``
(score = votes per currency unit). The elections here are built so that the greedy
completion meets ties: projects with the same votes per unit of cost but different
votes and costs (2 votes for 20 and 1 vote for 10), unsupported projects (score 0) and
ids that sort differently as strings and as numbers. Both the Python runs and the
compiled runs in pieces on threads are compared.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buurtcore.voting import pabulib, tally
from buurtcore.voting.rules import completion

from .strategies import ID_POOL, elections

pytest.importorskip("pabutools")
from pabutools.election import Cardinality_Sat  # noqa: E402
from pabutools.election.pabulib import parse_pabulib_from_string  # noqa: E402
from pabutools.rules import (  # noqa: E402
    completion_by_rule_combination,
    greedy_utilitarian_welfare,
    method_of_equal_shares,
)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


def _pabutools(text: str) -> list[str]:
    instance, profile = parse_pabulib_from_string(text)
    outcome = completion_by_rule_combination(
        instance,
        profile,
        [method_of_equal_shares, greedy_utilitarian_welfare],
        [
            {"sat_class": Cardinality_Sat, "voter_budget_increment": 1},
            {"sat_class": Cardinality_Sat},
        ],
    )
    return sorted(str(p.name) for p in outcome)


def _ours(text: str) -> list[str]:
    instance, profile = pabulib.read(text)
    outcome = tally(
        instance, profile, rule="mes", sat="cardinality", completion="add1u", tie_break="lexico"
    )
    return sorted(outcome.selected)


@st.composite
def density_ties(draw) -> str:
    """An approval election whose leftover projects tie on votes per unit of cost.

    A few popular projects take most of the budget in MES; the rest come in families
    ``k`` votes for ``k * unit`` (same score, different cost), plus unsupported ones.
    """
    ids = draw(st.permutations(ID_POOL))
    unit = draw(st.sampled_from([1, 2, 5, 10]))
    popular = draw(st.integers(1, 2))
    family = draw(st.lists(st.integers(1, 3), min_size=2, max_size=5))
    unsupported = draw(st.integers(0, 2))
    n_projects = popular + len(family) + unsupported
    ids = ids[:n_projects]
    costs, voters = [], []
    big = draw(st.integers(3, 5))
    for i in range(popular):
        costs.append(unit * draw(st.integers(3, 8)))
        voters += [[ids[i]]] * big
    for j, k in enumerate(family):
        pid = ids[popular + j]
        costs.append(unit * k)
        voters += [[pid]] * k
    for _ in range(unsupported):
        costs.append(unit * draw(st.integers(1, 3)))
    # some voters approve a popular project and a family member
    for j in range(len(family)):
        if draw(st.booleans()):
            voters[j % len(voters)] = sorted({*voters[j % len(voters)], ids[popular + j]})
    total = sum(costs)
    budget = max(min(costs), total * draw(st.integers(3, 8)) // 10)
    lines = [
        "META",
        "key;value",
        f"budget;{budget}",
        "vote_type;approval",
        f"num_projects;{n_projects}",
        f"num_votes;{len(voters)}",
        "PROJECTS",
        "project_id;cost",
        *(f"{pid};{cost}" for pid, cost in zip(ids, costs, strict=True)),
        "VOTES",
        "voter_id;vote",
        *(f"v{n};{','.join(sorted(set(vote)))}" for n, vote in enumerate(voters)),
    ]
    return "\n".join(lines) + "\n"


@SETTINGS
@given(text=st.one_of(density_ties(), elections(cost_modes=("small", "decimal"), max_projects=8)))
def test_add1u_with_cardinality_agrees_with_pabutools(text):
    assert _ours(text) == _pabutools(text), text


@SETTINGS
@given(text=st.one_of(density_ties(), elections(cost_modes=("small",), max_projects=8)))
def test_the_compiled_runs_in_pieces_agree_too(text):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(completion, "COMPILE_AT_ENTRIES", 0)
        mp.setattr(completion, "CHUNK_AT_STEPS", 1)
        mp.setattr(completion, "CHUNKS", 3)
        ours = _ours(text)
    assert ours == _pabutools(text), text
