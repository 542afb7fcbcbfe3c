"""Voting: codes, ballots and their choices, paper batches.

Privacy: a voting code is stored only as a keyed hash and nothing links it to a
person or address. A ballot keeps only its current choices; when a voter changes
the ballot, the old choices are deleted in the same transaction (no trail).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CodeBatch(models.Model):
    """One run of code generation (for the audit trail and the counts; no codes in it)."""

    budget_round = models.ForeignKey(
        "budgets.BudgetRound", on_delete=models.CASCADE, related_name="code_batches"
    )
    count = models.PositiveIntegerField(_("number of codes"))
    with_addresses = models.BooleanField(_("letters with addresses"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("batch of voting codes")
        verbose_name_plural = _("batches of voting codes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.budget_round}: {self.count}"


class VotingCode(models.Model):
    budget_round = models.ForeignKey(
        "budgets.BudgetRound", on_delete=models.CASCADE, related_name="voting_codes"
    )
    batch = models.ForeignKey(
        CodeBatch, on_delete=models.CASCADE, related_name="codes", null=True, blank=True
    )
    code_hash = models.CharField(_("code (hashed)"), max_length=64)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    used_at = models.DateTimeField(_("first used"), null=True, blank=True)

    class Meta:
        verbose_name = _("voting code")
        verbose_name_plural = _("voting codes")
        constraints = [
            models.UniqueConstraint(
                fields=["budget_round", "code_hash"], name="unique_voting_code_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.budget_round_id}:{self.code_hash[:8]}…"


class Channel(models.TextChoices):
    CODE = "code", _("Online with a code")
    ACCOUNT = "account", _("Online with an account")
    PAPER = "paper", _("Paper ballot")


class Ballot(models.Model):
    """The current ballot of one code, one account or one paper form.

    A paper form carries the code of its voting letter: a code has at most one ballot,
    online or on paper (``one_ballot_per_code_per_round``), so each person counts once.
    """

    budget_round = models.ForeignKey(
        "budgets.BudgetRound", on_delete=models.CASCADE, related_name="ballots"
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    voting_code = models.ForeignKey(
        VotingCode, on_delete=models.PROTECT, null=True, blank=True, related_name="ballots"
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ballots",
    )
    paper_batch = models.ForeignKey(
        "PaperBatch", on_delete=models.CASCADE, null=True, blank=True, related_name="ballots"
    )
    receipt = models.CharField(_("receipt number"), max_length=16, unique=True)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    times_replaced = models.PositiveIntegerField(_("times changed"), default=0)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(
                fields=["budget_round", "voting_code"],
                condition=Q(voting_code__isnull=False),
                name="one_ballot_per_code_per_round",
            ),
            models.UniqueConstraint(
                fields=["budget_round", "voter"],
                condition=Q(voter__isnull=False),
                name="one_ballot_per_voter_per_round",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        channel="code",
                        voting_code__isnull=False,
                        voter__isnull=True,
                        paper_batch__isnull=True,
                    )
                    | Q(
                        # ``voter`` is cleared when the person deletes their account: the
                        # ballot stays counted and holds no account at all
                        channel="account",
                        voting_code__isnull=True,
                        paper_batch__isnull=True,
                    )
                    | Q(
                        # the code printed on the letter the paper form came with
                        # (None only for paper ballots entered before codes were asked)
                        channel="paper",
                        voter__isnull=True,
                        paper_batch__isnull=False,
                    )
                ),
                name="ballot_has_exactly_one_source",
            ),
        ]

    def __str__(self) -> str:
        return self.receipt


class BallotChoice(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    plan = models.ForeignKey("budgets.Plan", on_delete=models.PROTECT, related_name="+")
    points = models.PositiveIntegerField(_("points"), default=1)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "plan"], name="one_choice_per_plan"),
            models.CheckConstraint(condition=Q(points__gte=1), name="choice_points_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}:{self.points}"


class ReplacedReceipt(models.Model):
    """A receipt number whose ballot was later changed (not linked to the new ballot)."""

    budget_round = models.ForeignKey(
        "budgets.BudgetRound", on_delete=models.CASCADE, related_name="+"
    )
    receipt = models.CharField(_("receipt number"), max_length=16, unique=True)
    submitted_at = models.DateTimeField(_("submitted"))

    class Meta:
        verbose_name = _("replaced receipt")
        verbose_name_plural = _("replaced receipts")

    def __str__(self) -> str:
        return self.receipt


class BatchStatus(models.TextChoices):
    OPEN = "open", _("Being entered")
    SUBMITTED = "submitted", _("Waiting for a second check")
    CONFIRMED = "confirmed", _("Confirmed")


class PaperBatch(models.Model):
    """A stack of paper ballots entered by one person and checked by another."""

    budget_round = models.ForeignKey(
        "budgets.BudgetRound", on_delete=models.CASCADE, related_name="paper_batches"
    )
    number = models.PositiveIntegerField(_("batch number"))
    label = models.CharField(_("description"), max_length=200, blank=True)
    declared_count = models.PositiveIntegerField(_("number of forms in the stack"))
    invalid_count = models.PositiveIntegerField(_("invalid forms"), default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=BatchStatus.choices, default=BatchStatus.OPEN
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    submitted_at = models.DateTimeField(_("ready for checking"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("checked"), null=True, blank=True)
    rejection_reason = models.CharField(_("reason for rejection"), max_length=280, blank=True)

    class Meta:
        verbose_name = _("batch of paper ballots")
        verbose_name_plural = _("batches of paper ballots")
        ordering = ["budget_round", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget_round", "number"], name="unique_paper_batch_number"
            ),
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=F("entered_by")),
                name="paper_batch_four_eyes",
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(confirmed_by__isnull=False),
                name="paper_batch_confirmed_has_checker",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.budget_round}: {self.number}"


class LetterStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being printed")
    DONE = "done", _("Ready to download")
    FAILED = "failed", _("Failed")
    DELETED = "deleted", _("Deleted")


class LetterRun(models.Model):
    """One run of code letters, printed in the background into a PDF in private storage.

    The plain codes exist only in the worker's memory and in the PDF. An address list
    waits in private storage for the worker and is deleted once the letters are
    printed; the PDF is deleted when the civil servant removes it or after
    ``LETTERS_KEEP_DAYS`` days.
    """

    budget_round = models.ForeignKey(
        "budgets.BudgetRound", on_delete=models.CASCADE, related_name="letter_runs"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    count = models.PositiveIntegerField(_("number of letters"))
    with_addresses = models.BooleanField(_("letters with addresses"), default=False)
    status = models.CharField(
        _("status"), max_length=8, choices=LetterStatus.choices, default=LetterStatus.PENDING
    )
    printed = models.PositiveIntegerField(_("letters printed"), default=0)
    error = models.TextField(_("error"), blank=True)
    file = models.CharField(_("PDF in private storage"), max_length=200, blank=True)
    file_size = models.BigIntegerField(_("size of the PDF (bytes)"), default=0)
    addresses_file = models.CharField(
        _("address list waiting to be printed"), max_length=200, blank=True
    )
    code_batch = models.ForeignKey(
        CodeBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("run of code letters")
        verbose_name_plural = _("runs of code letters")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.budget_round}: {self.count} ({self.status})"

    @property
    def is_busy(self) -> bool:
        return self.status in (LetterStatus.PENDING, LetterStatus.RUNNING)

    #: A run busy for this long lost its worker (stopped, out of memory): it may be
    #: printed again or deleted, like a failed one.
    STUCK_AFTER = datetime.timedelta(hours=1)

    @property
    def is_stuck(self) -> bool:
        since = self.started_at or self.created_at
        return self.is_busy and since is not None and timezone.now() - since > self.STUCK_AFTER

    @property
    def can_retry(self) -> bool:
        return self.status == LetterStatus.FAILED or self.is_stuck

    @property
    def percent(self) -> int:
        return min(100, (100 * self.printed) // self.count) if self.count else 0
