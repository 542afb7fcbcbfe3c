#!/usr/bin/env python3
"""The ledger at scale: an initiative's money page stays fast with a million entries.

    python bench/ledger.py --db postgresql        # the target: PostgreSQL
    python bench/ledger.py --db sqlite --entries 200000

What it does:
1. Makes a throwaway database (a PostgreSQL cluster via ``scripts/with_postgres.py``
   with normal durability, or an SQLite file) and migrates it, so the ledger's
   append-only triggers and PostgreSQL's deferred balance check are in place.
2. Creates ``--hosts`` hosts with a finance officer each and ``--initiatives`` hosted
   initiatives (active agreements), each with two grants and a donations earmark, and
   writes ``--entries`` ledger entries (balanced transactions of two entries: grants,
   donations and expenses in six categories). PostgreSQL loads them with COPY, SQLite
   with ``bulk_create``; the load runs in one transaction, so the balance check of
   every transaction runs at its commit.
3. Asks the initiative's hosting page (balances and budget against actuals per grant)
   and its public ledger through the whole Django stack (middleware, session, templates;
   DEBUG off) ``--requests`` times each for random initiatives, as the host's finance
   officer, and reports the server time (median, p95), the number of queries and the
   time the database took for them. A plain initiative page is measured the same way
   for comparison (what the machine needs for any page), and the load average is
   printed: on a busy machine every figure grows.

The last line is for scripts:
``ledger entries=N initiative_p50=Xms initiative_p95=Xms initiative_queries=Q ledger_p95=Xms ...``
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import random
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench"), str(ROOT / "scripts")]

from ballots import database, migrate, server_env  # noqa: E402

CATEGORIES = ["materials", "food", "rent", "activities", "communication", "other"]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--hosts", type=int, default=10)
    parser.add_argument("--initiatives", type=int, default=1_000)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args(argv)


def setup_django(env: dict[str, str]) -> None:
    os.environ.update({k: v for k, v in env.items() if k != "PYTHONPATH"})
    import django

    django.setup()


def fill(args):
    """Hosts, hosted initiatives, grants, accounts and ``args.entries`` entries."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from buurtbasis.accounts.models import User
    from buurtbasis.hosting.models import (
        Grant,
        HostingAgreement,
        LedgerAccount,
        LedgerEntry,
        LedgerTransaction,
    )
    from buurtbasis.initiatives.models import Initiative
    from buurtbasis.organisations.models import Membership, Organisation, Role

    rng = random.Random(args.seed)
    now = timezone.now()
    password = secrets.token_hex(8)
    hosts = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Welzijn Bench {i}", slug=f"welzijn-bench-{i}", kind="welzijnsorganisatie"
            )
            for i in range(args.hosts)
        ]
    )
    hashed = make_password(password)  # once: hashing is slow on purpose
    officers = User.objects.bulk_create(
        [
            User(
                email=f"fin@{host.slug}.example",
                username=f"fin@{host.slug}.example",
                password=hashed,
            )
            for host in hosts
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=officer, organisation=host, role=Role.FINANCE_OFFICER)
            for host, officer in zip(hosts, officers, strict=True)
        ]
    )
    initiatives = Initiative.objects.bulk_create(
        [
            Initiative(
                name=f"Initiatief {i}",
                slug=f"initiatief-{i}",
                pitch="Samen iets doen voor de straat.",
                contact_email=f"i{i}@example.org",
                status="active",
                host_organisation=hosts[i % len(hosts)],
            )
            for i in range(args.initiatives)
        ]
    )
    HostingAgreement.objects.bulk_create(
        [
            HostingAgreement(
                host_id=i.host_organisation_id,
                initiative=i,
                state="active",
                start_date=datetime.date(2026, 1, 1),
                offered_at=now,
                accepted_at=now,
            )
            for i in initiatives
        ]
    )
    grants = Grant.objects.bulk_create(
        [
            Grant(
                initiative=i,
                host_id=i.host_organisation_id,
                source=source,
                label=label,
                budget_cents=budget,
            )
            for i in initiatives
            for source, label, budget in [
                ("buurtbudget", f"Buurtbudget 2026, plan {i.pk}", 40_000_00),
                ("fund", "Initiatievenfonds 2026", 15_000_00),
                ("donations", "Giften", 0),
            ]
        ]
    )
    accounts = []
    for g in grants:
        for kind, category in [("earmark", ""), ("income", "")] + [
            ("expense", c) for c in CATEGORIES
        ]:
            accounts.append(
                LedgerAccount(
                    key=LedgerAccount.make_key(kind, g.host_id, g.initiative_id, g.pk, category),
                    kind=kind,
                    host_id=g.host_id,
                    initiative_id=g.initiative_id,
                    grant_id=g.pk,
                    category=category,
                )
            )
    accounts = LedgerAccount.objects.bulk_create(accounts, batch_size=5000)
    by_key = {a.key: a.pk for a in accounts}

    def acc(g, kind, category=""):
        return by_key[LedgerAccount.make_key(kind, g.host_id, g.initiative_id, g.pk, category)]

    per_initiative = max(3, args.entries // 2 // len(initiatives))
    grants_of: dict[int, list] = {}
    for g in grants:
        grants_of.setdefault(g.initiative_id, []).append(g)
    txns, entries = [], []
    txn_id = entry_id = 0
    start = datetime.date(2026, 1, 1)
    for initiative in initiatives:
        left = {}
        for n in range(per_initiative):
            txn_id += 1
            gs = grants_of[initiative.pk]
            day = start + datetime.timedelta(days=n * 365 // per_initiative)
            if n < 2 or rng.random() < 0.1:
                g = gs[n] if n < 2 else gs[2]
                amount = g.budget_cents if n < 2 else rng.randrange(5_00, 250_00)
                kind, category, text = ("grant" if n < 2 else "donation"), "", g.label
                lines = [(acc(g, "earmark"), amount), (acc(g, "income"), -amount)]
                left[g.pk] = left.get(g.pk, 0) + amount
            else:
                g = rng.choice([x for x in gs if left.get(x.pk, 0) > 1_00] or gs[:1])
                amount = min(left.get(g.pk, 0), rng.randrange(1_00, 120_00))
                if amount <= 0:
                    amount = 1
                    g = gs[0]
                category = rng.choice(CATEGORIES)
                kind, text = "expense", f"Uitgave {n}"
                lines = [(acc(g, "expense", category), amount), (acc(g, "earmark"), -amount)]
                left[g.pk] = left.get(g.pk, 0) - amount
            delta = sum(a for pk, a in lines if pk == acc(g, "earmark"))
            txns.append(
                (
                    txn_id,
                    day,
                    kind,
                    text,
                    initiative.host_organisation_id,
                    initiative.pk,
                    now,
                    delta,
                    category,
                )
            )
            for account_id, amount in lines:
                entry_id += 1
                entries.append((entry_id, txn_id, account_id, amount))
    started = time.perf_counter()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            raw = connection.connection  # psycopg 3
            with raw.cursor() as cursor:
                with cursor.copy(
                    "COPY hosting_ledgertransaction (id, date, kind, description, host_id, "
                    "initiative_id, created_at, earmark_delta_cents, category, reason, "
                    "origin_ip_hash) FROM STDIN"
                ) as copy:
                    for t in txns:
                        copy.write_row((*t, "", ""))
                with cursor.copy(
                    "COPY hosting_ledgerentry (id, transaction_id, account_id, amount_cents) "
                    "FROM STDIN"
                ) as copy:
                    for e in entries:
                        copy.write_row(e)
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence('hosting_ledgertransaction', 'id'), "
                    "(SELECT max(id) FROM hosting_ledgertransaction))"
                )
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence('hosting_ledgerentry', 'id'), "
                    "(SELECT max(id) FROM hosting_ledgerentry))"
                )
        else:
            LedgerTransaction.objects.bulk_create(
                [
                    LedgerTransaction(
                        id=t[0],
                        date=t[1],
                        kind=t[2],
                        description=t[3],
                        host_id=t[4],
                        initiative_id=t[5],
                        created_at=t[6],
                        earmark_delta_cents=t[7],
                        category=t[8],
                    )
                    for t in txns
                ],
                batch_size=2000,
            )
            LedgerEntry.objects.bulk_create(
                [
                    LedgerEntry(id=e[0], transaction_id=e[1], account_id=e[2], amount_cents=e[3])
                    for e in entries
                ],
                batch_size=5000,
            )
    load = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return initiatives, hosts, officers, len(entries), load


def measure(args, initiatives, hosts, officers):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    rng = random.Random(args.seed + 1)
    clients = {}
    for host, officer in zip(hosts, officers, strict=True):
        client = Client()
        client.force_login(officer)
        clients[host.pk] = client
    results = {}
    pages = [
        ("initiative", "hosting:initiative"),
        ("ledger", "hosting:ledger"),
        ("baseline", "initiatives:detail"),  # a plain initiative page, for comparison
    ]
    for name, url_name in pages:
        times, queries, db_ms = [], [], []
        for n in range(args.requests + 20):
            initiative = rng.choice(initiatives)
            client = clients[initiative.host_organisation_id]
            url = reverse(url_name, args=[initiative.slug])
            if n % 10 == 0:
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(url)
                queries.append(len(captured.captured_queries))
                db_ms.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
                continue
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
            assert response.status_code == 200, (url, response.status_code)
            if n >= 20:  # the first requests warm the caches
                times.append(elapsed * 1000)
        times.sort()
        results[name] = {
            "p50": statistics.median(times),
            "p95": times[int(len(times) * 0.95) - 1],
            "queries": max(queries),
            "db_max": max(db_ms),
        }
    return results


def main(argv=None) -> int:
    args = parse_args(argv)
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(database(args.db, durable=True, keep_dir=None))
        env = server_env(url, 0)
        env["ALLOWED_HOSTS"] = "testserver"
        migrate(env)
        setup_django(env)
        from django.db import connection

        print(f"filling: {args.initiatives} initiatives, {args.entries} entries", file=sys.stderr)
        started = time.perf_counter()
        initiatives, hosts, officers, n_entries, load = fill(args)
        print(
            f"filled in {time.perf_counter() - started:.1f} s "
            f"(ledger load and commit {load:.1f} s)",
            file=sys.stderr,
        )
        results = measure(args, initiatives, hosts, officers)
        for name, r in results.items():
            print(
                f"{name} page: p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms, "
                f"{r['queries']} queries taking at most {r['db_max']:.1f} ms "
                f"({args.requests} requests, {connection.vendor})"
            )
        print(
            f"ledger entries={n_entries} db={connection.vendor} load_s={load:.1f} "
            f"initiative_p50={results['initiative']['p50']:.1f}ms "
            f"initiative_p95={results['initiative']['p95']:.1f}ms "
            f"initiative_queries={results['initiative']['queries']} "
            f"ledger_p50={results['ledger']['p50']:.1f}ms "
            f"ledger_p95={results['ledger']['p95']:.1f}ms "
            f"ledger_queries={results['ledger']['queries']} "
            f"baseline_p50={results['baseline']['p50']:.1f}ms "
            f"baseline_p95={results['baseline']['p95']:.1f}ms "
            f"load_average={os.getloadavg()[0]:.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
