"""Buurtbudget and the AVG: what a person can download, and what deleting an account does.

Registered in ``BudgetsConfig.ready`` with ``platform.privacy`` (see docs/accounts.md).

Export: the plans the person submitted (content, cost lines, history, assessment
outcome, funding), their edits to other people's plans, the progress updates they
wrote, and, for civil servants, what they did in that role (rounds created, phase
changes, assessment decisions).

Erasure (runs inside the "delete my account" transaction, before the account row is
anonymised): plans, decisions and progress updates are public records and stay; every
nullable link to the person is cleared. ``Plan.submitted_by`` cannot be empty and
keeps pointing at the anonymised account. Personal plans that never became public
(draft or withdrawn, no initiative, no assessment, never funded or voted for) are
deleted with their photos; photos that were replaced by a newer one are deleted too.
The current photo of a public plan and progress-update photos stay (they are part of
the public plan and its timeline).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse

from .models import (
    Assessment,
    BudgetRound,
    PhaseChange,
    Plan,
    PlanStatus,
    PlanVersion,
    ProgressUpdate,
)

# -- export --


def _photo_url(plan: Plan) -> str | None:
    if not plan.photo:
        return None
    return reverse("budgets:plan-photo", kwargs={"slug": plan.budget_round.slug, "pk": plan.pk})


def _plan(plan: Plan, user) -> dict[str, Any]:
    funding = getattr(plan, "funding", None)
    return {
        "round": plan.budget_round.title,
        "title": plan.title,
        "summary": plan.summary,
        "description": plan.description,
        "status": plan.status,
        "status_name": str(plan.get_status_display()),
        "area": plan.area.name if plan.area_id else None,
        "latitude": plan.latitude,
        "longitude": plan.longitude,
        "address": plan.address,
        "initiative": plan.initiative.name if plan.initiative_id else None,
        "partner_organisation": (
            plan.partner_organisation.name if plan.partner_organisation_id else None
        ),
        "photo": _photo_url(plan),
        "photo_description": plan.photo_alt,
        "cost_cents": plan.cost_cents,
        "submitted_cost_cents": plan.submitted_cost_cents,
        "cost_explanation": plan.cost_explanation,
        "public_reason": plan.public_reason,
        "merged_into": plan.merged_into.title if plan.merged_into_id else None,
        "submitted_at": plan.created_at,
        "updated_at": plan.updated_at,
        "assessed_at": plan.assessed_at,
        "cost_lines": [
            {"description": line.description, "amount_cents": line.amount_cents}
            for line in plan.cost_lines.all()
        ],
        # Versions saved by someone else (a fellow initiative member) are the plan's
        # history too, but without that person's identity.
        "versions": [
            {
                "number": version.number,
                "saved_at": version.created_at,
                "by_you": version.created_by_id == user.pk,
                "content": version.data,
            }
            for version in plan.versions.all()
        ],
        "funding": (
            {"amount_cents": funding.amount_cents, "execution_status": funding.status}
            if funding is not None
            else None
        ),
    }


def export_budgets(user) -> dict[str, Any]:
    """Everything in Buurtbudget that is linked to the user, as JSON-safe data."""
    plans = (
        Plan.objects.filter(submitted_by=user)
        .select_related(
            "budget_round", "area", "initiative", "partner_organisation", "merged_into", "funding"
        )
        .prefetch_related("cost_lines", "versions")
        .order_by("created_at", "pk")
    )
    edits = (
        PlanVersion.objects.filter(created_by=user)
        .exclude(plan__submitted_by=user)
        .select_related("plan__budget_round")
        .order_by("created_at", "pk")
    )
    updates = (
        ProgressUpdate.objects.filter(author=user)
        .select_related("funded_plan__plan__budget_round")
        .order_by("created_at", "pk")
    )
    assessments = (
        Assessment.objects.filter(assessor=user)
        .select_related("plan__budget_round", "merged_into")
        .order_by("created_at", "pk")
    )
    phase_changes = (
        PhaseChange.objects.filter(changed_by=user)
        .select_related("budget_round")
        .order_by("changed_at", "pk")
    )
    return {
        "plans": [_plan(plan, user) for plan in plans],
        "edits_to_other_plans": [
            {
                "round": version.plan.budget_round.title,
                "plan": version.plan.title,
                "version": version.number,
                "saved_at": version.created_at,
                "content": version.data,
            }
            for version in edits
        ],
        "progress_updates": [
            {
                "round": update.funded_plan.plan.budget_round.title,
                "plan": update.funded_plan.plan.title,
                "date": update.happened_on,
                "text": update.text,
                "status": update.status,
                "photo": (
                    reverse(
                        "budgets:progress-photo",
                        kwargs={
                            "slug": update.funded_plan.plan.budget_round.slug,
                            "pk": update.funded_plan.plan_id,
                            "update_pk": update.pk,
                        },
                    )
                    if update.photo
                    else None
                ),
                "photo_description": update.photo_alt,
                "written_at": update.created_at,
            }
            for update in updates
        ],
        "rounds_created": [
            {"round": budget_round.title, "created_at": budget_round.created_at}
            for budget_round in BudgetRound.objects.filter(created_by=user).order_by(
                "created_at", "pk"
            )
        ],
        "phase_changes": [
            {
                "round": change.budget_round.title,
                "from": change.from_phase,
                "to": change.to_phase,
                "changed_at": change.changed_at,
                "note": change.note,
            }
            for change in phase_changes
        ],
        "assessments": [
            {
                "round": a.plan.budget_round.title,
                "plan": a.plan.title,
                "decision": a.status,
                "public_reason": a.public_reason,
                "cost_before_cents": a.cost_before_cents,
                "cost_after_cents": a.cost_after_cents,
                "cost_explanation": a.cost_explanation,
                "merged_into": a.merged_into.title if a.merged_into_id else None,
                "assessed_at": a.created_at,
            }
            for a in assessments
        ],
    }


# -- erasure --

#: Statuses of plans that are not (or no longer) shown to the public.
UNPUBLISHED = (PlanStatus.DRAFT, PlanStatus.WITHDRAWN)


def _version_photos(plans) -> set[str]:
    names = PlanVersion.objects.filter(plan__in=plans).values_list("data__photo", flat=True)
    return {name for name in names if name}


def _delete_files_after_commit(names: set[str]) -> None:
    """Delete stored files once the transaction is committed (a rollback keeps them)."""
    if not names:
        return
    storage = Plan._meta.get_field("photo").storage

    def delete() -> None:
        for name in sorted(names):
            storage.delete(name)

    transaction.on_commit(delete)


def erase_budgets(user) -> dict[str, int]:
    """Clear the person's links and remove what never became public; returns counts."""
    counts = {
        "plan_versions": PlanVersion.objects.filter(created_by=user).update(created_by=None),
        "progress_updates": ProgressUpdate.objects.filter(author=user).update(author=None),
        "assessments": Assessment.objects.filter(assessor=user).update(assessor=None),
        "phase_changes": PhaseChange.objects.filter(changed_by=user).update(changed_by=None),
        "rounds": BudgetRound.objects.filter(created_by=user).update(created_by=None),
    }
    own_plans = Plan.objects.filter(submitted_by=user)
    # Every photo the person's plans ever had: the current ones and those in the history.
    files = _version_photos(own_plans)
    files |= {name for name in own_plans.values_list("photo", flat=True) if name}
    deleted = 0
    candidates = own_plans.filter(
        status__in=UNPUBLISHED,
        initiative__isnull=True,
        assessments__isnull=True,
        merged_plans__isnull=True,
    ).distinct()
    for plan in candidates:
        try:
            with transaction.atomic():
                plan.delete()
        except ProtectedError:  # voted for or funded: a public record after all
            continue
        deleted += 1
    counts["unpublished_plans_deleted"] = deleted
    # Files still in use (the current photo of a kept plan, or any other row) stay.
    in_use = set(Plan.objects.filter(photo__in=files).values_list("photo", flat=True))
    in_use |= set(ProgressUpdate.objects.filter(photo__in=files).values_list("photo", flat=True))
    _delete_files_after_commit(files - in_use)
    counts["photos_deleted"] = len(files - in_use)
    return counts
