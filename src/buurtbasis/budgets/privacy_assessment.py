"""The AVG for the assessment extras: questions to submitters, their answers, internal notes.

Export: the questions the person answered (with the answer), and for civil servants the
questions they asked and the internal notes they wrote. Erasure: the texts stay with
the plan (part of its assessment record); every link to the person is cleared.
Registered in ``BudgetsConfig.ready`` as ``budgets_assessment``.
"""

from __future__ import annotations

from typing import Any

from .models import PlanNote, PlanQuestion


def export_assessment(user) -> dict[str, Any]:
    answered = PlanQuestion.objects.filter(answered_by=user).select_related("plan__budget_round")
    asked = PlanQuestion.objects.filter(asked_by=user).select_related("plan__budget_round")
    notes = PlanNote.objects.filter(author=user).select_related("plan__budget_round")
    return {
        "questions_answered": [
            {
                "round": q.plan.budget_round.title,
                "plan": q.plan.title,
                "question": q.question,
                "answer": q.answer,
                "answered_at": q.answered_at,
            }
            for q in answered.order_by("answered_at", "pk")
        ],
        "questions_asked": [
            {
                "round": q.plan.budget_round.title,
                "plan": q.plan.title,
                "question": q.question,
                "asked_at": q.asked_at,
            }
            for q in asked.order_by("asked_at", "pk")
        ],
        "internal_notes": [
            {
                "round": n.plan.budget_round.title,
                "plan": n.plan.title,
                "note": n.text,
                "written_at": n.created_at,
            }
            for n in notes.order_by("created_at", "pk")
        ],
    }


def erase_assessment(user) -> dict[str, int]:
    return {
        "questions_answered": PlanQuestion.objects.filter(answered_by=user).update(
            answered_by=None
        ),
        "questions_asked": PlanQuestion.objects.filter(asked_by=user).update(asked_by=None),
        "internal_notes": PlanNote.objects.filter(author=user).update(author=None),
    }
