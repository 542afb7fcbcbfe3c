"""Production-like settings pass Django's deployment checklist."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # DJANGO_ALLOW_ASYNC_UNSAFE is set for the browser tests (conftest) and fails --deploy.
    unset = ("DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    base = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_passes_check_deploy_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="False",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="buurtbasis.example.nl",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_flags_the_development_secret_key_in_production():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", DEBUG="False", ALLOWED_HOSTS="x.nl"
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr


@pytest.mark.parametrize("value", ["yes", "1", "true"])
def test_it_rejects_a_vague_boolean_for_debug(value):
    result = run_manage("check", DEBUG=value)
    assert result.returncode != 0
    assert "DEBUG must be True or False" in result.stderr
