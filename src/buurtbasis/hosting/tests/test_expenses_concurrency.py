"""Real concurrent transactions on PostgreSQL: two approvers, two payers, two batch builders
or two imports at the same moment end with exactly one result (and one payment).

PostgreSQL only (``select_for_update`` is a no-op on SQLite): run with
``scripts/with_postgres.py``. Every thread has its own database connection; a barrier
lets them start together, and the tests repeat the race a few times.
"""

import datetime
import threading
from functools import partial

import pytest
from django.db import connection

from buurtbasis.hosting import expenses
from buurtbasis.hosting.models import LedgerTransaction
from buurtbasis.hosting.models_expenses import (
    BankStatement,
    Expense,
    ExpenseState,
    PayoutBatch,
    PayoutItem,
)
from buurtbasis.platform.audit import Origin

from .expense_helpers import World, statement_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (with_postgres.py)"
    ),
]

ROUNDS = 3


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "buurtbasis.platform.uploads.PrivateStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }


def _race(*targets):
    """Run the targets at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(targets))
    results: list = [None] * len(targets)
    errors: list = [None] * len(targets)

    def run(i, target):
        try:
            barrier.wait()
            results[i] = target()
        except expenses.HostingError as exc:
            errors[i] = exc
        except BaseException as exc:  # noqa: BLE001 - any other error fails the test below
            errors[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def _one_won(results, errors):
    assert sum(r is not None for r in results) == 1, errors
    refused = [e for e in errors if e is not None]
    assert len(refused) == len(results) - 1
    assert all(isinstance(e, expenses.HostingError) for e in refused), refused


def test_two_approvers_giving_the_last_approval_at_once_approve_it_once():
    w = World(grant_cents=1_000_000)
    for _ in range(ROUNDS):
        expense = w.submit(amount=60_000)  # two host approvers from 500 euros
        expenses.approve(expense=expense, origin=Origin(actor=w.treasurer))
        expenses.approve(expense=expense, origin=Origin(actor=w.officer))
        results, errors = _race(
            partial(expenses.approve, expense=expense, origin=Origin(actor=w.officer2)),
            partial(expenses.approve, expense=expense, origin=Origin(actor=w.officer3)),
        )
        _one_won(results, errors)
        expense.refresh_from_db()
        assert expense.state == ExpenseState.APPROVED
        assert expense.approvals.count() == 3
        assert expense.events.filter(new_state=ExpenseState.APPROVED).count() == 1


def test_two_approvals_of_different_expenses_never_promise_the_same_euro():
    w = World(grant_cents=10_000)
    a = w.submit(amount=6_000)
    b = w.submit(amount=6_000)
    results, errors = _race(
        lambda: expenses.approve(expense=a, origin=Origin(actor=w.treasurer)),
        lambda: expenses.approve(expense=b, origin=Origin(actor=w.treasurer)),
    )
    _one_won(results, errors)
    states = sorted(Expense.objects.values_list("state", flat=True))
    assert states == [ExpenseState.APPROVED, ExpenseState.SUBMITTED]


def test_two_officers_paying_by_hand_at_once_pay_once():
    w = World()
    for _ in range(ROUNDS):
        expense = w.approve_fully(w.submit(amount=4_550))
        results, errors = _race(
            partial(
                expenses.mark_paid_by_hand,
                expense=expense,
                reason="Contant",
                origin=Origin(actor=w.officer),
            ),
            partial(
                expenses.mark_paid_by_hand,
                expense=expense,
                reason="Per bank",
                origin=Origin(actor=w.officer2),
            ),
        )
        _one_won(results, errors)
        expense.refresh_from_db()
        assert expense.state == ExpenseState.PAID
    assert LedgerTransaction.objects.filter(kind="expense").count() == ROUNDS


def test_two_batches_built_at_once_hold_each_expense_once():
    w = World()
    for _ in range(ROUNDS):
        one = w.approve_fully(w.submit(amount=4_550))
        two = w.approve_fully(w.submit(amount=2_000))
        today = datetime.date.today()
        results, errors = _race(
            partial(
                expenses.create_batch,
                host=w.host,
                expense_ids=[one.pk, two.pk],
                execution_date=today,
                origin=Origin(actor=w.officer),
            ),
            partial(
                expenses.create_batch,
                host=w.host,
                expense_ids=[two.pk, one.pk],
                execution_date=today,
                origin=Origin(actor=w.officer2),
            ),
        )
        _one_won(results, errors)
        for e in (one, two):
            assert PayoutItem.objects.filter(expense=e).count() == 1
    assert PayoutBatch.objects.count() == ROUNDS


def test_the_same_statement_imported_twice_at_once_pays_once():
    w = World()
    expense = w.approve_fully(w.submit(amount=4_550))
    batch = w.batch(expense)
    data = statement_for(list(batch.items.select_related("expense")))
    results, errors = _race(
        lambda: expenses.import_statement(host=w.host, data=data, origin=Origin(actor=w.officer)),
        lambda: expenses.import_statement(host=w.host, data=data, origin=Origin(actor=w.officer2)),
    )
    assert all(e is None or isinstance(e, expenses.HostingError) for e in errors), errors
    imported = [r for r in results if r is not None and r.statements]
    assert len(imported) == 1
    assert BankStatement.objects.count() == 1
    expense.refresh_from_db()
    assert expense.state == ExpenseState.PAID
    assert LedgerTransaction.objects.filter(kind="expense").count() == 1


def test_an_import_and_a_payment_by_hand_at_once_pay_each_expense_once():
    w = World(grant_cents=1_000_000)
    for n in range(ROUNDS):
        group = [w.approve_fully(w.submit(amount=1_000 + i)) for i in range(4)]
        batch = w.batch(*group)
        data = statement_for(list(batch.items.select_related("expense")), statement_id=f"ABN-{n}")
        by_hand = group[2]
        results, errors = _race(
            lambda data=data: expenses.import_statement(
                host=w.host, data=data, origin=Origin(actor=w.officer)
            ),
            partial(
                expenses.mark_paid_by_hand,
                expense=by_hand,
                reason="Contant",
                origin=Origin(actor=w.officer2),
            ),
        )
        # The import always goes through; the payment by hand either wins (the import
        # leaves that line to a person) or is refused because the statement paid it first.
        assert errors[0] is None, errors
        assert errors[1] is None or isinstance(errors[1], expenses.HostingError), errors
        assert results[0].linked == (3 if errors[1] is None else 4)
        for expense in group:
            expense.refresh_from_db()
            assert expense.state == ExpenseState.PAID
            assert LedgerTransaction.objects.filter(paid_expense=expense).count() == 1
    assert LedgerTransaction.objects.filter(kind="expense").count() == 4 * ROUNDS
