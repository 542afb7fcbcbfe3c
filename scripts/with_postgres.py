#!/usr/bin/env python3
"""Run a command against a throwaway PostgreSQL cluster.

    python scripts/with_postgres.py -- pytest -q

Creates a cluster with initdb in a temporary folder, starts it with pg_ctl on a
free port (Unix socket in the same folder, nothing listens beyond 127.0.0.1),
exports DATABASE_URL for the command, and stops and removes the cluster after.

When the PostgreSQL binaries are missing: with CI=true this fails with a clear
message; otherwise it prints a notice and exits 0 without running the command.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile


def find_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def cluster(*, durable: bool = False):
    """Start a throwaway cluster and yield its DATABASE_URL; stop and remove it after.

    The test cluster trades durability for speed (fsync off). ``durable=True`` keeps
    PostgreSQL's normal settings, for benchmarks that must not lose commits.
    """
    initdb, pg_ctl = find_bin("initdb"), find_bin("pg_ctl")
    if not (initdb and pg_ctl):
        raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) were not found")
    tmp = tempfile.mkdtemp(prefix="buurtbasis-pg-")
    data = os.path.join(tmp, "data")
    port = free_port()
    run_as: list[str] = []
    if os.geteuid() == 0:
        # PostgreSQL refuses to run as root: run the server as an unprivileged user.
        shutil.chown(tmp, "nobody")
        os.chmod(tmp, 0o700)
        run_as = ["runuser", "-u", "nobody", "--"]
    try:
        subprocess.run(
            [
                *run_as,
                initdb,
                "-D",
                data,
                "-U",
                "buurtbasis",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            cwd=tmp,  # the server's user may not enter the caller's directory
        )
        opts = f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c max_connections=200"
        if not durable:
            opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        subprocess.run(
            [
                *run_as,
                pg_ctl,
                "-D",
                data,
                "-o",
                opts,
                "-l",
                os.path.join(tmp, "log"),
                "-w",
                "start",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            cwd=tmp,  # the server's user may not enter the caller's directory
        )
        print(f"PostgreSQL test cluster on 127.0.0.1:{port} ({tmp})", file=sys.stderr)
        yield f"postgres://buurtbasis@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*run_as, pg_ctl, "-D", data, "-m", "fast", "-w", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=tmp,
        )
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str]) -> int:
    if "--" in argv:
        argv = argv[argv.index("--") + 1 :]
    if not argv:
        print("usage: with_postgres.py -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    initdb, pg_ctl = find_bin("initdb"), find_bin("pg_ctl")
    if not (initdb and pg_ctl):
        message = (
            "PostgreSQL server binaries (initdb, pg_ctl) were not found. "
            "Install them with: apt-get install postgresql"
        )
        if os.environ.get("CI") == "true":
            print(f"ERROR: {message}", file=sys.stderr)
            return 1
        print(f"NOTICE: skipping the PostgreSQL test run. {message}", file=sys.stderr)
        return 0

    with cluster() as url:
        env = dict(os.environ, DATABASE_URL=url)
        return subprocess.call(argv, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
