"""Test helpers for voting and closing a round (used by the budgets tests too)."""

from __future__ import annotations

from django.test import TestCase

from buurtbasis.ballots import services as ballot_services
from buurtbasis.budgets.services import advance_phase

from .queue import run_queued_tasks


def vote(budget_round, ballots):
    """One code per ballot; each ballot approves the plans given."""
    codes = ballot_services.generate_codes(budget_round, len(ballots))
    for code, choice in zip(codes, ballots, strict=True):
        ballot_services.submit_ballot_with_code(
            budget_round=budget_round, code=code, choices={p.pk: 1 for p in choice}
        )


def close_and_count(*, budget_round, actor=None):
    """Close the vote as a request does (commit → the count is enqueued), then run a worker."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        budget_round = advance_phase(budget_round=budget_round, actor=actor)
    run_queued_tasks()
    budget_round.refresh_from_db()
    return budget_round
