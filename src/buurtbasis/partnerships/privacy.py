"""Partnerships and the AVG.

A person's pulse answers are exported; erasing keeps the scores anonymously (they stay
in the means of their side) and removes the person, the choice to show the name and the
open text. Follow-up actions lose their owner.
"""

from __future__ import annotations

from typing import Any

from .models import FollowUpAction, Partnership, PulseAnswer
from .services import erase_actions, erase_answers


def export_partnerships(user) -> dict[str, Any]:
    answers = PulseAnswer.objects.filter(person=user).select_related(
        "pulse_round__partnership", "side__organisation"
    )
    actions = FollowUpAction.objects.filter(owner=user).select_related("partnership")
    return {
        "partnerships_created": list(
            Partnership.objects.filter(created_by=user).values_list("title", flat=True)
        ),
        "pulse_answers": [
            {
                "partnership": a.pulse_round.partnership.title,
                "round": a.pulse_round.number,
                "side": a.side.name,
                "answered": a.answered_at,
                "scores": a.scores,
                "open_answer": a.open_text,
                "shown_with_name": a.show_name,
            }
            for a in answers
        ],
        "follow_up_actions": [
            {
                "partnership": a.partnership.title,
                "what": a.text,
                "before": a.due_on,
                "done": a.done_at,
            }
            for a in actions
        ],
    }


def erase_partnerships(user) -> None:
    erase_answers(user)
    erase_actions(user)
