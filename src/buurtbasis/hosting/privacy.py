"""Fiscal hosting and the AVG: what a person did here, and what erasure keeps.

Financial records are kept for seven years (fiscal retention): ledger transactions
and the decisions on agreements stay. They point to the account, which is
pseudonymised when it is deleted (``accounts.services.delete_account``), so the
records no longer name the person. Erasure ends the person's role as treasurer.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from .models import HostingAgreement, LedgerTransaction

RETENTION_NOTE = (
    "Financial records are kept for seven years (fiscal retention). After deleting your "
    "account they no longer show your name."
)


def export_hosting(user) -> dict[str, Any]:
    agreements = HostingAgreement.objects.filter(
        Q(requested_by=user) | Q(accepted_by=user) | Q(offered_by=user) | Q(treasurer=user)
    ).select_related("host", "initiative")
    recorded = LedgerTransaction.objects.filter(created_by=user).order_by("date", "pk")
    return {
        "agreements": [
            {
                "initiative": a.initiative.name,
                "host": a.host.name,
                "state": a.state,
                "requested_by_you": a.requested_by_id == user.pk,
                "offered_by_you": a.offered_by_id == user.pk,
                "accepted_by_you": a.accepted_by_id == user.pk,
                "treasurer": a.treasurer_id == user.pk,
            }
            for a in agreements
        ],
        "ledger_transactions_recorded": [
            {"date": t.date, "description": t.description, "kind": t.kind} for t in recorded
        ],
        "accountability_stories_written": _stories(user),
        "retention": RETENTION_NOTE,
    }


def _stories(user) -> list[dict[str, Any]]:
    from .models_reports import AccountabilityStory

    stories = AccountabilityStory.objects.filter(written_by=user).select_related("initiative")
    return [
        {
            "initiative": s.initiative.name,
            "written_at": s.created_at,
            "what_happened": s.what_happened,
            "who_took_part": s.who_took_part,
        }
        for s in stories
    ]


def erase_hosting(user) -> None:
    from .models_reports import AccountabilityStory

    HostingAgreement.objects.filter(treasurer=user).update(treasurer=None)
    # The story is the initiative's account of its grant and stays; it no longer names its writer.
    AccountabilityStory.objects.filter(written_by=user).update(written_by=None)
