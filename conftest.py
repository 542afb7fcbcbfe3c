"""Fixtures shared by the whole suite.

- `pabulib_dir`: the shared Pabulib instances; tests skip with a notice when they
  are absent, except under CI=true, where their absence is an error.
- `page`: a real headless Chromium page (Debian's /usr/bin/chromium, driven by
  Playwright; no browser is ever downloaded).
- `axe_violations(page)`: runs axe-core (vendored in tests/assets) on the page and
  returns the serious and critical WCAG 2.1 A/AA violations.
- Under CI=true, hypothesis runs derandomized (the "ci" profile).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

ROOT = Path(__file__).resolve().parent
AXE_JS = ROOT / "tests" / "assets" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
IN_CI = os.environ.get("CI") == "true"

# Property-based tests explore new examples on every local run; under CI=true they use
# examples derived from each test's name, so a CI run can be repeated exactly (a failure
# there prints the example and a reproduce blob).
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if IN_CI:
    hypothesis_settings.load_profile("ci")


@pytest.fixture(scope="session")
def pabulib_dir() -> Path:
    from django.conf import settings

    path = Path(settings.PABULIB_DIR)
    if not path.is_dir() or not any(path.glob("*.pb")):
        if IN_CI:
            pytest.fail(f"Pabulib instances not found at {path} (required under CI=true)")
        pytest.skip(f"NOTICE: Pabulib instances not found at {path}; set PABULIB_DIR")
    return path


@pytest.fixture(scope="session")
def pabulib_file(pabulib_dir):
    """``pabulib_file(name)``: the path of one shared Pabulib file.

    Skips with a notice when that file is missing, and fails under CI=true,
    where every shared file must be there.
    """

    def find(name: str) -> Path:
        path = pabulib_dir / name
        if not path.exists():
            if IN_CI:
                pytest.fail(f"{name} not in {pabulib_dir} (required under CI=true)")
            pytest.skip(f"NOTICE: {name} not in {pabulib_dir}")
        return path

    return find


@pytest.fixture(scope="session")
def _chromium():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        if IN_CI:
            pytest.fail(f"Chromium not found at {CHROMIUM} (required under CI=true)")
        pytest.skip(f"NOTICE: Chromium not found at {CHROMIUM}; apt-get install chromium")
    # Playwright's sync API runs an event loop in this thread; Django's ORM guard
    # would otherwise refuse the test's own database calls.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(_chromium):
    context = _chromium.new_context(locale="nl-NL", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def run_axe(page) -> list[dict]:
    """Serious and critical WCAG 2.0/2.1 A and AA violations on the current page."""
    # Evaluated, not added as an inline <script>: the Content-Security-Policy blocks those.
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
        })"""
    )
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.fixture
def axe_violations():
    return run_axe


@pytest.fixture(scope="session", autouse=True)
def _plain_http_live_server():
    """The live server loads its middleware once per session, so plain HTTP from the start."""
    from django.conf import settings

    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture(autouse=True)
def _plain_http(settings):
    """Tests talk plain HTTP to the test client and live server."""
    settings.SECURE_SSL_REDIRECT = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast tests
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def _private_media_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("private_media")


@pytest.fixture(autouse=True)
def _private_media(settings, _private_media_dir):
    """Private files (receipts of the demo, letters) go to a temporary folder, never into
    the working tree; tests that want their own folder set it again."""
    from django.core.files.storage import storages

    settings.PRIVATE_MEDIA_ROOT = _private_media_dir
    storages._storages.pop("private", None)  # the storage reads the folder when it is made
    yield
    storages._storages.pop("private", None)


@pytest.fixture(autouse=True)
def _fresh_ballot_caches(settings):
    """Every request in a test reads the round as it is now (no copy kept in the process)."""
    from buurtbasis.ballots import pagecache

    settings.BALLOTS_ROUND_CACHE_SECONDS = 0
    pagecache.clear()
    yield
    pagecache.clear()


@pytest.fixture(autouse=True)
def _site_language_after_each_test():
    """A test that switches the language (a request with an English cookie activates it
    in this thread and leaves it on) does not pass it on to the next test."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _flushable_ledger(request, django_db_blocker):
    """After a transactional test, empty the append-only tables (the ledger, the logbook)
    so the flush can run (SQLite refuses DELETE of their rows, PostgreSQL TRUNCATE of such
    a table that holds rows; see ``buurtbasis.platform.append_only``)."""
    yield
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if transactional:
        from buurtbasis.platform.append_only import empty_for_flush

        with django_db_blocker.unblock():
            empty_for_flush()


PABULIB_FIXTURES = {"pabulib_dir", "pabulib_file"}


def pytest_collection_modifyitems(config, items):
    """Tests that read the shared Pabulib instances are marked ``pabulib`` (``make test-fast``
    leaves them out; ``make test`` runs them)."""
    for item in items:
        if PABULIB_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.pabulib)
