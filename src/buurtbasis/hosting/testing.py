"""Test support: let a transactional test's flush empty the append-only ledger on SQLite.

The database refuses every DELETE of ledger rows (see the migration
``0002_ledger_append_only_triggers``). PostgreSQL empties tables for a flush with
TRUNCATE, which row triggers do not see; SQLite deletes row by row, so a test that
commits ledger rows (a browser test, the site crawl) could not be cleaned up. This
helper empties the rows that refer to the ledger (expenses and their payments), lifts the
SQLite triggers for one moment, empties the ledger and puts them back.
Only the test suite calls it.
"""

from __future__ import annotations

from django.db import connection, transaction

TABLES = ["hosting_ledgerentry", "hosting_ledgertransaction"]
#: Rows that refer to ledger transactions (an expense to its payment), emptied first, in
#: this order: SQLite checks the foreign keys when the flush's transaction commits.
REFERRING = [
    "hosting.BankLine",
    "hosting.BankStatement",
    "hosting.PayoutItem",
    "hosting.PayoutBatch",
    "hosting.ExpenseEvent",
    "hosting.ExpenseApproval",
    "hosting.Expense",
]


def empty_ledger_for_flush() -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM hosting_ledgertransaction)")
        if not cursor.fetchone()[0]:
            return
    from django.apps import apps

    with transaction.atomic(), connection.cursor() as cursor:
        for label in REFERRING:
            table = apps.get_model(label)._meta.db_table
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (table names of our models)
        for table in TABLES:
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        for table in TABLES:  # entries first: they refer to their transaction
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed table names)
        for table in TABLES:
            cursor.execute(
                f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'ledger is append-only: DELETE of {table} "
                f"refused'); END"
            )
