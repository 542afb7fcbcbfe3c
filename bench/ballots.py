#!/usr/bin/env python3
"""Ballots over HTTP against a real server: nothing lost, nothing doubled, how fast.

    python bench/ballots.py --ballots 20000 --clients 32 --db postgresql
    python bench/ballots.py --ballots 5000 --clients 16 --db sqlite

What it does:
1. Makes a fresh database: a throwaway PostgreSQL cluster with normal durability
   (fsync and synchronous commit on; ``--pg-fast`` turns them off, as the test
   cluster does) via ``scripts/with_postgres.py``, or an SQLite file in WAL mode.
2. Migrates it, creates a round in its voting phase with plans, and makes one
   voting code per ballot (``ballots.services.generate_codes``).
3. Starts a production WSGI server on 127.0.0.1 on a free port, with production
   settings (DEBUG off): granian (``--server granian``, default: 2 worker processes
   x 4 threads) or gunicorn (``--server gunicorn``, gthread workers).
4. Many client threads (a minimal HTTP/1.1 client, only 127.0.0.1) each take a code,
   GET the ballot form with it (the QR link), read the CSRF token, and POST the code
   and a random choice of plans. A 303 to the receipt page is an acknowledgement;
   its receipt number and the choices are recorded with the latencies.
5. Counts what the database holds against what was acknowledged: an acknowledged
   ballot that is missing or has other choices is *lost*; more than one ballot per
   code, or a plan twice on one ballot, is *duplicated*.

``--kill-after F`` kills the server (SIGKILL, the whole process group) once a
fraction F of the ballots is acknowledged, starts it again, and lets the clients
retry what was in flight. ``--report PATH`` writes the acknowledgements as JSON.

The last line is for scripts:
``ballots acknowledged=N stored=N lost=N duplicated=N rate=R/s p50=Xms p95=Xms p99=Xms db=...``
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench"), str(ROOT / "scripts")]

import with_postgres  # noqa: E402  (scripts/with_postgres.py: the throwaway cluster)

CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
HOST = "127.0.0.1"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ballots", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--db", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--server", choices=["granian", "gunicorn"], default="granian")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument("--plans", type=int, default=12, help="plans on the ballot")
    parser.add_argument("--kill-after", type=float, default=None, metavar="FRACTION")
    parser.add_argument("--pg-fast", action="store_true", help="PostgreSQL with fsync off")
    parser.add_argument("--report", type=Path, default=None, help="write acknowledgements here")
    parser.add_argument("--keep-dir", type=Path, default=None, help="SQLite: put the file here")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args(argv)


# -- database and Django in this process --


@contextlib.contextmanager
def database(kind: str, *, durable: bool, keep_dir: Path | None):
    if kind == "postgresql":
        with with_postgres.cluster(durable=durable) as url:
            yield url
        return
    folder = keep_dir or Path(tempfile.mkdtemp(prefix="buurtbasis-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        yield f"sqlite:///{folder / 'bench.sqlite3'}"
    finally:
        if keep_dir is None:
            shutil.rmtree(folder, ignore_errors=True)


def server_env(db_url: str, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT / "bench")]),
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "DATABASE_URL": db_url,
        "DEBUG": "False",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": HOST,
        "SITE_URL": f"http://{HOST}:{port}",
        "SECURE_SSL_REDIRECT": "False",
        "SESSION_COOKIE_SECURE": "False",
        "CSRF_COOKIE_SECURE": "False",
        "SECURE_HSTS_PRELOAD": "False",
        "CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
    }


def setup_django(env: dict[str, str]) -> None:
    os.environ.update({k: v for k, v in env.items() if k != "PYTHONPATH"})
    import django

    django.setup()


def migrate(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v", "0"],
        env=env,
        check=True,
        cwd=ROOT,
    )


def create_round(n_codes: int, n_plans: int, *, max_choices: int = 3):
    """A round in its voting phase with feasible plans and ``n_codes`` voting codes."""
    from datetime import timedelta

    from django.utils import timezone

    from buurtbasis.accounts.models import User
    from buurtbasis.ballots import services
    from buurtbasis.budgets.models import BudgetRound, Phase, Plan
    from buurtbasis.organisations.models import Organisation

    org = Organisation.objects.create(name="Gemeente Bench", slug="gemeente-bench", kind="gemeente")
    user = User.objects.create_user(email="bench@example.org", password=secrets.token_hex(8))
    budget_round = BudgetRound.objects.create(
        slug="bench",
        title="Buurtbudget Bench",
        organisation=org,
        budget_cents=10_000_000,
        ballot_type="approval",
        max_choices=max_choices,
        phase="voting",
        allow_code_voting=True,
        created_by=user,
    )
    now = timezone.now()
    Phase.objects.create(
        budget_round=budget_round,
        kind="voting",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=7),
    )
    plans = Plan.objects.bulk_create(
        [
            Plan(
                budget_round=budget_round,
                title=f"Plan {i + 1}: bankjes, bomen en een buurtfeest",
                summary="Een korte samenvatting van wat dit plan doet voor de buurt.",
                description="Een langere beschrijving.",
                submitted_by=user,
                status="feasible",
                cost_cents=100_000 * (i + 1),
            )
            for i in range(n_plans)
        ]
    )
    plain: list[str] = []
    while len(plain) < n_codes:  # the service makes at most MAX_CODES_PER_RUN at a time
        batch = min(n_codes - len(plain), services.MAX_CODES_PER_RUN)
        plain += services.generate_codes(budget_round, batch)
    return budget_round, [p.pk for p in plans], plain


# -- the server --


def free_port() -> int:
    return with_postgres.free_port()


class Server:
    def __init__(
        self, env: dict[str, str], port: int, workers: int, threads: int, kind: str = "granian"
    ):
        self.env, self.port, self.workers, self.threads = env, port, workers, threads
        self.kind = kind
        self.process: subprocess.Popen | None = None
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop())

    def command(self) -> list[str]:
        if self.kind == "granian":
            return [
                sys.executable,
                "-m",
                "granian",
                "--interface",
                "wsgi",
                "--host",
                HOST,
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
                "--blocking-threads",
                str(self.threads),
                "--backlog",
                "2048",
                "--log-level",
                "warning",
                "--no-ws",
                "buurtbasis.wsgi:application",
            ]
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "buurtbasis.wsgi:application",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(self.threads),
            "--backlog",
            "2048",
            "--keep-alive",
            "5",
            "--graceful-timeout",
            "5",
        ]

    def start(self, timeout: float = 60.0) -> None:
        command = self.command()
        self.process = subprocess.Popen(
            command,
            env=self.env,
            cwd=ROOT,
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,  # its own process group: kill it and its workers at once
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.kind} exited:\n{self.tail()}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
                conn.request("GET", "/stemmen/bench/")
                status = conn.getresponse().status
                conn.close()
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.kind} did not answer in {timeout:.0f}s:\n{self.tail()}")

    def cpu_seconds(self) -> float:
        """CPU time used so far by the master and its live workers (Linux /proc)."""
        if self.process is None:
            return 0.0
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                text = stat.read_text()
            except OSError:
                continue
            fields = text[text.rindex(")") + 2 :].split()
            if int(fields[2]) == self.process.pid:  # process group
                total += int(fields[11]) + int(fields[12])  # utime + stime
        return total / os.sysconf("SC_CLK_TCK")

    def kill(self) -> None:
        """SIGKILL the master and every worker: no graceful shutdown, no cleanup."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            self.log.close()
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()
        self.log.close()

    def tail(self, n: int = 3000) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-n:]


def db_cpu_seconds(db_url: str) -> float:
    """CPU time used so far by the PostgreSQL server of ``db_url`` (postmaster and backends)."""
    if not db_url.startswith("postgres"):
        return 0.0
    port = db_url.rsplit(":", 1)[-1].split("/", 1)[0]
    stats: dict[int, tuple[int, int]] = {}  # pid -> (ppid, cpu ticks)
    postmaster = None
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            if "(postgres)" not in text:
                continue
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        pid = int(stat.parent.name)
        stats[pid] = (int(fields[1]), int(fields[11]) + int(fields[12]))
        if f"-p {port}".encode() in cmdline:
            postmaster = pid
    if postmaster is None:
        return 0.0
    ticks = sum(cpu for pid, (ppid, cpu) in stats.items() if postmaster in (pid, ppid))
    return ticks / os.sysconf("SC_CLK_TCK")


# -- the clients --


@dataclass
class Ack:
    code: str
    receipt: str
    plans: list[int]
    latency: float  # POST, seconds
    round_trip: float  # GET form + POST, seconds


@dataclass
class Results:
    acks: dict[str, Ack] = field(default_factory=dict)
    rejected: list[tuple[str, int]] = field(default_factory=list)
    gave_up: list[str] = field(default_factory=list)
    retries: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class Retry(Exception):
    pass


class Rejected(Exception):
    """The server refused the ballot (a status other than 303 or a temporary failure)."""


class Wire:
    """A minimal HTTP/1.1 keep-alive client.

    The load generator shares the machine with the server it measures, so it must be
    cheap: ``http.client`` spends more CPU per request than the voting path itself.
    Enough HTTP for this server: a status line, headers, a body of ``Content-Length``
    bytes (or chunks), and ``Connection: close``.
    """

    def __init__(self, port: int, timeout: float = 30.0):
        self.port, self.timeout = port, timeout
        self.sock: socket.socket | None = None
        self.buf = b""

    def close(self) -> None:
        if self.sock is not None:
            with contextlib.suppress(OSError):
                self.sock.close()
        self.sock, self.buf = None, b""

    def _recv(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("server closed the connection")
        self.buf += chunk

    def request(self, method: str, target: str, body: bytes = b"", headers: str = ""):
        if self.sock is None:
            self.sock = socket.create_connection((HOST, self.port), timeout=self.timeout)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        head = (
            f"{method} {target} HTTP/1.1\r\nHost: {HOST}:{self.port}\r\n{headers}"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        self.sock.sendall(head.encode() + body)
        while b"\r\n\r\n" not in self.buf:
            self._recv()
        raw, _, self.buf = self.buf.partition(b"\r\n\r\n")
        lines = raw.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        fields: dict[bytes, list[bytes]] = {}
        for line in lines[1:]:
            key, _, value = line.partition(b":")
            fields.setdefault(key.strip().lower(), []).append(value.strip())
        if fields.get(b"transfer-encoding", [b""])[0].lower() == b"chunked":
            data = bytearray()
            while True:
                while b"\r\n" not in self.buf:
                    self._recv()
                size_line, _, self.buf = self.buf.partition(b"\r\n")
                size = int(size_line.split(b";")[0], 16)
                while len(self.buf) < size + 2:
                    self._recv()
                data += self.buf[:size]
                self.buf = self.buf[size + 2 :]
                if size == 0:
                    break
            data = bytes(data)
        else:
            length = int(fields.get(b"content-length", [b"0"])[0])
            while len(self.buf) < length:
                self._recv()
            data, self.buf = self.buf[:length], self.buf[length:]
        if fields.get(b"connection", [b""])[0].lower() == b"close":
            self.close()
        return status, fields, data


def _cookie(fields: dict[bytes, list[bytes]], name: str) -> str | None:
    prefix = f"{name}=".encode()
    for value in fields.get(b"set-cookie", []):
        if value.startswith(prefix):
            return value.split(b";", 1)[0].split(b"=", 1)[1].decode()
    return None


def vote_once(conn: Wire, slug: str, code: str, plans: list[int]) -> Ack:
    path = f"/stemmen/{slug}/stembiljet/"
    started = time.perf_counter()
    status, fields, body = conn.request("GET", f"{path}?{urlencode({'code': code})}")
    if status != 200:
        raise Retry(f"GET {status}")
    token = CSRF_INPUT.search(body)
    cookie = _cookie(fields, "csrftoken")
    if token is None or cookie is None:
        raise Retry("no CSRF token")
    form = [("csrfmiddlewaretoken", token.group(1).decode()), ("code", code)]
    form += [("action", "confirm")] + [("plan", str(p)) for p in plans]
    posted = time.perf_counter()
    status, fields, _ = conn.request(
        "POST",
        path,
        body=urlencode(form).encode(),
        headers="Content-Type: application/x-www-form-urlencoded\r\n"
        f"Cookie: csrftoken={cookie}\r\n",
    )
    done = time.perf_counter()
    if status == 303:
        location = fields.get(b"location", [b""])[0].decode()
        receipt = location.rstrip("/").rsplit("/", 1)[-1]
        return Ack(code, receipt, plans, done - posted, done - started)
    if status in (429, 500, 502, 503, 504):
        raise Retry(f"POST {status}")
    raise Rejected(status)


def client(jobs: list, port: int, slug: str, results: Results, give_up_after: float) -> None:
    conn = Wire(port)
    while True:
        with results.lock:
            if not jobs:
                break
            code, plans = jobs.pop()
        first_failure = None
        delay = 0.02
        while True:
            try:
                ack = vote_once(conn, slug, code, plans)
            except Rejected as exc:
                with results.lock:
                    results.rejected.append((code, exc.args[0]))
                break
            except (OSError, ValueError, Retry):
                # a broken connection or a garbled answer: reconnect and try again
                conn.close()
                now = time.monotonic()
                first_failure = first_failure or now
                with results.lock:
                    results.retries += 1
                if now - first_failure > give_up_after:
                    with results.lock:
                        results.gave_up.append(code)
                    break
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
                continue
            with results.lock:
                results.acks[code] = ack
            break
    conn.close()


# -- counting --


def count_stored(budget_round, acks: dict[str, Ack], all_codes: list[str]) -> dict[str, int]:
    from django.db import connection

    from buurtbasis.ballots import codes as code_hashing
    from buurtbasis.ballots.models import Ballot, BallotChoice

    connection.close()
    by_hash = {
        code_hashing.hash_code(budget_round.pk, code_hashing.normalise_code(c)): c
        for c in all_codes
    }
    stored = list(
        Ballot.objects.filter(budget_round=budget_round).values_list(
            "pk", "voting_code__code_hash", "receipt"
        )
    )
    pairs = list(
        BallotChoice.objects.filter(ballot__budget_round=budget_round).values_list(
            "ballot_id", "plan_id"
        )
    )
    choices: dict[int, set[int]] = defaultdict(set)
    for ballot_id, plan_id in pairs:
        choices[ballot_id].add(plan_id)
    per_code = Counter(code_hash for _pk, code_hash, _r in stored)
    duplicated = sum(n - 1 for n in per_code.values() if n > 1)
    duplicated += len(pairs) - len(set(pairs))
    state = {by_hash.get(h): (receipt, choices[pk]) for pk, h, receipt in stored}
    lost = sum(1 for code, ack in acks.items() if state.get(code) != (ack.receipt, set(ack.plans)))
    unacknowledged = sum(1 for code in state if code not in acks)
    return {
        "stored": len(stored),
        "lost": lost,
        "duplicated": duplicated,
        "unacknowledged": unacknowledged,
    }


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


# -- main --


def run(args) -> dict:
    rng = random.Random(args.seed)
    port = free_port()
    durable = not args.pg_fast
    with database(args.db, durable=durable, keep_dir=args.keep_dir) as db_url:
        env = server_env(db_url, port)
        t0 = time.perf_counter()
        migrate(env)
        setup_django(env)
        budget_round, plan_ids, plain = create_round(args.ballots, args.plans)
        from django.db import connection

        connection.close()
        print(
            f"setup: {args.db} ({'durable' if durable or args.db == 'sqlite' else 'fsync off'}), "
            f"{args.ballots} codes, {len(plan_ids)} plans in {time.perf_counter() - t0:.1f}s",
            file=sys.stderr,
        )
        jobs = [(code, sorted(rng.sample(plan_ids, rng.randint(1, 3)))) for code in plain]
        server = Server(env, port, args.workers, args.threads, args.server)
        server.start()
        print(
            f"server: {args.server} {args.workers} workers x {args.threads} threads "
            f"on {HOST}:{port}; {args.clients} clients",
            file=sys.stderr,
        )
        results = Results()
        give_up = 60.0
        threads = [
            threading.Thread(target=client, args=(jobs, port, "bench", results, give_up))
            for _ in range(args.clients)
        ]
        kill_info: dict[str, float] = {}
        cpu_at_start = server.cpu_seconds()
        db_cpu_at_start = db_cpu_seconds(db_url)
        client_cpu_at_start = time.process_time()
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        try:
            if args.kill_after is not None:
                target = int(args.ballots * args.kill_after)
                while len(results.acks) < target and any(t.is_alive() for t in threads):
                    time.sleep(0.01)
                kill_info["acknowledged_before_kill"] = len(results.acks)
                server.kill()
                down = time.perf_counter()
                time.sleep(0.5)
                server.start()
                kill_info["down_seconds"] = time.perf_counter() - down
                print(
                    f"killed the server (SIGKILL) after {kill_info['acknowledged_before_kill']} "
                    f"acknowledgements; back after {kill_info['down_seconds']:.1f}s",
                    file=sys.stderr,
                )
            for thread in threads:
                thread.join()
        finally:
            elapsed = time.perf_counter() - started
            server_cpu = server.cpu_seconds() - cpu_at_start
            db_cpu = db_cpu_seconds(db_url) - db_cpu_at_start
            server.stop()
        client_cpu = time.process_time() - client_cpu_at_start
        counts = count_stored(budget_round, results.acks, plain)
    acks = list(results.acks.values())
    latencies = [a.latency for a in acks]
    trips = [a.round_trip for a in acks]
    summary = {
        "db": args.db,
        "acknowledged": len(acks),
        **counts,
        "rejected": len(results.rejected),
        "gave_up": len(results.gave_up),
        "retries": results.retries,
        "seconds": elapsed,
        "rate": len(acks) / elapsed if elapsed else 0.0,
        "p50": percentile(latencies, 50) * 1000,
        "p95": percentile(latencies, 95) * 1000,
        "p99": percentile(latencies, 99) * 1000,
        "trip_p50": percentile(trips, 50) * 1000,
        "trip_p99": percentile(trips, 99) * 1000,
        "server_cpu_ms": 1000 * server_cpu / max(1, len(acks)),
        "client_cpu_ms": 1000 * client_cpu / max(1, len(acks)),
        "db_cpu_ms": 1000 * db_cpu / max(1, len(acks)),
        "load": os.getloadavg()[0],
        **kill_info,
    }
    if args.report:
        args.report.write_text(
            json.dumps(
                {
                    "summary": summary,
                    "acks": [{"receipt": a.receipt, "plans": a.plans} for a in acks],
                },
                indent=1,
            )
        )
    return summary


def main(argv=None) -> int:
    args = parse_args(argv)
    summary = run(args)
    print(
        f"rejected={summary['rejected']} gave_up={summary['gave_up']} "
        f"retries={summary['retries']} unacknowledged_stored={summary['unacknowledged']} "
        f"seconds={summary['seconds']:.1f} "
        f"form+vote p50={summary['trip_p50']:.1f}ms p99={summary['trip_p99']:.1f}ms "
        f"server_cpu={summary['server_cpu_ms']:.1f}ms/ballot "
        f"client_cpu={summary['client_cpu_ms']:.1f}ms/ballot "
        f"db_cpu={summary['db_cpu_ms']:.1f}ms/ballot load={summary['load']:.1f}"
    )
    print(
        f"ballots acknowledged={summary['acknowledged']} stored={summary['stored']} "
        f"lost={summary['lost']} duplicated={summary['duplicated']} "
        f"rate={summary['rate']:.0f}/s p50={summary['p50']:.1f}ms p95={summary['p95']:.1f}ms "
        f"p99={summary['p99']:.1f}ms db={summary['db']}"
    )
    ok = summary["lost"] == 0 and summary["duplicated"] == 0 and not summary["rejected"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
