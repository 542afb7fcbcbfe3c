"""PostgreSQL: refuse TRUNCATE of the ledger too (row triggers do not see it).

A statement trigger ``BEFORE TRUNCATE`` on the entries and the transactions raises when
the table holds rows, whoever runs it (the owner of the tables too): emptying the books
is never a normal operation. Truncating an empty table loses nothing and is let through,
so a test database can still be flushed once the test suite has emptied the ledger with
the trigger disabled for that one transaction (``hosting.testing``; ``ALTER TABLE ...
DISABLE TRIGGER`` is for the owner only). SQLite has no TRUNCATE.
"""

from django.db import migrations

TABLES = ["hosting_ledgerentry", "hosting_ledgertransaction"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # params=None: the PL/pgSQL body holds "%" placeholders of RAISE, not query parameters.
    schema_editor.execute(
        """
        CREATE FUNCTION hosting_ledger_no_truncate() RETURNS trigger AS $$
        DECLARE
            found boolean;
        BEGIN
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', TG_TABLE_NAME) INTO found;
            IF found THEN
                RAISE EXCEPTION 'ledger is append-only: TRUNCATE of % refused', TG_TABLE_NAME
                    USING ERRCODE = 'restrict_violation';
            END IF;
            RETURN NULL;
        END $$ LANGUAGE plpgsql
        """,
        params=None,
    )
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION hosting_ledger_no_truncate()"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS hosting_ledger_no_truncate()")


class Migration(migrations.Migration):
    dependencies = [("hosting", "0006_grant_withdrawn_after_recount")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
