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
    # SECRET_KEY is set for the test run (pyproject's pytest env); each test chooses its own.
    unset = ("DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY", "BEHIND_PROXY")
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


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    # Voting-code hashes are keyed on SECRET_KEY: the public development key must
    # never sign anything in production, so the settings refuse to load at all.
    result = run_manage("check", DEBUG="False", ALLOWED_HOSTS="x.nl")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set" in result.stderr


def test_it_refuses_the_development_secret_key_when_debug_is_off():
    result = run_manage(
        "check",
        DEBUG="False",
        ALLOWED_HOSTS="x.nl",
        SECRET_KEY="django-insecure-dev-only-change-me",
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_refuses_an_empty_secret_key_when_debug_is_off():
    result = run_manage("check", DEBUG="False", ALLOWED_HOSTS="x.nl", SECRET_KEY="  ")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_allows_the_development_key_with_debug_on():
    result = run_manage("check", DEBUG="True")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_test_run_itself_has_a_key_of_its_own():
    """pytest loads the settings with DEBUG unset: pyproject's pytest env gives the
    test run a key, so the refusal above does not stop the suite."""
    from django.conf import settings

    assert not settings.DEBUG
    assert settings.SECRET_KEY != "django-insecure-dev-only-change-me"


@pytest.mark.parametrize("value", ["yes", "1", "true"])
def test_it_rejects_a_vague_boolean_for_debug(value):
    result = run_manage("check", DEBUG=value)
    assert result.returncode != 0
    assert "DEBUG must be True or False" in result.stderr
