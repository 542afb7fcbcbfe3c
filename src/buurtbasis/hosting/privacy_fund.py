"""Applications to the initiatives fund and the AVG.

An application is a financial record of the initiative (it leads to a grant, or to a
refusal that was decided): it is kept for seven years (fiscal retention) like the rest of
the books. Erasure pseudonymises it: it no longer points to the person who wrote it (and
the account itself is pseudonymised when it is deleted). An application that is still
waiting stays with the initiative; its other initiators can follow it up.
"""

from __future__ import annotations

from typing import Any

from .models_fund import FundApplication

RETENTION_NOTE = (
    "Applications to the initiatives fund are financial records and are kept for seven years "
    "(fiscal retention). After deleting your account they no longer show your name."
)


def export_applications(user) -> dict[str, Any]:
    written = FundApplication.objects.filter(applicant=user).select_related("fund", "initiative")
    decided = FundApplication.objects.filter(decided_by=user).select_related("fund", "initiative")
    return {
        "applications": [
            {
                "fund": a.fund.name,
                "initiative": a.initiative.name,
                "what": a.what,
                "for_whom": a.for_whom,
                "when": a.when,
                "amount_cents": a.amount_cents,
                "cost_lines": a.cost_lines,
                "attachment_sha256": a.attachment_sha256,
                "submitted_at": a.submitted_at,
                "state": a.state,
                "question": a.question,
                "answer": a.answer,
                "granted_cents": a.granted_cents,
                "reason": a.reason,
            }
            for a in written
        ],
        "decisions_made": [
            {
                "fund": a.fund.name,
                "initiative": a.initiative.name,
                "state": a.state,
                "granted_cents": a.granted_cents,
                "decided_at": a.decided_at,
            }
            for a in decided
        ],
        "retention": RETENTION_NOTE,
    }


def erase_applications(user) -> None:
    FundApplication.objects.filter(applicant=user).update(applicant=None)
