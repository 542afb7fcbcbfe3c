"""Money of a grant withdrawn after a recount stays withdrawn: an expense promised before
the withdrawal that is rejected, fails or is unlinked frees money that goes back at once,
and no expense on the grant can be submitted, approved or retried any more."""

from __future__ import annotations

import pytest

from buurtbasis.hosting import expenses, services
from buurtbasis.hosting.models import Grant, LedgerTransaction, TransactionKind
from buurtbasis.hosting.models_expenses import ExpenseState
from buurtbasis.hosting.services import HostingError
from buurtbasis.platform.audit import Origin

from .expense_helpers import World, statement_for

pytestmark = pytest.mark.django_db


def _earmark(grant) -> int:
    return services.account_balance(services.earmark_account(grant))


def _withdraw(w):
    services.withdraw_grant(w.grant, reason="hertelling", origin=Origin(actor=w.officer))
    return Grant.objects.get(pk=w.grant.pk)


def _received(grant) -> int:
    return -services.account_balance(services.income_account(grant))


def _check_books(grant, withdrawn, to_resolve):
    grant = Grant.objects.get(pk=grant.pk)
    assert (grant.withdrawn_cents, grant.to_resolve_cents) == (withdrawn, to_resolve)
    assert grant.withdrawn_cents + grant.to_resolve_cents == 10_000  # what arrived
    # nothing is left to spend: the earmark holds exactly what is still promised
    assert expenses.available_cents(grant) == 0


def test_a_rejected_promise_goes_back_and_a_draft_cannot_be_submitted_or_approved():
    w = World(grant_cents=10_000)
    a = w.approve_fully(w.submit(amount=6_000))
    b = w.submit(amount=3_000, draft=True)
    grant = _withdraw(w)
    assert (grant.withdrawn_cents, grant.to_resolve_cents) == (4_000, 6_000)

    expenses.reject(expense=a, reason="Geen bon", origin=Origin(actor=w.officer))
    _check_books(grant, 10_000, 0)
    assert _earmark(grant) == 0
    assert _received(grant) == 0
    last = LedgerTransaction.objects.filter(kind=TransactionKind.WITHDRAWAL).latest("pk")
    assert last.entries.filter(amount_cents=-6_000).exists()

    with pytest.raises(HostingError) as refused:
        expenses.submit(expense=b, origin=Origin(actor=w.member))
    assert refused.value.code == "withdrawn"
    assert "hertelling" in refused.value.messages[0]


def test_a_submitted_claim_on_a_withdrawn_grant_is_not_approved():
    w = World(grant_cents=10_000)
    e = w.submit(amount=3_000)
    _withdraw(w)
    with pytest.raises(HostingError) as refused:
        expenses.approve(expense=e, origin=Origin(actor=w.treasurer))
    assert refused.value.code == "withdrawn"
    e.refresh_from_db()
    assert e.state == ExpenseState.SUBMITTED
    # it can still be rejected
    expenses.reject(expense=e, reason="Ingetrokken", origin=Origin(actor=w.officer))


def test_a_failed_payment_frees_its_money_and_cannot_be_retried():
    w = World(grant_cents=10_000)
    a = w.approve_fully(w.submit(amount=6_000))
    w.batch(a)
    grant = _withdraw(w)
    expenses.mark_failed(expense=a, reason="IBAN onbekend", origin=Origin(actor=w.officer))
    _check_books(grant, 10_000, 0)
    with pytest.raises(HostingError) as refused:
        expenses.retry(expense=a, origin=Origin(actor=w.officer))
    assert refused.value.code == "withdrawn"


def test_a_paid_expense_that_fails_later_gives_its_money_back():
    w = World(grant_cents=10_000)
    a = w.approve_fully(w.submit(amount=6_000))
    w.batch(a)
    expenses.mark_paid_by_hand(expense=a, reason="Bank", origin=Origin(actor=w.officer))
    grant = _withdraw(w)
    assert (grant.withdrawn_cents, grant.to_resolve_cents) == (4_000, 6_000)
    expenses.mark_failed(expense=a, reason="Teruggeboekt", origin=Origin(actor=w.officer))
    _check_books(grant, 10_000, 0)
    assert _earmark(grant) == 0


def test_an_unlinked_payment_stays_promised_and_a_later_return_frees_it():
    w = World(grant_cents=10_000)
    a = w.approve_fully(w.submit(amount=6_000))
    batch = w.batch(a)
    result = expenses.import_statement(
        host=w.host, data=statement_for(list(batch.items.all())), origin=Origin(actor=w.officer)
    )
    assert result.linked == 1
    grant = _withdraw(w)
    from buurtbasis.hosting.models_expenses import BankLine

    line = BankLine.objects.get(linked__isnull=False)
    expenses.unlink_line(line=line, reason="Verkeerd", origin=Origin(actor=w.officer))
    a.refresh_from_db()
    assert a.state == ExpenseState.SCHEDULED
    _check_books(grant, 4_000, 6_000)  # still promised to the scheduled payment
    expenses.mark_failed(expense=a, reason="Niet betaald", origin=Origin(actor=w.officer))
    _check_books(grant, 10_000, 0)


def test_a_reinstated_grant_gets_every_withdrawn_euro_back():
    w = World(grant_cents=10_000)
    a = w.approve_fully(w.submit(amount=6_000))
    _withdraw(w)
    expenses.reject(expense=a, reason="Geen bon", origin=Origin(actor=w.officer))
    services.reinstate_grant(Grant.objects.get(pk=w.grant.pk), origin=Origin(actor=w.officer))
    grant = Grant.objects.get(pk=w.grant.pk)
    assert _earmark(grant) == 10_000
    assert (grant.withdrawn_cents, grant.to_resolve_cents) == (0, 0)
