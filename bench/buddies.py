#!/usr/bin/env python3
"""Buddy households through Django: the suggestions page and a batch proposal.

    python bench/buddies.py                         # 5,000 candidates; 2,000 × 2,000 batch
    python bench/buddies.py --candidates 500 --batch 200 --db sqlite   # a smoke run

1. Makes a throwaway database (an SQLite file, or PostgreSQL via
   ``scripts/with_postgres.py``) and migrates it.
2. Creates a programme with one waiting newcomer household and ``--candidates`` waiting
   local households (rows written directly, seeded), spread over about 20 × 20 km.
3. Times the matcher's household page (``GET /maatjes/huishouden/<id>/``: access, the
   core's scoring against the programme's encoded households and the page rendered) with
   the test client, median of ``--runs``; and the same page right after a write, when the
   programme's waiting households are read and encoded again (two queries).
4. Times ``services.run_batch`` over ``--batch`` newcomers × ``--batch`` locals (reading
   the rows, the optimal assignment, storing the result).

Targets (issue #14): suggestions among 5,000 candidates under 200 ms; a 2,000 × 2,000
batch under 10 s. The last line is for scripts.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench"), str(ROOT / "scripts")]

from ballots import HOST, database, migrate, server_env, setup_django  # noqa: E402

LANGS = ["ar", "ti", "uk", "fa", "so", "tr", "en"]
INTERESTS = ["koken", "sport", "voetbal", "wandelen", "fietsen", "muziek", "tuinieren"]
SLOTS = ["wed-afternoon", "sat-morning", "sat-afternoon", "sun-afternoon", "thu-evening"]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["postgresql", "sqlite"], default="sqlite")
    parser.add_argument("--candidates", type=int, default=5_000)
    parser.add_argument("--batch", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=7)
    return parser.parse_args(argv)


def rows(programme, kind: str, n: int, rnd: random.Random):
    from buurtbasis.buddies.models import Household

    out = []
    for i in range(n):
        langs = [{"code": "nl", "level": "native"}] if kind == "local" else []
        langs.append({"code": rnd.choice(LANGS), "level": rnd.choice(["basic", "good"])})
        out.append(
            Household(
                programme=programme,
                kind=kind,
                status="waiting",
                label=f"{kind} {i}",
                adults=rnd.choice([1, 2]),
                children_ages=sorted(rnd.randint(0, 17) for _ in range(rnd.randint(0, 3))),
                languages=langs,
                interests=rnd.sample(INTERESTS, 2),
                availability=rnd.sample(SLOTS, 2),
                lat=52.42 + rnd.random() * 0.18,
                lon=6.0 + rnd.random() * 0.29,
            )
        )
    return Household.objects.bulk_create(out, batch_size=1000)


def run(args) -> dict:
    from django.test import Client

    from buurtbasis.accounts.models import User
    from buurtbasis.buddies import services
    from buurtbasis.buddies.models import BatchProposal, Programme
    from buurtbasis.organisations.models import Membership, Organisation

    rnd = random.Random(14)
    org = Organisation.objects.create(
        name="Welzijn Bench", slug="welzijn-bench", kind="welzijnsorganisatie"
    )
    matcher = User.objects.create_user(email="matcher@example.org", password="x" * 20)
    Membership.objects.create(user=matcher, organisation=org, role="matcher")
    programme = Programme.objects.create(organisation=org, municipality_code="GM0193", name="P")
    (newcomer,) = rows(programme, "newcomer", 1, rnd)
    rows(programme, "local", args.candidates, rnd)
    client = Client(HTTP_HOST=HOST)
    client.force_login(matcher)
    url = f"/maatjes/huishouden/{newcomer.pk}/"
    assert client.get(url).status_code == 200
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
    assert response.status_code == 200 and b"bb-suggestion" in response.content
    page_ms = statistics.median(times) * 1000
    # After a write (a new intake, a proposal) the programme's households are read and
    # encoded again on the next page view.
    cold = []
    for _ in range(max(3, args.runs // 2)):
        services.touch(programme.pk)
        started = time.perf_counter()
        client.get(url)
        cold.append(time.perf_counter() - started)
    cold_ms = statistics.median(cold) * 1000

    other = Programme.objects.create(
        organisation=Organisation.objects.create(name="B2", slug="b2", kind="welzijnsorganisatie"),
        municipality_code="GM0193",
        name="Q",
    )
    rows(other, "newcomer", args.batch, rnd)
    rows(other, "local", args.batch, rnd)
    batch = BatchProposal.objects.create(programme=other, max_km=10)
    started = time.perf_counter()
    services.run_batch(batch)
    batch_s = time.perf_counter() - started
    return {
        "page_ms": page_ms,
        "cold_ms": cold_ms,
        "batch_s": batch_s,
        "pairs": len(batch.result["pairs"]),
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(database(args.db, durable=True, keep_dir=None))
        env = server_env(url, 0)
        migrate(env)
        setup_django(env)
        from django.db import connection

        r = run(args)
        print(
            f"suggestions page for 1 household among {args.candidates} candidates: "
            f"{r['page_ms']:.0f} ms (median of {args.runs}), {r['cold_ms']:.0f} ms after a "
            f"write (changed households read again, all encoded again); batch proposal "
            f"{args.batch} × {args.batch}: {r['batch_s']:.2f} s, {r['pairs']} pairs "
            f"({connection.vendor})"
        )
        print(
            f"buddies candidates={args.candidates} batch={args.batch} db={connection.vendor} "
            f"page_ms={r['page_ms']:.0f} cold_ms={r['cold_ms']:.0f} batch_s={r['batch_s']:.2f} "
            f"load_average={os.getloadavg()[0]:.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
