"""Accepted bookings of one room never overlap: an exclusion constraint on PostgreSQL.

Only on PostgreSQL (btree_gist lets ``room_id WITH =`` sit in a GiST index next to the
range). SQLite migrates without it; there ``services.decide`` checks under a write lock.
The constraint is not in the model's ``Meta.constraints`` because SQLite cannot build
it when it remakes the table.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

CONSTRAINT = "rooms_booking_no_overlap"

CREATE = f"""
ALTER TABLE rooms_booking ADD CONSTRAINT {CONSTRAINT}
EXCLUDE USING gist (room_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
WHERE (status = 'accepted')
"""
DROP = f"ALTER TABLE rooms_booking DROP CONSTRAINT IF EXISTS {CONSTRAINT}"


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("rooms", "0001_rooms_and_bookings")]

    operations = [
        BtreeGistExtension(),
        migrations.RunPython(_run(CREATE), _run(DROP), elidable=False),
    ]
