"""Test support: let a transactional test's flush empty the append-only ledger.

The database refuses every UPDATE and DELETE of ledger rows (migration
``0002_ledger_append_only_triggers``) and, on PostgreSQL, every TRUNCATE of a ledger
table that holds rows (``0007_ledger_no_truncate``). A test that commits ledger rows (a
browser test, the site crawl, the concurrency tests) could then not be cleaned up by the
flush. This helper empties the ledger with the guards lifted for one transaction only,
and puts them back in the same transaction:

- SQLite deletes row by row: the DELETE triggers are dropped, the rows deleted, the
  triggers created again.
- PostgreSQL: the TRUNCATE triggers are disabled (``ALTER TABLE ... DISABLE TRIGGER``,
  which only the tables' owner may run), the ledger is truncated with what refers to it
  (the flush that follows empties every table anyway), and the triggers are enabled again
  before the commit. The flush then truncates empty ledger tables, which is let through.

On SQLite the rows that refer to the ledger (expenses and their payments) are emptied
first, so the foreign keys hold when the flush's transaction commits.

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


def _ledger_has_rows(cursor) -> bool:
    cursor.execute("SELECT EXISTS (SELECT 1 FROM hosting_ledgertransaction)")
    if cursor.fetchone()[0]:
        return True
    cursor.execute("SELECT EXISTS (SELECT 1 FROM hosting_ledgerentry)")
    return bool(cursor.fetchone()[0])


def empty_ledger_for_flush() -> None:
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    with connection.cursor() as cursor:
        if not _ledger_has_rows(cursor):
            return
    from django.apps import apps

    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_no_truncate")
            cursor.execute(f"TRUNCATE {', '.join(TABLES)} CASCADE")
            for table in TABLES:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_no_truncate")
            return
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
