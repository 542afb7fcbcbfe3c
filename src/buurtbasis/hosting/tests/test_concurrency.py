"""Two finance officers at the same moment: the last euro is spent once, a transaction
is corrected once. Real concurrent transactions on PostgreSQL (the suite's PostgreSQL
pass, ``scripts/with_postgres.py``); each thread has its own connection."""

import datetime
import threading

import pytest
from django.db import connection

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.hosting import queries, services
from buurtbasis.hosting.models import Category, GrantSource, LedgerTransaction
from buurtbasis.organisations.models import Role
from buurtbasis.platform.audit import Origin

from .factories import hosted

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # SQLite's shared-cache test database refuses a second writer at once ("table is
    # locked") instead of making it wait; a file database with a busy timeout, as
    # deployed, queues writers. The race itself is run on PostgreSQL.
    pytest.mark.skipif(connection.vendor != "postgresql", reason="runs in the PostgreSQL pass"),
]
THREADS = 6
DAY = datetime.date(2026, 6, 1)


def _race(target, n=THREADS):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def run(i):
        try:
            barrier.wait()
            results.append(target(i))
        except services.HostingError as error:
            errors.append(error.code)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def _officers(h, n):
    return [h.officer] + [UserFactory(roles=[(Role.FINANCE_OFFICER, h.host)]) for _ in range(n - 1)]


def test_the_last_money_of_an_earmark_is_spent_once():
    h = hosted()
    grant = services.record_grant(
        initiative=h.initiative,
        source=GrantSource.FUND,
        label="Initiatievenfonds",
        amount_cents=10_000,
        date=DAY,
        origin=h.as_officer,
    )
    officers = _officers(h, THREADS)

    def pay(i):
        return services.record_expense(
            grant=grant,
            category=Category.MATERIALS,
            amount_cents=6_000,
            date=DAY,
            description=f"Verf {i}",
            origin=Origin(actor=officers[i]),
        )

    paid, refused = _race(pay)
    assert len(paid) == 1
    assert refused == ["insufficient"] * (THREADS - 1)
    assert queries.books(h.initiative).left == 4_000


def test_a_transaction_is_corrected_once():
    h = hosted()
    services.record_donation(
        initiative=h.initiative,
        amount_cents=2_500,
        date=DAY,
        description="Gift",
        origin=h.as_officer,
    )
    original = LedgerTransaction.objects.get()
    officers = _officers(h, THREADS)

    def correct(i):
        return services.reverse(original, "Dubbel geboekt", Origin(actor=officers[i]))

    done, refused = _race(correct)
    assert len(done) == 1
    assert refused == ["reversed"] * (THREADS - 1)
    assert LedgerTransaction.objects.filter(reverses=original).count() == 1
    assert queries.books(h.initiative).left == 0
