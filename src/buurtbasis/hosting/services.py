"""Every write of fiscal hosting: agreements and the append-only ledger.

Services take plain values and an :class:`~buurtbasis.platform.audit.Origin`
(``origin.actor`` acts; None is the system) and check who may act. Every change is
recorded in the audit trail. A refused write raises :class:`HostingError` with a
message for people and stores nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse as url_for
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from buurtbasis.accounts.models import User
from buurtbasis.budgets.models import FundedPlan
from buurtbasis.platform.audit import Origin, audit_event, record_event, record_events
from buurtbasis.platform.notifications import notify

from . import access
from .models import (
    OPEN_STATES,
    AccountKind,
    AgreementState,
    Category,
    Expense,
    ExpenseState,
    Grant,
    GrantSource,
    HostingAgreement,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    ReceiptRule,
    TransactionKind,
)

MAX_AMOUNT_CENTS = 10**11  # a billion euros: far beyond any initiative
#: Approved expenses that are not paid yet hold their money.
COMMITTED_STATES = (ExpenseState.APPROVED, ExpenseState.SCHEDULED)
#: Claims nobody decided on yet: rejected when the agreement ends.
OPEN_CLAIM_STATES = (ExpenseState.DRAFT, ExpenseState.SUBMITTED, ExpenseState.NEEDS_INFO)


class HostingError(ValidationError):
    """A write that is refused; ``message`` is for people, ``code`` for code."""


def _actor(origin: Origin):
    return origin.actor if origin is not None else None


def stored_text(message: str, **values) -> str:
    """A text that is stored for everyone (a ledger description, a grant label, a reason in
    a history) in the site's language, not in the language of whoever acts: ``message``
    is marked with ``gettext_noop`` and filled with ``values``."""
    with translation.override(settings.LANGUAGE_CODE):
        text = gettext(message)
    return text % values if values else text


def _require(condition: bool) -> None:
    if not condition:
        raise HostingError(_("You may not do this."), code="forbidden")


# ---------------------------------------------------------------------------------------------
# Telling people
# ---------------------------------------------------------------------------------------------


def host_people(host_id, roles=access.COORDINATOR_ROLES):
    """The active people with one of ``roles`` in the host (by default: all its staff)."""
    return User.objects.filter(
        memberships__organisation_id=host_id, memberships__role__in=list(roles), is_active=True
    ).distinct()


def _tell(people, kind: str, context: dict, origin: Origin) -> None:
    actor = _actor(origin)
    for person in people:
        if actor is not None and person.pk == actor.pk:
            continue  # the person who made the change knows
        notify(person, kind, context, language=origin.language if origin else "")


def _tell_agreement(agreement: HostingAgreement, origin: Origin, reason: str = "") -> None:
    """Both sides hear of every change of an agreement (except the one who made it)."""
    link = url_for("hosting:initiative", args=[agreement.initiative.slug])
    context = {
        "agreement": agreement,
        "state": agreement.get_state_display(),
        "reason": reason,
        "link": link,
    }
    people = list(host_people(agreement.host_id)) + list(
        agreement.initiative.members.filter(is_active=True)
    )
    _tell({p.pk: p for p in people}.values(), "hosting.agreement_changed", context, origin)


# ---------------------------------------------------------------------------------------------
# Agreements
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def request_hosting(*, initiative, host, message: str = "", origin: Origin) -> HostingAgreement:
    """An initiator asks ``host`` to host ``initiative``."""
    actor = _actor(origin)
    _require(access.is_initiator(actor, initiative))
    if HostingAgreement.objects.filter(initiative=initiative, state__in=OPEN_STATES).exists():
        raise HostingError(
            _("This initiative already has a hosting request or agreement."), code="open"
        )
    try:
        with transaction.atomic():
            agreement = HostingAgreement.objects.create(
                host=host, initiative=initiative, message=message.strip(), requested_by=actor
            )
    except IntegrityError:  # a request made at the same moment
        raise HostingError(
            _("This initiative already has a hosting request or agreement."), code="open"
        ) from None
    record_event(action="hosting.requested", target=agreement, origin=origin)
    _tell_agreement(agreement, origin, agreement.message)
    return agreement


def _lock(agreement: HostingAgreement) -> HostingAgreement:
    return (
        HostingAgreement.objects.select_for_update()
        .select_related("host", "initiative")
        .get(pk=agreement.pk)
    )


def validate_bands(bands, threshold_cents: int) -> list[dict]:
    """Approver bands: ``[{"from_cents": int, "approvers": int}, ...]``, ascending."""
    clean = []
    for band in bands or []:
        try:
            start, approvers = int(band["from_cents"]), int(band["approvers"])
        except (KeyError, TypeError, ValueError):
            raise HostingError(_("An approver band is not complete."), code="bands") from None
        if start < 0 or not 1 <= approvers <= 10:
            raise HostingError(
                _("An approver band needs an amount of 0 or more and 1 to 10 approvers."),
                code="bands",
            )
        clean.append({"from_cents": start, "approvers": approvers})
    clean.sort(key=lambda b: b["from_cents"])
    starts = [b["from_cents"] for b in clean]
    if len(set(starts)) != len(starts):
        raise HostingError(_("Two approver bands start at the same amount."), code="bands")
    if any(b["approvers"] < a["approvers"] for a, b in zip(clean, clean[1:], strict=False)):
        raise HostingError(
            _("A higher amount cannot need fewer approvers than a lower one."), code="bands"
        )
    return clean


@transaction.atomic
def offer(
    *,
    agreement: HostingAgreement,
    start_date: datetime.date,
    fee_basis_points: int,
    approval_threshold_cents: int,
    approver_bands: list[dict],
    required_receipts: str,
    receipt_rule: str = ReceiptRule.ALWAYS,
    receipt_from_cents: int = 0,
    origin: Origin,
) -> HostingAgreement:
    """The host's coordinator offers terms for a request (or changes an open offer).

    ``receipt_rule`` says when an expense needs a photo or PDF of its proof: always, or
    from ``receipt_from_cents``; ``required_receipts`` explains it in the host's words.
    """
    agreement = _lock(agreement)
    _require(access.is_coordinator(_actor(origin), agreement.host_id))
    if agreement.state not in (AgreementState.REQUESTED, AgreementState.OFFERED):
        raise HostingError(_("Only a request can get an offer."), code="state")
    if not 0 <= fee_basis_points <= 10000:
        raise HostingError(_("The host fee is between 0 and 100 percent."), code="fee")
    if not 0 <= approval_threshold_cents <= MAX_AMOUNT_CENTS:
        raise HostingError(_("The approval amount cannot be negative."), code="threshold")
    agreement.approver_bands = validate_bands(approver_bands, approval_threshold_cents)
    if receipt_rule not in ReceiptRule.values:
        raise HostingError(_("Choose when proof of payment is required."), code="receipt_rule")
    if receipt_rule == ReceiptRule.FROM_AMOUNT and not (
        0 <= receipt_from_cents <= MAX_AMOUNT_CENTS
    ):
        raise HostingError(
            _("Enter the amount from which proof of payment is required (0 or more)."),
            code="receipt_rule",
        )
    agreement.receipt_rule = receipt_rule
    agreement.receipt_from_cents = (
        receipt_from_cents if receipt_rule == ReceiptRule.FROM_AMOUNT else 0
    )
    agreement.start_date = start_date
    agreement.fee_basis_points = fee_basis_points
    agreement.approval_threshold_cents = approval_threshold_cents
    agreement.required_receipts = required_receipts.strip()
    agreement.state = AgreementState.OFFERED
    agreement.offered_by = _actor(origin)
    agreement.offered_at = timezone.now()
    agreement.save()
    record_event(
        action="hosting.offered",
        target=agreement,
        origin=origin,
        details={
            "fee_basis_points": fee_basis_points,
            "approval_threshold_cents": approval_threshold_cents,
            "approver_bands": agreement.approver_bands,
            "receipt_rule": agreement.receipt_rule,
            "receipt_from_cents": agreement.receipt_from_cents,
            "start_date": start_date,
        },
    )
    _tell_agreement(agreement, origin)
    return agreement


@transaction.atomic
def accept(*, agreement: HostingAgreement, origin: Origin) -> HostingAgreement:
    """An initiator accepts the offer; they become the treasurer until another is chosen."""
    agreement = _lock(agreement)
    actor = _actor(origin)
    _require(access.is_initiator(actor, agreement.initiative))
    if agreement.state != AgreementState.OFFERED:
        raise HostingError(_("There is no offer to accept."), code="state")
    agreement.state = AgreementState.ACTIVE
    agreement.accepted_by = actor
    agreement.accepted_at = timezone.now()
    agreement.treasurer = actor
    agreement.save()
    initiative = agreement.initiative
    if initiative.host_organisation_id != agreement.host_id:
        initiative.host_organisation = agreement.host
        initiative.save(update_fields=["host_organisation", "updated_at"])
    record_event(action="hosting.accepted", target=agreement, origin=origin)
    _tell_agreement(agreement, origin)
    return agreement


@transaction.atomic
def end(
    *,
    agreement: HostingAgreement,
    reason: str,
    origin: Origin,
    settle_to: str = "",
) -> HostingAgreement:
    """Either side ends a request, an offer or an agreement.

    An active agreement with money left is ended by a finance officer of the host only
    (the others ask them with :func:`ask_to_end`), with ``settle_to`` (where the balance
    goes, e.g. "returned to Gemeente Zwolle" or "transferred to Stichting X"): every
    earmark is emptied by a transfer recorded in the ledger, in the same transaction.
    """
    agreement = _lock(agreement)
    actor = _actor(origin)
    _require(
        access.is_coordinator(actor, agreement.host_id)
        or access.is_initiator(actor, agreement.initiative)
    )
    if agreement.state == AgreementState.ENDED:
        raise HostingError(_("This agreement has already ended."), code="state")
    if not reason.strip():
        raise HostingError(_("Give a reason."), code="reason")
    # Lock the expenses that are not finished, so none is approved while this ends.
    unfinished = list(
        Expense.objects.select_for_update(of=("self",))
        .filter(
            initiative=agreement.initiative,
            host=agreement.host,
            state__in=(*COMMITTED_STATES, *OPEN_CLAIM_STATES),
        )
        .order_by("pk")
    )
    if any(e.state in COMMITTED_STATES for e in unfinished):
        raise HostingError(
            _("Approved expenses wait for payment: pay or reject them first."),
            code="expenses_open",
        )
    remaining = [
        (grant, left)
        for grant, left in earmark_balances(agreement.initiative, agreement.host).items()
        if left
    ]
    if remaining and actor is not None and not access.is_finance_officer(actor, agreement.host_id):
        # The balance leaves the initiative: only the host's finance officer books that.
        raise HostingError(
            _(
                "Money is left, so a finance officer of the host ends this agreement and "
                "books where the balance goes. Ask them to end it."
            ),
            code="finance_needed",
        )
    if remaining and not settle_to.strip():
        raise HostingError(
            _("Money is left: say where the balance is transferred or returned to."),
            code="settle",
        )
    for grant, left in remaining:
        _post(
            host=agreement.host,
            initiative=agreement.initiative,
            date=timezone.localdate(),
            kind=TransactionKind.TRANSFER,
            description=stored_text(
                gettext_noop("Balance of %(grant)s: %(to)s"),
                grant=grant.label,
                to=settle_to.strip(),
            ),
            lines=[
                (earmark_account(grant), -left),
                (expense_account(grant, Category.TRANSFER), left),
            ],
            origin=origin,
        )
    if unfinished:
        # Nobody could handle an open claim after the end: it is rejected, its
        # submitter is told why.
        from .expenses import reject_on_end  # expenses builds on this module

        reject_on_end(unfinished, origin)
    agreement.state = AgreementState.ENDED
    agreement.ended_at = timezone.now()
    agreement.ended_by = actor
    agreement.end_reason = reason.strip()
    agreement.save()
    record_event(
        action="hosting.ended",
        target=agreement,
        origin=origin,
        details={"reason": agreement.end_reason, "settled_to": settle_to.strip()},
    )
    _tell_agreement(agreement, origin, agreement.end_reason)
    return agreement


@transaction.atomic
def ask_to_end(*, agreement: HostingAgreement, reason: str, origin: Origin) -> HostingAgreement:
    """An initiator or a coordinator of the host asks the host's finance officers to end an
    agreement that still holds money (they book where the balance goes)."""
    agreement = _lock(agreement)
    actor = _actor(origin)
    _require(
        access.is_coordinator(actor, agreement.host_id)
        or access.is_initiator(actor, agreement.initiative)
    )
    if agreement.state != AgreementState.ACTIVE:
        raise HostingError(_("Only an active agreement can be ended this way."), code="state")
    if not reason.strip():
        raise HostingError(_("Give a reason."), code="reason")
    record_event(
        action="hosting.end_requested",
        target=agreement,
        origin=origin,
        details={"reason": reason.strip()},
    )
    context = {
        "agreement": agreement,
        "state": _("asked to end"),
        "reason": reason.strip(),
        "link": url_for("hosting:end", args=[agreement.pk]),
    }
    _tell(
        host_people(agreement.host_id, access.FINANCE_ROLES),
        "hosting.agreement_changed",
        context,
        origin,
    )
    return agreement


def active_agreement(initiative) -> HostingAgreement | None:
    return (
        HostingAgreement.objects.filter(initiative=initiative, state=AgreementState.ACTIVE)
        .select_related("host")
        .first()
    )


# ---------------------------------------------------------------------------------------------
# Accounts
# ---------------------------------------------------------------------------------------------


def _account(kind, host_id, initiative_id=None, grant_id=None, category="") -> LedgerAccount:
    key = LedgerAccount.make_key(kind, host_id, initiative_id, grant_id, category)
    account, _created = LedgerAccount.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "host_id": host_id,
            "initiative_id": initiative_id,
            "grant_id": grant_id,
            "category": category,
        },
    )
    return account


def earmark_account(grant: Grant) -> LedgerAccount:
    return _account(AccountKind.EARMARK, grant.host_id, grant.initiative_id, grant.pk)


def income_account(grant: Grant) -> LedgerAccount:
    return _account(AccountKind.INCOME, grant.host_id, grant.initiative_id, grant.pk)


def expense_account(grant: Grant, category: str) -> LedgerAccount:
    if category not in Category.values:
        raise HostingError(_("Choose a valid category."), code="category")
    return _account(AccountKind.EXPENSE, grant.host_id, grant.initiative_id, grant.pk, category)


def host_bank_account(host) -> LedgerAccount:
    return _account(AccountKind.BANK, host.pk)


def host_fees_account(host) -> LedgerAccount:
    return _account(AccountKind.FEES, host.pk)


def account_balance(account: LedgerAccount) -> int:
    """The sum of the account's entries (debit positive)."""
    return account.entries.aggregate(total=Sum("amount_cents"))["total"] or 0


def earmark_balances(initiative, host=None) -> dict[Grant, int]:
    """What is left per grant of the initiative (with ``host``: only what that host holds)."""
    grants = Grant.objects.filter(initiative=initiative)
    if host is not None:
        grants = grants.filter(host=host)
    grants = {g.pk: g for g in grants}
    sums = dict(
        LedgerEntry.objects.filter(
            account__kind=AccountKind.EARMARK, account__grant_id__in=list(grants)
        )
        .values_list("account__grant_id")
        .annotate(total=Sum("amount_cents"))
        .values_list("account__grant_id", "total")
    )
    return {grant: sums.get(pk, 0) for pk, grant in grants.items()}


# ---------------------------------------------------------------------------------------------
# Posting
# ---------------------------------------------------------------------------------------------


def _check_amount(amount_cents: int) -> None:
    if not isinstance(amount_cents, int) or isinstance(amount_cents, bool):
        raise HostingError(_("The amount must be whole cents."), code="amount")
    if amount_cents <= 0:
        raise HostingError(_("The amount must be more than zero."), code="amount")
    if amount_cents > MAX_AMOUNT_CENTS:
        raise HostingError(_("The amount is too large."), code="amount")


@dataclass
class Posting:
    """One balanced transaction to write with :func:`_post_many`.

    ``paying``: the expense this transaction pays (it may use the money that expense
    holds; the caller marks it paid in the same database transaction)."""

    host: Any
    initiative: Any
    date: datetime.date
    kind: str
    description: str
    lines: list[tuple[LedgerAccount, int]]
    reverses: LedgerTransaction | None = None
    reason: str = ""
    category: str = ""
    paying: Expense | None = None


def _check_posting(posting: Posting) -> None:
    lines = posting.lines
    if len(lines) < 2:
        raise HostingError(_("A transaction needs at least two entries."), code="entries")
    if any(amount == 0 for _account, amount in lines):
        raise HostingError(_("An entry cannot be zero."), code="entries")
    if sum(amount for _account, amount in lines) != 0:
        raise HostingError(_("The entries of a transaction must sum to zero."), code="unbalanced")
    posting.description = posting.description.strip()
    if not posting.description:
        raise HostingError(_("Describe the transaction."), code="description")


def _post(
    *,
    host,
    initiative,
    date: datetime.date,
    kind: str,
    description: str,
    lines: list[tuple[LedgerAccount, int]],
    origin: Origin,
    reverses: LedgerTransaction | None = None,
    reason: str = "",
    category: str = "",
    paying: Expense | None = None,
) -> LedgerTransaction:
    """Write one balanced transaction; refuses what does not sum to zero or would leave
    an earmark below zero or below what approved expenses still wait for (except the
    expense being paid). Must run inside ``transaction.atomic``."""
    posting = Posting(
        host=host,
        initiative=initiative,
        date=date,
        kind=kind,
        description=description,
        lines=lines,
        reverses=reverses,
        reason=reason,
        category=category,
        paying=paying,
    )
    (written,) = _post_many([posting], origin)
    if isinstance(written, HostingError):
        raise written
    return written


def _post_many(postings: list[Posting], origin: Origin) -> list[LedgerTransaction | HostingError]:
    """Write many balanced transactions at once, in order, with the checks of
    :func:`_post`: the earmark accounts are locked once (in a fixed order, so two writers
    never wait for each other), their balances and what approved expenses hold are read
    once and followed in memory, and the transactions, entries and audit events are
    inserted in bulk. Returns, per posting, its transaction or the :class:`HostingError`
    that refused it (a refused posting writes nothing; the others are written). A
    posting that is malformed (unbalanced, a zero entry, no description) raises.
    Must run inside ``transaction.atomic``."""
    for posting in postings:
        _check_posting(posting)
    earmarks = {
        account.pk: account
        for posting in postings
        for account, _amount in posting.lines
        if account.kind == AccountKind.EARMARK
    }
    balances: dict[int, int] = {}
    held: dict[int, int] = {}
    paying_held: dict[int, int] = {}
    if earmarks:
        # Lock the earmark accounts (in a fixed order) so two payments cannot both
        # spend the last euro.
        list(LedgerAccount.objects.select_for_update().filter(pk__in=earmarks).order_by("pk"))
        balances = dict(
            LedgerEntry.objects.filter(account_id__in=earmarks)
            .order_by()
            .values("account_id")
            .annotate(total=Sum("amount_cents"))
            .values_list("account_id", "total")
        )
        held = dict(
            Expense.objects.filter(
                grant_id__in={a.grant_id for a in earmarks.values()}, state__in=COMMITTED_STATES
            )
            .order_by()
            .values("grant_id")
            .annotate(total=Sum("amount_cents"))
            .values_list("grant_id", "total")
        )
        paying = [p.paying.pk for p in postings if p.paying is not None]
        if paying:
            paying_held = dict(
                Expense.objects.filter(pk__in=paying, state__in=COMMITTED_STATES).values_list(
                    "pk", "amount_cents"
                )
            )
    results: list[LedgerTransaction | HostingError] = []
    for posting in postings:
        changes: dict[int, int] = {}
        for account, amount in posting.lines:
            if account.pk in earmarks:
                changes[account.pk] = changes.get(account.pk, 0) + amount
        own = paying_held.get(posting.paying.pk, 0) if posting.paying is not None else 0
        refused = None
        for pk in sorted(changes):
            earmark = earmarks[pk]
            waiting = held.get(earmark.grant_id, 0)
            if posting.paying is not None and posting.paying.grant_id == earmark.grant_id:
                waiting -= own
            if changes[pk] < 0 and balances.get(pk, 0) + changes[pk] < waiting:
                refused = HostingError(
                    _("Not enough money is left in %(grant)s.") % {"grant": earmark.grant.label},
                    code="insufficient",
                )
                break
        if refused is not None:
            results.append(refused)
            continue
        for pk, change in changes.items():
            balances[pk] = balances.get(pk, 0) + change
        if own:  # the expense is paid now: it no longer holds its money
            held[posting.paying.grant_id] = held.get(posting.paying.grant_id, 0) - own
        initiative_id = posting.initiative.pk if posting.initiative is not None else None
        delta = sum(
            change
            for pk, change in changes.items()
            if initiative_id is not None and earmarks[pk].initiative_id == initiative_id
        )
        results.append(
            LedgerTransaction(
                date=posting.date,
                kind=posting.kind,
                description=posting.description[:200],
                host=posting.host,
                initiative=posting.initiative,
                created_by=_actor(origin),
                reverses=posting.reverses,
                reason=posting.reason,
                earmark_delta_cents=delta,
                category=posting.category,
                origin_ip_hash=origin.ip_hash if origin else "",
            )
        )
    written = [
        (posting, txn)
        for posting, txn in zip(postings, results, strict=True)
        if isinstance(txn, LedgerTransaction)
    ]
    if written:
        LedgerTransaction.objects.bulk_create([txn for _posting, txn in written], batch_size=1000)
        LedgerEntry.objects.bulk_create(
            [
                LedgerEntry(transaction=txn, account=account, amount_cents=amount)
                for posting, txn in written
                for account, amount in posting.lines
            ],
            batch_size=2000,
        )
        record_events(
            [
                audit_event(
                    action=f"hosting.ledger_{posting.kind}",
                    target=txn,
                    origin=origin,
                    details={
                        "entries": [[a.key, amount] for a, amount in posting.lines],
                        "reverses": posting.reverses.pk if posting.reverses else None,
                        "reason": posting.reason,
                    },
                )
                for posting, txn in written
            ]
        )
    return results


def _committed(grant_id, *, excluding: Expense | None = None) -> int:
    """What approved expenses on the grant still wait for (they hold their money).

    ``excluding``: the expense being paid or approved now."""
    held = Expense.objects.filter(grant_id=grant_id, state__in=COMMITTED_STATES)
    if excluding is not None:
        held = held.exclude(pk=excluding.pk)
    return held.aggregate(total=Sum("amount_cents"))["total"] or 0


def _require_finance(origin: Origin, host) -> None:
    actor = _actor(origin)
    if actor is None:
        return  # the system (a signal, a command, the demo loader)
    _require(access.is_finance_officer(actor, host))


@transaction.atomic
def record_grant(
    *,
    initiative,
    source: str,
    label: str,
    amount_cents: int,
    date: datetime.date,
    origin: Origin,
    plan=None,
    authorised: bool = False,
) -> Grant:
    """Money for an initiative arrived at its host: a new earmark, minus the host fee.

    ``authorised``: the caller has checked who decides (the initiatives fund: a civil
    servant of the municipality), so the actor need not be the host's finance officer."""
    agreement = active_agreement(initiative)
    if agreement is None:
        raise HostingError(_("This initiative has no active host."), code="not_hosted")
    if not authorised:
        _require_finance(origin, agreement.host)
    _check_amount(amount_cents)
    if source not in GrantSource.values or source == GrantSource.DONATIONS:
        raise HostingError(_("Choose a valid source."), code="source")
    if not label.strip():
        raise HostingError(_("Describe where the money comes from."), code="label")
    grant = Grant.objects.create(
        initiative=initiative,
        host=agreement.host,
        source=source,
        label=label.strip()[:200],
        plan=plan,
        budget_cents=amount_cents,
        created_by=_actor(origin),
    )
    _receive(agreement, grant, amount_cents, date, label.strip(), TransactionKind.GRANT, origin)
    record_event(
        action="hosting.grant_created",
        target=grant,
        origin=origin,
        details={"amount_cents": amount_cents, "plan": plan.pk if plan else None},
    )
    return grant


def _receive(agreement, grant, amount_cents, date, description, kind, origin):
    fee = amount_cents * agreement.fee_basis_points // 10000
    lines = [(earmark_account(grant), amount_cents), (income_account(grant), -amount_cents)]
    if fee:
        lines += [
            (earmark_account(grant), -fee),
            (expense_account(grant, Category.HOST_FEE), fee),
        ]
        # The fee leaves the initiative's money and becomes the host's.
        lines += [
            (host_bank_account(agreement.host), fee),
            (host_fees_account(agreement.host), -fee),
        ]
    # one entry per account
    merged: dict[int, list] = {}
    for account, amount in lines:
        merged.setdefault(account.pk, [account, 0])[1] += amount
    return _post(
        host=agreement.host,
        initiative=grant.initiative,
        date=date,
        kind=kind,
        description=description,
        lines=[(a, amt) for a, amt in merged.values() if amt],
        origin=origin,
    )


def grant_from_plan(plan, origin: Origin) -> Grant | None:
    """The funded plan's money as an earmarked grant of the initiative that carries it.

    Idempotent: a plan has at most one grant (a second call returns it). Returns None
    when the plan is not funded, has no initiative or the initiative has no host.
    """
    existing = Grant.objects.filter(plan=plan).first()
    if existing is not None:
        if existing.withdrawn_at is not None and FundedPlan.objects.filter(plan=plan).exists():
            return reinstate_grant(existing, origin=origin)  # a later recount funds it again
        return existing
    funding = FundedPlan.objects.filter(plan=plan).first()
    if funding is None or plan.initiative_id is None or funding.amount_cents <= 0:
        return None
    if active_agreement(plan.initiative) is None:
        return None
    label = stored_text(
        gettext_noop("%(round)s, plan %(number)s"),
        round=plan.budget_round.title,
        number=plan.pk,
    )
    try:
        with transaction.atomic():
            return record_grant(
                initiative=plan.initiative,
                source=GrantSource.BUURTBUDGET,
                label=label,
                amount_cents=funding.amount_cents,
                date=timezone.localdate(),
                origin=origin,
                plan=plan,
            )
    except IntegrityError:  # made at the same moment by another process
        return Grant.objects.get(plan=plan)


def _lock_grant(grant: Grant) -> tuple[Grant, LedgerAccount]:
    grant = (
        Grant.objects.select_for_update(of=("self",))
        .select_related("host", "initiative", "plan")
        .get(pk=grant.pk)
    )
    earmark = earmark_account(grant)
    # the earmark row lock serialises this with payments and approvals of the grant
    list(LedgerAccount.objects.select_for_update().filter(pk=earmark.pk))
    return grant, earmark


def _tell_grant(grant: Grant, kind_of_change: str, origin: Origin) -> None:
    """The host's finance officers and the initiative's members hear of a withdrawal."""
    context = {
        "grant": grant,
        "initiative": grant.initiative,
        "change": kind_of_change,
        "withdrawn": grant.withdrawn_cents,
        "to_resolve": grant.to_resolve_cents,
        "link": url_for("hosting:initiative", args=[grant.initiative.slug]),
    }
    people = list(host_people(grant.host_id, access.FINANCE_ROLES)) + list(
        grant.initiative.members.filter(is_active=True)
    )
    _tell({p.pk: p for p in people}.values(), "hosting.grant_withdrawn", context, origin)


@transaction.atomic
def withdraw_grant(grant: Grant, *, reason: str, origin: Origin) -> Grant:
    """A recount no longer funds the grant's plan ("ingetrokken na hertelling").

    The grant is not deleted (the ledger is append-only): what is left and not promised to
    approved expenses goes back in one transaction (earmark credit, income debit), so it
    can no longer be spent. What was spent or promised before stays and is flagged
    (``to_resolve_cents``) for the host to resolve with the municipality. The host's
    finance officers and the initiative's members are told. Idempotent.
    """
    grant, earmark = _lock_grant(grant)
    if grant.withdrawn_at is not None:
        return grant
    _require_finance(origin, grant.host)
    income = income_account(grant)
    received = -account_balance(income)
    back = _book_withdrawal(grant, earmark, reason, origin)
    grant.withdrawn_at = timezone.now()
    grant.withdrawn_cents = back
    grant.to_resolve_cents = received - back
    grant.save(update_fields=["withdrawn_at", "withdrawn_cents", "to_resolve_cents"])
    record_event(
        action="hosting.grant_withdrawn",
        target=grant,
        origin=origin,
        details={
            "reason": reason,
            "returned_cents": back,
            "to_resolve_cents": grant.to_resolve_cents,
            "plan": grant.plan_id,
        },
    )
    _tell_grant(grant, "withdrawn", origin)
    return grant


def _book_withdrawal(grant: Grant, earmark: LedgerAccount, reason: str, origin: Origin) -> int:
    """Send back what the locked grant's earmark holds beyond its promises; returns it."""
    back = max(account_balance(earmark) - _committed(grant.pk), 0)
    if back:
        _post(
            host=grant.host,
            initiative=grant.initiative,
            date=timezone.localdate(),
            kind=TransactionKind.WITHDRAWAL,
            description=stored_text(
                gettext_noop("Withdrawn after recount: %(grant)s"), grant=grant.label
            ),
            lines=[(earmark, -back), (income_account(grant), back)],
            origin=origin,
            reason=reason,
        )
    return back


def withdraw_freed(grant_id: int, *, reason: str, origin: Origin) -> int:
    """A promise on a withdrawn grant was released (an approved expense rejected, a payment
    failed or reversed): the freed money goes back as well, so it cannot be spent again.

    Call inside the transaction that released it. Not a decision of its own, so whoever
    released the promise books it. Returns what went back (0 when the grant is not
    withdrawn)."""
    grant, earmark = _lock_grant(Grant(pk=grant_id))
    if grant.withdrawn_at is None:
        return 0
    back = _book_withdrawal(grant, earmark, reason, origin)
    if back:
        grant.withdrawn_cents += back
        grant.to_resolve_cents -= back
        grant.save(update_fields=["withdrawn_cents", "to_resolve_cents"])
        record_event(
            action="hosting.grant_withdrawn_more",
            target=grant,
            origin=origin,
            details={
                "reason": reason,
                "returned_cents": back,
                "to_resolve_cents": grant.to_resolve_cents,
            },
        )
    return back


@transaction.atomic
def reinstate_grant(grant: Grant, *, origin: Origin) -> Grant:
    """A later recount funds the plan again: what went back at the withdrawal comes back."""
    grant, earmark = _lock_grant(grant)
    if grant.withdrawn_at is None:
        return grant
    _require_finance(origin, grant.host)
    if grant.withdrawn_cents:
        _post(
            host=grant.host,
            initiative=grant.initiative,
            date=timezone.localdate(),
            kind=TransactionKind.GRANT,
            description=stored_text(
                gettext_noop("Funded again after recount: %(grant)s"), grant=grant.label
            ),
            lines=[
                (earmark, grant.withdrawn_cents),
                (income_account(grant), -grant.withdrawn_cents),
            ],
            origin=origin,
        )
    record_event(
        action="hosting.grant_reinstated",
        target=grant,
        origin=origin,
        details={"returned_cents": grant.withdrawn_cents},
    )
    grant.withdrawn_at = None
    grant.withdrawn_cents = 0
    grant.to_resolve_cents = 0
    grant.save(update_fields=["withdrawn_at", "withdrawn_cents", "to_resolve_cents"])
    _tell_grant(grant, "reinstated", origin)
    return grant


def donations_grant(agreement) -> Grant:
    grant, _created = Grant.objects.get_or_create(
        initiative=agreement.initiative,
        host=agreement.host,
        source=GrantSource.DONATIONS,
        defaults={"label": stored_text(gettext_noop("Donations"))},
    )
    return grant


@transaction.atomic
def record_donation(
    *, initiative, amount_cents: int, date: datetime.date, description: str, origin: Origin
) -> LedgerTransaction:
    """A donation the host received for the initiative (no donor's name in the ledger)."""
    agreement = active_agreement(initiative)
    if agreement is None:
        raise HostingError(_("This initiative has no active host."), code="not_hosted")
    _require_finance(origin, agreement.host)
    _check_amount(amount_cents)
    if date > timezone.localdate():
        raise HostingError(_("The date cannot be in the future."), code="date")
    grant = donations_grant(agreement)
    return _receive(
        agreement,
        grant,
        amount_cents,
        date,
        description.strip() or stored_text(gettext_noop("Donation")),
        TransactionKind.DONATION,
        origin,
    )


@transaction.atomic
def record_expense(
    *,
    grant: Grant,
    category: str,
    amount_cents: int,
    date: datetime.date,
    description: str,
    origin: Origin,
    paying=None,
) -> LedgerTransaction:
    """A payment from an earmark (``paying``: the expense it pays, whose money it may use)."""
    _require_finance(origin, grant.host)
    _check_amount(amount_cents)
    return _post(
        host=grant.host,
        initiative=grant.initiative,
        date=date,
        kind=TransactionKind.EXPENSE,
        description=description,
        lines=[
            (expense_account(grant, category), amount_cents),
            (earmark_account(grant), -amount_cents),
        ],
        origin=origin,
        category=category,
        paying=paying,
    )


@transaction.atomic
def reverse(
    txn: LedgerTransaction, reason: str, origin: Origin, *, date: datetime.date | None = None
) -> LedgerTransaction:
    """Correct a transaction by one with the opposite entries (never an edit), booked today
    or on ``date`` (a return on a bank statement: the day the bank booked it)."""
    # Lock the original (a row lock, not a change) so two corrections of it queue and the
    # second one sees the first.
    txn = (
        LedgerTransaction.objects.select_for_update(of=("self",))
        .select_related("host", "initiative")
        .get(pk=txn.pk)
    )
    _require_finance(origin, txn.host)
    if not reason.strip():
        raise HostingError(_("Give a reason for the correction."), code="reason")
    if txn.kind == TransactionKind.REVERSAL:
        raise HostingError(_("A correction cannot be reversed; record it anew."), code="reversal")
    if LedgerTransaction.objects.filter(reverses=txn).exists():
        raise HostingError(_("This transaction has already been corrected."), code="reversed")
    lines = [(e.account, -e.amount_cents) for e in txn.entries.select_related("account__grant")]
    try:
        with transaction.atomic():
            return _post(
                host=txn.host,
                initiative=txn.initiative,
                date=date or timezone.localdate(),
                kind=TransactionKind.REVERSAL,
                description=stored_text(
                    gettext_noop("Correction: %(description)s"), description=txn.description
                ),
                lines=lines,
                origin=origin,
                reverses=txn,
                reason=reason.strip(),
                category=txn.category,
            )
    except IntegrityError:  # reversed at the same moment
        raise HostingError(
            _("This transaction has already been corrected."), code="reversed"
        ) from None
