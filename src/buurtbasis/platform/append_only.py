"""Tables the database itself keeps append-only, registered per app.

Some records are never changed or deleted: the hosting ledger, the neighbourhood
logbook. Their models refuse, and a migration of the app adds database triggers that
refuse too, whatever the code does (raw SQL included). The triggers follow one naming
convention, so other code can find them:

- SQLite: ``<table>_no_update`` and ``<table>_no_delete`` (``BEFORE UPDATE/DELETE``,
  ``RAISE(ABORT, '<what> is append-only: <EVENT> of <table> refused')``).
- PostgreSQL: a row trigger ``<table>_append_only`` (``BEFORE UPDATE OR DELETE``) and a
  statement trigger ``<table>_no_truncate`` that refuses TRUNCATE of a table with rows.

An app registers its tables in ``AppConfig.ready`` with :func:`register_append_only`.
The test suite uses the registry to empty them before the flush that follows a
transactional test (:func:`empty_for_flush`); nothing else in the application may.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction


@dataclass(frozen=True)
class AppendOnlyTables:
    app_label: str
    #: What the trigger messages call it ("ledger", "logbook").
    what: str
    #: Table names, rows that refer to others first (they are deleted in this order).
    tables: tuple[str, ...]
    #: Models (``app_label.Model``) whose rows refer to these tables and must go first when
    #: the tables are emptied (SQLite checks foreign keys at commit), or nullable links
    #: (``app_label.Model.field``) to such rows, cleared first.
    referring: tuple[str, ...] = ()


_registry: dict[str, AppendOnlyTables] = {}


def register_append_only(
    app_label: str, *, what: str, tables: Iterable[str], referring: Iterable[str] = ()
) -> None:
    """Declare the append-only tables of an app (the triggers come from its migration)."""
    _registry[app_label] = AppendOnlyTables(app_label, what, tuple(tables), tuple(referring))


def registered() -> list[AppendOnlyTables]:
    return list(_registry.values())


def sqlite_trigger_sql(table: str, event: str, what: str) -> str:
    """The SQLite trigger that refuses ``event`` (UPDATE or DELETE) on ``table``."""
    return (
        f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{what} is append-only: {event} of {table} refused'); END"
    )


def _has_rows(cursor, tables: Iterable[str]) -> bool:
    for table in tables:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")  # noqa: S608 (our tables)
        if cursor.fetchone()[0]:
            return True
    return False


def empty_for_flush() -> None:
    """Empty every registered append-only table, with its guards lifted for this one
    transaction and put back before the commit. Test support only.

    - SQLite: the rows that refer to them are deleted first, then the DELETE triggers
      are dropped, the rows deleted and the triggers created again.
    - PostgreSQL: the TRUNCATE triggers are disabled (``ALTER TABLE ... DISABLE
      TRIGGER``, which only the tables' owner may run), the tables truncated with what
      refers to them (the flush that follows empties every table anyway) and the
      triggers enabled again. The flush then truncates empty tables, which is let through.
    """
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    with connection.cursor() as cursor:
        groups = [g for g in registered() if _has_rows(cursor, g.tables)]
    if not groups:
        return
    from django.apps import apps

    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = [table for group in groups for table in group.tables]
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_no_truncate")
            cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_no_truncate")
            return
        for group in groups:
            for label in group.referring:
                # "app.Model" rows are deleted; "app.Model.field" is a nullable link that
                # is cleared first (a row that stays but points at a row that goes)
                app_label, model, *field = label.split(".")
                meta = apps.get_model(app_label, model)._meta
                if field:
                    column = meta.get_field(field[0]).column
                    cursor.execute(f"UPDATE {meta.db_table} SET {column} = NULL")  # noqa: S608
                else:
                    cursor.execute(f"DELETE FROM {meta.db_table}")  # noqa: S608 (our models)
        for group in groups:
            for table in group.tables:
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
            for table in group.tables:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (registered table names)
            for table in group.tables:
                cursor.execute(sqlite_trigger_sql(table, "DELETE", group.what))
