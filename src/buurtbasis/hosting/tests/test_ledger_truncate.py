"""PostgreSQL refuses TRUNCATE of a ledger that holds rows, and the test suite can still
flush its database after a test that committed ledger rows (``hosting.testing``)."""

from __future__ import annotations

import datetime

import pytest
from django.db import DatabaseError, connection, transaction

from buurtbasis.hosting import services
from buurtbasis.hosting.models import GrantSource, LedgerEntry, LedgerTransaction
from buurtbasis.hosting.testing import TABLES, empty_ledger_for_flush

from .factories import hosted

DAY = datetime.date(2026, 3, 1)
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no TRUNCATE; the PostgreSQL pass runs it"
)


def _books():
    h = hosted(fee_basis_points=250)
    services.record_grant(
        initiative=h.initiative,
        source=GrantSource.FUND,
        label="Initiatievenfonds 2026",
        amount_cents=100_000,
        date=DAY,
        origin=h.as_officer,
    )
    return h


def _guards_enabled() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname, tgenabled FROM pg_trigger WHERE tgname = ANY(%s)",
            [[f"{table}_no_truncate" for table in TABLES]],
        )
        return dict(cursor.fetchall())


@postgres_only
@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        "TRUNCATE hosting_ledgerentry",
        "TRUNCATE hosting_ledgertransaction CASCADE",
        "TRUNCATE hosting_ledgerentry, hosting_ledgertransaction CASCADE",
    ],
)
def test_postgresql_refuses_to_truncate_the_ledger(sql):
    _books()
    before = list(LedgerEntry.objects.order_by("pk").values_list("pk", "amount_cents"))
    assert before
    with (
        pytest.raises(DatabaseError, match="append-only: TRUNCATE"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # as if the rows had been committed: no deferred check of them is pending
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(sql)
    assert list(LedgerEntry.objects.order_by("pk").values_list("pk", "amount_cents")) == before


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_suite_empties_a_committed_ledger_for_the_flush_and_puts_the_guard_back():
    _books()  # committed: a transactional test
    assert LedgerTransaction.objects.exists()
    empty_ledger_for_flush()
    assert not LedgerTransaction.objects.exists() and not LedgerEntry.objects.exists()
    assert _guards_enabled() == {f"{table}_no_truncate": "O" for table in TABLES}
    _books()
    with pytest.raises(DatabaseError, match="append-only: TRUNCATE"), connection.cursor() as c:
        c.execute("TRUNCATE hosting_ledgerentry, hosting_ledgertransaction CASCADE")
    # the fixture ``_flushable_ledger`` empties it again after this test, so the flush runs
