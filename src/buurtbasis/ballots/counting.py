"""Counting a round: the one owner.

Counting needs the ballots (this app) and the round, its plans and its outcome (the
``budgets`` app, one floor down). Budgets never calls up here: when voting closes, or
when a civil servant asks for a recount, it announces ``budgets.signals.count_requested``
inside its transaction. :func:`on_count_requested` answers by enqueueing
:data:`count_round_task` for after the commit, so closing a round (by hand or by
``advance_phases``) takes milliseconds and the count (MES + Add1, with numba's
start-up) runs in a worker.

A count is tied to the round's request number: a task for an older request, or a
second task for the same request, does nothing. The count itself is deterministic:
the same ballots always give the same Pabulib file and the same outcome.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model

from buurtbasis.budgets import adapters
from buurtbasis.budgets import services as budget_services
from buurtbasis.budgets.models import BudgetRound, Outcome, Rule
from buurtbasis.platform.tasks import background, enqueue_on_commit

from . import services

logger = logging.getLogger(__name__)


def compute_outcome(budget_round: BudgetRound) -> dict:
    """The round's outcome as :class:`Outcome` field values (reads only; stores nothing)."""
    data = services.export_pabulib(budget_round)
    if not services.has_counted_ballots(budget_round):
        return adapters.no_votes_values(
            data,
            plans=services.ballot_plans(budget_round),
            budget_cents=budget_round.budget_cents,
            params=budget_services.engine_params(budget_round),
        )
    return adapters.outcome_values(
        data,
        params=budget_services.engine_params(budget_round),
        compare_with_greedy=budget_round.rule == Rule.MES,
    )


def run_count(*, round_id: int, request: int, actor_id: int | None = None) -> str:
    """Count the round for this request; what the task does, callable in-process.

    Returns ``"counted"`` or ``"skipped"`` (a newer request replaced this one, or it was
    counted already). An error is stored on the round for the civil servant to see and
    then raised, so the task queue records it too.
    """
    budget_round = budget_services.start_count(round_id=round_id, request=request)
    if budget_round is None:
        return "skipped"
    try:
        values = compute_outcome(budget_round)
    except Exception as exc:
        logger.exception("counting round %s failed", round_id)
        budget_services.fail_count(
            round_id=round_id, request=request, error=f"{type(exc).__name__}: {exc}"
        )
        raise
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    outcome = budget_services.save_outcome(
        round_id=round_id, request=request, values=values, actor=actor
    )
    return "counted" if outcome is not None else "skipped"


@background(retries=2, backoff=30)
def count_round_task(round_id: int, request: int, actor_id: int | None = None) -> str:
    """Background task: count one request of one round (see :func:`run_count`).

    A failed attempt is retried twice (after 30 and 60 s); the round shows "failed"
    with the error in between, and the civil servant can also retry at once.
    """
    return run_count(round_id=round_id, request=request, actor_id=actor_id)


def on_count_requested(sender, *, budget_round, request, actor=None, **kwargs) -> None:
    """Answer ``budgets.signals.count_requested``: enqueue the count after the commit."""
    enqueue_on_commit(
        count_round_task,
        round_id=budget_round.pk,
        request=request,
        actor_id=getattr(actor, "pk", None),
    )


def count_now(*, budget_round: BudgetRound, actor=None) -> Outcome | None:
    """Count a closed round in this process and wait for it (demo data and commands).

    Runs the round's waiting count, or asks for a new one when none is waiting. A task
    that was enqueued for the same request finds it done and skips.
    """
    budget_round = BudgetRound.objects.get(pk=budget_round.pk)
    if not budget_round.is_counting():
        budget_round = budget_services.request_count(
            budget_round=budget_round, actor=actor, reason="count_now"
        )
    run_count(
        round_id=budget_round.pk,
        request=budget_round.count_request,
        actor_id=getattr(actor, "pk", None),
    )
    return Outcome.objects.filter(budget_round=budget_round).first()


def on_support_requested(sender, *, budget_round, **kwargs) -> dict | None:
    """Answer ``budgets.signals.support_requested``: while voting is open, the votes so far.

    Each current ballot is one supporter (numbered after a canonical sort, so the ids say
    nothing about who voted when) of every plan it chose.
    """
    if not budget_round.is_voting_open():
        return None
    support: dict[int, set[int]] = {}
    for n, ballot in enumerate(services.ballots_for_tally(budget_round)):
        for plan_id, points in ballot.items():
            if points > 0:
                support.setdefault(int(plan_id), set()).add(n)
    return {"kind": "votes", "support": support}
