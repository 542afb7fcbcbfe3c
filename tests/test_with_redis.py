"""scripts/with_redis.py: a throwaway Redis for the RQ task run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "with_redis.py"
SHOW_ENV = (
    "import os, socket, urllib.parse as u; url = os.environ['REDIS_URL']; "
    "s = socket.create_connection((u.urlsplit(url).hostname, u.urlsplit(url).port)); "
    "s.sendall(b'PING\\r\\n'); print(os.environ['TASKS_BACKEND'], url, s.recv(7))"
)


def run(env: dict, *command: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--", *command],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def without_redis(tmp_path: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PATH"] = str(tmp_path)  # no redis-server on it
    return {**env, **extra}


def test_without_redis_server_it_skips_with_a_notice(tmp_path):
    marker = tmp_path / "ran"
    result = run(without_redis(tmp_path), sys.executable, "-c", f"open({str(marker)!r}, 'w')")
    assert result.returncode == 0
    assert "NOTICE: skipping the Redis (RQ) task run" in result.stderr
    assert "apt-get install redis-server" in result.stderr
    assert not marker.exists()


def test_without_redis_server_under_ci_it_fails(tmp_path):
    result = run(without_redis(tmp_path, CI="true"), sys.executable, "-c", "pass")
    assert result.returncode == 1
    assert "ERROR: redis-server was not found" in result.stderr


@pytest.mark.skipif(not shutil.which("redis-server"), reason="NOTICE: redis-server not installed")
def test_it_starts_a_server_for_the_command_and_removes_it_after():
    result = run(dict(os.environ), sys.executable, "-c", SHOW_ENV)
    assert result.returncode == 0, result.stderr
    backend, url, pong = result.stdout.split()
    assert backend == "rq"
    assert url.startswith("redis://127.0.0.1:")
    assert pong == "b'+PONG\\r\\n'"
    folder = result.stderr.split("(", 1)[1].split(")", 1)[0]
    assert not os.path.exists(folder)


def test_the_exit_status_of_the_command_is_passed_on():
    if not shutil.which("redis-server"):
        pytest.skip("NOTICE: redis-server not installed")
    assert run(dict(os.environ), sys.executable, "-c", "raise SystemExit(3)").returncode == 3
