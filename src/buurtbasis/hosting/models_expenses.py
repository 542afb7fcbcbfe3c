"""Expenses, approvals, payout batches and bank statements of fiscal hosting.

An expense claim (a member paid and wants the money back) or an invoice (a supplier
is paid directly) moves through these states, after Open Collective's::

    draft -> submitted <-> needs_info
    submitted -> approved | rejected
    approved -> scheduled (in a payout batch) -> paid | failed
    approved/scheduled -> paid (by hand, with a reason)

Every change is a row in :class:`ExpenseEvent` (who, when, from, to, why), audited and
notified. An expense is in at most one live payout batch (a partial unique constraint
on :class:`PayoutItem`) and is paid at most once (a unique ledger transaction).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Category


class PainVersion(models.TextChoices):
    V09 = "001.001.09", "pain.001.001.09"
    V03 = "001.001.03", "pain.001.001.03"


class HostBankAccount(models.Model):
    """The host's bank account that pays out (the debtor of its SEPA files)."""

    host = models.OneToOneField(
        "organisations.Organisation",
        verbose_name=_("host"),
        on_delete=models.PROTECT,
        related_name="payout_account",
    )
    name = models.CharField(_("account holder"), max_length=70)
    iban = models.CharField(_("IBAN"), max_length=34)
    pain_version = models.CharField(
        _("SEPA file version"),
        max_length=12,
        choices=PainVersion.choices,
        default=PainVersion.V09,
    )

    class Meta:
        verbose_name = _("host bank account")
        verbose_name_plural = _("host bank accounts")

    def __str__(self) -> str:
        return f"{self.name} {self.iban}"


class ExpenseKind(models.TextChoices):
    CLAIM = "claim", _("Expense claim (I paid myself)")
    INVOICE = "invoice", _("Invoice (the host pays the supplier)")


class ExpenseState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    NEEDS_INFO = "needs_info", _("Needs more information")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SCHEDULED = "scheduled", _("Scheduled for payment")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Payment failed")


class Expense(models.Model):
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        on_delete=models.PROTECT,
        related_name="expenses",
    )
    host = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("host"),
        on_delete=models.PROTECT,
        related_name="hosted_expenses",
    )
    grant = models.ForeignKey(
        "hosting.Grant",
        verbose_name=_("paid from"),
        on_delete=models.PROTECT,
        related_name="expenses",
    )
    kind = models.CharField(
        _("kind"), max_length=8, choices=ExpenseKind.choices, default=ExpenseKind.CLAIM
    )
    description = models.CharField(_("what"), max_length=140)
    amount_cents = models.BigIntegerField(_("amount (cents)"))
    date = models.DateField(_("date"))
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    payee_name = models.CharField(_("payee name"), max_length=70)
    payee_iban = models.CharField(_("payee IBAN"), max_length=34)
    payee_bank = models.CharField(_("bank"), max_length=140, blank=True)
    reference = models.CharField(_("invoice number or reference"), max_length=35, blank=True)
    receipt = models.CharField(max_length=200, blank=True)  # name in the private storage
    receipt_sha256 = models.CharField(max_length=64, blank=True)
    receipt_type = models.CharField(max_length=40, blank=True)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=ExpenseState.choices,
        default=ExpenseState.DRAFT,
        db_index=True,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="submitted_expenses"
    )
    #: Raised at every submission: approvals count within one round.
    approval_round = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    #: The payment in the ledger (set once, when paid).
    payment = models.OneToOneField(
        "hosting.LedgerTransaction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="paid_expense",
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    #: A volunteer allowance (category "allowances"): who receives it and for how many hours.
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("volunteer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allowances",
    )
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_cents__gt=0), name="hosting_expense_amount_positive"
            ),
            models.CheckConstraint(
                condition=~models.Q(state="paid") | models.Q(payment__isnull=False),
                name="hosting_expense_paid_has_payment",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def end_to_end_id(self) -> str:
        return f"BB-EXP-{self.pk}"

    @property
    def has_receipt(self) -> bool:
        return bool(self.receipt)


class ExpenseEvent(models.Model):
    """One change of an expense: the history shown on its page."""

    expense = models.ForeignKey(Expense, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    old_state = models.CharField(max_length=12, choices=ExpenseState.choices, blank=True)
    new_state = models.CharField(max_length=12, choices=ExpenseState.choices)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.expense_id}: {self.old_state} -> {self.new_state}"


class ApprovalStage(models.TextChoices):
    TREASURER = "treasurer", _("First check by the treasurer")
    HOST = "host", _("Approval by the host")


class ExpenseApproval(models.Model):
    """One person's approval; the quorum is counted from these rows."""

    expense = models.ForeignKey(Expense, on_delete=models.CASCADE, related_name="approvals")
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(max_length=12, choices=ApprovalStage.choices)
    at = models.DateTimeField(default=timezone.now)
    #: Approvals of an earlier round stay, but a resubmission starts a new round.
    round = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["expense", "approver", "round"], name="hosting_one_approval_per_person"
            ),
            models.UniqueConstraint(
                fields=["expense", "round"],
                condition=models.Q(stage="treasurer"),
                name="hosting_one_treasurer_check",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expense_id}: {self.stage} ({self.round})"


class PayoutBatch(models.Model):
    """One SEPA credit-transfer file of approved expenses."""

    host = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="payout_batches"
    )
    batch_id = models.CharField(max_length=35, unique=True)
    pain_version = models.CharField(max_length=12, choices=PainVersion.choices)
    execution_date = models.DateField(_("execution date"))
    total_cents = models.BigIntegerField()
    count = models.PositiveIntegerField()
    xml = models.BinaryField(editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.batch_id


class PayoutItem(models.Model):
    batch = models.ForeignKey(PayoutBatch, on_delete=models.PROTECT, related_name="items")
    expense = models.ForeignKey(Expense, on_delete=models.PROTECT, related_name="payout_items")
    end_to_end_id = models.CharField(max_length=35)
    amount_cents = models.BigIntegerField()
    #: A payment that came back (or failed) no longer holds the expense.
    failed = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["expense"],
                condition=models.Q(failed=False),
                name="hosting_expense_in_one_live_batch",
            ),
        ]

    def __str__(self) -> str:
        return self.end_to_end_id


class BankStatement(models.Model):
    """One imported statement (a file may hold several)."""

    host = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="bank_statements"
    )
    statement_id = models.CharField(max_length=140)
    iban = models.CharField(max_length=34)
    file_sha256 = models.CharField(max_length=64)
    opening_balance_cents = models.BigIntegerField()
    closing_balance_cents = models.BigIntegerField()
    closing_date = models.DateField(null=True, blank=True)
    balance_ok = models.BooleanField(default=True)
    #: What the ledger said the host holds when the statement was imported.
    ledger_balance_cents = models.BigIntegerField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["host", "iban", "statement_id"], name="hosting_statement_once"
            ),
        ]

    def __str__(self) -> str:
        return self.statement_id

    @property
    def difference_cents(self) -> int:
        return self.closing_balance_cents - self.ledger_balance_cents


class LineState(models.TextChoices):
    PENDING = "pending", _("Pending")
    LINKED = "linked", _("Linked")
    IGNORED = "ignored", _("Ignored")
    ON_HOLD = "on_hold", _("On hold")


class BankLine(models.Model):
    statement = models.ForeignKey(BankStatement, on_delete=models.PROTECT, related_name="lines")
    host = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    fingerprint = models.CharField(max_length=80)
    detail_index = models.IntegerField(default=-1)
    booking_date = models.DateField(null=True, blank=True)
    amount_cents = models.BigIntegerField()
    counterparty_iban = models.CharField(max_length=34, blank=True)
    counterparty_name = models.CharField(max_length=140, blank=True)
    end_to_end_id = models.CharField(max_length=35, blank=True)
    remittance = models.TextField(blank=True)
    return_reason = models.CharField(max_length=8, blank=True)
    reversal = models.BooleanField(default=False)
    state = models.CharField(
        max_length=8, choices=LineState.choices, default=LineState.PENDING, db_index=True
    )
    proposed = models.ForeignKey(
        PayoutItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confidence = models.FloatField(default=0)
    match_reason = models.CharField(max_length=24, blank=True)
    linked = models.ForeignKey(
        PayoutItem, on_delete=models.PROTECT, null=True, blank=True, related_name="bank_lines"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    note = models.TextField(blank=True)
    #: Money coming in booked from this line (a donation): its ledger transaction.
    transaction = models.ForeignKey(
        "hosting.LedgerTransaction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bank_lines",
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["host", "fingerprint", "detail_index"], name="hosting_bank_line_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id}: {self.amount_cents}"


class AllowanceDeclaration(models.Model):
    """What a volunteer says they received elsewhere in a month (counts for the limits)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="allowance_declarations"
    )
    year = models.PositiveIntegerField()
    month = models.PositiveSmallIntegerField()
    amount_cents = models.BigIntegerField()
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["year", "month", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_cents__gt=0), name="hosting_declaration_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="hosting_declaration_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}: {self.amount_cents}"
