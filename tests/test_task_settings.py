"""TASKS_BACKEND and REDIS_URL: the queue is chosen from the environment, bad values refused."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    unset = ("TASKS_BACKEND", "REDIS_URL", "DATABASE_URL")
    base = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_rq_with_a_redis_url_passes_the_checks_and_gets_rq_settings():
    result = run_manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings; "
        "print(settings.TASKS['default']['BACKEND'], settings.RQ_QUEUES['default']['URL'], "
        "'django_rq' in settings.INSTALLED_APPS)",
        TASKS_BACKEND="rq",
        REDIS_URL="redis://redis.internal:6379/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django_tasks_rq.RQBackend",
        "redis://redis.internal:6379/0",
        "True",
    ]
    checked = run_manage("check", TASKS_BACKEND="rq", REDIS_URL="redis://127.0.0.1:6379/0")
    assert checked.returncode == 0, checked.stderr


def test_rq_without_a_redis_url_is_refused():
    result = run_manage("check", TASKS_BACKEND="rq")
    assert result.returncode != 0
    assert "TASKS_BACKEND=rq needs REDIS_URL" in result.stderr


def test_an_unknown_backend_is_refused():
    result = run_manage("check", TASKS_BACKEND="celery")
    assert result.returncode != 0
    assert "TASKS_BACKEND must be one of database, rq, immediate, not 'celery'" in result.stderr
