#!/usr/bin/env python3
"""Payout batches and bank statements at scale.

    python bench/expenses.py --db postgresql                  # 2,000 payments, 10,000 lines
    python bench/expenses.py --db postgresql --payments 100   # a statement of mostly other lines

1. Makes a throwaway database (a PostgreSQL cluster via ``scripts/with_postgres.py``, or
   an SQLite file) and migrates it.
2. Creates a host with a paying account and a hosted initiative with one grant, and
   ``--payments`` approved expenses (rows written directly: approving is not measured).
3. Times ``expenses.create_batch`` for all of them: the payout items, the state changes
   with their history and audit events, and the pain.001 file written and validated
   against its schema.
4. Writes a CAMT.053 statement of ``--lines`` lines: the batch as one entry with a
   detail per payment (end-to-end ids) and other incoming lines, and times
   ``expenses.import_statement``: reading, storing every line, matching, and for every
   payment found the ledger posting and the state change.

The last line is for scripts: ``expenses payments=N lines=M batch_s=X import_s=Y linked=K``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench"), str(ROOT / "scripts")]

from ballots import database, migrate, server_env, setup_django  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--payments", type=int, default=2_000)
    parser.add_argument("--lines", type=int, default=10_000)
    return parser.parse_args(argv)


def run(args) -> dict:
    from django.conf import settings

    from buurtbasis.hosting import expenses
    from buurtbasis.hosting.models_expenses import Expense, ExpenseState
    from buurtbasis.hosting.tests.expense_helpers import PAYEE_IBAN, World, statement_for
    from buurtbasis.platform.audit import Origin

    settings.PRIVATE_MEDIA_ROOT = Path(os.environ["BENCH_PRIVATE"])
    w = World(grant_cents=10**11)
    Expense.objects.bulk_create(
        Expense(
            initiative=w.initiative,
            host=w.host,
            grant=w.grant,
            description=f"Uitgave {i}",
            amount_cents=1_000 + i,
            date=datetime.date(2026, 3, 2),
            category="food",
            payee_name=f"Zoë Çelik {i}",
            payee_iban=PAYEE_IBAN,
            state=ExpenseState.APPROVED,
            submitted_by=w.member,
            approval_round=1,
        )
        for i in range(args.payments)
    )
    ids = list(Expense.objects.values_list("pk", flat=True))
    started = time.perf_counter()
    batch = expenses.create_batch(
        host=w.host,
        expense_ids=ids,
        execution_date=datetime.date.today(),
        origin=Origin(actor=w.officer),
    )
    batch_s = time.perf_counter() - started
    items = list(batch.items.select_related("expense"))
    others = max(0, args.lines - args.payments)
    extra = [
        {
            "amount_cents": 500 + i,
            "details": [
                {
                    "amount_cents": 500 + i,
                    "iban": "NL02RABO0123456789",
                    "name": "Gever",
                    "ustrd": [f"Gift {i}"],
                }
            ],
        }
        for i in range(others)
    ]
    data = statement_for(items, extra=extra, opening=10**10)
    started = time.perf_counter()
    result = expenses.import_statement(host=w.host, data=data, origin=Origin(actor=w.officer))
    import_s = time.perf_counter() - started
    return {
        "batch_s": batch_s,
        "import_s": import_s,
        "lines": result.lines,
        "linked": result.linked,
        "file_kb": len(data) // 1024,
        "xml_kb": len(bytes(batch.xml)) // 1024,
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(database(args.db, durable=True, keep_dir=None))
        env = server_env(url, 0)
        migrate(env)
        private = stack.enter_context(__import__("tempfile").TemporaryDirectory())
        env["BENCH_PRIVATE"] = private
        setup_django(env)
        from django.db import connection

        r = run(args)
        print(
            f"batch of {args.payments} payments ({r['xml_kb']} KB pain.001): "
            f"{r['batch_s']:.2f} s; import of {r['lines']} lines ({r['file_kb']} KB), "
            f"{r['linked']} payments linked and booked: {r['import_s']:.2f} s ({connection.vendor})"
        )
        print(
            f"expenses payments={args.payments} lines={r['lines']} db={connection.vendor} "
            f"batch_s={r['batch_s']:.2f} import_s={r['import_s']:.2f} linked={r['linked']} "
            f"load_average={os.getloadavg()[0]:.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
