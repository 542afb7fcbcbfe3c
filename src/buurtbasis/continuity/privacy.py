"""Hand-over and continuity and the AVG.

Kept per person: the responses they sent to open roles (with their message) and the
hand-overs they were part of (outgoing or incoming) and the checklist items they ticked.
The export lists them. Erasing an account deletes the person's responses (messages to
initiators are not needed after the choice); hand-over records stay as the history of
the initiative and point to the pseudonymised account, so they no longer name the person.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from .models import ChecklistItem, HandOver, Response


def export_continuity(user) -> dict[str, Any]:
    responses = Response.objects.filter(responder=user).select_related(
        "role__succession__initiative"
    )
    handovers = HandOver.objects.filter(Q(outgoing=user) | Q(incoming=user)).select_related(
        "initiative"
    )
    ticked = ChecklistItem.objects.filter(done_by=user).select_related("handover__initiative")
    return {
        "responses": [
            {
                "initiative": r.role.succession.initiative.name,
                "role": r.role.title,
                "message": r.message,
                "sent": r.created_at,
                "status": r.status,
            }
            for r in responses
        ],
        "handovers": [
            {
                "initiative": h.initiative.name,
                "role": h.role_title,
                "as": "outgoing" if h.outgoing_id == user.pk else "incoming",
                "status": h.status,
                "started": h.started_at,
                "completed": h.completed_at,
            }
            for h in handovers
        ],
        "checklist_items_ticked": [
            {"initiative": i.handover.initiative.name, "item": i.title, "ticked": i.done_at}
            for i in ticked
        ],
    }


def erase_continuity(user) -> None:
    Response.objects.filter(responder=user).delete()
