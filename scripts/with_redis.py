#!/usr/bin/env python3
"""Run a command against a throwaway Redis, with the background tasks on RQ.

    python scripts/with_redis.py -- pytest -q -m tasks

Starts Debian's ``redis-server`` on a free port of 127.0.0.1, with its files in a
temporary folder and nothing written to disk (no snapshots, no append-only file),
exports ``REDIS_URL`` and ``TASKS_BACKEND=rq`` for the command, and stops the
server and removes the folder after.

When ``redis-server`` is missing: with CI=true this fails with a clear message;
otherwise it prints a notice and exits 0 without running the command.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

INSTALL_HINT = "Install it with: apt-get install redis-server"


def find_server() -> str | None:
    return shutil.which("redis-server")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@contextlib.contextmanager
def server():
    """Start a throwaway Redis and yield its URL; stop it and remove its folder after."""
    binary = find_server()
    if not binary:
        raise RuntimeError(f"redis-server was not found. {INSTALL_HINT}")
    tmp = tempfile.mkdtemp(prefix="buurtbasis-redis-")
    port = free_port()
    log = open(os.path.join(tmp, "log"), "wb")  # noqa: SIM115 (closed in finally)
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            tmp,
            "--save",
            "",
            "--appendonly",
            "no",
            "--protected-mode",
            "yes",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=tmp,
    )
    try:
        deadline = time.monotonic() + 10
        while not _ping(port):
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                with open(os.path.join(tmp, "log"), encoding="utf-8", errors="replace") as f:
                    output = f.read()
                raise RuntimeError(f"redis-server did not start on port {port}:\n{output}")
            time.sleep(0.05)
        print(f"Redis test server on 127.0.0.1:{port} ({tmp})", file=sys.stderr)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str]) -> int:
    if "--" in argv:
        argv = argv[argv.index("--") + 1 :]
    if not argv:
        print("usage: with_redis.py -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    if not find_server():
        message = f"redis-server was not found. {INSTALL_HINT}"
        if os.environ.get("CI") == "true":
            print(f"ERROR: {message}", file=sys.stderr)
            return 1
        print(f"NOTICE: skipping the Redis (RQ) task run. {message}", file=sys.stderr)
        return 0

    with server() as url:
        env = dict(os.environ, REDIS_URL=url, TASKS_BACKEND="rq")
        return subprocess.call(argv, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
