"""Voting and the AVG: what a person can download, and what deleting an account does.

Registered in ``BallotsConfig.ready`` with ``platform.privacy`` (see docs/accounts.md).

Export: per round, the ballot cast with the account (receipt number, when it was last
submitted, how often it was changed, the current choices). Only the person's own
ballot: code and paper ballots are linked to nobody, and old choices are not kept.
For staff: the batches of voting codes they generated and the paper batches they
entered or checked (counts, never the choices on the forms).

Erasure: votes are never lost or changed. A ballot cast with the account stays
counted (channel "account") but no longer holds any account: ``Ballot.voter`` is
cleared. No placeholder account is made, so there is no new id or join date next to
the moment of deletion to match, and every erased ballot looks like every other. The
audit entry of the deletion does not say how many ballots were erased (that would tell
which erased ballots are the person's). Paper batches keep both people
(the four-eyes check needs them; ``confirmed_by`` may not be empty once confirmed).
The link from a batch of voting codes to the person who generated it is cleared.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from .models import Ballot, BallotChoice, Channel, CodeBatch, PaperBatch


def _ballot(ballot: Ballot) -> dict[str, Any]:
    choices: list[BallotChoice] = sorted(ballot.choices.all(), key=lambda c: c.plan.title)
    return {
        "round": ballot.budget_round.title,
        "receipt": ballot.receipt,
        "submitted_at": ballot.submitted_at,
        "times_changed": ballot.times_replaced,
        "choices": [{"plan": choice.plan.title, "points": choice.points} for choice in choices],
    }


def _paper_batch(batch: PaperBatch, user) -> dict[str, Any]:
    roles = []
    if batch.entered_by_id == user.pk:
        roles.append("entered")
    if batch.confirmed_by_id == user.pk:
        roles.append("checked")
    return {
        "round": batch.budget_round.title,
        "batch": batch.number,
        "label": batch.label,
        "your_role": roles,
        "status": batch.status,
        "forms_declared": batch.declared_count,
        "ballots_entered": batch.n_ballots,
        "invalid_forms": batch.invalid_count,
        "created_at": batch.created_at,
        "ready_for_checking_at": batch.submitted_at,
        "checked_at": batch.confirmed_at,
        "rejection_reason": batch.rejection_reason,
    }


def export_ballots(user) -> dict[str, Any]:
    """The user's own ballots and what they did as staff; never anyone else's choices."""
    ballots = (
        Ballot.objects.filter(voter=user, channel=Channel.ACCOUNT)
        .select_related("budget_round")
        .prefetch_related("choices__plan")
        .order_by("submitted_at", "pk")
    )
    batches = (
        PaperBatch.objects.filter(Q(entered_by=user) | Q(confirmed_by=user))
        .select_related("budget_round")
        .annotate(n_ballots=Count("ballots"))
        .order_by("created_at", "pk")
    )
    code_batches = (
        CodeBatch.objects.filter(created_by=user)
        .select_related("budget_round")
        .order_by("created_at", "pk")
    )
    return {
        "ballots": [_ballot(ballot) for ballot in ballots],
        "voting_codes_generated": [
            {
                "round": batch.budget_round.title,
                "codes": batch.count,
                "letters_with_addresses": batch.with_addresses,
                "created_at": batch.created_at,
            }
            for batch in code_batches
        ],
        "paper_batches": [_paper_batch(batch, user) for batch in batches],
    }


def erase_ballots(user) -> dict[str, int]:
    """Clear the account from its ballots (they stay counted); clear the code batches' creator.

    The ballots themselves (choices, receipt, times) do not change; paper batches stay as
    they are. The answer (kept in the deletion's audit entry) holds no count of ballots.
    """
    Ballot.objects.filter(voter=user).update(voter=None)
    return {
        "code_batches": CodeBatch.objects.filter(created_by=user).update(created_by=None),
    }
