"""Buurtbudget: rounds, their dated phases, plans, assessment, outcomes and execution.

Money is stored as integer cents everywhere. The voting itself (codes, ballots) lives
in the ``ballots`` app; this app owns everything around it.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class VotingClosed(ValidationError):
    """Raised when someone tries to vote in a round that is not in its voting phase."""


class PhaseKind(models.TextChoices):
    SUBMISSION = "submission", _("Submitting plans")
    ASSESSMENT = "assessment", _("Assessment")
    VOTING = "voting", _("Voting")
    RESULTS = "results", _("Results")
    EXECUTION = "execution", _("Execution")


PHASE_ORDER = [kind.value for kind in PhaseKind]


class BallotType(models.TextChoices):
    APPROVAL = "approval", _("Choose up to a number of plans")
    KNAPSACK = "knapsack", _("Choose plans within the budget")
    POINTS = "points", _("Distribute points")


class Rule(models.TextChoices):
    GREEDY = "greedy", _("Most votes first (greedy)")
    MES = "mes", _("Method of Equal Shares")


class Completion(models.TextChoices):
    NONE = "none", _("No completion")
    ADD1 = "add1", _("Add1 (raise the voters' budget step by step)")
    ADD1U = "add1u", _("Add1, then fill up with most votes first")


class TieBreak(models.TextChoices):
    LEXICO = "lexico", _("By plan number")
    COST_VOTES = "cost-votes", _("Lowest cost, then most votes, then a lot")


class CountStatus(models.TextChoices):
    """Where the count of a closed round stands (it runs in the background)."""

    NOT_REQUESTED = "", _("Not counted yet")
    PENDING = "pending", _("Waiting to be counted")
    RUNNING = "running", _("Being counted")
    DONE = "done", _("Counted")
    FAILED = "failed", _("Counting failed")


def draw_seed() -> int:
    """A tie-breaking seed, drawn once when a round is created (fits a signed 63-bit int)."""
    return secrets.randbelow(2**62)


class BudgetRoundQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)

    def in_municipality(self, code: str):
        """Rounds in the municipality with this CBS code (their areas lie there)."""
        from buurtbasis.areas.models import Area

        through = BudgetRound.areas.through
        there = through.objects.filter(area__in=Area.objects.in_municipality(code))
        return self.filter(
            models.Q(pk__in=there.values("budgetround_id"))
            | ~models.Q(pk__in=through.objects.values("budgetround_id"))
        )


class BudgetRound(models.Model):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    areas = models.ManyToManyField(
        "areas.Area", verbose_name=_("areas"), related_name="budget_rounds"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="budget_rounds",
    )
    budget_cents = models.BigIntegerField(_("budget (cents)"))
    ballot_type = models.CharField(
        _("ballot type"), max_length=16, choices=BallotType.choices, default=BallotType.APPROVAL
    )
    max_choices = models.PositiveSmallIntegerField(
        _("maximum number of plans"), null=True, blank=True
    )
    min_spend_cents = models.BigIntegerField(_("minimum spend (cents)"), null=True, blank=True)
    points_total = models.PositiveIntegerField(_("points per voter"), null=True, blank=True)
    max_points_per_plan = models.PositiveIntegerField(
        _("maximum points per plan"), null=True, blank=True
    )
    rule = models.CharField(
        _("allocation rule"), max_length=16, choices=Rule.choices, default=Rule.MES
    )
    completion = models.CharField(
        _("completion"), max_length=8, choices=Completion.choices, default=Completion.ADD1
    )
    tie_break = models.CharField(
        _("tie-break"), max_length=16, choices=TieBreak.choices, default=TieBreak.COST_VOTES
    )
    tie_break_seed = models.BigIntegerField(_("tie-break seed"), default=draw_seed, editable=False)
    min_voter_age = models.PositiveSmallIntegerField(_("minimum age to vote"), default=12)
    allow_code_voting = models.BooleanField(_("voting with a code letter"), default=True)
    allow_account_voting = models.BooleanField(_("voting with an account"), default=False)
    phase = models.CharField(
        _("current phase"), max_length=16, choices=PhaseKind.choices, default=PhaseKind.SUBMISSION
    )
    is_public = models.BooleanField(_("visible to everyone"), default=True)
    supporters_needed = models.PositiveIntegerField(
        _("supporters needed before assessment"), null=True, blank=True
    )
    leftover_text = models.TextField(_("what happens to the money left over"), blank=True)
    # The count (MES + Add1 can take seconds) runs in a background task. Every request
    # for a count gets the next number; a task only counts for the request it was
    # enqueued for, so an older or duplicate task never overwrites a newer count.
    count_status = models.CharField(
        _("count status"), max_length=8, choices=CountStatus.choices, blank=True, default=""
    )
    count_request = models.PositiveIntegerField(_("count request number"), default=0)
    count_error = models.TextField(_("count error"), blank=True)
    count_requested_at = models.DateTimeField(_("count requested"), null=True, blank=True)
    count_started_at = models.DateTimeField(_("count started"), null=True, blank=True)
    count_finished_at = models.DateTimeField(_("count finished"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="created_budget_rounds",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = BudgetRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget round")
        verbose_name_plural = _("budget rounds")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(budget_cents__gt=0), name="budget_round_budget_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("budgets:round-detail", kwargs={"slug": self.slug})

    def municipality_code(self) -> str | None:
        """The CBS code of the municipality the round's areas lie in (links in mail)."""
        area = self.areas.order_by("pk").first()
        return area.municipality_code if area is not None else None

    # -- phase helpers (invariants of one row) --

    def is_voting_open(self) -> bool:
        return self.phase == PhaseKind.VOTING

    def ensure_voting_open(self) -> None:
        if not self.is_voting_open():
            raise VotingClosed(_("Voting in this round is closed."), code="voting_closed")

    def is_submission_open(self) -> bool:
        return self.phase == PhaseKind.SUBMISSION

    def phase_index(self) -> int:
        return PHASE_ORDER.index(self.phase)

    def has_results(self) -> bool:
        return self.phase in (PhaseKind.RESULTS, PhaseKind.EXECUTION)

    def is_counting(self) -> bool:
        """A count was asked for and has not finished (or failed) yet."""
        return self.count_status in (CountStatus.PENDING, CountStatus.RUNNING)

    def count_is_stuck(self, *, now=None, after_minutes: int = 15) -> bool:
        """A count that has waited or run for a long time (its worker may have died)."""
        since = self.count_started_at or self.count_requested_at
        if not self.is_counting() or since is None:
            return False
        return (now or timezone.now()) - since > dt.timedelta(minutes=after_minutes)

    def engine_vote_type(self) -> str:
        """The Pabulib ``vote_type`` of this round's ballots."""
        return "cumulative" if self.ballot_type == BallotType.POINTS else "approval"


class Phase(models.Model):
    """The dated schedule of a round: one row per phase kind."""

    budget_round = models.ForeignKey(BudgetRound, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("phase"), max_length=16, choices=PhaseKind.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["budget_round", "kind"], name="unique_phase_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.budget_round}: {self.get_kind_display()}"


class PhaseChange(models.Model):
    """A log line: the round moved from one phase to another (by hand or on schedule)."""

    budget_round = models.ForeignKey(
        BudgetRound, on_delete=models.CASCADE, related_name="phase_changes"
    )
    from_phase = models.CharField(_("from"), max_length=16, choices=PhaseKind.choices, blank=True)
    to_phase = models.CharField(_("to"), max_length=16, choices=PhaseKind.choices)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    scheduled = models.BooleanField(_("on schedule"), default=False)
    note = models.CharField(_("note"), max_length=280, blank=True)

    class Meta:
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.budget_round}: {self.from_phase or '-'} → {self.to_phase}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    FEASIBLE = "feasible", _("Feasible")
    NOT_FEASIBLE = "not_feasible", _("Not feasible")
    MERGED = "merged", _("Merged with another plan")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PlanCategory(models.TextChoices):
    """What a plan is about; a round can set a budget per category (greedy only).

    The values are Pabulib category names (no commas or spaces)."""

    GREENERY = "groen", _("Greenery and nature")
    PLAY = "spelen", _("Play and sport")
    MEETING = "ontmoeten", _("Meeting each other")
    TRAFFIC = "verkeer", _("Traffic and safety")
    CULTURE = "cultuur", _("Culture")
    CARE = "zorg", _("Care and wellbeing")
    OTHER = "overig", _("Other")


def _random_photo_name(folder: str, filename: str) -> str:
    """A stored name that reveals nothing of the uploaded file's name.

    >>> name = _random_photo_name("budgets/plans", "Mijn Tuin.PNG")
    >>> name.startswith("budgets/plans/") and name.endswith(".png") and len(name) == 42
    True
    """
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"{folder}/{secrets.token_hex(12)}.{ext}"


# The migrations refer to these two functions by name: keep them.
def plan_photo_path(instance: Plan, filename: str) -> str:
    return _random_photo_name("budgets/plans", filename)


def progress_photo_path(instance: ProgressUpdate, filename: str) -> str:
    return _random_photo_name("budgets/progress", filename)


def photo_fields(upload_to) -> tuple[models.FileField, models.CharField]:
    """The optional photo of a plan or progress update and its text for screen readers.

    Used as ``photo, photo_alt = photo_fields(plan_photo_path)`` so both models keep
    the same columns (no migration).
    """
    return (
        models.FileField(_("photo"), upload_to=upload_to, blank=True, max_length=200),
        models.CharField(_("photo description"), max_length=200, blank=True),
    )


class PlanQuerySet(models.QuerySet):
    def on_ballot(self):
        return self.filter(status=PlanStatus.FEASIBLE)

    def public(self):
        return self.exclude(status__in=[PlanStatus.DRAFT, PlanStatus.WITHDRAWN])


class Plan(models.Model):
    budget_round = models.ForeignKey(BudgetRound, on_delete=models.CASCADE, related_name="plans")
    title = models.CharField(_("title"), max_length=150)
    summary = models.CharField(_("summary"), max_length=280)
    description = models.TextField(_("what and why"))
    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_plans",
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    address = models.CharField(_("address or place"), max_length=200, blank=True)
    photo, photo_alt = photo_fields(plan_photo_path)
    category = models.CharField(
        _("category"), max_length=16, choices=PlanCategory.choices, blank=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="budget_plans",
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_plans",
    )
    partner_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("partner organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="joint_budget_plans",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PlanStatus.choices,
        default=PlanStatus.SUBMITTED,
        db_index=True,
    )
    cost_cents = models.BigIntegerField(_("cost (cents)"), default=0)
    submitted_cost_cents = models.BigIntegerField(_("cost as submitted (cents)"), default=0)
    cost_explanation = models.TextField(_("why the cost was changed"), blank=True)
    public_reason = models.TextField(_("reason (public)"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_plans",
    )
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(cost_cents__gte=0), name="plan_cost_nonneg"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse(
            "budgets:plan-detail", kwargs={"slug": self.budget_round.slug, "pk": self.pk}
        )

    @property
    def is_joint(self) -> bool:
        return self.initiative_id is not None and self.partner_organisation_id is not None


class PlanCostLine(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="cost_lines")
    description = models.CharField(_("what"), max_length=200)
    amount_cents = models.BigIntegerField(_("amount (cents)"))

    class Meta:
        verbose_name = _("cost line")
        verbose_name_plural = _("cost lines")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_cents__gt=0), name="plan_cost_line_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.description


class PlanVersion(models.Model):
    """A snapshot of a plan after each edit by its submitter (the plan's history)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("content"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("saved at"), default=timezone.now)

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_plan_version"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"


class Assessment(models.Model):
    """One assessment decision (toetsing) on a plan; kept as history."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="assessments")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    status = models.CharField(_("decision"), max_length=16, choices=PlanStatus.choices)
    public_reason = models.TextField(_("reason (public)"), blank=True)
    cost_before_cents = models.BigIntegerField(_("cost before (cents)"))
    cost_after_cents = models.BigIntegerField(_("cost after (cents)"))
    cost_explanation = models.TextField(_("why the cost was changed"), blank=True)
    merged_into = models.ForeignKey(
        Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("assessed at"), default=timezone.now)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.plan}: {self.status}"


class Outcome(models.Model):
    """The computed result of a round: one row per round, recomputed deterministically."""

    budget_round = models.OneToOneField(
        BudgetRound, on_delete=models.CASCADE, related_name="outcome"
    )
    funded_plan_ids = models.JSONField(_("funded plans"), default=list)
    total_cost_cents = models.BigIntegerField(_("total cost (cents)"))
    budget_cents = models.BigIntegerField(_("budget (cents)"))
    n_ballots = models.PositiveIntegerField(_("number of ballots"), default=0)
    params = models.JSONField(_("rule parameters"), default=dict)
    engine_version = models.CharField(_("engine version"), max_length=40)
    pabulib_sha256 = models.CharField(_("SHA-256 of the Pabulib file"), max_length=64)
    pabulib_text = models.TextField(_("Pabulib file"))
    explanation = models.JSONField(_("explanation"), default=dict)
    greedy_plan_ids = models.JSONField(_("greedy comparison"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self) -> str:
        return f"{self.budget_round}: {len(self.funded_plan_ids)}"


class ExecutionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class FundedPlan(models.Model):
    """A plan that won money; the hook for fiscal hosting (money held for the initiative)."""

    plan = models.OneToOneField(Plan, on_delete=models.PROTECT, related_name="funding")
    budget_round = models.ForeignKey(
        BudgetRound, on_delete=models.CASCADE, related_name="funded_plans"
    )
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="funded_budget_plans",
    )
    status = models.CharField(
        _("execution status"),
        max_length=16,
        choices=ExecutionStatus.choices,
        default=ExecutionStatus.PLANNED,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("funded plan")
        verbose_name_plural = _("funded plans")
        ordering = ["plan_id"]

    def __str__(self) -> str:
        return str(self.plan)


class ProgressUpdate(models.Model):
    """A public progress note on a funded plan (the execution timeline)."""

    funded_plan = models.ForeignKey(FundedPlan, on_delete=models.CASCADE, related_name="updates")
    happened_on = models.DateField(_("date"))
    text = models.TextField(_("what happened"))
    status = models.CharField(_("execution status"), max_length=16, choices=ExecutionStatus.choices)
    photo, photo_alt = photo_fields(progress_photo_path)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["happened_on", "pk"]

    def __str__(self) -> str:
        return f"{self.funded_plan}: {self.happened_on}"


# -- taking part: supporting plans, comments, reports --------------------------------------------


class PlanSupport(models.Model):
    """A resident supports a plan during submission (a round may need N of them).

    ``user`` is cleared when the account is deleted: the support still counts, but no
    longer points at anyone.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supporter"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_supports",
    )
    created_at = models.DateTimeField(_("supported at"), default=timezone.now)

    class Meta:
        verbose_name = _("support for a plan")
        verbose_name_plural = _("supports for plans")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "user"], name="unique_plan_support"),
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.user_id or '-'}"


class PlanComment(models.Model):
    """A public comment on a plan; a moderator may hide it with a public reason.

    ``author`` is cleared when the account is deleted (shown as "deleted user").
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_comments",
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("placed at"), default=timezone.now)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    hide_reason = models.CharField(_("reason for hiding (public)"), max_length=280, blank=True)

    class Meta:
        verbose_name = _("comment on a plan")
        verbose_name_plural = _("comments on plans")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.plan}: {self.pk}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class CommentReport(models.Model):
    """Someone reports a comment; the round's civil servants handle it (hide or keep)."""

    comment = models.ForeignKey(PlanComment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comment_reports",
    )
    reason = models.CharField(_("reason"), max_length=280)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("report of a comment")
        verbose_name_plural = _("reports of comments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"],
                condition=models.Q(handled_at__isnull=True),
                name="one_open_report_per_reporter",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.comment}: {self.reason[:40]}"


class AssessmentCriterion(models.Model):
    """A criterion of a round that every plan's assessment ticks (e.g. "public space")."""

    budget_round = models.ForeignKey(BudgetRound, on_delete=models.CASCADE, related_name="criteria")
    text = models.CharField(_("criterion"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("assessment criterion")
        verbose_name_plural = _("assessment criteria")
        ordering = ["budget_round", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class CriterionCheck(models.Model):
    """Whether a plan met one criterion in one assessment (the text is kept as it was)."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="criterion_checks"
    )
    criterion = models.ForeignKey(
        AssessmentCriterion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.CharField(_("criterion"), max_length=200)
    met = models.BooleanField(_("met"), default=False)

    class Meta:
        verbose_name = _("criterion check")
        verbose_name_plural = _("criterion checks")
        ordering = ["assessment", "pk"]

    def __str__(self) -> str:
        return f"{self.text}: {self.met}"


class PlanNote(models.Model):
    """An internal note on a plan: only the round's managers see it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="internal_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.plan}: {self.created_at:%Y-%m-%d}"


class PlanQuestion(models.Model):
    """A question of an assessor to the submitter, answered on the plan page."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="questions")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    question = models.TextField(_("question"))
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("question to the submitter")
        verbose_name_plural = _("questions to the submitter")
        ordering = ["asked_at", "pk"]

    def __str__(self) -> str:
        return f"{self.plan}: {self.question[:40]}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class CategoryBudget(models.Model):
    """The most a round spends on the plans of one category (greedy rule only)."""

    budget_round = models.ForeignKey(
        BudgetRound, on_delete=models.CASCADE, related_name="category_budgets"
    )
    category = models.CharField(_("category"), max_length=16, choices=PlanCategory.choices)
    amount_cents = models.BigIntegerField(_("budget (cents)"))

    class Meta:
        verbose_name = _("budget per category")
        verbose_name_plural = _("budgets per category")
        ordering = ["budget_round", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget_round", "category"], name="unique_category_budget"
            ),
            models.CheckConstraint(
                condition=models.Q(amount_cents__gt=0), name="category_budget_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.budget_round}: {self.category}"


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class CouncilReport(models.Model):
    """The printable council report (PDF) of a round's outcome, one per language.

    WeasyPrint takes seconds for a round with hundreds of plans, so a background task
    renders it into private storage; it belongs to the outcome computed at
    ``outcome_computed_at`` and is made again after a recount.
    """

    budget_round = models.ForeignKey(
        BudgetRound, on_delete=models.CASCADE, related_name="council_reports"
    )
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(
        _("status"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    outcome_computed_at = models.DateTimeField(_("outcome computed at"), null=True, blank=True)
    requested_for = models.DateTimeField(_("requested for the outcome of"), null=True, blank=True)
    file = models.CharField(_("PDF in private storage"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("council report")
        verbose_name_plural = _("council reports")
        constraints = [
            models.UniqueConstraint(
                fields=["budget_round", "language"], name="unique_council_report_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.budget_round}: {self.language}"

    def is_ready_for(self, outcome: Outcome) -> bool:
        return (
            self.status == ReportStatus.DONE
            and bool(self.file)
            and self.outcome_computed_at == outcome.computed_at
        )

    def is_stuck(self, *, now=None, after_minutes: int = 15) -> bool:
        return self.status == ReportStatus.PENDING and (
            (now or timezone.now()) - self.requested_at > dt.timedelta(minutes=after_minutes)
        )
