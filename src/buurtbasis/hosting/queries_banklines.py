"""Read-only queries for a host's bank lines and its finance officers (no writes here).

Every function runs a fixed number of queries, whatever the number of hosts, lines or
payments: the pages call them with a page of rows at most.
"""

from __future__ import annotations

import bisect
import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Min, OuterRef, Q, Sum
from django.utils import timezone

from buurtbasis.platform.models import AuditEvent

from . import access
from .models import (
    AccountKind,
    AgreementState,
    Grant,
    GrantSource,
    HostingAgreement,
    LedgerEntry,
    TransactionKind,
)
from .models_expenses import (
    BankLine,
    BankStatement,
    Expense,
    ExpenseApproval,
    ExpenseState,
    LineState,
    PayoutItem,
)

#: Grants whose money a bank line can bring in: decided by the municipality (a funded plan
#: or the initiatives fund) and booked as received when decided.
PAID_IN_SOURCES = (GrantSource.BUURTBUDGET, GrantSource.FUND)

#: Lines that wait for a person.
WAITING_STATES = (LineState.PENDING, LineState.ON_HOLD)


def is_return(line: BankLine) -> bool:
    """Money that came back for one of our payments (what ``confirm_line`` books as a return)."""
    return bool(line.return_reason or line.reversal) and line.amount_cents > 0


def candidate_items(host, line: BankLine, *, amount_cents: int | None = None, text: str = ""):
    """The payments this line may be linked to by hand: the host's live payout items that
    wait for their bank line (scheduled); for a returned payment, the paid ones too.
    ``amount_cents`` and ``text`` (payee, what, initiative, reference, end-to-end id) narrow
    the list. Money coming in that is not a return is no payment of ours: nothing."""
    if line.amount_cents > 0 and not is_return(line):
        return PayoutItem.objects.none()
    states = (
        (ExpenseState.SCHEDULED, ExpenseState.PAID)
        if is_return(line)
        else (ExpenseState.SCHEDULED,)
    )
    items = PayoutItem.objects.filter(
        batch__host=host, failed=False, expense__state__in=states
    ).select_related("batch", "expense__initiative")
    if amount_cents is not None:
        items = items.filter(amount_cents=amount_cents)
    text = text.strip()
    if text:
        items = items.filter(
            Q(expense__payee_name__icontains=text)
            | Q(expense__description__icontains=text)
            | Q(expense__initiative__name__icontains=text)
            | Q(expense__reference__icontains=text)
            | Q(end_to_end_id__icontains=text)
            | Q(expense__payee_iban__icontains=text.replace(" ", "").upper())
        )
    return items.order_by("-batch__execution_date", "pk")


def donation_initiatives(host):
    """The initiatives a donation on the host's bank can be booked for: active agreements."""
    from buurtbasis.initiatives.models import Initiative

    return Initiative.objects.filter(
        hosting_agreements__host=host, hosting_agreements__state=AgreementState.ACTIVE
    ).order_by("name", "pk")


def incoming_choices(host, line: BankLine) -> dict:
    """What the page of a line with money coming in offers: the initiatives to book a
    donation for and the grants whose money has not arrived; for a linked line, what it
    was booked as (the donation's transaction, or the grant)."""
    incoming = line.amount_cents > 0 and not is_return(line)
    if not incoming:
        return {}
    if line.state == LineState.LINKED:
        return {"paid_in_grant": Grant.objects.filter(paid_in_line=line).first()}
    return {
        "donation_initiatives": list(donation_initiatives(host)),
        "open_grants": list(grants_to_arrive(host)),
    }


def grants_to_arrive(host, *, decided_by: datetime.date | None = None):
    """The host's grants whose money has not been seen at the bank yet, oldest first
    (with ``decided_by``: only those booked in the ledger on or before that day)."""
    grants = (
        Grant.objects.filter(
            host=host,
            source__in=PAID_IN_SOURCES,
            paid_in_on__isnull=True,
            withdrawn_at__isnull=True,
        )
        .select_related("initiative")
        .order_by("created_at", "pk")
    )
    if decided_by is not None:
        grants = grants.annotate(decided=_decided()).filter(decided__lte=decided_by)
    return grants


def _decided():
    """The date of a grant's booking in the ledger (when the balance check counts it from)."""
    return Min(
        "accounts__entries__transaction__date",
        filter=Q(
            accounts__kind=AccountKind.INCOME,
            accounts__entries__transaction__kind=TransactionKind.GRANT,
        ),
    )


def line_history(line: BankLine) -> list[AuditEvent]:
    """What people did with the line (linked, ignored, on hold, back, unlinked), oldest first."""
    return list(
        AuditEvent.objects.filter(
            object_type="hosting.bankstatement",
            object_id=str(line.statement_id),
            action__startswith="hosting.bank_line_",
            details__line=line.pk,
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )


def state_counts(host) -> dict[str, int]:
    """How many of the host's lines are in each state (one query)."""
    rows = (
        BankLine.objects.filter(host=host).values_list("state").annotate(n=Count("pk")).order_by()
    )
    counts = {state: 0 for state in LineState.values}
    counts.update(dict(rows))
    return counts


@dataclass
class BalanceCheck:
    """One statement against the ledger, in euros a finance officer reads at a glance."""

    statement: BankStatement
    #: What the ledger says the host held at the statement's closing date.
    ledger_cents: int
    lines: int = 0

    @property
    def difference_cents(self) -> int:
        """Bank minus ledger at the closing date: more at the bank is positive."""
        return self.statement.closing_balance_cents - self.ledger_cents

    @property
    def difference_abs_cents(self) -> int:
        return abs(self.difference_cents)

    #: Grants decided by the closing date (booked as received) whose money the bank had
    #: not brought in by then: what the municipality still has to pay.
    to_arrive_cents: int = 0
    to_arrive_count: int = 0

    @property
    def difference_without_cents(self) -> int:
        """The difference once the money still to arrive is left out of the ledger."""
        return self.difference_cents + self.to_arrive_cents

    @property
    def opening_difference_cents(self) -> int:
        return self.statement.opening_balance_cents - self.statement.ledger_balance_cents


def balance_checks(host, statements: list[BankStatement]) -> list[BalanceCheck]:
    """The ledger's cash (every earmark plus the host's own account) at each statement's
    closing date, from one query of daily totals, and the number of lines per statement."""
    if not statements:
        return []
    last = max((s.closing_date for s in statements if s.closing_date), default=None)
    days = LedgerEntry.objects.filter(
        Q(account__kind=AccountKind.EARMARK) | Q(account__kind=AccountKind.BANK),
        account__host=host,
    )
    if last is not None and all(s.closing_date for s in statements):
        days = days.filter(transaction__date__lte=last)
    rows = list(
        days.values_list("transaction__date")
        .annotate(total=Sum("amount_cents"))
        .order_by("transaction__date")
    )
    dates = [d for d, _total in rows]
    running: list[int] = []
    total = 0
    for _day, amount in rows:
        total += amount
        running.append(total)
    lines = dict(
        BankLine.objects.filter(statement__in=statements)
        .values_list("statement_id")
        .annotate(n=Count("pk"))
        .order_by()
    )

    def at(day: datetime.date | None) -> int:
        if day is None:
            return total
        index = bisect.bisect_right(dates, day)
        return running[index - 1] if index else 0

    to_arrive = _grants_to_arrive(host, statements)

    def arriving(day: datetime.date | None) -> tuple[int, int]:
        due = [
            cents
            for decided, paid_in, cents in to_arrive
            if (day is None or decided <= day) and (paid_in is None or (day and paid_in > day))
        ]
        return sum(due), len(due)

    checks = []
    for s in statements:
        check = BalanceCheck(s, at(s.closing_date), lines.get(s.pk, 0))
        check.to_arrive_cents, check.to_arrive_count = arriving(s.closing_date)
        checks.append(check)
    return checks


def _grants_to_arrive(host, statements) -> list[tuple[datetime.date, datetime.date | None, int]]:
    """(decided, paid in, amount) of the host's grants from the municipality that were not
    yet paid in at the earliest closing date: one query. Decided is the date of the grant's
    booking in the ledger, the date the balance check counts it from."""
    grants = Grant.objects.filter(host=host, source__in=PAID_IN_SOURCES, withdrawn_at__isnull=True)
    first = min((s.closing_date for s in statements if s.closing_date), default=None)
    if first is not None and all(s.closing_date for s in statements):
        grants = grants.filter(Q(paid_in_on__isnull=True) | Q(paid_in_on__gt=first))
    else:
        grants = grants.filter(paid_in_on__isnull=True)
    rows = grants.annotate(decided=_decided()).values_list(
        "decided", "created_at", "paid_in_on", "budget_cents"
    )
    return [
        (decided or timezone.localdate(created), paid_in, cents)
        for decided, created, paid_in, cents in rows
    ]


# --- finance officers: what waits for them ------------------------------------------------------


def _treasurer_check_done():
    return Exists(
        ExpenseApproval.objects.filter(
            expense=OuterRef("pk"), round=OuterRef("approval_round"), stage="treasurer"
        )
    )


def _host_does_first_check():
    """The agreement has no treasurer, or the treasurer submitted it: the host checks first."""
    return Exists(
        HostingAgreement.objects.filter(
            initiative=OuterRef("initiative"), host=OuterRef("host"), state=AgreementState.ACTIVE
        ).filter(Q(treasurer__isnull=True) | Q(treasurer=OuterRef("submitted_by")))
    )


def waiting_for_approval(user, host_ids):
    """Submitted expenses of these hosts that this finance officer may approve now: the
    first check is done (or is the host's), they did not submit it, are not its
    volunteer and have not approved it in this round. Not the claims nobody can approve:
    of an agreement that ended, or paid from a grant withdrawn after a recount."""
    mine = ExpenseApproval.objects.filter(
        expense=OuterRef("pk"), round=OuterRef("approval_round"), approver=user
    )
    hosted = HostingAgreement.objects.filter(
        initiative=OuterRef("initiative"), host=OuterRef("host"), state=AgreementState.ACTIVE
    )
    return (
        Expense.objects.filter(
            Exists(hosted),
            host_id__in=host_ids,
            state=ExpenseState.SUBMITTED,
            grant__withdrawn_at__isnull=True,
        )
        .exclude(submitted_by=user)
        .exclude(volunteer=user)
        .filter(_treasurer_check_done() | _host_does_first_check())
        .exclude(Exists(mine))
    )


@dataclass
class HostWork:
    host: object
    to_approve: int = 0
    to_pay: int = 0
    lines_pending: int = 0
    lines_on_hold: int = 0

    @property
    def anything(self) -> bool:
        return bool(self.to_approve or self.to_pay or self.lines_pending or self.lines_on_hold)


@dataclass
class FinanceWork:
    hosts: list[HostWork] = field(default_factory=list)


def finance_work(user) -> FinanceWork | None:
    """Per host this person is a finance officer of: expenses waiting for their approval,
    approved expenses not yet in a payout batch, bank lines waiting for a person. Four
    queries besides the person's memberships, however many hosts."""
    from buurtbasis.organisations.models import Organisation

    ids = access.host_ids(user, access.FINANCE_ROLES)
    if not ids:
        return None
    hosts = list(Organisation.objects.filter(pk__in=ids).order_by("name"))
    work = {host.pk: HostWork(host) for host in hosts}
    for host_id, n in (
        waiting_for_approval(user, ids).values_list("host_id").annotate(n=Count("pk")).order_by()
    ):
        work[host_id].to_approve = n
    for host_id, n in (
        Expense.objects.filter(host_id__in=ids, state=ExpenseState.APPROVED)
        .values_list("host_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        work[host_id].to_pay = n
    for host_id, state, n in (
        BankLine.objects.filter(host_id__in=ids, state__in=WAITING_STATES)
        .values_list("host_id", "state")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if state == LineState.PENDING:
            work[host_id].lines_pending = n
        else:
            work[host_id].lines_on_hold = n
    return FinanceWork([work[host.pk] for host in hosts])
