"""Test support: let a transactional test's flush empty the append-only ledger.

The database refuses every UPDATE and DELETE of ledger rows (migration
``0002_ledger_append_only_triggers``) and, on PostgreSQL, every TRUNCATE of a ledger
table that holds rows (``0007_ledger_no_truncate``). The ledger is registered as
append-only (``apps.py``); the test suite empties every registered append-only table
before its flush with ``platform.append_only.empty_for_flush`` (see there how).

Only the test suite calls it.
"""

from __future__ import annotations

from buurtbasis.platform.append_only import empty_for_flush

from .apps import LEDGER_TABLES

TABLES = LEDGER_TABLES


def empty_ledger_for_flush() -> None:
    """Empty the ledger (and the other registered append-only tables) for the flush."""
    empty_for_flush()
