"""The database keeps the logbook append-only too: raw SQL cannot change or delete an
entry (SQLite and PostgreSQL; the suite's PostgreSQL pass runs these again), PostgreSQL
refuses TRUNCATE of a logbook with entries, and the test suite can still flush its
database after a test that committed entries (``platform.append_only``)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from buurtbasis.logbook import services
from buurtbasis.logbook.models import LogEntry
from buurtbasis.platform.append_only import empty_for_flush, registered
from buurtbasis.platform.audit import Origin

from .helpers import town

TABLE = "logbook_logentry"


def _entries(place=None):
    place = place or town()
    note = services.add_note(
        area=place.wijk,
        title="Afspraak met de huurdersvereniging",
        body="Elke eerste dinsdag van de maand overleg in het buurthuis.",
        for_handover=True,
        origin=Origin(actor=place.worker),
    )
    services.add_note(
        area=place.wijk,
        title="Correctie: het overleg is op woensdag",
        body="Niet dinsdag maar woensdag.",
        corrects=note,
        origin=Origin(actor=place.worker),
    )
    return note


def _rows():
    return list(LogEntry.objects.order_by("pk").values_list("pk", "title", "body", "corrects"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE logbook_logentry SET body = 'anders'",
        "UPDATE logbook_logentry SET for_handover = NOT for_handover",
        "UPDATE logbook_logentry SET corrects_id = NULL",
        "DELETE FROM logbook_logentry",
        "DELETE FROM logbook_logentry WHERE corrects_id IS NOT NULL",
    ],
)
def test_the_database_refuses_to_change_or_delete_logbook_entries(sql):
    _entries()
    before = _rows()
    assert len(before) == 2
    with (
        pytest.raises(DatabaseError, match="logbook is append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert _rows() == before


@pytest.mark.django_db
def test_new_entries_are_still_written():
    _entries()
    assert LogEntry.objects.count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no TRUNCATE")
@pytest.mark.django_db
def test_postgresql_refuses_to_truncate_a_logbook_with_entries():
    _entries()
    before = _rows()
    with (
        pytest.raises(DatabaseError, match="logbook is append-only: TRUNCATE"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # as if the rows had been committed: no deferred check of them is pending
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE logbook_logentry CASCADE")
    assert _rows() == before


def _guards() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [TABLE],
            )
            return {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND tgenabled = 'O' "
            "AND NOT tgisinternal",
            [TABLE],
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_the_suite_empties_a_committed_logbook_for_the_flush_and_puts_the_guards_back():
    assert "logbook" in {group.app_label for group in registered()}
    guards = _guards()
    if connection.vendor == "sqlite":
        assert guards == {"logbook_logentry_no_update", "logbook_logentry_no_delete"}
    else:
        assert guards == {"logbook_logentry_append_only", "logbook_logentry_no_truncate"}
    place = town()
    _entries(place)  # committed: a transactional test
    empty_for_flush()
    assert not LogEntry.objects.exists()
    assert _guards() == guards
    _entries(place)
    with pytest.raises(DatabaseError, match="logbook is append-only"), connection.cursor() as c:
        c.execute("DELETE FROM logbook_logentry")
    assert LogEntry.objects.count() == 2
    # the fixture ``_flushable_ledger`` empties it again after this test, so the flush runs
