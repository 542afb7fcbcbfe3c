"""Entry kinds for story rounds (opened, closed) and sensemaking sessions; the rounds'
entries may be public.

SQLite rebuilds the table to change a check constraint, and the rebuilt table has lost
the append-only triggers of 0002: they are made again here (PostgreSQL alters the
constraint in place and keeps them).
"""

from django.conf import settings
from django.db import migrations, models

TABLE = "logbook_logentry"


def sqlite_triggers_again(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for event in ("UPDATE", "DELETE"):
        schema_editor.execute(
            f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_{event.lower()} BEFORE {event} ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, 'logbook is append-only: {event} of {TABLE} "
            f"refused'); END",
            params=None,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0002_indicators"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("logbook", "0002_logentry_append_only_triggers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # first: undoing the constraint rebuilds the table again, and this runs last then
        migrations.RunPython(migrations.RunPython.noop, sqlite_triggers_again, elidable=False),
        migrations.RemoveConstraint(
            model_name="logentry",
            name="logbook_only_public_kinds_are_public",
        ),
        migrations.AlterField(
            model_name="logentry",
            name="kind",
            field=models.CharField(
                choices=[
                    ("round_opened", "Round opened"),
                    ("results_published", "Results published"),
                    ("initiative_started", "Initiative started"),
                    ("initiative_handed_over", "Initiative handed over"),
                    ("initiative_ended", "Initiative ended"),
                    ("hosting", "Hosting agreement"),
                    ("signal", "Signal to the municipality"),
                    ("signal_answered", "Signal answered"),
                    ("note", "Note"),
                    ("story_round_opened", "Story round opened"),
                    ("story_round_closed", "Story round closed"),
                    ("sensemaking", "Sensemaking session"),
                ],
                max_length=32,
                verbose_name="kind",
            ),
        ),
        migrations.AddConstraint(
            model_name="logentry",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("audience", "professionals"),
                    (
                        "kind__in",
                        [
                            "initiative_ended",
                            "initiative_handed_over",
                            "initiative_started",
                            "results_published",
                            "round_opened",
                            "story_round_closed",
                            "story_round_opened",
                        ],
                    ),
                    _connector="OR",
                ),
                name="logbook_only_public_kinds_are_public",
            ),
        ),
        # last: after the table was rebuilt
        migrations.RunPython(sqlite_triggers_again, sqlite_triggers_again, elidable=False),
    ]
