"""Every write of expenses, approvals, payout batches, bank statements and allowances.

Services take plain values and an :class:`~buurtbasis.platform.audit.Origin` and check
who may act. A refused write raises :class:`~buurtbasis.hosting.services.HostingError`
with a message for people and stores nothing (every service is one transaction; a
receipt file stored before a refused row is removed again).

Races: a change of an expense locks its row first (``select_for_update``) and reads its
state again, so two approvers, two payers or two batch builders at the same moment end
with one result and a clear message for the other. The database keeps the last line:
an expense is in at most one live payout item (partial unique constraint), a payment is
one ledger transaction (one-to-one), a statement and a bank line are imported once.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from buurtbasis.platform import notifications, uploads
from buurtbasis.platform.audit import Origin, audit_event, record_event, record_events
from buurtbasis.platform.money import format_euros
from buurtbasis.platform.notifications import notify
from buurtbasis.platform.tasks import background, enqueue_on_commit

from . import access, adapters, queries_banklines, services
from .models import (
    AccountKind,
    Category,
    Grant,
    LedgerAccount,
    LedgerEntry,
    ReceiptRule,
    TransactionKind,
)
from .models_expenses import (
    AllowanceDeclaration,
    ApprovalStage,
    BankLine,
    BankStatement,
    Expense,
    ExpenseApproval,
    ExpenseEvent,
    ExpenseKind,
    ExpenseState,
    HostBankAccount,
    LineState,
    PainVersion,
    PayoutBatch,
    PayoutItem,
)

HostingError = services.HostingError

#: Categories a member may choose (fees and transfers are the host's bookings).
EXPENSE_CATEGORIES = [c for c in Category.values if c not in (Category.HOST_FEE, Category.TRANSFER)]
#: Money that is promised but not yet paid: it cannot be approved twice.
COMMITTED_STATES = services.COMMITTED_STATES
MAX_STATEMENT_BYTES = 100 * 2**20


def _actor(origin: Origin):
    return origin.actor if origin is not None else None


def _forbidden(message: str | None = None):
    return HostingError(message or _("You may not do this."), code="forbidden")


def _lock(expense: Expense) -> Expense:
    return (
        Expense.objects.select_for_update()
        .select_related("grant", "initiative", "host")
        .get(pk=expense.pk)
    )


def finance_officers(host):
    return services.host_people(getattr(host, "pk", host), access.FINANCE_ROLES)


def _refuse_withdrawn(expense: Expense) -> None:
    """No new promise on a grant withdrawn after a recount (its money went back)."""
    if expense.grant.withdrawn_at is not None:
        raise HostingError(
            _(
                "The money of %(grant)s was withdrawn after a recount, so this expense cannot "
                "be paid from it. It can still be rejected."
            )
            % {"grant": expense.grant.label},
            code="withdrawn",
        )


def _release(expense: Expense, reason: str, origin: Origin) -> None:
    """The expense no longer holds money: on a withdrawn grant that money goes back too."""
    services.withdraw_freed(
        expense.grant_id,
        reason=services.stored_text(
            gettext_noop("Released by expense %(number)s: %(reason)s"),
            number=expense.pk,
            reason=reason,
        ),
        origin=origin,
    )


def _agreement(expense: Expense):
    agreement = services.active_agreement(expense.initiative)
    if agreement is None or agreement.host_id != expense.host_id:
        raise HostingError(_("This initiative has no active host."), code="not_hosted")
    return agreement


# ---------------------------------------------------------------------------------------------
# State changes: one row of history, one audit event, notifications
# ---------------------------------------------------------------------------------------------


def _transition(
    expense: Expense, new_state: str, origin: Origin, reason: str = "", *, later=None, **fields
):
    """Change the state: history row, audit event, notification (``later``: a list that
    collects ``(expense id, state, reason)`` for one background task after commit, for
    changes of many expenses at once)."""
    for name, value in fields.items():
        setattr(expense, name, value)
    _transition_many([(expense, reason)], new_state, origin, changed=list(fields), later=later)


def _transition_many(
    changes: list[tuple[Expense, str]],
    new_state: str,
    origin: Origin,
    *,
    changed: Sequence[str] = (),
    later=None,
) -> None:
    """:func:`_transition` of many (locked) expenses at once: ``changes`` holds
    ``(expense, reason)``; ``changed`` names other fields already set on the objects.
    The rows, their history and their audit events are written in bulk."""
    if not changes:
        return
    now = timezone.now()
    actor = _actor(origin)
    old_states = []
    for expense, _reason in changes:
        old_states.append(expense.state)
        expense.state = new_state
        expense.updated_at = now
    if len(changes) == 1:
        changes[0][0].save(update_fields=["state", "updated_at", *changed])
    else:
        rows = [expense for expense, _reason in changes]
        attnames = [Expense._meta.get_field(name).attname for name in changed]
        same = {a: getattr(rows[0], a) for a in attnames if len({getattr(e, a) for e in rows}) == 1}
        # Values that differ per row first (the payment: a paid expense must have one).
        _update_each(rows, [a for a in attnames if a not in same])
        Expense.objects.filter(pk__in=[e.pk for e in rows]).update(
            state=new_state, updated_at=now, **same
        )
    ExpenseEvent.objects.bulk_create(
        [
            ExpenseEvent(
                expense=expense,
                actor=actor,
                at=now,
                old_state=old,
                new_state=new_state,
                reason=reason,
            )
            for (expense, reason), old in zip(changes, old_states, strict=True)
        ],
        batch_size=2000,
    )
    record_events(
        [
            audit_event(
                action=f"hosting.expense_{new_state}",
                target=expense,
                origin=origin,
                details={
                    "from": old,
                    "to": new_state,
                    "reason": reason,
                    "amount_cents": expense.amount_cents,
                },
            )
            for (expense, reason), old in zip(changes, old_states, strict=True)
        ]
    )
    for expense, reason in changes:
        if later is not None:
            later.append((expense.pk, new_state, reason))
        else:
            _notify(expense, new_state, origin, reason)


def _update_each(rows: list[Expense], attnames: list[str], chunk: int = 500) -> None:
    """Write a value per row for ``attnames`` in one UPDATE per ``chunk`` rows
    (``UPDATE ... FROM (VALUES ...)``, PostgreSQL and SQLite), where ``bulk_update``
    would build a CASE of thousands of branches per column."""
    if not rows or not attnames:
        return
    meta = Expense._meta
    fields = [next(f for f in meta.concrete_fields if f.attname == a) for a in attnames]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    sets = ", ".join(f"{quote(f.column)} = v.column{n + 2}" for n, f in enumerate(fields))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), chunk):
            part = rows[start : start + chunk]
            row_sql = "(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"
            params = [
                value
                for row in part
                for value in (
                    row.pk,
                    *(f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields),
                )
            ]
            # Only quoted names of the model go into the text; every value is a parameter.
            cursor.execute(
                f"UPDATE {table} SET {sets} FROM (VALUES {', '.join([row_sql] * len(part))}) "  # noqa: S608
                f"AS v WHERE {table}.{quote(meta.pk.column)} = v.column1",
                params,
            )


@background(retries=3)
def notify_expense_changes(*, changes: list, actor_id: int | None, language: str = "") -> int:
    """Tell the people of many changed expenses (after a payout batch or an import)."""
    from django.contrib.auth import get_user_model

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    origin = Origin(actor=actor, language=language)
    rows = Expense.objects.select_related("initiative", "host", "submitted_by").in_bulk(
        [pk for pk, _state, _reason in changes]
    )
    for pk, state, reason in changes:
        if pk in rows:
            _notify(rows[pk], state, origin, reason)
    return len(changes)


def _notify_later(changes: list, origin: Origin) -> None:
    if changes and not notifications.is_quiet():
        actor = _actor(origin)
        enqueue_on_commit(
            notify_expense_changes,
            changes=changes,
            actor_id=actor.pk if actor is not None else None,
            language=origin.language if origin else "",
        )


def _recipients(expense: Expense, new_state: str):
    people = {expense.submitted_by}
    agreement = services.active_agreement(expense.initiative)
    if new_state == ExpenseState.SUBMITTED and agreement is not None:
        if agreement.treasurer_id and agreement.treasurer_id != expense.submitted_by_id:
            people.add(agreement.treasurer)
        else:
            people.update(finance_officers(expense.host))
    if new_state == ExpenseState.APPROVED:
        people.update(finance_officers(expense.host))
    return people


def _notify(expense: Expense, new_state: str, origin: Origin, reason: str = "", people=None):
    if notifications.is_quiet():
        return  # not even the recipients are looked up
    actor = _actor(origin)
    link = reverse("hosting:expense", args=[expense.pk])
    for person in people if people is not None else _recipients(expense, new_state):
        if person is None or (actor is not None and person.pk == actor.pk):
            continue
        notify(
            person,
            "hosting.expense_changed",
            {
                "expense": expense,
                "state": ExpenseState(new_state).label,
                "reason": reason,
                "link": link,
            },
            language=origin.language if origin else "",
        )


# ---------------------------------------------------------------------------------------------
# Submitting
# ---------------------------------------------------------------------------------------------


def _clean_receipt(receipt):
    """A checked image (re-encoded, no metadata) or PDF; HostingError otherwise."""
    try:
        receipt.seek(0)
        head = receipt.read(5)
        receipt.seek(0)
        if head == b"%PDF-":
            return uploads.clean_pdf(receipt)
        return uploads.clean_image(receipt)
    except ValidationError as error:
        raise HostingError(error.messages[0], code="receipt") from None


def _check_fields(*, initiative, grant, host_id, amount_cents, date, category, payee_name, kind):
    if grant is None or grant.initiative_id != initiative.pk or grant.host_id != host_id:
        raise HostingError(_("Choose the money this is paid from."), code="grant")
    if Grant.objects.filter(pk=grant.pk, withdrawn_at__isnull=False).exists():
        raise HostingError(_("This grant was withdrawn after a recount."), code="grant")
    services._check_amount(amount_cents)
    if date > timezone.localdate():
        raise HostingError(_("The date cannot be in the future."), code="date")
    if category not in EXPENSE_CATEGORIES:
        raise HostingError(_("Choose a valid category."), code="category")
    if kind not in ExpenseKind.values:
        raise HostingError(_("Choose whether this is a claim or an invoice."), code="kind")
    if not payee_name.strip():
        raise HostingError(_("Enter the name of the account holder."), code="payee")


@transaction.atomic
def submit_expense(
    *,
    initiative,
    grant: Grant,
    description: str,
    amount_cents: int,
    date: datetime.date,
    category: str,
    payee_name: str,
    payee_iban: str,
    receipt=None,
    reference: str = "",
    kind: str = ExpenseKind.CLAIM,
    hours=None,
    draft: bool = False,
    origin: Origin,
) -> Expense:
    """A member of the initiative submits a claim or an invoice (or keeps it as a draft)."""
    actor = _actor(origin)
    if not access.is_initiator(actor, initiative):
        raise _forbidden()
    agreement = services.active_agreement(initiative)
    if agreement is None:
        raise HostingError(_("This initiative has no active host."), code="not_hosted")
    description = description.strip()
    if not description:
        raise HostingError(_("Describe what the money was for."), code="description")
    _check_fields(
        initiative=initiative,
        grant=grant,
        host_id=agreement.host_id,
        amount_cents=amount_cents,
        date=date,
        category=category,
        payee_name=payee_name,
        kind=kind,
    )
    try:
        iban = adapters.check_iban(payee_iban)
    except adapters.AdapterError as error:
        raise HostingError(error.message, code="iban") from None
    reference = reference.strip()
    if len(reference) > 35:
        raise HostingError(_("The reference is at most 35 characters."), code="reference")
    if receipt is None and not draft:
        _require_receipt(agreement, amount_cents)
    clean = _clean_receipt(receipt) if receipt is not None else None
    stored = uploads.save_private(clean, "receipts") if clean is not None else None
    try:
        with transaction.atomic():
            expense = Expense.objects.create(
                initiative=initiative,
                host=agreement.host,
                grant=grant,
                kind=kind,
                description=description[:140],
                amount_cents=amount_cents,
                date=date,
                category=category,
                payee_name=payee_name.strip()[:70],
                payee_iban=iban.iban,
                payee_bank=iban.bank_name[:140],
                reference=reference,
                receipt=stored.name if stored else "",
                receipt_sha256=stored.sha256 if stored else "",
                receipt_type=clean.content_type if clean else "",
                submitted_by=actor,
                volunteer=actor if category == Category.ALLOWANCES else None,
                hours=hours if category == Category.ALLOWANCES else None,
            )
            ExpenseEvent.objects.create(expense=expense, actor=actor, new_state=ExpenseState.DRAFT)
            record_event(
                action="hosting.expense_created",
                target=expense,
                origin=origin,
                details={"amount_cents": amount_cents, "receipt_sha256": expense.receipt_sha256},
            )
            if not draft:
                _submit(expense, origin)
    except BaseException:
        if stored is not None:
            uploads.private_storage().delete(stored.name)
        raise
    return expense


def _require_receipt(agreement, amount_cents: int) -> None:
    """Refuse an expense without proof when the agreement's rule asks for it."""
    if agreement is None or agreement.receipt_required(amount_cents):
        if agreement is not None and agreement.receipt_rule == ReceiptRule.FROM_AMOUNT:
            raise HostingError(
                _(
                    "Your host requires proof of payment from %(amount)s. "
                    "Add a photo or PDF of the proof of purchase."
                )
                % {"amount": _euros(agreement.receipt_from_cents)},
                code="receipt",
            )
        raise HostingError(_("Add a photo or PDF of the proof of purchase."), code="receipt")


def _submit(expense: Expense, origin: Origin, reason: str = ""):
    if not expense.receipt:
        _require_receipt(services.active_agreement(expense.initiative), expense.amount_cents)
    _transition(
        expense,
        ExpenseState.SUBMITTED,
        origin,
        reason,
        approval_round=expense.approval_round + 1,
    )


@transaction.atomic
def submit(*, expense: Expense, origin: Origin, answer: str = "") -> Expense:
    """Submit a draft, or answer a question and submit again (approvals start anew)."""
    expense = _lock(expense)
    if _actor(origin) is None or _actor(origin).pk != expense.submitted_by_id:
        raise _forbidden()
    if expense.state not in (ExpenseState.DRAFT, ExpenseState.NEEDS_INFO):
        raise HostingError(_("This expense has already been submitted."), code="state")
    if expense.state == ExpenseState.NEEDS_INFO and not answer.strip():
        raise HostingError(_("Answer the question."), code="answer")
    _refuse_withdrawn(expense)
    _submit(expense, origin, answer.strip())
    return expense


def _may_check(actor, expense: Expense, agreement) -> bool:
    """The treasurer, or a finance officer of the host (always allowed to check)."""
    if actor is None:
        return False
    return agreement.treasurer_id == actor.pk or access.is_finance_officer(actor, expense.host_id)


@transaction.atomic
def request_information(*, expense: Expense, question: str, origin: Origin) -> Expense:
    expense = _lock(expense)
    agreement = _agreement(expense)
    if not _may_check(_actor(origin), expense, agreement):
        raise _forbidden()
    if expense.state != ExpenseState.SUBMITTED:
        raise HostingError(_("This expense is not waiting for a check."), code="state")
    if not question.strip():
        raise HostingError(_("Say what information is missing."), code="reason")
    _transition(expense, ExpenseState.NEEDS_INFO, origin, question.strip())
    return expense


@transaction.atomic
def reject(*, expense: Expense, reason: str, origin: Origin) -> Expense:
    expense = _lock(expense)
    agreement = _agreement(expense)
    if not _may_check(_actor(origin), expense, agreement):
        raise _forbidden()
    if expense.state not in (
        ExpenseState.SUBMITTED,
        ExpenseState.NEEDS_INFO,
        ExpenseState.APPROVED,
    ):
        raise HostingError(_("This expense can no longer be rejected."), code="state")
    if not reason.strip():
        raise HostingError(_("Give a reason."), code="reason")
    released = expense.state == ExpenseState.APPROVED
    _transition(expense, ExpenseState.REJECTED, origin, reason.strip())
    if released:
        _release(expense, reason.strip(), origin)
    return expense


def reject_on_end(rows: list[Expense], origin: Origin) -> None:
    """The agreement ends (:func:`services.end`): its locked open claims are rejected
    with one reason, written in the site's language, and their submitters are told."""
    reason = services.stored_text(gettext_noop("The cooperation with the host has ended."))
    _transition_many([(expense, reason) for expense in rows], ExpenseState.REJECTED, origin)


# ---------------------------------------------------------------------------------------------
# Approving
# ---------------------------------------------------------------------------------------------


def available_cents(grant: Grant, *, excluding: Expense | None = None) -> int:
    """What is left in the grant's earmark minus what is approved and not yet paid."""
    balance = services.account_balance(services.earmark_account(grant))
    return balance - services._committed(grant.pk, excluding=excluding)


@dataclass
class ApprovalStatus:
    treasurer_checked: bool
    host_needed: int
    host_approvers: list = field(default_factory=list)

    @property
    def host_missing(self) -> int:
        return max(0, self.host_needed - len(self.host_approvers))


def approval_status(expense: Expense, agreement=None) -> ApprovalStatus:
    agreement = agreement or services.active_agreement(expense.initiative)
    rows = list(expense.approvals.filter(round=expense.approval_round).select_related("approver"))
    needed = agreement.approvers_needed(expense.amount_cents) if agreement else 0
    return ApprovalStatus(
        treasurer_checked=any(r.stage == ApprovalStage.TREASURER for r in rows),
        host_needed=needed,
        host_approvers=[r.approver for r in rows if r.stage == ApprovalStage.HOST],
    )


@transaction.atomic
def approve(*, expense: Expense, origin: Origin) -> Expense:
    """One approval: first the treasurer's check, then the host's approvers (the agreement
    says how many different people per amount band). The last approval needed makes the
    expense approved, when the grant still has the money."""
    expense = _lock(expense)
    actor = _actor(origin)
    agreement = _agreement(expense)
    if actor is None:
        raise _forbidden()
    if expense.state != ExpenseState.SUBMITTED:
        raise HostingError(_("This expense is not waiting for approval."), code="state")
    if actor.pk == expense.submitted_by_id or (
        expense.volunteer_id is not None and actor.pk == expense.volunteer_id
    ):
        raise _forbidden(_("Nobody approves their own expense."))
    _refuse_withdrawn(expense)
    status = approval_status(expense, agreement)
    if not status.treasurer_checked:
        treasurer_free = agreement.treasurer_id not in (None, expense.submitted_by_id)
        if agreement.treasurer_id == actor.pk:
            pass
        elif not treasurer_free and access.is_finance_officer(actor, expense.host_id):
            pass  # the treasurer submitted it: the host does the first check
        else:
            raise _forbidden(_("The treasurer of the initiative checks this expense first."))
        stage = ApprovalStage.TREASURER
    else:
        if not access.is_finance_officer(actor, expense.host_id):
            raise _forbidden()
        stage = ApprovalStage.HOST
    if expense.approvals.filter(round=expense.approval_round, approver=actor).exists():
        raise HostingError(_("You have already approved this expense."), code="twice")
    ExpenseApproval.objects.create(
        expense=expense, approver=actor, stage=stage, round=expense.approval_round
    )
    host_count = len(status.host_approvers) + (stage == ApprovalStage.HOST)
    record_event(
        action="hosting.expense_approval",
        target=expense,
        origin=origin,
        details={"stage": stage, "round": expense.approval_round, "host_count": host_count},
    )
    if host_count >= status.host_needed:
        # Lock the grant's earmark so two approvals of different expenses cannot both
        # promise the last euro.
        _lock_earmark(expense.grant)
        left = available_cents(expense.grant, excluding=expense)
        if expense.amount_cents > left:
            raise HostingError(
                _(
                    "This expense is larger than what is left in %(grant)s (%(left)s). "
                    "It cannot be approved."
                )
                % {"grant": expense.grant.label, "left": _euros(max(left, 0))},
                code="insufficient",
            )
        _transition(expense, ExpenseState.APPROVED, origin)
    else:
        _notify(
            expense,
            expense.state,
            origin,
            _("Approved by %(count)s of %(needed)s host approvers.")
            % {"count": host_count, "needed": status.host_needed},
            people=set(finance_officers(expense.host)),
        )
    return expense


def _euros(cents: int) -> str:
    return format_euros(cents, language=get_language() or "nl")


# ---------------------------------------------------------------------------------------------
# Payout batches
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def set_bank_account(*, host, name: str, iban: str, pain_version: str, origin: Origin):
    if not access.is_finance_officer(_actor(origin), host):
        raise _forbidden()
    if pain_version not in PainVersion.values:
        raise HostingError(_("Choose a SEPA file version."), code="pain")
    if not name.strip():
        raise HostingError(_("Enter the name of the account holder."), code="name")
    try:
        checked = adapters.check_iban(iban)
    except adapters.AdapterError as error:
        raise HostingError(error.message, code="iban") from None
    account, _created = HostBankAccount.objects.update_or_create(
        host=host,
        defaults={"name": name.strip()[:70], "iban": checked.iban, "pain_version": pain_version},
    )
    record_event(
        action="hosting.bank_account_set",
        target=account,
        origin=origin,
        details={"iban": checked.iban, "pain_version": pain_version},
    )
    return account


def _remittance(expense: Expense) -> str:
    text = (
        f"{expense.reference} {expense.description}" if expense.reference else expense.description
    )
    return text[:120]


@transaction.atomic
def create_batch(
    *,
    host,
    expense_ids: list[int],
    execution_date: datetime.date,
    origin: Origin,
    today: datetime.date | None = None,
) -> PayoutBatch:
    """One pain.001 file for the chosen approved expenses; they become scheduled.

    ``today`` is the day the file is made (default: today; the demo replays a past year)."""
    if not access.is_finance_officer(_actor(origin), host):
        raise _forbidden()
    account = HostBankAccount.objects.filter(host=host).first()
    if account is None:
        raise HostingError(_("Enter the host's bank account first."), code="no_account")
    ids = sorted({int(pk) for pk in expense_ids})
    if not ids:
        raise HostingError(_("Choose at least one approved expense."), code="empty")
    if execution_date < (today or timezone.localdate()):
        raise HostingError(_("The execution date cannot be in the past."), code="date")
    expenses = list(
        Expense.objects.select_for_update().filter(pk__in=ids, host=host).order_by("pk")
    )
    if len(expenses) != len(ids):
        raise HostingError(_("An expense was not found."), code="missing")
    for expense in expenses:
        if expense.state != ExpenseState.APPROVED:
            raise HostingError(
                _("“%(what)s” is not approved or is already in a payout batch.")
                % {"what": expense.description},
                code="state",
            )
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    batch = PayoutBatch.objects.create(
        host=host,
        batch_id=f"BB{host.pk}-{stamp}-{secrets.token_hex(3)}",
        pain_version=account.pain_version,
        execution_date=execution_date,
        total_cents=sum(e.amount_cents for e in expenses),
        count=len(expenses),
        xml=b"",
        created_by=_actor(origin),
    )
    items = [
        PayoutItem(
            batch=batch,
            expense=expense,
            end_to_end_id=f"BB{batch.pk}-E{expense.pk}",
            amount_cents=expense.amount_cents,
        )
        for expense in expenses
    ]
    transfers = [
        adapters.Transfer(
            e.payee_name, e.payee_iban, e.amount_cents, item.end_to_end_id, _remittance(e)
        )
        for e, item in zip(expenses, items, strict=True)
    ]
    try:
        with transaction.atomic():
            PayoutItem.objects.bulk_create(items)
    except IntegrityError:  # another batch took one of them at the same moment
        raise HostingError(
            _("An expense is already in another payout batch."), code="state"
        ) from None
    try:
        xml = adapters.payout_file(
            debtor_name=account.name,
            debtor_iban=account.iban,
            execution_date=execution_date,
            batch_id=batch.batch_id,
            transfers=transfers,
            pain=account.pain_version,
        )
    except adapters.AdapterError as error:
        raise HostingError(error.message, code="sepa") from None
    PayoutBatch.objects.filter(pk=batch.pk).update(xml=xml)
    batch.xml = xml
    later: list = []
    reason = services.stored_text(gettext_noop("Payout batch %(id)s"), id=batch.batch_id)
    _transition_many(
        [(expense, reason) for expense in expenses], ExpenseState.SCHEDULED, origin, later=later
    )
    _notify_later(later, origin)
    record_event(
        action="hosting.payout_batch_created",
        target=batch,
        origin=origin,
        details={"count": batch.count, "total_cents": batch.total_cents, "expenses": ids},
    )
    return batch


# ---------------------------------------------------------------------------------------------
# Paying
# ---------------------------------------------------------------------------------------------


def _pay(expense: Expense, origin: Origin, reason: str, date: datetime.date, later=None) -> Expense:
    """Post the payment of one locked expense in the ledger once (see :func:`_pay_many`)."""
    (refused,) = _pay_many([(expense, reason, date)], origin, later=later)
    if refused is not None:
        raise refused
    return expense


def _pay_many(
    payments: list[tuple[Expense, str, datetime.date]], origin: Origin, later=None
) -> list[HostingError | None]:
    """Pay many locked expenses (``(expense, reason, date)``) at once: per expense one
    ledger transaction (expense account debit, earmark credit) and the state change to
    paid, written in bulk. Returns, per payment, None when it is paid or the
    :class:`HostingError` that refused it (already paid, not approved, not enough money
    in the earmark); a refused payment writes nothing, the others are written.
    Must run inside ``transaction.atomic``."""
    refused: list[HostingError | None] = [None] * len(payments)
    todo: list[int] = []
    seen: set[int] = set()
    for n, (expense, _reason, _date) in enumerate(payments):
        if expense.state == ExpenseState.PAID or expense.pk in seen:
            refused[n] = HostingError(_("This expense has already been paid."), code="paid")
        elif expense.state not in (ExpenseState.APPROVED, ExpenseState.SCHEDULED):
            refused[n] = HostingError(_("Only an approved expense can be paid."), code="state")
        else:
            seen.add(expense.pk)
            todo.append(n)
    if not todo:
        return refused
    grants = Grant.objects.select_related("host", "initiative").in_bulk(
        {payments[n][0].grant_id for n in todo}
    )
    for host in {grant.host for grant in grants.values()}:
        services._require_finance(origin, host)
    accounts: dict[tuple, LedgerAccount] = {}

    def account(grant, category=None):
        key = (grant.pk, category)
        if key not in accounts:
            accounts[key] = (
                services.earmark_account(grant)
                if category is None
                else services.expense_account(grant, category)
            )
        return accounts[key]

    postings = []
    for n in todo:
        expense, _reason, date = payments[n]
        grant = grants[expense.grant_id]
        services._check_amount(expense.amount_cents)
        postings.append(
            services.Posting(
                host=grant.host,
                initiative=grant.initiative,
                date=date,
                kind=TransactionKind.EXPENSE,
                description=expense.description,
                lines=[
                    (account(grant, expense.category), expense.amount_cents),
                    (account(grant), -expense.amount_cents),
                ],
                category=expense.category,
                paying=expense,
            )
        )
    written = services._post_many(postings, origin)
    paid_at = timezone.now()
    changes = []
    for n, txn in zip(todo, written, strict=True):
        if isinstance(txn, HostingError):
            refused[n] = txn
            continue
        expense, reason, _date = payments[n]
        expense.payment = txn
        expense.paid_at = paid_at
        changes.append((expense, reason))
    _transition_many(
        changes, ExpenseState.PAID, origin, changed=["payment", "paid_at"], later=later
    )
    return refused


@transaction.atomic
def mark_paid_by_hand(
    *, expense: Expense, reason: str, origin: Origin, date: datetime.date | None = None
) -> Expense:
    """A finance officer marks an approved or scheduled expense paid, with a reason."""
    expense = _lock(expense)
    if not access.is_finance_officer(_actor(origin), expense.host_id):
        raise _forbidden()
    if not reason.strip():
        raise HostingError(_("Give a reason."), code="reason")
    return _pay(expense, origin, reason.strip(), date or timezone.localdate())


def _fail(
    expense: Expense,
    item: PayoutItem | None,
    reason: str,
    origin: Origin,
    later=None,
    date: datetime.date | None = None,
):
    if expense.state == ExpenseState.PAID and expense.payment_id:
        services.reverse(expense.payment, reason, origin, date=date)
    elif expense.state != ExpenseState.SCHEDULED:
        raise HostingError(_("This payment cannot fail any more."), code="state")
    if item is not None:
        PayoutItem.objects.filter(pk=item.pk).update(failed=True)
    _transition(expense, ExpenseState.FAILED, origin, reason, later=later)
    _release(expense, reason, origin)


@transaction.atomic
def mark_failed(*, expense: Expense, reason: str, origin: Origin) -> Expense:
    expense = _lock(expense)
    if not access.is_finance_officer(_actor(origin), expense.host_id):
        raise _forbidden()
    if not reason.strip():
        raise HostingError(_("Give a reason."), code="reason")
    item = expense.payout_items.filter(failed=False).first()
    _fail(expense, item, reason.strip(), origin)
    return expense


def _lock_earmark(grant) -> None:
    """Lock the grant's earmark account (approvals and retries that hold its money)."""
    LedgerAccount.objects.select_for_update().get(pk=services.earmark_account(grant).pk)


@transaction.atomic
def retry(*, expense: Expense, origin: Origin) -> Expense:
    """A failed payment is approved again, to go into a new batch (e.g. after a new IBAN)."""
    expense = _lock(expense)
    if not access.is_finance_officer(_actor(origin), expense.host_id):
        raise _forbidden()
    if expense.state != ExpenseState.FAILED:
        raise HostingError(_("Only a failed payment can be tried again."), code="state")
    _refuse_withdrawn(expense)
    # The same lock as the last approval: a retry and an approval at the same moment
    # cannot both promise the last euro of the earmark.
    _lock_earmark(expense.grant)
    if expense.amount_cents > available_cents(expense.grant, excluding=expense):
        raise HostingError(
            _("Not enough money is left in %(grant)s.") % {"grant": expense.grant.label}
        )
    _transition(
        expense, ExpenseState.APPROVED, origin, services.stored_text(gettext_noop("Try again"))
    )
    return expense


# ---------------------------------------------------------------------------------------------
# Bank statements
# ---------------------------------------------------------------------------------------------


def ledger_cash_cents(host, *, before: datetime.date | None = None) -> int:
    """What the ledger says the host holds at its bank: every earmark plus its own money
    (with ``before``: booked before that day)."""
    entries = LedgerEntry.objects.filter(
        Q(account__kind=AccountKind.EARMARK) | Q(account__kind=AccountKind.BANK),
        account__host=host,
    )
    if before is not None:
        entries = entries.filter(transaction__date__lt=before)
    return entries.aggregate(total=Sum("amount_cents"))["total"] or 0


@dataclass
class ImportResult:
    statements: list[BankStatement] = field(default_factory=list)
    already_imported: int = 0
    lines: int = 0
    linked: int = 0
    to_confirm: int = 0
    #: Lines matched for certain that could not be booked: on hold, with the reason.
    on_hold: int = 0


@transaction.atomic
def import_statement(*, host, data: bytes, origin: Origin) -> ImportResult:
    """Read a CAMT.053 file of the host's account, store new lines, link certain matches."""
    actor = _actor(origin)
    if not access.is_finance_officer(actor, host):
        raise _forbidden()
    account = HostBankAccount.objects.filter(host=host).first()
    if account is None:
        raise HostingError(_("Enter the host's bank account first."), code="no_account")
    if len(data) > MAX_STATEMENT_BYTES:
        raise HostingError(_("The file is too large: at most 100 MB."), code="size")
    try:
        statements = adapters.read_statements(data)
    except adapters.AdapterError as error:
        raise HostingError(
            _("The file cannot be read as a bank statement: %(reason)s")
            % {"reason": error.message},
            code="unreadable",
        ) from None
    for read in statements:
        if read.iban != account.iban:
            raise HostingError(
                _(
                    "This statement is of account %(theirs)s, not of the host's account "
                    "%(ours)s. Nothing was imported."
                )
                % {"theirs": read.iban or "?", "ours": account.iban},
                code="foreign",
            )
        if read.currency != "EUR":
            raise HostingError(
                _("This statement is in %(currency)s; only euros are supported.")
                % {"currency": read.currency},
                code="currency",
            )
    digest = hashlib.sha256(data).hexdigest()
    result = ImportResult()
    new_lines: list[BankLine] = []
    try:
        with transaction.atomic():
            for read in statements:
                if BankStatement.objects.filter(
                    host=host, iban=read.iban, statement_id=read.id
                ).exists():
                    result.already_imported += 1
                    continue
                statement = BankStatement.objects.create(
                    host=host,
                    statement_id=read.id[:140],
                    iban=read.iban,
                    file_sha256=digest,
                    opening_balance_cents=read.opening_balance_cents,
                    closing_balance_cents=read.closing_balance_cents,
                    closing_date=read.closing_date,
                    balance_ok=read.balance_ok,
                    ledger_balance_cents=ledger_cash_cents(host),
                    imported_by=actor,
                )
                result.statements.append(statement)
                known = set(
                    BankLine.objects.filter(
                        host=host, fingerprint__in=[x.fingerprint for x in read.lines]
                    ).values_list("fingerprint", "detail_index")
                )
                for x in read.lines:
                    if (x.fingerprint, x.detail_index) in known:
                        continue  # reported again in an overlapping statement
                    known.add((x.fingerprint, x.detail_index))
                    new_lines.append(
                        BankLine(
                            statement=statement,
                            host=host,
                            fingerprint=x.fingerprint,
                            detail_index=x.detail_index,
                            booking_date=x.booking_date,
                            amount_cents=x.amount_cents,
                            counterparty_iban=x.counterparty_iban[:34],
                            counterparty_name=x.counterparty_name,
                            end_to_end_id=x.end_to_end_id,
                            remittance=x.remittance,
                            return_reason=x.return_reason,
                            reversal=x.reversal,
                        )
                    )
    except IntegrityError:  # the same statement imported at the same moment
        raise HostingError(_("This statement has just been imported."), code="twice") from None
    result.lines = len(new_lines)
    # Match and book before the lines are stored, so every line is written once, in bulk,
    # with its final state (linked, proposed, on hold with the reason, or pending).
    with translation.override(settings.LANGUAGE_CODE):  # the reasons stored on lines
        _match(host, new_lines, origin, result)
    try:
        with transaction.atomic():
            BankLine.objects.bulk_create(new_lines, batch_size=2000)
    except IntegrityError:  # an overlapping statement imported at the same moment
        raise HostingError(_("This statement has just been imported."), code="twice") from None
    # The line's history: what the matcher decided at the import, in bulk.
    record_events(
        [
            audit_event(
                action=AUTO_ACTIONS[line.state],
                target=line.statement,
                origin=origin,
                details={
                    "line": line.pk,
                    "item": line.linked_id,
                    "reason": line.match_reason,
                    "note": line.note,
                },
            )
            for line in new_lines
            if line.state in AUTO_ACTIONS
        ]
    )
    for statement in result.statements:
        record_event(
            action="hosting.statement_imported",
            target=statement,
            origin=origin,
            details={
                "file_sha256": digest,
                "opening_cents": statement.opening_balance_cents,
                "closing_cents": statement.closing_balance_cents,
                "ledger_cents": statement.ledger_balance_cents,
                "lines": sum(1 for line in new_lines if line.statement is statement),
                "on_hold": sum(
                    1
                    for line in new_lines
                    if line.statement is statement and line.state == LineState.ON_HOLD
                ),
            },
        )
    return result


#: The audit actions of the lines the matcher decided on at the import.
AUTO_ACTIONS = {
    LineState.LINKED: "hosting.bank_line_auto_linked",
    LineState.ON_HOLD: "hosting.bank_line_auto_on_hold",
}


def _open_items(host):
    return list(
        PayoutItem.objects.filter(
            batch__host=host,
            failed=False,
            expense__state__in=(ExpenseState.SCHEDULED, ExpenseState.PAID),
        ).select_related("expense")
    )


def _match(host, lines: list[BankLine], origin: Origin, result: ImportResult) -> None:
    """Propose a payment for each new (not yet stored) line and book the certain ones:
    the payments in bulk (:func:`_pay_many`), then returns one by one. A line whose
    booking is refused (e.g. its earmark no longer holds the money) goes on hold with the
    reason; the other lines are booked all the same."""
    if not lines:
        return
    items = {item.pk: item for item in _open_items(host)}
    proposals = adapters.match_lines(
        [
            (
                n,
                line.amount_cents,
                line.counterparty_iban,
                line.counterparty_name,
                line.end_to_end_id,
                line.remittance,
                line.return_reason,
                line.reversal,
            )
            for n, line in enumerate(lines)
        ],
        [
            (
                pk,
                -item.amount_cents,
                item.expense.payee_iban,
                item.end_to_end_id,
                item.expense.reference,
            )
            for pk, item in items.items()
        ],
    )
    pays: list[tuple[BankLine, PayoutItem]] = []
    returns: list[tuple[BankLine, PayoutItem]] = []
    for proposal in proposals:
        line = lines[proposal.line_key]
        item = items.get(proposal.payment_key)
        if item is None:
            continue
        is_return = proposal.reason == "return"
        if item.expense.state == ExpenseState.PAID and not is_return:
            continue  # already paid: this line is something else
        line.proposed = item
        line.confidence = proposal.confidence
        line.match_reason = proposal.reason
        if proposal.certain:
            (returns if is_return else pays).append((line, item))
        else:
            result.to_confirm += 1
    later: list = []
    actor = _actor(origin)
    # Payments first (a return in the same statement then finds its payment booked).
    # The expenses are locked once, in the order of their ids, and read again.
    locked = {
        e.pk: e
        for e in Expense.objects.select_for_update(of=("self",))
        .filter(pk__in={item.expense_id for _line, item in pays})
        .order_by("pk")
    }
    refusals = _pay_many(
        [
            (
                locked[item.expense_id],
                _seen_on(line),
                line.booking_date or timezone.localdate(),
            )
            for line, item in pays
        ],
        origin,
        later=later,
    )
    for (line, item), refused in zip(pays, refusals, strict=True):
        _settle(line, item, refused, actor, result)
    for line, item in returns:
        try:
            with transaction.atomic():
                _fail(
                    _lock(item.expense),
                    item,
                    _returned(line),
                    origin,
                    later=later,
                    date=line.booking_date,
                )
        except HostingError as error:
            _settle(line, item, error, actor, result)
        else:
            _settle(line, item, None, actor, result)
    _notify_later(later, origin)


def _seen_on(line: BankLine) -> str:
    return services.stored_text(
        gettext_noop("Seen on bank statement %(id)s."), id=line.statement.statement_id
    )


def _returned(line: BankLine) -> str:
    return services.stored_text(
        gettext_noop("The bank returned the payment (%(code)s)."), code=line.return_reason or "?"
    )


def _settle(line: BankLine, item: PayoutItem, refused, actor, result: ImportResult) -> None:
    """The outcome of booking a certain match on a new line: linked, or on hold with why."""
    if refused is None:
        line.state = LineState.LINKED
        line.linked = item
        line.decided_by = actor
        result.linked += 1
    else:
        line.state = LineState.ON_HOLD
        line.note = services.stored_text(
            gettext_noop("This line could not be booked: %(reason)s"), reason=refused.messages[0]
        )
        result.on_hold += 1


def _link(line: BankLine, item: PayoutItem, origin: Origin, is_return: bool, later=None) -> None:
    expense = _lock(item.expense)
    if is_return:
        _fail(expense, item, _returned(line), origin, later=later, date=line.booking_date)
    else:
        _pay(
            expense,
            origin,
            _seen_on(line),
            line.booking_date or timezone.localdate(),
            later=later,
        )
    line.state = LineState.LINKED
    line.linked = item
    line.decided_by = _actor(origin)
    line.save(update_fields=["state", "linked", "decided_by"])


def _lock_line(line: BankLine) -> BankLine:
    return BankLine.objects.select_for_update().select_related("statement").get(pk=line.pk)


@transaction.atomic
def confirm_line(*, line: BankLine, origin: Origin, item: PayoutItem | None = None) -> BankLine:
    """A person confirms the proposed match (or chooses another open payment)."""
    line = _lock_line(line)
    if not access.is_finance_officer(_actor(origin), line.host_id):
        raise _forbidden()
    if line.state == LineState.LINKED:
        raise HostingError(_("This line is already linked."), code="linked")
    item = item or line.proposed
    if item is None or item.batch.host_id != line.host_id or item.failed:
        raise HostingError(_("Choose the payment this line belongs to."), code="item")
    is_return = bool(line.return_reason or line.reversal) and line.amount_cents > 0
    # The bank line must move exactly this payment's money: out for a payment, back in
    # for a return. Otherwise the ledger would book an amount the bank did not move.
    expected = item.amount_cents if is_return else -item.amount_cents
    if line.amount_cents != expected:
        raise HostingError(
            _(
                "This line moved %(line)s, but the payment is %(payment)s. Choose the payment "
                "this line belongs to, or put the line on hold."
            )
            % {"line": _euros(abs(line.amount_cents)), "payment": _euros(item.amount_cents)},
            code="amount",
        )
    _link(line, item, origin, is_return)
    record_event(
        action="hosting.bank_line_linked",
        target=line.statement,
        origin=origin,
        details={"line": line.pk, "item": item.pk, "reason": line.match_reason},
    )
    return line


@transaction.atomic
def set_line_state(*, line: BankLine, state: str, note: str, origin: Origin) -> BankLine:
    """Ignore a line (bank costs, a donation booked otherwise) or put it on hold."""
    line = _lock_line(line)
    if not access.is_finance_officer(_actor(origin), line.host_id):
        raise _forbidden()
    if state not in (LineState.IGNORED, LineState.ON_HOLD, LineState.PENDING):
        raise HostingError(_("Choose a valid state."), code="state")
    if line.state == LineState.LINKED:
        raise HostingError(_("This line is already linked."), code="linked")
    if state != LineState.PENDING and not note.strip():
        raise HostingError(_("Give a reason."), code="reason")
    line.state = state
    line.note = note.strip()
    line.decided_by = _actor(origin)
    line.save(update_fields=["state", "note", "decided_by"])
    record_event(
        action=f"hosting.bank_line_{state}",
        target=line.statement,
        origin=origin,
        details={"line": line.pk, "note": line.note},
    )
    return line


@transaction.atomic
def unlink_line(*, line: BankLine, reason: str, origin: Origin) -> BankLine:
    """Undo a link made by mistake: the payment it booked is reversed in the ledger (a
    correction, never a delete), the expense waits for its bank line again (scheduled)
    and the line is pending again. A linked return is not undone here: its payment
    already failed and may have been approved again."""
    line = _lock_line(line)
    if not access.is_finance_officer(_actor(origin), line.host_id):
        raise _forbidden()
    if line.state != LineState.LINKED or line.linked_id is None:
        raise HostingError(_("This line is not linked."), code="not_linked")
    if not reason.strip():
        raise HostingError(_("Give a reason."), code="reason")
    if line.amount_cents > 0:
        raise HostingError(
            _("A returned payment cannot be unlinked. Correct it on the expense's page."),
            code="return",
        )
    item = PayoutItem.objects.select_related("expense").get(pk=line.linked_id)
    expense = _lock(item.expense)
    if item.failed or expense.state != ExpenseState.PAID or expense.payment_id is None:
        raise HostingError(
            _("The payment has changed since it was linked; this link can no longer be undone."),
            code="changed",
        )
    reason = reason.strip()
    services.reverse(expense.payment, reason, origin)
    _transition(expense, ExpenseState.SCHEDULED, origin, reason, payment=None, paid_at=None)
    _release(expense, reason, origin)  # it is promised again: normally nothing is freed
    line.state = LineState.PENDING
    line.linked = None
    line.note = reason
    line.decided_by = _actor(origin)
    line.save(update_fields=["state", "linked", "note", "decided_by"])
    record_event(
        action="hosting.bank_line_unlinked",
        target=line.statement,
        origin=origin,
        details={"line": line.pk, "item": item.pk, "note": reason},
    )
    return line


# --- money coming in: a donation, or a grant's money arriving ----------------------------------

PAID_IN_SOURCES = queries_banklines.PAID_IN_SOURCES


def _incoming_line(line: BankLine, origin: Origin) -> BankLine:
    """The line locked, if a finance officer of its host may book it as money coming in."""
    line = _lock_line(line)
    if not access.is_finance_officer(_actor(origin), line.host_id):
        raise _forbidden()
    if line.state == LineState.LINKED:
        raise HostingError(_("This line is already linked."), code="linked")
    if line.amount_cents <= 0 or line.return_reason or line.reversal:
        raise HostingError(
            _("Only money coming in (not a returned payment) can be booked this way."),
            code="sign",
        )
    return line


@transaction.atomic
def book_line_as_donation(*, line: BankLine, initiative, origin: Origin) -> BankLine:
    """Money coming in is a donation for one of the host's initiatives: booked in the
    ledger (no donor's name, only "donation via bank") and the line is linked to it."""
    line = _incoming_line(line, origin)
    agreement = services.active_agreement(initiative)
    if agreement is None or agreement.host_id != line.host_id:
        raise HostingError(
            _("Choose an initiative this host holds the money of."), code="initiative"
        )
    today = timezone.localdate()
    txn = services.record_donation(
        initiative=initiative,
        amount_cents=line.amount_cents,
        date=min(line.booking_date or today, today),
        description=services.stored_text(gettext_noop("Donation via bank")),
        origin=origin,
    )
    line.state = LineState.LINKED
    line.transaction = txn
    line.decided_by = _actor(origin)
    line.save(update_fields=["state", "transaction", "decided_by"])
    record_event(
        action="hosting.bank_line_donation",
        target=line.statement,
        origin=origin,
        details={"line": line.pk, "transaction": txn.pk, "initiative": initiative.pk},
    )
    return line


grants_to_arrive = queries_banklines.grants_to_arrive


@transaction.atomic
def book_line_as_grant_payment(
    *, line: BankLine, grant: Grant, origin: Origin, note: str = ""
) -> BankLine:
    """The line is the municipality paying a grant: the grant's money has arrived. No new
    ledger posting (the grant was booked as received when decided); the line is linked.
    An amount other than the grant's needs a note (a part payment, say)."""
    line = _incoming_line(line, origin)
    grant = Grant.objects.select_for_update().filter(pk=grant.pk).first()
    if (
        grant is None
        or grant.host_id != line.host_id
        or grant.source not in PAID_IN_SOURCES
        or grant.withdrawn_at is not None
    ):
        raise HostingError(
            _("Choose a grant of this host from the neighbourhood budget or the initiatives fund."),
            code="grant",
        )
    if grant.paid_in_on is not None:
        raise HostingError(
            _("The money of this grant has already arrived on another bank line."),
            code="paid_in",
        )
    note = note.strip()
    if line.amount_cents != grant.budget_cents and not note:
        raise HostingError(
            _(
                "This line brought in %(line)s, but the grant is %(grant)s. Write a note to "
                "book it as a part payment, or choose another grant."
            )
            % {"line": _euros(line.amount_cents), "grant": _euros(grant.budget_cents)},
            code="amount",
        )
    grant.paid_in_line = line
    grant.paid_in_on = line.booking_date or timezone.localdate()
    grant.save(update_fields=["paid_in_line", "paid_in_on"])
    line.state = LineState.LINKED
    line.note = note
    line.decided_by = _actor(origin)
    line.save(update_fields=["state", "note", "decided_by"])
    record_event(
        action="hosting.bank_line_grant_paid_in",
        target=line.statement,
        origin=origin,
        details={
            "line": line.pk,
            "grant": grant.pk,
            "amount_cents": line.amount_cents,
            "grant_cents": grant.budget_cents,
            "note": note,
        },
    )
    return line


# ---------------------------------------------------------------------------------------------
# Volunteer allowances
# ---------------------------------------------------------------------------------------------


def age_on(person, day: datetime.date) -> int | None:
    """The person's age in whole years on ``day`` (the day of the work), None if unknown."""
    born = getattr(person, "birth_date", None)
    if born is None or born > day:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def allowance_check(person, *, day: datetime.date, amount_cents: int, hours=None, excluding=None):
    """The limits for a proposed allowance to ``person``, counted across every initiative:
    what was paid or promised to them, plus what they declared from elsewhere."""
    given = Expense.objects.filter(
        volunteer=person,
        category=Category.ALLOWANCES,
        state__in=(*COMMITTED_STATES, ExpenseState.PAID),
        date__year=day.year,
    )
    if excluding is not None:
        given = given.exclude(pk=excluding.pk)
    declared = AllowanceDeclaration.objects.filter(person=person, year=day.year)
    try:
        return adapters.check_allowance(
            paid=list(given.values_list("date", "amount_cents")),
            declared=[(datetime.date(d.year, d.month, 1), d.amount_cents) for d in declared],
            day=day,
            amount_cents=amount_cents,
            hours=hours,
            age=age_on(person, day),
        )
    except adapters.AdapterError as error:
        raise HostingError(error.message, code="allowance") from None


def expense_allowance_check(expense: Expense):
    if expense.category != Category.ALLOWANCES or expense.volunteer_id is None:
        return None
    return allowance_check(
        expense.volunteer,
        day=expense.date,
        amount_cents=expense.amount_cents,
        hours=expense.hours,
        excluding=expense,
    )


@transaction.atomic
def declare_allowance(*, year: int, month: int, amount_cents: int, origin: Origin):
    """The volunteer records what they received elsewhere in a month."""
    person = _actor(origin)
    if person is None:
        raise _forbidden()
    services._check_amount(amount_cents)
    today = timezone.localdate()
    if not 1 <= month <= 12 or not 2000 <= year <= today.year:
        raise HostingError(_("Choose a month that has begun."), code="month")
    if (year, month) > (today.year, today.month):
        raise HostingError(_("Choose a month that has begun."), code="month")
    declaration = AllowanceDeclaration.objects.create(
        person=person, year=year, month=month, amount_cents=amount_cents
    )
    record_event(
        action="hosting.allowance_declared",
        target=None,
        origin=origin,
        details={"year": year, "month": month, "amount_cents": amount_cents},
    )
    return declaration
