"""Taking part beyond submitting and voting: supporting plans, comments, reports, moderation.

Services in the sense of ``services.py``: they take plain values and the acting person
(and, for the audit trail, an optional ``Origin``), never a request or a form.

- Supporting: while plans are being submitted, a logged-in person with a verified
  e-mail address may support someone else's plan, and withdraw the support again. A
  round may need ``supporters_needed`` supporters before a plan can be found feasible;
  the submitter hears once when the plan reaches that number.
- Comments: any logged-in person may comment on a public plan (rate-limited); the
  plan's followers hear about it. Anyone logged in may report a comment; the round's
  civil servants hide it (with a public reason) or keep it, both on the audit trail.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from buurtbasis.platform import notifications, ratelimit
from buurtbasis.platform.audit import Origin, record_event
from buurtbasis.platform.models import AuditEvent

from . import access
from .models import CommentReport, Plan, PlanComment, PlanStatus, PlanSupport
from .queries import support_count
from .services import BudgetError, clean_text

COMMENT_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 280
# per person: (attempts, window in seconds)
COMMENT_RATE = (5, 10 * 60)
REPORT_RATE = (10, 60 * 60)
SUPPORT_RATE = (30, 10 * 60)

COMMENTABLE = (
    PlanStatus.SUBMITTED,
    PlanStatus.FEASIBLE,
    PlanStatus.NOT_FEASIBLE,
    PlanStatus.MERGED,
)
SUPPORT_REACHED = "budgets.plan_support_reached"


def _audit(*, actor, action: str, target, origin: Origin | None, data: dict | None = None):
    record_event(actor=actor, action=action, target=target, details=data or {}, origin=origin)


def _require_person(actor, message: str) -> None:
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise BudgetError(message, code="login")


def _rate_limited(scope: str, actor, rate: tuple[int, int]) -> None:
    limit, window = rate
    if not ratelimit.hit(f"budgets.{scope}", str(actor.pk), limit=limit, window=window):
        raise BudgetError(
            _("You have done this many times in a short time. Try again later."),
            code="rate_limited",
        )


# ---------------------------------------------------------------------------------------------
# Supporting a plan
# ---------------------------------------------------------------------------------------------


def can_support(user, plan: Plan) -> bool:
    """Whether ``user`` may support ``plan`` now (the button is shown)."""
    try:
        _check_support(user, plan)
    except BudgetError:
        return False
    return True


def support_open(plan: Plan) -> bool:
    return plan.status == PlanStatus.SUBMITTED and access.is_submission_open(plan.budget_round)


def _check_support(actor, plan: Plan) -> None:
    _require_person(actor, _("Log in to support a plan."))
    if not support_open(plan) or not access.can_view_plan(actor, plan):
        raise BudgetError(
            _("Plans can only be supported while plans are being submitted."), code="closed"
        )
    if not actor.email_verified:
        raise BudgetError(
            _("Confirm your e-mail address first; then you can support plans."),
            code="not_verified",
        )
    if access.is_plan_owner(actor, plan):
        raise BudgetError(_("You cannot support your own plan."), code="own_plan")


@transaction.atomic
def support_plan(*, plan: Plan, actor, origin: Origin | None = None) -> PlanSupport:
    """Support a plan (supporting it twice changes nothing). When the plan reaches the
    round's number of supporters, its submitter hears it, once."""
    # the plan row is locked so that two supports at once count correctly
    plan = (
        Plan.objects.select_for_update()
        .select_related("budget_round", "submitted_by")
        .get(pk=plan.pk)
    )
    _check_support(actor, plan)
    existing = PlanSupport.objects.filter(plan=plan, user=actor).first()
    if existing is not None:
        return existing
    _rate_limited("support", actor, SUPPORT_RATE)
    try:
        with transaction.atomic():
            support = PlanSupport.objects.create(plan=plan, user=actor)
    except IntegrityError:  # a double click that got past the lock
        return PlanSupport.objects.get(plan=plan, user=actor)
    _notify_if_reached(plan, origin=origin)
    return support


def _notify_if_reached(plan: Plan, *, origin: Origin | None) -> None:
    needed = plan.budget_round.supporters_needed
    if not needed or support_count(plan) < needed:
        return
    already = AuditEvent.objects.filter(
        action=SUPPORT_REACHED, object_type=plan._meta.label_lower, object_id=str(plan.pk)
    ).exists()
    if already:  # a support was withdrawn and given again: no second message
        return
    record_event(
        actor=None,
        action=SUPPORT_REACHED,
        target=plan,
        details={"supporters_needed": needed},
        origin=origin,
    )
    notifications.notify(
        plan.submitted_by,
        SUPPORT_REACHED,
        {"plan": plan, "needed": needed, "link": plan.get_absolute_url()},
    )


@transaction.atomic
def withdraw_support(*, plan: Plan, actor) -> bool:
    """Take one's support back while plans are being submitted; False when there was none."""
    _require_person(actor, _("Log in to support a plan."))
    plan = Plan.objects.select_for_update().select_related("budget_round").get(pk=plan.pk)
    if not support_open(plan):
        raise BudgetError(
            _("Support can only be withdrawn while plans are being submitted."), code="closed"
        )
    deleted, _rows = PlanSupport.objects.filter(plan=plan, user=actor).delete()
    return bool(deleted)


# ---------------------------------------------------------------------------------------------
# Comments
# ---------------------------------------------------------------------------------------------


def can_comment(user, plan: Plan) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and plan.status in COMMENTABLE
        and access.can_view_plan(user, plan)
    )


@transaction.atomic
def add_comment(*, plan: Plan, actor, body: str, origin: Origin | None = None) -> PlanComment:
    """Place a comment on a public plan; the plan's followers hear about it."""
    _require_person(actor, _("Log in to place a comment."))
    plan = Plan.objects.select_related("budget_round").get(pk=plan.pk)
    if not can_comment(actor, plan):
        raise BudgetError(_("You cannot comment on this plan."), code="closed")
    body = clean_text(
        body, max_length=COMMENT_MAX_LENGTH, empty=_("Write a comment before you send it.")
    )
    _rate_limited("comment", actor, COMMENT_RATE)
    comment = PlanComment.objects.create(plan=plan, author=actor, body=body)
    notifications.notify_followers(
        plan,
        "budgets.plan_commented",
        {"plan": plan, "link": plan.get_absolute_url() + f"#comment-{comment.pk}"},
        exclude=[actor],
    )
    return comment


def visible_comments(plan: Plan):
    """The comments shown under a plan (hidden ones show only their public reason)."""
    return PlanComment.objects.filter(plan=plan).select_related("author").order_by("created_at")


@transaction.atomic
def report_comment(
    *, comment: PlanComment, actor, reason: str, origin: Origin | None = None
) -> CommentReport:
    """Report a comment to the round's civil servants (once per person until handled)."""
    _require_person(actor, _("Log in to report a comment."))
    comment = PlanComment.objects.select_related("plan__budget_round").get(pk=comment.pk)
    if comment.is_hidden or not access.can_view_plan(actor, comment.plan):
        raise BudgetError(_("This comment cannot be reported."), code="closed")
    reason = clean_text(
        reason,
        max_length=REASON_MAX_LENGTH,
        empty=_("Say briefly what is wrong with this comment."),
        single_line=True,
    )
    existing = CommentReport.objects.filter(
        comment=comment, reporter=actor, handled_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    _rate_limited("report", actor, REPORT_RATE)
    return CommentReport.objects.create(comment=comment, reporter=actor, reason=reason)


def moderation_queue(budget_round):
    """The round's visible comments with open reports, the longest-waiting first."""
    from django.db.models import Count, Exists, Min, OuterRef, Q

    open_reports = Q(reports__handled_at__isnull=True)
    waiting = CommentReport.objects.filter(comment=OuterRef("pk"), handled_at__isnull=True)
    return (
        PlanComment.objects.filter(plan__budget_round=budget_round, hidden_at__isnull=True)
        .filter(Exists(waiting))
        .annotate(
            n_reports=Count("reports", filter=open_reports),
            first_report=Min("reports__created_at", filter=open_reports),
        )
        .select_related("plan", "author")
        .prefetch_related("reports")
        .order_by("first_report", "pk")
    )


def _check_moderator(actor, comment: PlanComment) -> None:
    if not access.can_manage_round(actor, comment.plan.budget_round):
        raise BudgetError(_("You may not moderate comments in this round."), code="forbidden")


def _close_reports(comment: PlanComment, actor) -> int:
    return CommentReport.objects.filter(comment=comment, handled_at__isnull=True).update(
        handled_at=timezone.now(), handled_by=actor
    )


@transaction.atomic
def hide_comment(
    *, comment: PlanComment, actor, reason: str, origin: Origin | None = None
) -> PlanComment:
    """Hide a comment; the page shows "hidden by a moderator: <reason>" in its place."""
    comment = (
        PlanComment.objects.select_for_update()
        .select_related("plan__budget_round")
        .get(pk=comment.pk)
    )
    _check_moderator(actor, comment)
    reason = clean_text(
        reason,
        max_length=REASON_MAX_LENGTH,
        empty=_("Give the reason for hiding; it is shown in place of the comment."),
        single_line=True,
    )
    if comment.is_hidden:
        raise BudgetError(_("This comment has already been hidden."), code="hidden")
    comment.hidden_at = timezone.now()
    comment.hidden_by = actor
    comment.hide_reason = reason
    comment.save(update_fields=["hidden_at", "hidden_by", "hide_reason"])
    handled = _close_reports(comment, actor)
    _audit(
        actor=actor,
        action="budgets.comment_hidden",
        target=comment,
        origin=origin,
        data={"plan": comment.plan_id, "reason": reason, "reports": handled},
    )
    return comment


@transaction.atomic
def keep_comment(*, comment: PlanComment, actor, origin: Origin | None = None) -> int:
    """The comment stays: its open reports are closed. Returns how many."""
    comment = (
        PlanComment.objects.select_for_update()
        .select_related("plan__budget_round")
        .get(pk=comment.pk)
    )
    _check_moderator(actor, comment)
    handled = _close_reports(comment, actor)
    _audit(
        actor=actor,
        action="budgets.comment_kept",
        target=comment,
        origin=origin,
        data={"plan": comment.plan_id, "reports": handled},
    )
    return handled
