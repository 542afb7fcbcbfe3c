#!/usr/bin/env python3
"""Serve the site and run a background worker next to it, for development.

    DEBUG=True python scripts/run_dev.py [--host 127.0.0.1] [--port 8000]

Starts ``manage.py runserver`` and the worker of the configured task backend
(``TASKS_BACKEND``): ``db_worker`` for the database (the default),
``rqworker --with-scheduler`` for RQ, none for ``immediate``. Ctrl-C (or SIGTERM)
stops both; when one of them stops by itself, the other is stopped too and the
exit status is passed on. Both reload on code changes when DEBUG=True.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STOP_SECONDS = 10


def commands(host: str, port: int, backend: str, python: str = sys.executable) -> list[list[str]]:
    """The processes to run: the web server, and the worker of ``backend`` if it needs one."""
    manage = [python, str(ROOT / "manage.py")]
    found = [[*manage, "runserver", f"{host}:{port}"]]
    if backend == "database":
        found.append([*manage, "db_worker", "--queue-name", "*", "--interval", "1"])
    elif backend == "rq":
        found.append([*manage, "rqworker", "--with-scheduler"])
    elif backend != "immediate":
        raise SystemExit(f"TASKS_BACKEND must be database, rq or immediate, not {backend!r}")
    return found


def supervise(cmds: list[list[str]], *, poll: float = 0.2) -> int:
    """Run ``cmds`` side by side until one stops or a stop signal arrives; stop the rest."""
    stopping = False

    def request_stop(signum, frame):
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    # Each child leads its own process group, so the reloaders' children are stopped too
    # and a Ctrl-C in the terminal reaches them only through this script, once.
    procs = [subprocess.Popen(cmd, cwd=ROOT, start_new_session=True) for cmd in cmds]
    status = 0
    try:
        while not stopping:
            ended = [p for p in procs if p.poll() is not None]
            if ended:
                status = ended[0].returncode
                name = " ".join(Path(part).name for part in ended[0].args[1:3])
                print(f"{name} stopped (exit status {status}); stopping the rest.", file=sys.stderr)
                break
            time.sleep(poll)
    finally:
        _stop(procs)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return status


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, sig)


def _stop(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        if proc.poll() is None:
            _signal_group(proc, signal.SIGINT)
    deadline = time.monotonic() + STOP_SECONDS
    for proc in procs:
        try:
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _signal_group(proc, signal.SIGKILL)
            proc.wait()
        # Also end what a reloader left behind in the group.
        _signal_group(proc, signal.SIGKILL)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    backend = os.environ.get("TASKS_BACKEND", "database")
    return supervise(commands(args.host, args.port, backend))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
