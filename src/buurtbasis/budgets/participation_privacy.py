"""Supports, comments and reports and the AVG: export and erasure (see ``participation.py``).

Export: the plans the person supports, their comments (with a moderator's public
reason when one was hidden), the comments they reported, and, for civil servants, the
comments they hid.

Erasure (inside the "delete my account" transaction): comments stay under the plan but
no longer point at their author, so they show "deleted user"; supports keep counting
for the plan but point at nobody; reports and moderation acts let go of the person.
"""

from __future__ import annotations

from typing import Any

from .models import CommentReport, PlanComment, PlanSupport


def export_participation(user) -> dict[str, Any]:
    supports = PlanSupport.objects.filter(user=user).select_related("plan__budget_round")
    comments = PlanComment.objects.filter(author=user).select_related("plan__budget_round")
    reports = CommentReport.objects.filter(reporter=user).select_related("comment__plan")
    hidden = PlanComment.objects.filter(hidden_by=user).select_related("plan")
    return {
        "supported_plans": [
            {
                "round": s.plan.budget_round.title,
                "plan": s.plan.title,
                "supported_at": s.created_at,
            }
            for s in supports
        ],
        "comments": [
            {
                "round": c.plan.budget_round.title,
                "plan": c.plan.title,
                "comment": c.body,
                "placed_at": c.created_at,
                "hidden_at": c.hidden_at,
                "hide_reason": c.hide_reason,
            }
            for c in comments
        ],
        "reported_comments": [
            {
                "plan": r.comment.plan.title,
                "reason": r.reason,
                "reported_at": r.created_at,
                "handled_at": r.handled_at,
            }
            for r in reports
        ],
        "comments_hidden_as_moderator": [
            {"plan": c.plan.title, "hidden_at": c.hidden_at, "reason": c.hide_reason}
            for c in hidden
        ],
    }


def erase_participation(user) -> int:
    """Let go of the person everywhere here; returns the number of rows changed."""
    return (
        PlanComment.objects.filter(author=user).update(author=None)
        + PlanSupport.objects.filter(user=user).update(user=None)
        + CommentReport.objects.filter(reporter=user).update(reporter=None)
        + PlanComment.objects.filter(hidden_by=user).update(hidden_by=None)
        + CommentReport.objects.filter(handled_by=user).update(handled_by=None)
    )
