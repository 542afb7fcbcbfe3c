"""Who may do what with budget rounds and plans (named predicates, tested as a matrix).

- Managing a round (set-up, phases, assessment, execution updates): a civil servant of the
  round's municipality, or a platform admin.
- Submitting a plan: any logged-in person while submission is open; on behalf of an
  initiative only for its initiators.
- Editing a plan: its submitter (or an initiator of its initiative) until the deadline.
- Seeing a round and its public plans: everyone, when the round is public.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from buurtbasis.organisations.access import has_role, is_platform_admin, organisations_where
from buurtbasis.organisations.models import Organisation, OrganisationKind, Role

from .models import BudgetRound, PhaseKind, Plan, PlanStatus


def municipalities_managed_by(user) -> list[Organisation]:
    """The municipalities in which the user is a civil servant."""
    return list(
        organisations_where(user, Role.CIVIL_SERVANT).filter(kind=OrganisationKind.MUNICIPALITY)
    )


def can_create_round(user, municipality: str | None = None) -> bool:
    """A platform admin, or a civil servant of a municipality (of the one with this CBS
    code, when given)."""
    if is_platform_admin(user):
        return True
    managed = municipalities_managed_by(user)
    if municipality is not None and managed:
        return (
            Organisation.objects.filter(pk__in=[o.pk for o in managed])
            .in_municipality(municipality)
            .exists()
        )
    return bool(managed)


def can_manage_round(user, budget_round: BudgetRound) -> bool:
    """A civil servant of the round's municipality, or a platform admin."""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_platform_admin(user) or has_role(
        user, Role.CIVIL_SERVANT, budget_round.organisation_id
    )


def can_view_round(user, budget_round: BudgetRound) -> bool:
    return budget_round.is_public or can_manage_round(user, budget_round)


def submission_deadline(budget_round: BudgetRound):
    """The end of the submission phase, or None when it has no end date."""
    for phase in budget_round.phases.all():
        if phase.kind == PhaseKind.SUBMISSION:
            return phase.ends_at
    return None


def is_submission_open(budget_round: BudgetRound, *, now=None) -> bool:
    if budget_round.phase != PhaseKind.SUBMISSION:
        return False
    deadline = submission_deadline(budget_round)
    return deadline is None or (now or timezone.now()) < deadline


def can_submit_plan(user, budget_round: BudgetRound) -> bool:
    return getattr(user, "is_authenticated", False) and is_submission_open(budget_round)


def is_plan_owner(user, plan: Plan) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if plan.submitted_by_id == user.pk:
        return True
    return plan.initiative_id is not None and plan.initiative.members.filter(pk=user.pk).exists()


def can_edit_plan(user, plan: Plan) -> bool:
    return (
        is_plan_owner(user, plan)
        and plan.status in (PlanStatus.DRAFT, PlanStatus.SUBMITTED)
        and is_submission_open(plan.budget_round)
    )


def can_view_plan(user, plan: Plan) -> bool:
    if plan.status in (PlanStatus.DRAFT, PlanStatus.WITHDRAWN):
        return is_plan_owner(user, plan) or can_manage_round(user, plan.budget_round)
    return can_view_round(user, plan.budget_round)


def initiatives_for(user):
    """The initiatives the user may submit a plan for (as an initiator)."""
    from buurtbasis.initiatives.models import Initiative

    if not getattr(user, "is_authenticated", False):
        return Initiative.objects.none()
    return Initiative.objects.filter(Q(members=user) | Q(created_by=user)).distinct()


# -- get_<thing>_for_<role> helpers: raise Http404 / PermissionDenied --


def get_round_for_viewer(user, slug: str, municipality: str | None = None) -> BudgetRound:
    """The round if the user may see it; with a CBS code, only a round of that
    municipality (another municipality's round is a 404, as if it did not exist)."""
    rounds = BudgetRound.objects.select_related("organisation")
    if municipality is not None:
        rounds = rounds.in_municipality(municipality)
    budget_round = rounds.filter(slug=slug).first()
    if budget_round is None or not can_view_round(user, budget_round):
        raise Http404
    return budget_round


def get_round_for_manager(user, slug: str, municipality: str | None = None) -> BudgetRound:
    budget_round = get_round_for_viewer(user, slug, municipality)
    if not can_manage_round(user, budget_round):
        raise PermissionDenied
    return budget_round


def get_plan_for_viewer(user, budget_round: BudgetRound, pk: int) -> Plan:
    plan = (
        Plan.objects.select_related(
            "budget_round",
            "area",
            "submitted_by",
            "initiative",
            "partner_organisation",
            "merged_into",
        )
        .filter(budget_round=budget_round, pk=pk)
        .first()
    )
    if plan is None or not can_view_plan(user, plan):
        raise Http404
    return plan
