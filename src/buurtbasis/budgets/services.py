"""Every write to budget rounds, plans, outcomes and execution goes through here.

Functions take keyword-only arguments and raise :class:`BudgetError` (a message for
people plus a stable ``code``) when something is not allowed.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from buurtbasis.areas.models import Area, AreaLevel
from buurtbasis.platform import notifications, uploads
from buurtbasis.platform.audit import record_event
from buurtbasis.platform.forms import typed_text_problem

from . import access, signals
from .maps import location_picker
from .models import (
    PHASE_ORDER,
    Assessment,
    AssessmentCriterion,
    BallotType,
    BudgetRound,
    CategoryBudget,
    Completion,
    CountStatus,
    CriterionCheck,
    ExecutionStatus,
    FundedPlan,
    Outcome,
    Phase,
    PhaseChange,
    PhaseKind,
    Plan,
    PlanCategory,
    PlanCostLine,
    PlanNote,
    PlanQuestion,
    PlanStatus,
    PlanVersion,
    ProgressUpdate,
    Rule,
    draw_seed,
)
from .queries import lacks_support, support_count  # noqa: F401

logger = logging.getLogger(__name__)


class BudgetError(Exception):
    """A domain rule was broken; ``message`` is meant for people."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def _audit(*, actor, action: str, target, data: dict | None = None) -> None:
    """Append to the platform's audit trail (decisions and money are always recorded)."""
    record_event(actor=actor, action=action, target=target, details=data or {})


# ---------------------------------------------------------------------------------------------
# Rounds
# ---------------------------------------------------------------------------------------------


@dataclass
class RoundData:
    title: str
    description: str
    areas: Sequence
    organisation: object
    budget_cents: int
    ballot_type: str = BallotType.APPROVAL
    max_choices: int | None = None
    min_spend_cents: int | None = None
    points_total: int | None = None
    max_points_per_plan: int | None = None
    rule: str = Rule.MES
    completion: str = Completion.ADD1
    tie_break: str = "cost-votes"
    min_voter_age: int = 12
    allow_code_voting: bool = True
    allow_account_voting: bool = False
    is_public: bool = True
    supporters_needed: int | None = None
    leftover_text: str = ""
    # phase kind -> (starts_at, ends_at or None)
    schedule: dict[str, tuple[datetime, datetime | None]] = field(default_factory=dict)
    # the round's assessment criteria in order (None: leave them as they are)
    criteria: list[str] | None = None
    # category -> the most spent on its plans, in cents (greedy only; None: leave as is)
    category_budgets: dict[str, int] | None = None


ROUND_FIELDS = [
    "title",
    "description",
    "organisation",
    "budget_cents",
    "ballot_type",
    "max_choices",
    "min_spend_cents",
    "points_total",
    "max_points_per_plan",
    "rule",
    "completion",
    "tie_break",
    "min_voter_age",
    "allow_code_voting",
    "allow_account_voting",
    "supporters_needed",
    "leftover_text",
]

# Settings that decide the outcome may not change once voting has started.
LOCKED_AFTER_VOTING = {
    "budget_cents",
    "ballot_type",
    "max_choices",
    "min_spend_cents",
    "points_total",
    "max_points_per_plan",
    "rule",
    "completion",
    "tie_break",
}


def _check_areas_in_municipality(data: RoundData) -> None:
    """A round's areas lie in its municipality (the gemeente areas of its organisation).

    Organisations without a gemeente area (set up before there were several
    municipalities) are not checked.
    """
    codes = list(
        data.organisation.areas.filter(level=AreaLevel.MUNICIPALITY).values_list("code", flat=True)
    )
    if not codes:
        return
    allowed = Area.objects.none()
    for code in codes:
        allowed |= Area.objects.in_municipality(code)
    ids = {a.pk for a in data.areas}
    inside = set(allowed.filter(pk__in=ids).values_list("pk", flat=True))
    outside = [a for a in data.areas if a.pk not in inside]
    if outside:
        raise BudgetError(
            _("%(area)s is not in the municipality of %(organisation)s.")
            % {"area": outside[0].name, "organisation": data.organisation.name},
            code="areas",
        )


def _check_round_data(data: RoundData) -> None:
    if data.budget_cents <= 0:
        raise BudgetError(_("The budget must be more than zero."), code="budget")
    if data.ballot_type == BallotType.APPROVAL and not data.max_choices:
        raise BudgetError(_("Say how many plans a voter may choose."), code="max_choices")
    if data.ballot_type == BallotType.POINTS and not data.points_total:
        raise BudgetError(_("Say how many points a voter may give."), code="points_total")
    if data.min_spend_cents and data.min_spend_cents > data.budget_cents:
        raise BudgetError(_("The minimum spend cannot be more than the budget."), code="min_spend")
    if data.rule == Rule.GREEDY and data.completion != Completion.NONE:
        raise BudgetError(
            _("Completion (Add1) only applies to the Method of Equal Shares."),
            code="completion",
        )
    if not data.allow_code_voting and not data.allow_account_voting:
        raise BudgetError(
            _("Allow voting with a code letter, with an account, or both."), code="voting"
        )
    _check_category_budgets(data)
    if not data.areas:
        raise BudgetError(_("Choose at least one area."), code="areas")
    _check_areas_in_municipality(data)
    previous_start = None
    for kind in PHASE_ORDER:
        if kind not in data.schedule:
            continue
        starts_at, ends_at = data.schedule[kind]
        if ends_at is not None and ends_at <= starts_at:
            raise BudgetError(
                _("A phase must end after it starts (%(phase)s).")
                % {"phase": PhaseKind(kind).label},
                code="schedule",
            )
        if previous_start is not None and starts_at < previous_start:
            raise BudgetError(
                _("The phases must follow each other in time (%(phase)s starts too early).")
                % {"phase": PhaseKind(kind).label},
                code="schedule",
            )
        previous_start = starts_at


#: Slugs that are URL segments of their own under /buurtbudget/.
RESERVED_SLUGS = {"nieuw", "mijn-plannen"}


def _unique_slug(title: str) -> str:
    base = slugify(title)[:100] or "ronde"
    if base in RESERVED_SLUGS:
        base = f"{base}-ronde"
    slug, n = base, 2
    while BudgetRound.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _save_schedule(budget_round: BudgetRound, schedule) -> None:
    for kind in PHASE_ORDER:
        if kind in schedule:
            starts_at, ends_at = schedule[kind]
            Phase.objects.update_or_create(
                budget_round=budget_round,
                kind=kind,
                defaults={"starts_at": starts_at, "ends_at": ends_at},
            )
        else:
            Phase.objects.filter(budget_round=budget_round, kind=kind).delete()


@transaction.atomic
def create_round(*, data: RoundData, actor, slug: str | None = None) -> BudgetRound:
    """Create a round in its submission phase; the tie-break seed is drawn here, once."""
    if not access.can_create_round(actor) and actor is not None:
        raise BudgetError(_("You may not create budget rounds."), code="forbidden")
    _check_round_data(data)
    budget_round = BudgetRound(
        slug=slug or _unique_slug(data.title),
        created_by=actor,
        phase=PhaseKind.SUBMISSION,
        tie_break_seed=draw_seed(),
        # visibility is set when the round is made and then only by publish_round
        is_public=data.is_public,
        **{name: getattr(data, name) for name in ROUND_FIELDS},
    )
    budget_round.save()
    budget_round.areas.set(data.areas)
    _save_schedule(budget_round, data.schedule)
    _save_criteria(budget_round, data.criteria)
    _save_category_budgets(budget_round, data.category_budgets)
    PhaseChange.objects.create(
        budget_round=budget_round,
        from_phase="",
        to_phase=PhaseKind.SUBMISSION,
        changed_by=actor,
        note="created",
    )
    _audit(actor=actor, action="budgets.round_created", target=budget_round)
    return budget_round


@transaction.atomic
def update_round(*, budget_round: BudgetRound, data: RoundData, actor) -> BudgetRound:
    """Change a round's settings; the rule and ballot are locked once voting has begun."""
    budget_round = BudgetRound.objects.select_for_update().get(pk=budget_round.pk)
    _check_round_data(data)
    changed = [n for n in ROUND_FIELDS if getattr(budget_round, n) != getattr(data, n)]
    if budget_round.phase_index() >= PHASE_ORDER.index(PhaseKind.VOTING):
        locked = sorted(set(changed) & LOCKED_AFTER_VOTING)
        if locked:
            logger.info("locked fields changed: %s", locked)
            raise BudgetError(
                _("Voting has started: the budget, ballot and rule can no longer change."),
                code="locked",
            )
    for name in changed:
        setattr(budget_round, name, getattr(data, name))
    budget_round.save()
    budget_round.areas.set(data.areas)
    _save_schedule(budget_round, data.schedule)
    if _save_criteria(budget_round, data.criteria):
        changed.append("criteria")
    if data.category_budgets is not None and data.category_budgets != category_budgets_of(
        budget_round
    ):
        if budget_round.phase_index() >= PHASE_ORDER.index(PhaseKind.VOTING):
            raise BudgetError(
                _("Voting has started: the budgets per category can no longer change."),
                code="locked",
            )
        _save_category_budgets(budget_round, data.category_budgets)
        changed.append("category_budgets")
    _audit(
        actor=actor,
        action="budgets.round_updated",
        target=budget_round,
        data={"fields": changed},
    )
    return budget_round


def reschedule_round(*, budget_round: BudgetRound, schedule) -> None:
    """Replace a round's phase dates (for demo data and imports; the phase itself is kept)."""
    _save_schedule(budget_round, schedule)


def next_phase(phase: str) -> str | None:
    i = PHASE_ORDER.index(phase)
    return PHASE_ORDER[i + 1] if i + 1 < len(PHASE_ORDER) else None


@transaction.atomic
def advance_phase(
    *, budget_round: BudgetRound, actor=None, to_phase: str | None = None, scheduled=False
) -> BudgetRound:
    """Move a round to its next phase (only forwards, one step at a time) and log it.

    Entering *results* asks for the count (``signals.count_requested``): it runs in
    the background after this transaction commits, and the round shows its progress.
    The round moves on to *execution* only once it has been counted.
    """
    budget_round = BudgetRound.objects.select_for_update().get(pk=budget_round.pk)
    target = next_phase(budget_round.phase)
    if target is None:
        raise BudgetError(_("This round is already in its last phase."), code="last_phase")
    if to_phase is not None and to_phase != target:
        raise BudgetError(_("The round can only move on to the next phase."), code="not_next")
    if target == PhaseKind.VOTING and not budget_round.plans.on_ballot().exists():
        raise BudgetError(
            _("Voting cannot start: no plan has been marked feasible yet."),
            code="no_feasible_plans",
        )
    if (
        target == PhaseKind.VOTING
        and budget_round.plans.filter(status=PlanStatus.SUBMITTED).exists()
    ):
        raise BudgetError(
            _("Voting cannot start: some plans have not been assessed yet."),
            code="unassessed_plans",
        )
    if target == PhaseKind.RESULTS:
        blockers = voting_close_blockers(budget_round)
        if blockers:
            raise BudgetError(
                " ".join([str(_("Voting cannot close yet.")), *(str(b["text"]) for b in blockers)]),
                code="voting_close_blocked",
            )
    if target == PhaseKind.EXECUTION and budget_round.count_status != CountStatus.DONE:
        raise BudgetError(
            _("The outcome has not been computed yet. Wait until the count is done."),
            code="not_counted",
        )
    previous = budget_round.phase
    budget_round.phase = target
    budget_round.save(update_fields=["phase", "updated_at"])
    PhaseChange.objects.create(
        budget_round=budget_round,
        from_phase=previous,
        to_phase=target,
        changed_by=actor,
        scheduled=scheduled,
    )
    _audit(
        actor=actor,
        action="budgets.phase_changed",
        target=budget_round,
        data={"from": previous, "to": target, "scheduled": scheduled},
    )
    if target == PhaseKind.RESULTS:
        _request_count(budget_round, actor=actor, reason="voting_closed")
    notifications.notify_followers(
        budget_round,
        "budgets.phase_changed",
        {
            "budget_round": budget_round,
            "old_phase": PhaseKind(previous).label,
            "phase": PhaseKind(target).label,
            "link": budget_round.get_absolute_url(),
        },
        municipality=budget_round.municipality_code(),
        exclude=[actor],
    )
    return budget_round


def voting_close_blockers(budget_round: BudgetRound) -> list[dict]:
    """Why voting cannot close yet, asked from the apps above (``signals.voting_close_blockers``).

    Each reason is ``{"text": ..., "url": ...}``; an empty list means the vote may close.
    Closing publishes the outcome and its hash, so nothing may still change the ballots.
    """
    reasons: list[dict] = []
    for _receiver, answer in signals.voting_close_blockers.send(
        sender=BudgetRound, budget_round=budget_round
    ):
        reasons.extend(answer or [])
    return reasons


def due_phase(budget_round: BudgetRound, *, now: datetime) -> str | None:
    """The latest phase whose start date has passed, when it is ahead of the current one."""
    current = budget_round.phase_index()
    due = None
    for phase in budget_round.phases.all():
        index = PHASE_ORDER.index(phase.kind)
        if (
            phase.starts_at <= now
            and index > current
            and (due is None or index > PHASE_ORDER.index(due))
        ):
            due = phase.kind
    return due


def advance_due_phases(*, now: datetime | None = None) -> list[tuple[BudgetRound, str, str]]:
    """Move every round whose next phase has started (for a scheduled task). Idempotent.

    Returns ``(round, from, to_or_error)`` per round that changed or could not change.
    """
    now = now or timezone.now()
    report = []
    for budget_round in BudgetRound.objects.exclude(phase=PhaseKind.EXECUTION).prefetch_related(
        "phases"
    ):
        target = due_phase(budget_round, now=now)
        if target is None:
            continue
        start = budget_round.phase
        try:
            while budget_round.phase != target:
                budget_round = advance_phase(budget_round=budget_round, scheduled=True)
        except BudgetError as exc:
            report.append((budget_round, start, f"error: {exc.code}"))
            continue
        report.append((budget_round, start, budget_round.phase))
    return report


# ---------------------------------------------------------------------------------------------
# Plans
# ---------------------------------------------------------------------------------------------


@dataclass
class PlanData:
    title: str
    summary: str
    description: str
    area: object = None
    latitude: object = None
    longitude: object = None
    address: str = ""
    initiative: object = None
    partner_organisation: object = None
    photo: object = None  # an uploaded file, or None to keep the current photo
    photo_alt: str = ""
    remove_photo: bool = False
    category: str = ""
    cost_lines: list[tuple[str, int]] = field(default_factory=list)


PLAN_FIELDS = [
    "title",
    "summary",
    "description",
    "area",
    "latitude",
    "longitude",
    "address",
    "initiative",
    "partner_organisation",
    "photo_alt",
    "category",
]


def plan_snapshot(plan: Plan) -> dict:
    return {
        "title": plan.title,
        "summary": plan.summary,
        "description": plan.description,
        "area": plan.area.name if plan.area_id else None,
        "latitude": str(plan.latitude) if plan.latitude is not None else None,
        "longitude": str(plan.longitude) if plan.longitude is not None else None,
        "address": plan.address,
        "initiative": plan.initiative.name if plan.initiative_id else None,
        "partner_organisation": (
            plan.partner_organisation.name if plan.partner_organisation_id else None
        ),
        "photo": plan.photo.name if plan.photo else None,
        "category": plan.category,
        "cost_lines": [
            {"description": line.description, "amount_cents": line.amount_cents}
            for line in plan.cost_lines.all()
        ],
        "cost_cents": plan.cost_cents,
    }


def _check_plan_data(*, budget_round: BudgetRound, data: PlanData, author) -> None:
    if not data.cost_lines:
        raise BudgetError(_("Add at least one cost line."), code="no_costs")
    total = sum(amount for _desc, amount in data.cost_lines)
    if total > budget_round.budget_cents:
        raise BudgetError(
            _("The plan costs more than the whole budget of the round."), code="too_expensive"
        )
    if (
        data.initiative is not None
        and not access.initiatives_for(author).filter(pk=data.initiative.pk).exists()
    ):
        raise BudgetError(
            _("You can only submit a plan for an initiative you are part of."),
            code="initiative",
        )
    if data.partner_organisation is not None and data.initiative is None:
        raise BudgetError(
            _("A joint plan with an organisation needs an initiative too."), code="joint"
        )
    if data.area is not None and not budget_round.areas.filter(pk=data.area.pk).exists():
        raise BudgetError(_("This area is not part of the round."), code="area")
    if (data.latitude is None) != (data.longitude is None):
        raise BudgetError(_("Give both latitude and longitude, or neither."), code="point")
    if data.latitude is not None and data.longitude is not None:
        picker = location_picker(budget_round)
        if picker is not None and picker.area_at(data.latitude, data.longitude) is None:
            raise BudgetError(
                _("The place on the map lies outside the areas of this round."), code="point"
            )


def _write_plan(plan: Plan, data: PlanData) -> None:
    for name in PLAN_FIELDS:
        setattr(plan, name, getattr(data, name))
    if data.remove_photo and plan.photo:
        plan.photo.delete(save=False)
        plan.photo = ""
    if data.photo is not None:  # never stored byte for byte (GPS in EXIF, polyglots)
        plan.photo = uploads.ensure_clean_image(data.photo)
    total = sum(amount for _desc, amount in data.cost_lines)
    plan.cost_cents = total
    plan.submitted_cost_cents = total


def _save_cost_lines(plan: Plan, lines) -> None:
    plan.cost_lines.all().delete()
    PlanCostLine.objects.bulk_create(
        [PlanCostLine(plan=plan, description=d, amount_cents=a) for d, a in lines]
    )


def _save_version(plan: Plan, actor) -> PlanVersion:
    number = (plan.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return PlanVersion.objects.create(
        plan=plan, number=number, data=plan_snapshot(plan), created_by=actor
    )


#: A person submits at most this many plans per hour (against spam; per account).
MAX_PLANS_PER_HOUR = 10


@transaction.atomic
def submit_plan(*, budget_round: BudgetRound, author, data: PlanData) -> Plan:
    """Submit a new plan while submission is open."""
    if not access.can_submit_plan(author, budget_round):
        raise BudgetError(
            _("Plans can no longer be submitted in this round."), code="submission_closed"
        )
    _check_plan_data(budget_round=budget_round, data=data, author=author)
    recent = Plan.objects.filter(
        submitted_by=author, created_at__gte=timezone.now() - timedelta(hours=1)
    ).count()
    if recent >= MAX_PLANS_PER_HOUR:
        raise BudgetError(
            _("You have submitted many plans in a short time. Try again later."),
            code="rate_limited",
        )
    plan = Plan(budget_round=budget_round, submitted_by=author, status=PlanStatus.SUBMITTED)
    _write_plan(plan, data)
    plan.save()
    _save_cost_lines(plan, data.cost_lines)
    _save_version(plan, author)
    _audit(actor=author, action="budgets.plan_submitted", target=plan)
    return plan


@transaction.atomic
def update_plan(*, plan: Plan, editor, data: PlanData) -> Plan:
    """Edit a plan until the submission deadline; every edit is kept as a version."""
    plan = Plan.objects.select_for_update().select_related("budget_round").get(pk=plan.pk)
    if not access.can_edit_plan(editor, plan):
        raise BudgetError(
            _("This plan can no longer be changed: the submission deadline has passed."),
            code="not_editable",
        )
    _check_plan_data(budget_round=plan.budget_round, data=data, author=editor)
    _write_plan(plan, data)
    plan.save()
    _save_cost_lines(plan, data.cost_lines)
    _save_version(plan, editor)
    return plan


@transaction.atomic
def withdraw_plan(*, plan: Plan, actor) -> Plan:
    plan = Plan.objects.select_for_update().select_related("budget_round").get(pk=plan.pk)
    if not access.can_edit_plan(actor, plan):
        raise BudgetError(_("This plan can no longer be withdrawn."), code="not_editable")
    plan.status = PlanStatus.WITHDRAWN
    plan.save(update_fields=["status", "updated_at"])
    _audit(actor=actor, action="budgets.plan_withdrawn", target=plan)
    notifications.notify_followers(
        plan,
        "budgets.plan_status_changed",
        {"plan": plan, "status": PlanStatus(plan.status).label, "link": plan.get_absolute_url()},
        exclude=[actor],
        municipality=plan.budget_round.municipality_code(),
    )
    return plan


ASSESSABLE_PHASES = (PhaseKind.SUBMISSION, PhaseKind.ASSESSMENT)


def _notify_plan_status(plan: Plan, *, actor) -> None:
    """Tell the submitter (``budgets.plan_assessed``) and the plan's other followers
    (``budgets.plan_status_changed``) about a decision; sent after the commit."""
    context = {
        "plan": plan,
        "status": PlanStatus(plan.status).label,
        "reason": plan.public_reason,
        "link": plan.get_absolute_url(),
    }
    municipality = plan.budget_round.municipality_code()
    if plan.submitted_by_id is not None:
        notifications.notify(
            plan.submitted_by, "budgets.plan_assessed", context, municipality=municipality
        )
    notifications.notify_followers(
        plan,
        "budgets.plan_status_changed",
        context,
        exclude=[actor, plan.submitted_by_id],
        municipality=municipality,
    )


@transaction.atomic
def assess_plan(
    *,
    plan: Plan,
    assessor,
    feasible: bool,
    public_reason: str,
    cost_cents: int | None = None,
    cost_explanation: str = "",
    notify: bool = True,
    criteria_met: Collection[int] = (),
) -> Plan:
    """Mark a plan feasible or not, with a public reason; optionally adjust its cost.

    ``criteria_met`` are the ids of the round's criteria the plan meets; every criterion
    of the round is recorded with the assessment, met or not.

    The submitter gets an e-mail after the transaction commits (``notify=False`` for
    demo data and imports).
    """
    plan = (
        Plan.objects.select_for_update()
        .select_related("budget_round", "submitted_by")
        .get(pk=plan.pk)
    )
    budget_round = plan.budget_round
    if not access.can_manage_round(assessor, budget_round):
        raise BudgetError(_("You may not assess plans in this round."), code="forbidden")
    if budget_round.phase not in ASSESSABLE_PHASES:
        raise BudgetError(
            _("Plans can only be assessed before voting starts."), code="assessment_closed"
        )
    if plan.status in (PlanStatus.MERGED, PlanStatus.WITHDRAWN, PlanStatus.DRAFT):
        raise BudgetError(_("This plan cannot be assessed."), code="not_assessable")
    public_reason = (public_reason or "").strip()
    if not feasible and not public_reason:
        raise BudgetError(
            _("Explain why the plan is not feasible; the reason is public."), code="reason"
        )
    new_cost = plan.cost_cents if cost_cents is None else int(cost_cents)
    if new_cost <= 0:
        raise BudgetError(_("The cost must be more than zero."), code="cost")
    if new_cost != plan.cost_cents and not cost_explanation.strip():
        raise BudgetError(
            _("Explain why the cost was changed; the explanation is public."),
            code="cost_explanation",
        )
    if feasible and new_cost > budget_round.budget_cents:
        raise BudgetError(
            _("A feasible plan cannot cost more than the whole budget."), code="too_expensive"
        )
    if feasible and lacks_support(plan):
        raise BudgetError(
            ngettext(
                "This plan has %(n)s of the %(needed)s supporter the round asks for; "
                "it cannot be found feasible.",
                "This plan has %(n)s of the %(needed)s supporters the round asks for; "
                "it cannot be found feasible.",
                budget_round.supporters_needed,
            )
            % {"n": support_count(plan), "needed": budget_round.supporters_needed},
            code="too_few_supporters",
        )
    decision = Assessment.objects.create(
        plan=plan,
        assessor=assessor,
        status=PlanStatus.FEASIBLE if feasible else PlanStatus.NOT_FEASIBLE,
        public_reason=public_reason,
        cost_before_cents=plan.cost_cents,
        cost_after_cents=new_cost,
        cost_explanation=cost_explanation.strip(),
    )
    checks = _record_criteria(decision, budget_round, criteria_met)
    if new_cost != plan.cost_cents:
        plan.cost_explanation = cost_explanation.strip()
    plan.cost_cents = new_cost
    plan.status = PlanStatus.FEASIBLE if feasible else PlanStatus.NOT_FEASIBLE
    plan.public_reason = public_reason
    plan.assessed_at = timezone.now()
    plan.save(
        update_fields=[
            "status",
            "public_reason",
            "cost_cents",
            "cost_explanation",
            "assessed_at",
            "updated_at",
        ]
    )
    _audit(
        actor=assessor,
        action="budgets.plan_assessed",
        target=plan,
        data={"status": plan.status, "cost_cents": new_cost, "criteria_met": checks},
    )
    if notify:
        _notify_plan_status(plan, actor=assessor)
    return plan


@transaction.atomic
def merge_plans(
    *, duplicate: Plan, keep: Plan, assessor, public_reason: str, notify: bool = True
) -> Plan:
    """Merge a duplicate plan into the plan that is kept (the duplicate leaves the ballot)."""
    duplicate = (
        Plan.objects.select_for_update()
        .select_related("budget_round", "submitted_by")
        .get(pk=duplicate.pk)
    )
    keep = Plan.objects.select_for_update().get(pk=keep.pk)
    budget_round = duplicate.budget_round
    if not access.can_manage_round(assessor, budget_round):
        raise BudgetError(_("You may not assess plans in this round."), code="forbidden")
    if budget_round.phase not in ASSESSABLE_PHASES:
        raise BudgetError(
            _("Plans can only be merged before voting starts."), code="assessment_closed"
        )
    if keep.pk == duplicate.pk or keep.budget_round_id != duplicate.budget_round_id:
        raise BudgetError(_("Choose another plan of the same round."), code="same_plan")
    if keep.status in (PlanStatus.MERGED, PlanStatus.WITHDRAWN):
        raise BudgetError(
            _("The plan to keep has itself been merged or withdrawn."), code="keep_merged"
        )
    if duplicate.status in (PlanStatus.MERGED, PlanStatus.WITHDRAWN):
        raise BudgetError(_("This plan has already been merged."), code="already_merged")
    public_reason = (public_reason or "").strip() or _(
        "This plan is the same as another plan and has been merged with it."
    )
    Assessment.objects.create(
        plan=duplicate,
        assessor=assessor,
        status=PlanStatus.MERGED,
        public_reason=public_reason,
        cost_before_cents=duplicate.cost_cents,
        cost_after_cents=duplicate.cost_cents,
        merged_into=keep,
    )
    duplicate.status = PlanStatus.MERGED
    duplicate.merged_into = keep
    duplicate.public_reason = public_reason
    duplicate.assessed_at = timezone.now()
    duplicate.save(
        update_fields=["status", "merged_into", "public_reason", "assessed_at", "updated_at"]
    )
    # plans merged into the duplicate earlier now point at the kept plan
    Plan.objects.filter(merged_into=duplicate).update(merged_into=keep)
    _audit(
        actor=assessor,
        action="budgets.plan_merged",
        target=duplicate,
        data={"into": keep.pk},
    )
    if notify:
        _notify_plan_status(duplicate, actor=assessor)
    return duplicate


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


def engine_params(budget_round: BudgetRound) -> dict:
    """The keyword arguments for ``buurtcore.voting.tally`` that this round uses.

    Budgets per category are written into the Pabulib file's META (``categories``,
    ``budget_per_category``; see ``adapters.round_meta``) and read back from there, so
    the published file alone gives the same outcome.
    """
    params = {
        "rule": budget_round.rule,
        "completion": budget_round.completion if budget_round.rule == Rule.MES else Completion.NONE,
        "tie_break": budget_round.tie_break,
        "seed": budget_round.tie_break_seed,
    }
    if budget_round.rule == Rule.GREEDY and budget_round.category_budgets.exists():
        params["category_budgets"] = "meta"
    return params


def recompute_command(budget_round: BudgetRound, filename: str) -> str:
    p = engine_params(budget_round)
    categories = " --category-budgets meta" if p.get("category_budgets") else ""
    return (
        f"buurtbasis pb tally {filename} --rule {p['rule']} --completion {p['completion']} "
        f"--tie-break {p['tie_break']} --seed {p['seed']}{categories} --json"
    )


def pabulib_filename(budget_round: BudgetRound) -> str:
    return f"{budget_round.slug}.pb"


# Counting itself runs in a background task owned by ``ballots.counting`` (the app that
# holds the ballots). This app keeps the state of the count on the round and stores
# the outcome; it asks for a count by announcing ``signals.count_requested``.

COUNT_FIELDS = [
    "count_status",
    "count_request",
    "count_error",
    "count_requested_at",
    "count_started_at",
    "count_finished_at",
    "updated_at",
]


def _request_count(budget_round: BudgetRound, *, actor, reason: str) -> BudgetRound:
    """Mark a locked round as waiting for a count and announce it (inside the transaction)."""
    budget_round.count_request += 1
    budget_round.count_status = CountStatus.PENDING
    budget_round.count_error = ""
    budget_round.count_requested_at = timezone.now()
    budget_round.count_started_at = None
    budget_round.count_finished_at = None
    budget_round.save(update_fields=COUNT_FIELDS)
    _audit(
        actor=actor,
        action="budgets.count_requested",
        target=budget_round,
        data={"request": budget_round.count_request, "reason": reason},
    )
    answered = signals.count_requested.send(
        sender=BudgetRound,
        budget_round=budget_round,
        request=budget_round.count_request,
        actor=actor if getattr(actor, "pk", None) else None,
    )
    if not answered:  # pragma: no cover - the ballots app is always installed
        logger.error("nobody counts round %s: no receiver for count_requested", budget_round.pk)
    return budget_round


@transaction.atomic
def request_count(*, budget_round: BudgetRound, actor=None, reason: str = "recount") -> BudgetRound:
    """Ask for the outcome of a closed round to be computed (again) in the background.

    Used for "compute again" and for retrying a failed count. Counting the same
    ballots again gives the same outcome, so this is always safe.
    """
    budget_round = BudgetRound.objects.select_for_update().get(pk=budget_round.pk)
    if not budget_round.has_results():
        raise BudgetError(
            _("The outcome can only be computed after voting has closed."), code="not_closed"
        )
    return _request_count(budget_round, actor=actor, reason=reason)


@transaction.atomic
def start_count(*, round_id: int, request: int) -> BudgetRound | None:
    """A count task begins: mark the round as being counted.

    Returns None when there is nothing to do: a newer request replaced this one, or
    this request was counted already (a duplicate or repeated task).
    """
    budget_round = BudgetRound.objects.select_for_update().filter(pk=round_id).first()
    if budget_round is None or budget_round.count_request != request:
        return None
    if budget_round.count_status == CountStatus.DONE:
        return None
    if not budget_round.has_results():
        raise BudgetError(
            _("The outcome can only be computed after voting has closed."), code="not_closed"
        )
    budget_round.count_status = CountStatus.RUNNING
    budget_round.count_error = ""
    budget_round.count_started_at = timezone.now()
    budget_round.count_finished_at = None
    budget_round.save(update_fields=COUNT_FIELDS)
    return budget_round


@transaction.atomic
def fail_count(*, round_id: int, request: int, error: str) -> None:
    """Record that the count for this request failed (the civil servant sees it)."""
    budget_round = BudgetRound.objects.select_for_update().filter(pk=round_id).first()
    if budget_round is None or budget_round.count_request != request:
        return
    budget_round.count_status = CountStatus.FAILED
    budget_round.count_error = error[:2000]
    budget_round.count_finished_at = timezone.now()
    budget_round.save(update_fields=COUNT_FIELDS)


@transaction.atomic
def save_outcome(*, round_id: int, request: int, values: dict, actor=None) -> Outcome | None:
    """Store a computed outcome, its funded plans and the audit line; the count is done.

    ``values`` are the :class:`Outcome` fields the engine produced (see
    ``adapters.outcome_values``). Saving the same values again keeps the original row
    and its ``computed_at`` (deterministic and idempotent). Returns None when a newer
    request replaced this one while it was counting (that count will store its own).
    """
    budget_round = BudgetRound.objects.select_for_update().filter(pk=round_id).first()
    if budget_round is None or budget_round.count_request != request:
        return None
    budget_round.count_status = CountStatus.DONE
    budget_round.count_error = ""
    budget_round.count_finished_at = timezone.now()
    budget_round.save(update_fields=COUNT_FIELDS)
    funded = list(values["funded_plan_ids"])
    existing = Outcome.objects.filter(budget_round=budget_round).first()
    if existing is not None and all(getattr(existing, k) == v for k, v in values.items()):
        return existing  # nothing changed: keep the original computed_at
    result, _created = Outcome.objects.update_or_create(
        budget_round=budget_round, defaults={**values, "computed_at": timezone.now()}
    )
    _sync_funded_plans(budget_round, funded)
    _audit(
        actor=actor,
        action="budgets.outcome_computed",
        target=budget_round,
        data={"funded": funded, "sha256": values["pabulib_sha256"]},
    )
    return result


def _sync_funded_plans(budget_round: BudgetRound, funded: list[int]) -> None:
    plans = {p.pk: p for p in Plan.objects.filter(pk__in=funded)}
    for pid in funded:
        plan = plans[pid]
        FundedPlan.objects.get_or_create(
            plan=plan,
            defaults={
                "budget_round": budget_round,
                "amount_cents": plan.cost_cents,
                "initiative": plan.initiative,
            },
        )
    # a recount that no longer funds a plan removes its record only if nothing happened yet
    FundedPlan.objects.filter(budget_round=budget_round, updates__isnull=True).exclude(
        plan_id__in=funded
    ).delete()


# ---------------------------------------------------------------------------------------------
# Execution
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def add_progress_update(
    *,
    funded_plan: FundedPlan,
    author,
    happened_on: date,
    text: str,
    status: str,
    photo=None,
    photo_alt: str = "",
) -> ProgressUpdate:
    """Add a public step to a funded plan's timeline and set its execution status."""
    funded_plan = (
        FundedPlan.objects.select_for_update()
        .select_related("budget_round", "plan")
        .get(pk=funded_plan.pk)
    )
    budget_round = funded_plan.budget_round
    allowed = access.can_manage_round(author, budget_round) or access.is_plan_owner(
        author, funded_plan.plan
    )
    if not allowed:
        raise BudgetError(_("You may not post updates for this plan."), code="forbidden")
    if not budget_round.has_results():
        raise BudgetError(_("The results are not known yet."), code="no_results")
    if status not in ExecutionStatus.values:
        raise BudgetError(_("Choose a valid status."), code="status")
    if not text.strip():
        raise BudgetError(_("Describe what happened."), code="text")
    if happened_on > timezone.localdate():
        raise BudgetError(_("The date cannot be in the future."), code="date")
    update = ProgressUpdate.objects.create(
        funded_plan=funded_plan,
        happened_on=happened_on,
        text=text.strip(),
        status=status,
        photo=uploads.ensure_clean_image(photo) if photo else "",
        photo_alt=photo_alt,
        author=author,
    )
    if funded_plan.status != status:
        funded_plan.status = status
        funded_plan.save(update_fields=["status", "updated_at"])
    _audit(
        actor=author,
        action="budgets.progress_update",
        target=funded_plan.plan,
        data={"status": status},
    )
    return update


# ---------------------------------------------------------------------------------------------
# Civil servants: publishing, criteria, internal notes, questions to the submitter
# ---------------------------------------------------------------------------------------------

#: At most this many criteria per round, each at most this long.
MAX_CRITERIA = 20
MAX_CRITERION_LENGTH = 200


def _save_criteria(budget_round: BudgetRound, texts: list[str] | None) -> bool:
    """Replace the round's criteria by ``texts`` (in order); True when they changed.

    A criterion whose text stays keeps its row; earlier assessments keep the text they
    were checked against.
    """
    if texts is None:
        return False
    wanted = []
    for text in texts:
        text = " ".join(text.split())
        if text and text not in wanted:
            wanted.append(text)
    if len(wanted) > MAX_CRITERIA:
        raise BudgetError(
            _("A round can have at most %(n)s criteria.") % {"n": MAX_CRITERIA}, code="criteria"
        )
    if any(len(text) > MAX_CRITERION_LENGTH for text in wanted):
        raise BudgetError(
            ngettext(
                "A criterion can be at most %(n)s character long.",
                "A criterion can be at most %(n)s characters long.",
                MAX_CRITERION_LENGTH,
            )
            % {"n": MAX_CRITERION_LENGTH},
            code="criteria",
        )
    current = {c.text: c for c in budget_round.criteria.all()}
    if list(current) == wanted:
        return False
    budget_round.criteria.exclude(text__in=wanted).delete()
    for position, text in enumerate(wanted):
        criterion = current.get(text)
        if criterion is None:
            AssessmentCriterion.objects.create(
                budget_round=budget_round, text=text, position=position
            )
        elif criterion.position != position:
            criterion.position = position
            criterion.save(update_fields=["position"])
    return True


def _record_criteria(
    decision: Assessment, budget_round: BudgetRound, criteria_met: Collection[int]
) -> list[int]:
    """One check per criterion of the round; returns the ids of the criteria met."""
    criteria = list(budget_round.criteria.all())
    known = {c.pk for c in criteria}
    met = {int(pk) for pk in criteria_met}
    if met - known:
        raise BudgetError(_("Tick only criteria of this round."), code="criteria")
    CriterionCheck.objects.bulk_create(
        [
            CriterionCheck(assessment=decision, criterion=c, text=c.text, met=c.pk in met)
            for c in criteria
        ]
    )
    return sorted(met)


@transaction.atomic
def publish_round(*, budget_round: BudgetRound, actor) -> BudgetRound:
    """Make a draft round visible to everyone (lists, its pages, following, voting)."""
    budget_round = BudgetRound.objects.select_for_update().get(pk=budget_round.pk)
    if not access.can_manage_round(actor, budget_round):
        raise BudgetError(_("You may not publish this round."), code="forbidden")
    if budget_round.is_public:
        raise BudgetError(_("This round has already been published."), code="published")
    budget_round.is_public = True
    budget_round.save(update_fields=["is_public", "updated_at"])
    _audit(actor=actor, action="budgets.round_published", target=budget_round)
    return budget_round


#: Notes, questions and answers are at most this long.
MAX_NOTE_LENGTH = 5000


def clean_text(
    value: str, *, max_length: int, empty: str, code: str = "empty", single_line: bool = False
) -> str:
    """Text a person typed: not empty, not too long, no invisible control characters."""
    problem = typed_text_problem(value, max_length=max_length, empty=empty, single_line=single_line)
    if problem:
        kind, message, _value = problem
        raise BudgetError(message, code=code if kind == "empty" else kind)
    return (value or "").strip()


@transaction.atomic
def add_internal_note(*, plan: Plan, author, text: str) -> PlanNote:
    """An internal note on a plan; only the round's managers see it (not the submitter)."""
    if not access.can_manage_round(author, plan.budget_round):
        raise BudgetError(_("You may not write notes on this plan."), code="forbidden")
    text = clean_text(text, max_length=MAX_NOTE_LENGTH, empty=_("Write a note."), code="text")
    note = PlanNote.objects.create(plan=plan, author=author, text=text)
    # the audit line says that a note was written, not what it says
    _audit(actor=author, action="budgets.plan_note_added", target=plan, data={"note": note.pk})
    return note


@transaction.atomic
def ask_submitter(*, plan: Plan, asker, question: str) -> PlanQuestion:
    """Ask the submitter a question; they get a notification and answer on the plan page."""
    plan = Plan.objects.select_related("budget_round", "submitted_by").get(pk=plan.pk)
    if not access.can_manage_round(asker, plan.budget_round):
        raise BudgetError(_("You may not ask questions about this plan."), code="forbidden")
    if plan.status in (PlanStatus.MERGED, PlanStatus.WITHDRAWN):
        raise BudgetError(
            _("This plan has been merged or withdrawn; there is nobody to ask."), code="closed"
        )
    question = clean_text(
        question, max_length=MAX_NOTE_LENGTH, empty=_("Write your question."), code="question"
    )
    asked = PlanQuestion.objects.create(plan=plan, asked_by=asker, question=question)
    _audit(
        actor=asker, action="budgets.plan_question_asked", target=plan, data={"question": asked.pk}
    )
    if plan.submitted_by_id is not None:
        notifications.notify(
            plan.submitted_by,
            "budgets.plan_question",
            {"plan": plan, "question": question, "link": plan.get_absolute_url()},
        )
    return asked


@transaction.atomic
def answer_question(*, question: PlanQuestion, answerer, answer: str) -> PlanQuestion:
    """The submitter (or an initiator of the plan's initiative) answers once; the assessors
    see the answer next to the plan."""
    question = (
        PlanQuestion.objects.select_for_update()
        .select_related("plan__budget_round")
        .get(pk=question.pk)
    )
    if not access.is_plan_owner(answerer, question.plan):
        raise BudgetError(_("Only the submitter can answer this question."), code="forbidden")
    if question.is_answered:
        raise BudgetError(_("This question has already been answered."), code="answered")
    question.answer = clean_text(
        answer, max_length=MAX_NOTE_LENGTH, empty=_("Write your answer."), code="answer"
    )
    question.answered_by = answerer
    question.answered_at = timezone.now()
    question.save(update_fields=["answer", "answered_by", "answered_at"])
    _audit(
        actor=answerer,
        action="budgets.plan_question_answered",
        target=question.plan,
        data={"question": question.pk},
    )
    return question


# ---------------------------------------------------------------------------------------------
# Budgets per category (the engine supports them with the greedy rule only)
# ---------------------------------------------------------------------------------------------


def category_budgets_of(budget_round: BudgetRound) -> dict[str, int]:
    """The round's budgets per category, in cents, by category value."""
    return {c.category: c.amount_cents for c in budget_round.category_budgets.all()}


def _check_category_budgets(data: RoundData) -> None:
    if not data.category_budgets:
        return
    if data.rule != Rule.GREEDY:
        raise BudgetError(
            _(
                "Budgets per category only work with “most votes first” (greedy): the "
                "counting of the Method of Equal Shares cannot limit the spending per category."
            ),
            code="category_budgets_rule",
        )
    for category, cents in data.category_budgets.items():
        if category not in PlanCategory.values:
            raise BudgetError(_("Choose a valid category."), code="category")
        if cents <= 0 or cents > data.budget_cents:
            raise BudgetError(
                _("The budget for %(category)s must be more than zero and at most the budget.")
                % {"category": PlanCategory(category).label},
                code="category_budget",
            )


def _save_category_budgets(budget_round: BudgetRound, budgets: dict[str, int] | None) -> None:
    if budgets is None:
        return
    budget_round.category_budgets.exclude(category__in=list(budgets)).delete()
    for category, cents in budgets.items():
        CategoryBudget.objects.update_or_create(
            budget_round=budget_round, category=category, defaults={"amount_cents": cents}
        )


def record_rule_preview(*, budget_round: BudgetRound, actor, source: str | None) -> None:
    """A civil servant looked at what each rule would fund with the support so far
    (while voting is open that is the votes cast so far, so it is on the audit trail)."""
    _audit(
        actor=actor,
        action="budgets.rule_preview_viewed",
        target=budget_round,
        data={"source": source or ""},
    )


# The council report (PDF) is rendered by a background task (``tasks.make_council_report``):
# WeasyPrint needs seconds for a round with hundreds of plans.


def request_council_report(*, budget_round: BudgetRound, outcome, language: str):
    """Ask for the council report of this outcome in this language; returns its row.

    A report that is ready for this outcome, or already being prepared for it, is not
    asked for again (unless its task seems lost: pending for more than 15 minutes).
    """
    from buurtbasis.platform.tasks import enqueue_on_commit

    from .models import CouncilReport, ReportStatus
    from .tasks import make_council_report

    with transaction.atomic():
        report, created = CouncilReport.objects.select_for_update().get_or_create(
            budget_round=budget_round,
            language=language,
            defaults={"requested_for": outcome.computed_at},
        )
        if report.is_ready_for(outcome):
            return report
        waiting = (
            report.status == ReportStatus.PENDING and report.requested_for == outcome.computed_at
        )
        if not created and waiting and not report.is_stuck():
            return report
        report.status = ReportStatus.PENDING
        report.requested_for = outcome.computed_at
        report.requested_at = timezone.now()
        report.error = ""
        report.save()
        enqueue_on_commit(make_council_report, report_id=report.pk)
    return report


def render_council_report(*, report_id: int) -> str:
    """What the report task does: render the PDF of the current outcome and store it."""
    from django.core.files.base import ContentFile
    from django.utils import translation

    from .exports import report_pdf
    from .models import CouncilReport, ReportStatus

    report = CouncilReport.objects.select_related("budget_round").filter(pk=report_id).first()
    if report is None or report.status != ReportStatus.PENDING:
        return "skipped"
    budget_round = report.budget_round
    outcome = Outcome.objects.filter(budget_round=budget_round).first()
    if outcome is None:
        return "skipped"
    try:
        with translation.override(report.language):
            pdf = report_pdf(budget_round, outcome)
    except Exception as exc:
        logger.exception("council report %s failed", report_id)
        CouncilReport.objects.filter(pk=report_id).update(
            status=ReportStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}",
            finished_at=timezone.now(),
        )
        raise
    storage = uploads.private_storage()
    name = storage.save(
        f"reports/{budget_round.slug}-{report.language}-{uuid.uuid4().hex[:12]}.pdf",
        ContentFile(pdf),
    )
    with transaction.atomic():
        current = CouncilReport.objects.select_for_update().get(pk=report_id)
        old = current.file
        current.file = name
        current.status = ReportStatus.DONE
        current.outcome_computed_at = outcome.computed_at
        current.finished_at = timezone.now()
        current.save()
    if old and old != name:
        storage.delete(old)
    return "rendered"
