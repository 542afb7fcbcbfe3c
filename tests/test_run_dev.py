"""scripts/run_dev.py: the web server and a worker, started and stopped together."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import run_dev  # noqa: E402

# A child that writes its pid, then runs until it is told to stop (and says so).
CHILD = textwrap.dedent(
    """
    import signal, sys, time, pathlib
    out = pathlib.Path(sys.argv[1])
    def stop(signum, frame):
        out.write_text("stopped")
        sys.exit(0)
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    out.write_text("running")
    while True:
        time.sleep(0.05)
    """
)


def test_the_database_backend_gets_a_db_worker_and_rq_an_rq_worker_with_scheduler():
    web, worker = run_dev.commands("127.0.0.1", 8123, "database", python="py")
    assert web[-2:] == ["runserver", "127.0.0.1:8123"]
    assert worker[2:] == ["db_worker", "--queue-name", "*", "--interval", "1"]
    assert run_dev.commands("127.0.0.1", 8123, "rq", python="py")[1][2:] == [
        "rqworker",
        "--with-scheduler",
    ]
    assert len(run_dev.commands("127.0.0.1", 8123, "immediate")) == 1
    with pytest.raises(SystemExit):
        run_dev.commands("127.0.0.1", 8123, "celery")


def _supervisor(tmp_path: Path, *children: list[str]) -> subprocess.Popen:
    script = tmp_path / "supervise.py"
    script.write_text(
        f"import sys; sys.path.insert(0, {str(ROOT / 'scripts')!r}); import run_dev\n"
        f"sys.exit(run_dev.supervise({[list(c) for c in children]!r}, poll=0.05))\n"
    )
    return subprocess.Popen([sys.executable, str(script)], stderr=subprocess.PIPE, text=True)


def _wait_for(check, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_ctrl_c_stops_both(tmp_path):
    child = tmp_path / "child.py"
    child.write_text(CHILD)
    a, b = tmp_path / "a", tmp_path / "b"
    sup = _supervisor(
        tmp_path, [sys.executable, str(child), str(a)], [sys.executable, str(child), str(b)]
    )
    _wait_for(lambda: a.exists() and b.exists())

    os.kill(sup.pid, signal.SIGINT)

    assert sup.wait(timeout=15) == 0
    assert a.read_text() == "stopped"
    assert b.read_text() == "stopped"


def test_when_one_stops_the_other_is_stopped_and_its_status_passed_on(tmp_path):
    child = tmp_path / "child.py"
    child.write_text(CHILD)
    b = tmp_path / "b"
    sup = _supervisor(
        tmp_path,
        [sys.executable, "-c", "import time; time.sleep(0.5); raise SystemExit(3)"],
        [sys.executable, str(child), str(b)],
    )
    assert sup.wait(timeout=15) == 3
    assert b.read_text() == "stopped"
    assert "stopped (exit status 3)" in sup.stderr.read()
