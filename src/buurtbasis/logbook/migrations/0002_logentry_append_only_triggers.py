"""The database keeps the logbook append-only too, whatever the code does.

SQLite and PostgreSQL: triggers refuse every UPDATE and DELETE of a logbook entry (a
correction is a new entry). PostgreSQL also refuses TRUNCATE of the table while it holds
entries (a statement trigger; row triggers do not see TRUNCATE). The test suite empties
the table before its flush with the guards lifted for that one transaction
(``platform.append_only``, where the table is registered). The trigger names follow the
convention described there.
"""

from django.db import migrations

TABLE = "logbook_logentry"


def forwards(apps, schema_editor):
    # params=None: the PL/pgSQL bodies hold "%" placeholders of RAISE, not query parameters.
    run = lambda sql: schema_editor.execute(sql, params=None)  # noqa: E731
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for event in ("UPDATE", "DELETE"):
            run(
                f"CREATE TRIGGER {TABLE}_no_{event.lower()} BEFORE {event} ON {TABLE} "
                f"BEGIN SELECT RAISE(ABORT, 'logbook is append-only: {event} of {TABLE} "
                f"refused'); END"
            )
    elif vendor == "postgresql":
        run(
            """
            CREATE FUNCTION logbook_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'logbook is append-only: % of % refused', TG_OP, TG_TABLE_NAME
                    USING ERRCODE = 'restrict_violation';
            END $$ LANGUAGE plpgsql
            """
        )
        run(
            f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION logbook_append_only()"
        )
        run(
            """
            CREATE FUNCTION logbook_no_truncate() RETURNS trigger AS $$
            DECLARE
                found boolean;
            BEGIN
                EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', TG_TABLE_NAME) INTO found;
                IF found THEN
                    RAISE EXCEPTION 'logbook is append-only: TRUNCATE of % refused',
                        TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
                END IF;
                RETURN NULL;
            END $$ LANGUAGE plpgsql
            """
        )
        run(
            f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
            "FOR EACH STATEMENT EXECUTE FUNCTION logbook_no_truncate()"
        )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for event in ("update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_{event}")
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}")
        schema_editor.execute("DROP FUNCTION IF EXISTS logbook_append_only()")
        schema_editor.execute("DROP FUNCTION IF EXISTS logbook_no_truncate()")


class Migration(migrations.Migration):
    dependencies = [("logbook", "0001_logbook_and_signals")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
