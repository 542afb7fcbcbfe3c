#!/usr/bin/env python3
"""Closing a large round: the request only enqueues the count; the site keeps answering.

    python bench/close_round.py --ballots 20000 --db sqlite
    python bench/close_round.py --ballots 20000 --db postgresql

What it does:
1. Makes a throwaway database (an SQLite file in WAL mode, or a PostgreSQL cluster via
   ``scripts/with_postgres.py``), migrates it and fills a round in its voting phase:
   ``--plans`` feasible plans, MES + Add1, and ``--ballots`` code ballots written with
   ``bulk_create`` (voters approve 1 to ``--max-choices`` plans, popular plans more often).
2. Starts the production WSGI server (granian, 2 workers x 4 threads, DEBUG off) on
   127.0.0.1 and measures the page load with a few client threads for ``--baseline``
   seconds (no worker running).
3. Starts a database worker next to the server, as in production (``manage.py
   db_worker`` in a subprocess), then a civil servant closes the vote through the real
   form (POST "next phase"); the time of that request is measured. It only enqueues:
   the script prints the round's state right after (pending, no outcome yet).
4. While the worker counts, the same clients load the round page and the count's
   status block (what the browser polls), loopback only, at most ``--max-requests``
   requests and ``--max-seconds`` seconds, until the round says done. Latencies are
   reported as median and p95 next to the baseline, with the count's duration in the
   worker and its wait in the queue.

The last line is for scripts:
``close_round ballots=N close_ms=X count_s=Y during_p50=Xms during_p95=Xms ...``
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench"), str(ROOT / "scripts")]

from ballots import HOST, Server, Wire, database, free_port, migrate, server_env  # noqa: E402

SLUG = "bench"  # the server probe of bench/ballots.py asks for /stemmen/bench/


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ballots", type=int, default=20_000)
    parser.add_argument("--plans", type=int, default=30)
    parser.add_argument("--max-choices", type=int, default=5)
    parser.add_argument("--db", choices=["postgresql", "sqlite"], default="sqlite")
    parser.add_argument("--clients", type=int, default=4, help="client threads loading pages")
    parser.add_argument("--baseline", type=float, default=10.0, help="seconds before closing")
    parser.add_argument("--max-seconds", type=float, default=300.0)
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args(argv)


def setup_django(env: dict[str, str]) -> None:
    os.environ.update({k: v for k, v in env.items() if k != "PYTHONPATH"})
    import django

    django.setup()


def fill_round(n_ballots: int, n_plans: int, max_choices: int, seed: int):
    """A round in its voting phase with ``n_ballots`` code ballots (bulk_create)."""
    from datetime import timedelta

    from django.utils import timezone

    from buurtbasis.accounts.models import User
    from buurtbasis.ballots import codes
    from buurtbasis.ballots.models import Ballot, BallotChoice, VotingCode
    from buurtbasis.budgets.models import BudgetRound, Phase, Plan
    from buurtbasis.organisations.models import Membership, Organisation, Role

    rng = random.Random(seed)
    org = Organisation.objects.create(name="Gemeente Bench", slug="gemeente-bench", kind="gemeente")
    officer = User.objects.create_user(
        email="ambtenaar@bench.example", password=secrets.token_hex(8)
    )
    Membership.objects.create(user=officer, organisation=org, role=Role.CIVIL_SERVANT)
    budget_round = BudgetRound.objects.create(
        slug=SLUG,
        title="Buurtbudget Bench (sluiten)",
        organisation=org,
        budget_cents=250_000_00,
        ballot_type="approval",
        max_choices=max_choices,
        rule="mes",
        completion="add1",
        phase="voting",
        created_by=officer,
    )
    now = timezone.now()
    Phase.objects.create(
        budget_round=budget_round, kind="voting", starts_at=now - timedelta(days=7), ends_at=None
    )
    Phase.objects.create(budget_round=budget_round, kind="results", starts_at=now)
    plans = Plan.objects.bulk_create(
        [
            Plan(
                budget_round=budget_round,
                title=f"Plan {i + 1}",
                summary="Een plan voor de buurt.",
                description="Een langere beschrijving.",
                submitted_by=officer,
                status="feasible",
                cost_cents=rng.randrange(5_000_00, 60_000_00, 100),
            )
            for i in range(n_plans)
        ]
    )
    weights = [1.0 / (i + 1) ** 0.7 for i in range(n_plans)]
    for start in range(0, n_ballots, 5000):
        size = min(5000, n_ballots - start)
        voting_codes = VotingCode.objects.bulk_create(
            [
                VotingCode(
                    budget_round=budget_round,
                    code_hash=secrets.token_hex(32),
                    used_at=now,
                )
                for _ in range(size)
            ]
        )
        ballots = Ballot.objects.bulk_create(
            [
                Ballot(
                    budget_round=budget_round,
                    channel="code",
                    voting_code=code,
                    receipt=codes.new_receipt(),
                )
                for code in voting_codes
            ]
        )
        choices = []
        for ballot in ballots:
            k = rng.randint(1, max_choices)
            chosen = set()
            while len(chosen) < k:
                chosen.add(rng.choices(range(n_plans), weights)[0])
            choices += [BallotChoice(ballot=ballot, plan=plans[i]) for i in sorted(chosen)]
        BallotChoice.objects.bulk_create(choices, batch_size=5000)
    return budget_round, officer


def session_cookie(user) -> str:
    """A logged-in session for the civil servant, made the way a log-in makes one."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


class Load:
    """Client threads that load pages until told to stop (bounded by count and time)."""

    def __init__(self, port: int, paths: list[str], clients: int, max_requests: int):
        self.port, self.paths, self.clients = port, paths, clients
        self.max_requests = max_requests
        self.latencies: list[float] = []
        self.errors: dict[int | str, int] = {}
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def _client(self, n: int) -> None:
        wire = Wire(self.port)
        i = n
        while not self.stop.is_set():
            with self.lock:
                if len(self.latencies) >= self.max_requests:
                    return
            path = self.paths[i % len(self.paths)]
            i += 1
            started = time.perf_counter()
            try:
                status, _fields, _body = wire.request("GET", path)
            except OSError as exc:
                wire.close()
                status = type(exc).__name__
            elapsed = time.perf_counter() - started
            with self.lock:
                if status == 200 or status == 204:
                    self.latencies.append(elapsed)
                else:
                    self.errors[status] = self.errors.get(status, 0) + 1
        wire.close()

    def run_for(self, seconds: float | None, until=None) -> None:
        threads = [
            threading.Thread(target=self._client, args=(n,), daemon=True)
            for n in range(self.clients)
        ]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + (seconds or 1e9)
        while time.monotonic() < deadline and any(t.is_alive() for t in threads):
            if until is not None and until():
                break
            time.sleep(0.05)
        self.stop.set()
        for thread in threads:
            thread.join()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def summary(name: str, load: Load, seconds: float) -> str:
    lat = load.latencies
    return (
        f"{name}: {len(lat)} requests in {seconds:.1f} s ({len(lat) / seconds:.0f}/s), "
        f"p50 {1000 * statistics.median(lat):.0f} ms, p95 {1000 * percentile(lat, 0.95):.0f} ms, "
        f"max {1000 * max(lat):.0f} ms, errors {load.errors or 0}"
    )


def close_vote(port: int, cookie: str) -> tuple[int, float]:
    """GET the round page for the CSRF token, then POST "next phase" like the button does."""
    import re

    wire = Wire(port)
    cookies = f"Cookie: sessionid={cookie}\r\n"
    status, fields, body = wire.request("GET", f"/buurtbudget/{SLUG}/", headers=cookies)
    assert status == 200, status
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    csrf_cookie = next(
        v.split(b";")[0].split(b"=", 1)[1].decode()
        for v in fields.get(b"set-cookie", [])
        if v.startswith(b"csrftoken=")
    )
    form = f"csrfmiddlewaretoken={token}&to_phase=results".encode()
    headers = (
        f"Cookie: sessionid={cookie}; csrftoken={csrf_cookie}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Referer: http://{HOST}:{port}/buurtbudget/{SLUG}/\r\n"
    )
    started = time.perf_counter()
    status, _fields, _body = wire.request("POST", f"/buurtbudget/{SLUG}/fase/", form, headers)
    elapsed = time.perf_counter() - started
    wire.close()
    return status, elapsed


def main(argv=None) -> int:
    args = parse_args(argv)
    with database(args.db, durable=True, keep_dir=None) as db_url:
        port = free_port()
        env = server_env(db_url, port)
        migrate(env)
        setup_django(env)
        from django.db import connection

        from buurtbasis.budgets.models import BudgetRound, Outcome

        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode=WAL")
        started = time.perf_counter()
        budget_round, officer = fill_round(args.ballots, args.plans, args.max_choices, args.seed)
        cookie = session_cookie(officer)
        print(
            f"round with {args.ballots} ballots and {args.plans} plans made in "
            f"{time.perf_counter() - started:.1f} s ({args.db})",
            flush=True,
        )
        connection.close()
        server = Server(env, port, workers=2, threads=4)
        server.start()
        worker = None
        try:
            paths = [
                f"/buurtbudget/{SLUG}/",
                f"/buurtbudget/{SLUG}/uitslag/status/?on=results&seen=none",
            ]
            baseline = Load(port, paths, args.clients, args.max_requests)
            baseline.run_for(args.baseline)
            print(summary("before closing", baseline, args.baseline), flush=True)

            # a worker runs next to the web server, as in production (it waits for work)
            worker = subprocess.Popen(
                [
                    sys.executable,
                    str(ROOT / "manage.py"),
                    "db_worker",
                    "--interval",
                    "0.5",
                    "--no-startup-delay",
                    "--no-reload",
                ],
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            time.sleep(5)  # let it start up before the vote closes
            if worker.poll() is not None:
                raise RuntimeError(worker.stderr.read().decode(errors="replace")[-2000:])

            status, close_seconds = close_vote(port, cookie)
            closed_at = time.perf_counter()
            budget_round.refresh_from_db()
            outcome_now = Outcome.objects.filter(budget_round=budget_round).exists()
            print(
                f"close request: HTTP {status} in {1000 * close_seconds:.0f} ms; right after it "
                f"the round is {budget_round.phase}/{budget_round.count_status}, "
                f"outcome stored: {outcome_now}",
                flush=True,
            )
            assert status == 302, status
            connection.close()

            def counted() -> bool:
                state = BudgetRound.objects.values_list("count_status", flat=True).get(
                    pk=budget_round.pk
                )
                connection.close()
                return state in ("done", "failed")

            during = Load(port, paths, args.clients, args.max_requests)
            during.run_for(args.max_seconds, until=counted)
            load_seconds = time.perf_counter() - closed_at
            print(summary("while counting", during, load_seconds), flush=True)
            budget_round.refresh_from_db()
            outcome = Outcome.objects.get(budget_round=budget_round)
            started_at = budget_round.count_started_at
            busy = (budget_round.count_finished_at - started_at).total_seconds()
            queued = (started_at - budget_round.count_requested_at).total_seconds()
            print(
                f"count: {budget_round.count_status}; {outcome.n_ballots} ballots, "
                f"{len(outcome.funded_plan_ids)} plans funded; counting {busy:.2f} s in the "
                f"worker (export, MES + Add1, the greedy comparison, storing), after "
                f"{queued:.2f} s in the queue",
                flush=True,
            )
            total = load_seconds
            lat, base = during.latencies, baseline.latencies
            print(
                f"close_round ballots={args.ballots} db={args.db} "
                f"close_ms={1000 * close_seconds:.0f} "
                f"count_s={busy:.2f} closed_to_done_s={total:.1f} "
                f"before_p50={1000 * statistics.median(base):.0f}ms "
                f"before_p95={1000 * percentile(base, 0.95):.0f}ms "
                f"during_p50={1000 * statistics.median(lat):.0f}ms "
                f"during_p95={1000 * percentile(lat, 0.95):.0f}ms "
                f"during_requests={len(lat)} errors={sum(during.errors.values())}",
                flush=True,
            )
        finally:
            if worker is not None and worker.poll() is None:
                worker.terminate()  # SIGTERM: the worker stops after its current task
                worker.wait(timeout=60)
            server.stop()
            connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
