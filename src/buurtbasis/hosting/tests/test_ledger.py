"""The ledger: balanced, append-only (in code and in the database), corrected by reversal."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.hosting import queries, services
from buurtbasis.hosting.models import (
    AppendOnlyError,
    Category,
    GrantSource,
    LedgerEntry,
    LedgerTransaction,
)
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.models import AuditEvent

from .factories import hosted

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 1)


def _grant(h, amount=100_000):
    return services.record_grant(
        initiative=h.initiative,
        source=GrantSource.FUND,
        label="Initiatievenfonds 2026",
        amount_cents=amount,
        date=DAY,
        origin=h.as_officer,
    )


def test_a_grant_earmarks_money_and_takes_the_host_fee():
    h = hosted(fee_basis_points=500)  # 5 %
    grant = _grant(h)
    books = queries.books(h.initiative)
    [summary] = books.grants
    assert summary.received == 100_000
    assert summary.spent_by_category == {"host_fee": 5_000}
    assert summary.left == 95_000
    txn = LedgerTransaction.objects.get(initiative=h.initiative)
    assert sum(e.amount_cents for e in txn.entries.all()) == 0
    assert txn.earmark_delta_cents == 95_000
    assert services.account_balance(services.host_fees_account(h.host)) == -5_000
    assert AuditEvent.objects.filter(
        action="hosting.grant_created", object_id=str(grant.pk)
    ).exists()


def test_an_unbalanced_transaction_is_refused_and_nothing_is_stored():
    h = hosted()
    grant = _grant(h)
    before = LedgerEntry.objects.count()
    with pytest.raises(services.HostingError) as caught, transaction.atomic():
        services._post(
            host=h.host,
            initiative=h.initiative,
            date=DAY,
            kind="expense",
            description="Verf",
            lines=[
                (services.expense_account(grant, Category.MATERIALS), 1_000),
                (services.earmark_account(grant), -999),
            ],
            origin=h.as_officer,
        )
    assert caught.value.code == "unbalanced"
    assert LedgerEntry.objects.count() == before


def test_spending_more_than_is_left_is_refused():
    h = hosted()
    grant = _grant(h, 10_000)
    with pytest.raises(services.HostingError) as caught:
        services.record_expense(
            grant=grant,
            category=Category.FOOD,
            amount_cents=10_001,
            date=DAY,
            description="Koffie en taart",
            origin=h.as_officer,
        )
    assert caught.value.code == "insufficient"
    services.record_expense(
        grant=grant,
        category=Category.FOOD,
        amount_cents=10_000,
        date=DAY,
        description="Koffie en taart",
        origin=h.as_officer,
    )
    assert queries.books(h.initiative).left == 0


def test_many_postings_at_once_follow_the_balance_in_order_and_write_only_what_fits(
    django_assert_max_num_queries,
):
    h = hosted()
    grant = _grant(h, 10_000)
    earmark = services.earmark_account(grant)
    food = services.expense_account(grant, Category.FOOD)

    def spend(amount):
        return services.Posting(
            host=h.host,
            initiative=h.initiative,
            date=DAY,
            kind="expense",
            description=f"Uitgave {amount}",
            lines=[(food, amount), (earmark, -amount)],
            category=Category.FOOD,
        )

    before = AuditEvent.objects.count()
    # 6,000 fits, then 5,000 no longer does (4,000 left), then 4,000 does.
    with transaction.atomic(), django_assert_max_num_queries(8):
        written = services._post_many([spend(6_000), spend(5_000), spend(4_000)], h.as_officer)
    assert isinstance(written[0], LedgerTransaction) and isinstance(written[2], LedgerTransaction)
    assert isinstance(written[1], services.HostingError) and written[1].code == "insufficient"
    assert queries.books(h.initiative).left == 0
    assert [t.earmark_delta_cents for t in (written[0], written[2])] == [-6_000, -4_000]
    assert {e.transaction_id for e in LedgerEntry.objects.filter(account=earmark)} >= {
        written[0].pk,
        written[2].pk,
    }
    assert AuditEvent.objects.count() == before + 2


@pytest.mark.parametrize("amount", [0, -5, 10**12])
def test_a_bad_amount_is_refused(amount):
    h = hosted()
    with pytest.raises(services.HostingError) as caught:
        services.record_donation(
            initiative=h.initiative,
            amount_cents=amount,
            date=DAY,
            description="Gift",
            origin=h.as_officer,
        )
    assert caught.value.code == "amount"
    assert not LedgerTransaction.objects.exists()


def test_only_the_hosts_finance_officer_records_money():
    h = hosted()
    other = hosted()
    for person in (h.initiator, h.coordinator, other.officer, UserFactory()):
        with pytest.raises(services.HostingError):
            services.record_donation(
                initiative=h.initiative,
                amount_cents=500,
                date=DAY,
                description="Gift",
                origin=Origin(actor=person),
            )
    assert not LedgerTransaction.objects.exists()


def test_a_correction_is_a_reversing_transaction_and_only_one():
    h = hosted(fee_basis_points=250)
    _grant(h)
    original = LedgerTransaction.objects.get()
    correction = services.reverse(original, "Dubbel geboekt", h.as_officer)
    assert correction.reverses == original
    assert queries.books(h.initiative).left == 0
    assert queries.books(h.initiative).received == 0
    assert services.account_balance(services.host_fees_account(h.host)) == 0
    with pytest.raises(services.HostingError) as caught:
        services.reverse(original, "Nog eens", h.as_officer)
    assert caught.value.code == "reversed"
    with pytest.raises(services.HostingError):
        services.reverse(correction, "Terug", h.as_officer)


def test_reversing_a_grant_that_was_spent_is_refused():
    h = hosted()
    grant = _grant(h, 10_000)
    services.record_expense(
        grant=grant,
        category=Category.RENT,
        amount_cents=6_000,
        date=DAY,
        description="Zaalhuur",
        origin=h.as_officer,
    )
    with pytest.raises(services.HostingError) as caught:
        services.reverse(grant.accounts.first().entries.first().transaction, "fout", h.as_officer)
    assert caught.value.code == "insufficient"


def test_the_models_refuse_to_change_or_delete_ledger_rows():
    h = hosted()
    _grant(h)
    txn = LedgerTransaction.objects.get()
    entry = txn.entries.first()
    txn.description = "anders"
    with pytest.raises(AppendOnlyError):
        txn.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount_cents=1)
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        LedgerTransaction.objects.all().delete()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE hosting_ledgerentry SET amount_cents = amount_cents + 1",
        "DELETE FROM hosting_ledgerentry",
        "UPDATE hosting_ledgertransaction SET description = 'anders'",
        "DELETE FROM hosting_ledgertransaction",
    ],
)
def test_the_database_refuses_to_change_or_delete_ledger_rows(sql):
    """Runs on SQLite and again on PostgreSQL (the suite's PostgreSQL pass)."""
    h = hosted()
    _grant(h)
    before = list(LedgerEntry.objects.values_list("pk", "amount_cents"))
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert list(LedgerEntry.objects.values_list("pk", "amount_cents")) == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL constraint trigger")
def test_postgresql_refuses_an_unbalanced_transaction_at_commit():
    h = hosted()
    grant = _grant(h)
    account = services.earmark_account(grant)
    with (
        pytest.raises(DatabaseError, match="not balanced"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO hosting_ledgertransaction (date, kind, description, host_id, "
            "created_at, reason, earmark_delta_cents, category, origin_ip_hash) "
            "VALUES (%s, 'expense', 'stiekem', %s, now(), '', 0, '', '') RETURNING id",
            [DAY, h.host.pk],
        )
        txn_id = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO hosting_ledgerentry (transaction_id, account_id, amount_cents) "
            "VALUES (%s, %s, -500)",
            [txn_id, account.pk],
        )
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
