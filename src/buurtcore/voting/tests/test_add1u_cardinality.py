"""MES with cardinality satisfaction, completed by Add1 and then greedy (``add1u``).

pabutools' ``completion_by_rule_combination`` runs MES with ``voter_budget_increment=1``
and then ``greedy_utilitarian_welfare`` from that outcome, both with ``Cardinality_Sat``.
The elections here are built so that the greedy completion meets ties (equal votes and
equal costs, ids that sort differently as strings and as numbers).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from buurtcore.voting import pabulib, tally

from .strategies import elections

pytest.importorskip("pabutools")
from pabutools.election import Cardinality_Sat  # noqa: E402
from pabutools.election.pabulib import parse_pabulib_from_string  # noqa: E402
from pabutools.rules import (  # noqa: E402
    completion_by_rule_combination,
    greedy_utilitarian_welfare,
    method_of_equal_shares,
)


def _pabutools(text: str) -> list[str]:
    instance, profile = parse_pabulib_from_string(text)
    outcome = completion_by_rule_combination(
        instance,
        profile,
        [method_of_equal_shares, greedy_utilitarian_welfare],
        [{"sat_class": Cardinality_Sat, "voter_budget_increment": 1}, {"sat_class": Cardinality_Sat}],
    )
    return sorted(str(p.name) for p in outcome)


def _ours(text: str) -> list[str]:
    instance, profile = pabulib.read(text)
    outcome = tally(
        instance, profile, rule="mes", sat="cardinality", completion="add1u", tie_break="lexico"
    )
    return sorted(outcome.selected)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=elections(vote_type="approval", cost_modes=("small", "decimal"), max_projects=8))
def test_add1u_with_cardinality_agrees_with_pabutools(text):
    assert _ours(text) == _pabutools(text), text
