"""Fiscal hosting: agreements between a host and an initiative, and the ledger.

The ledger is double-entry in integer cents and append-only. Amounts are signed:
a debit is positive, a credit negative, and the entries of one transaction sum to
zero. Nothing is ever changed or deleted: a correction is a reversing transaction.
The rule is kept three times: by the services (``hosting/ledger.py``), by these
models (``save`` and ``delete`` of an existing row, queryset ``update`` and
``delete`` raise) and by the database (triggers, see the migrations).

Accounts (``LedgerAccount.kind``):

- ``earmark``: an initiative's money for one grant (or its donations), held by the
  host. Debit-natural: its balance is what is left to spend and never goes below 0.
- ``income``: what came in for an initiative, per grant. Credit-natural.
- ``expense``: what an initiative spent, per grant and category. Debit-natural.
- ``bank``: the host's own money at its bank (the fees it kept). Debit-natural.
- ``fees``: the host's fee income. Credit-natural.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Ledger rows are never changed or deleted; correct with a reversing transaction."""


class AgreementState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    OFFERED = "offered", _("Offered")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


OPEN_STATES = (AgreementState.REQUESTED, AgreementState.OFFERED, AgreementState.ACTIVE)


class ReceiptRule(models.TextChoices):
    """When an expense needs a photo or PDF of its proof of payment."""

    ALWAYS = "always", _("Proof is always required")
    FROM_AMOUNT = "from_amount", _("Proof is required from an amount")


class HostingAgreement(models.Model):
    """An initiative asks a host; the host offers terms; the initiative accepts."""

    host = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("host"),
        on_delete=models.PROTECT,
        related_name="hosting_agreements",
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        on_delete=models.PROTECT,
        related_name="hosting_agreements",
    )
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=AgreementState.choices,
        default=AgreementState.REQUESTED,
        db_index=True,
    )
    message = models.TextField(_("message to the host"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    fee_basis_points = models.PositiveIntegerField(
        _("host fee (hundredths of a percent)"), default=0
    )
    approval_threshold_cents = models.BigIntegerField(_("approval needed above (cents)"), default=0)
    approver_bands = models.JSONField(_("approvers per amount band"), default=list, blank=True)
    required_receipts = models.TextField(_("required proof of payment"), blank=True)
    #: The rule the software applies; ``required_receipts`` explains it in the host's words.
    receipt_rule = models.CharField(
        _("proof rule"), max_length=16, choices=ReceiptRule.choices, default=ReceiptRule.ALWAYS
    )
    receipt_from_cents = models.BigIntegerField(_("proof required from (cents)"), default=0)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    offered_at = models.DateTimeField(_("offered at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    treasurer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("treasurer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="treasurer_of",
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    end_reason = models.TextField(_("reason for ending"), blank=True)

    class Meta:
        verbose_name = _("hosting agreement")
        verbose_name_plural = _("hosting agreements")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative"],
                condition=models.Q(state__in=["requested", "offered", "active"]),
                name="hosting_one_open_agreement_per_initiative",
            ),
            models.CheckConstraint(
                condition=models.Q(fee_basis_points__lte=10000), name="hosting_fee_at_most_100"
            ),
            models.CheckConstraint(
                condition=models.Q(approval_threshold_cents__gte=0),
                name="hosting_threshold_nonneg",
            ),
            models.CheckConstraint(
                condition=models.Q(receipt_from_cents__gte=0),
                name="hosting_receipt_from_nonneg",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.host} – {self.initiative}"

    @property
    def fee_percent(self) -> str:
        whole, rest = divmod(self.fee_basis_points, 100)
        return f"{whole},{rest:02d}".rstrip("0").rstrip(",") if rest else str(whole)

    def receipt_required(self, amount_cents: int) -> bool:
        """Whether an expense of this amount needs a photo or PDF of its proof."""
        if self.receipt_rule == ReceiptRule.FROM_AMOUNT:
            return amount_cents >= self.receipt_from_cents
        return True

    def approvers_needed(self, amount_cents: int) -> int:
        """Approvers for an expense of this amount: 0 up to the threshold, then the band's."""
        if amount_cents <= self.approval_threshold_cents:
            return 0
        needed = 1
        for band in sorted(self.approver_bands or [], key=lambda b: b["from_cents"]):
            if amount_cents >= band["from_cents"]:
                needed = band["approvers"]
        return needed


class GrantSource(models.TextChoices):
    BUURTBUDGET = "buurtbudget", _("Neighbourhood budget")
    FUND = "fund", _("Initiatives fund")
    DONATIONS = "donations", _("Donations")
    OTHER = "other", _("Other")


class Grant(models.Model):
    """Money earmarked for an initiative by its source, e.g. "buurtbudget 2026, plan 14"."""

    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        on_delete=models.PROTECT,
        related_name="grants",
    )
    host = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("host"),
        on_delete=models.PROTECT,
        related_name="held_grants",
    )
    source = models.CharField(_("source"), max_length=16, choices=GrantSource.choices)
    label = models.CharField(_("description"), max_length=200)
    plan = models.OneToOneField(
        "budgets.Plan",
        verbose_name=_("plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grant",
    )
    budget_cents = models.BigIntegerField(_("budget (cents)"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    #: A recount no longer funds the plan: the grant stays (append-only ledger), what was
    #: left and not promised went back by one transaction (``withdrawn_cents``), and what
    #: was spent or promised before (``to_resolve_cents``) is for the host to resolve.
    withdrawn_at = models.DateTimeField(_("withdrawn after recount at"), null=True, blank=True)
    withdrawn_cents = models.BigIntegerField(_("returned at withdrawal (cents)"), default=0)
    to_resolve_cents = models.BigIntegerField(
        _("spent or promised before withdrawal (cents)"), default=0
    )
    #: The bank line on which the money of the grant arrived (the grant was booked as
    #: received when it was decided; this says the money is really at the bank).
    paid_in_line = models.ForeignKey(
        "hosting.BankLine",
        verbose_name=_("paid in by bank line"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="paid_in_grants",
    )
    paid_in_on = models.DateField(_("paid in on"), null=True, blank=True)

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "host"],
                condition=models.Q(source="donations"),
                name="hosting_one_donations_earmark",
            ),
            models.CheckConstraint(
                condition=models.Q(budget_cents__gte=0), name="hosting_grant_budget_nonneg"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class AccountKind(models.TextChoices):
    EARMARK = "earmark", _("Earmarked balance")
    INCOME = "income", _("Income")
    EXPENSE = "expense", _("Expenses")
    BANK = "bank", _("Bank")
    FEES = "fees", _("Host fees")


#: Accounts whose balance is the sum of their entries; the others show minus the sum.
DEBIT_KINDS = frozenset({AccountKind.EARMARK, AccountKind.EXPENSE, AccountKind.BANK})


class Category(models.TextChoices):
    MATERIALS = "materials", _("Materials")
    FOOD = "food", _("Food and drinks")
    RENT = "rent", _("Rent and rooms")
    ACTIVITIES = "activities", _("Activities and outings")
    COMMUNICATION = "communication", _("Printing and communication")
    ALLOWANCES = "allowances", _("Volunteer allowances")
    HOST_FEE = "host_fee", _("Host fee")
    TRANSFER = "transfer", _("Transferred or returned")
    OTHER = "other", _("Other")


class LedgerAccount(models.Model):
    """One account; owned by an initiative (with a grant) or by a host."""

    key = models.CharField(max_length=120, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=AccountKind.choices)
    host = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="ledger_accounts",
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_accounts",
    )
    grant = models.ForeignKey(
        Grant, on_delete=models.PROTECT, null=True, blank=True, related_name="accounts"
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices, blank=True)

    class Meta:
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.key

    @staticmethod
    def make_key(kind, host_id, initiative_id=None, grant_id=None, category="") -> str:
        return f"{kind}:{host_id}:{initiative_id or '-'}:{grant_id or '-'}:{category or '-'}"

    @property
    def natural_sign(self) -> int:
        return 1 if self.kind in DEBIT_KINDS else -1


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("ledger rows are never updated")

    def delete(self):
        raise AppendOnlyError("ledger rows are never deleted")

    _raw_delete = delete


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("ledger rows are never updated")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("ledger rows are never deleted")


class TransactionKind(models.TextChoices):
    GRANT = "grant", _("Grant received")
    DONATION = "donation", _("Donation")
    EXPENSE = "expense", _("Expense")
    TRANSFER = "transfer", _("Transfer")
    REVERSAL = "reversal", _("Correction")
    WITHDRAWAL = "withdrawal", _("Withdrawn after recount")


class LedgerTransaction(AppendOnlyModel):
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=TransactionKind.choices)
    description = models.CharField(_("description"), max_length=200)
    host = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_transactions",
    )
    # PROTECT: accounts are anonymised, never deleted (SET NULL would be an UPDATE,
    # which the database refuses for ledger rows).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
    )
    reason = models.TextField(_("reason"), blank=True)
    #: Denormalised at insert (rows never change): the change of the initiative's
    #: earmarked money and the expense category, for the public ledger's running balance.
    earmark_delta_cents = models.BigIntegerField(default=0)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices, blank=True)
    origin_ip_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("ledger transaction")
        verbose_name_plural = _("ledger transactions")
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["initiative", "date", "id"], name="hosting_txn_init_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.description}"


class LedgerEntry(AppendOnlyModel):
    transaction = models.ForeignKey(
        LedgerTransaction, on_delete=models.PROTECT, related_name="entries"
    )
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="entries")
    amount_cents = models.BigIntegerField(_("amount (cents)"))

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(amount_cents=0), name="hosting_entry_not_zero"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account}: {self.amount_cents}"


from .models_budget import *  # noqa: E402,F403  (budget lines per grant and category)
from .models_expenses import *  # noqa: E402,F401,F403  (expenses, payouts, bank statements)
from .models_fund import *  # noqa: E402,F403  (the initiatives fund)
from .models_reports import *  # noqa: E402,F403  (accountability stories and reports)
