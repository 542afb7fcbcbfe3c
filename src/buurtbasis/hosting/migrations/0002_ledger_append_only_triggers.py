"""The database keeps the ledger append-only too, whatever the code does.

SQLite and PostgreSQL: triggers refuse every UPDATE and DELETE of ledger entries and
transactions. PostgreSQL also checks at commit (a deferred constraint trigger) that
the entries of each new transaction sum to zero and that it has at least two.
(TRUNCATE, which only the owner of the tables may run, is left to maintenance such as
the test suite's flush; the application's database role should not own the tables.)
"""

from django.db import migrations

TABLES = ["hosting_ledgerentry", "hosting_ledgertransaction"]


def forwards(apps, schema_editor):
    # params=None: the PL/pgSQL bodies hold "%" placeholders of RAISE, not query parameters.
    run = lambda sql: schema_editor.execute(sql, params=None)  # noqa: E731
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        for table in TABLES:
            for event in ("UPDATE", "DELETE"):
                run(
                    f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, 'ledger is append-only: {event} of {table} "
                    f"refused'); END"
                )
    elif connection.vendor == "postgresql":
        run(
            """
            CREATE FUNCTION hosting_ledger_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'ledger is append-only: % of % refused', TG_OP, TG_TABLE_NAME
                    USING ERRCODE = 'restrict_violation';
            END $$ LANGUAGE plpgsql
            """
        )
        for table in TABLES:
            run(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION hosting_ledger_append_only()"
            )
        run(
            """
            CREATE FUNCTION hosting_ledger_balanced() RETURNS trigger AS $$
            DECLARE
                txn bigint;
                total numeric;
                n integer;
            BEGIN
                IF TG_TABLE_NAME = 'hosting_ledgerentry' THEN
                    txn := NEW.transaction_id;
                ELSE
                    txn := NEW.id;
                END IF;
                SELECT coalesce(sum(amount_cents), 0), count(*) INTO total, n
                    FROM hosting_ledgerentry WHERE transaction_id = txn;
                IF total <> 0 OR n < 2 THEN
                    RAISE EXCEPTION 'ledger transaction % is not balanced (% entries, sum %)',
                        txn, n, total USING ERRCODE = 'check_violation';
                END IF;
                RETURN NULL;
            END $$ LANGUAGE plpgsql
            """
        )
        for table in TABLES:
            run(
                f"CREATE CONSTRAINT TRIGGER {table}_balanced AFTER INSERT ON {table} "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
                "EXECUTE FUNCTION hosting_ledger_balanced()"
            )


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        for table in TABLES:
            for event in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{event}")
    elif connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_balanced ON {table}")
        schema_editor.execute("DROP FUNCTION IF EXISTS hosting_ledger_append_only()")
        schema_editor.execute("DROP FUNCTION IF EXISTS hosting_ledger_balanced()")


class Migration(migrations.Migration):
    dependencies = [("hosting", "0001_agreements_and_ledger")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
