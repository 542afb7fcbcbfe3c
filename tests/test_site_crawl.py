"""Site-wide crawl of the demo municipality in real headless Chromium.

As an anonymous visitor and as every demo role (logged in through the real log-in
page), start at ``/`` and follow same-origin links breadth-first. Every page must:
answer with a status below 400, show no traceback or server error, carry the
Content-Security-Policy header and break none of it (no violation reported by the
browser), set ``<html lang>``, have exactly one ``<h1>`` and one ``<main>`` landmark,
and have no serious or critical axe-core WCAG 2.1 A/AA violations.

To keep the run short the crawl samples URL *patterns*: at most
``PER_VIEW`` page per Django view (one initiative page, not sixty), at most
``PER_PATH_QUERIES`` query-string variants of one path, and at most ``MAX_PAGES``
pages per role. Axe runs once per distinct <main> content (identical public pages
seen by several roles are checked once). All failures are collected and reported together.
"""

from __future__ import annotations

import hashlib
import io
import re
import time
from collections import Counter, deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import Resolver404, resolve, reverse

from buurtbasis.portal.demo.initiatives import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROLES = [
    None,  # anonymous
    "bewoner@demo.buurtbasis.nl",
    "initiatiefnemer@demo.buurtbasis.nl",
    "opbouwwerker@demo.buurtbasis.nl",
    "penningmeester@demo.buurtbasis.nl",
    "ambtenaar@demo.buurtbasis.nl",
    "beheerder@demo.buurtbasis.nl",
]
MAX_PAGES = 40
PER_VIEW = 1
# The demo has one budget round in each phase; each phase renders different pages.
PER_VIEW_OVERRIDES = {"budgets:round-detail": 6}
PER_PATH_QUERIES = 3

SKIP_PREFIXES = ("/beheer/", "/i18n/", "/static/", "/media/")
SKIP_WORDS = ("delete", "verwijderen", "uitloggen", "logout", "download", "export")
SKIP_SUFFIXES = (".pdf", ".pb", ".json", ".csv", ".zip", ".geojson", ".xlsx", ".txt")

# View name -> reason. A page listed here is still visited, but its failures are
# reported as known instead of failing the test. Keep this empty when possible.
KNOWN_ISSUES: dict[str, str] = {}

# Collects the browser's Content-Security-Policy violations on every page.
RECORD_CSP_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e =>
    window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));
"""

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def should_skip(path: str) -> bool:
    lowered = path.lower()
    return (
        lowered.startswith(SKIP_PREFIXES)
        or any(word in lowered for word in SKIP_WORDS)
        or lowered.endswith(SKIP_SUFFIXES)
    )


def view_name(path: str) -> str:
    try:
        return resolve(path).view_name
    except Resolver404:
        return "?unresolved"


def log_in(page, base: str, email: str) -> None:
    cache.clear()  # the log-in rate limit counts per address; seven log-ins in a row
    page.goto(base + reverse("accounts:login"))
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()
    assert "/account/inloggen/" not in page.url, f"log-in failed for {email}"


def main_fingerprint(page) -> str:
    """The <main> content without CSRF tokens: equal fingerprints give equal axe results."""
    html = page.evaluate(
        "() => { const m = document.querySelector('main'); return m ? m.innerHTML : ''; }"
    )
    return hashlib.sha256(CSRF_RE.sub("", html).encode()).hexdigest()


def check_page(page, response, axe_violations, axed: set[str]) -> list[str]:
    """Problems on the current page. `axed` holds fingerprints of <main> contents
    already checked with axe (by an earlier role); the header and footer of each
    role are checked on its first page, '/'."""
    problems = []
    if response is None:
        return ["no response"]
    if response.status >= 400:
        problems.append(f"HTTP {response.status}")
    if "text/html" not in (response.headers.get("content-type") or ""):
        return problems
    if "script-src 'self'" not in (response.headers.get("content-security-policy") or ""):
        problems.append("no Content-Security-Policy header")
    for violation in page.evaluate("() => window.__csp || []"):
        problems.append(f"CSP violation: {violation}")
    text = page.content()
    for marker in ("Traceback", "Server Error", "Exception Value"):
        if marker in text:
            problems.append(f"page shows {marker!r}")
    if not (page.get_attribute("html", "lang") or "").strip():
        problems.append("<html> has no lang")
    h1 = page.locator("h1").count()
    if h1 != 1:
        problems.append(f"{h1} <h1> elements")
    mains = page.locator("main, [role=main]").count()
    if mains != 1:
        problems.append(f"{mains} main landmarks")
    fingerprint = main_fingerprint(page)
    if urlsplit(page.url).path != "/" and fingerprint in axed:
        return problems
    axed.add(fingerprint)
    for violation in axe_violations(page):
        targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
        problems.append(f"axe {violation['id']} on {targets}")
    return problems


def crawl(
    page, base: str, axe_violations, axed: set[str]
) -> tuple[list[str], dict[str, list[str]]]:
    """Breadth-first crawl from '/'; returns visited paths and problems per path."""
    queue = deque(["/"])
    seen: set[str] = {"/"}
    per_view: Counter[str] = Counter()
    per_path: Counter[str] = Counter()
    visited: list[str] = []
    problems: dict[str, list[str]] = {}
    while queue and len(visited) < MAX_PAGES:
        url = queue.popleft()
        response = page.goto(base + url)
        visited.append(url)
        found = check_page(page, response, axe_violations, axed)
        if found:
            problems[url] = found
        if "text/html" not in ((response and response.headers.get("content-type")) or ""):
            continue
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        for href in hrefs:
            href, _ = urldefrag(href)
            parts = urlsplit(href)
            if f"{parts.scheme}://{parts.netloc}" != base or should_skip(parts.path):
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if local in seen:
                continue
            seen.add(local)
            name = view_name(parts.path)
            if parts.query:
                if per_path[parts.path] >= PER_PATH_QUERIES:
                    continue
                per_path[parts.path] += 1
            elif per_view[name] >= PER_VIEW_OVERRIDES.get(name, PER_VIEW):
                continue
            else:
                per_view[name] += 1
            queue.append(local)
    return visited, problems


def test_it_crawls_every_role_without_errors_or_accessibility_violations(
    live_server, page, axe_violations
):
    call_command("load_demo", stdout=io.StringIO())
    # load_demo serves Zwolle on 127.0.0.1 and Rotterdam on localhost: crawl Zwolle
    base = live_server.url.replace("//localhost:", "//127.0.0.1:")
    report: list[str] = []
    known: list[str] = []
    summary: list[str] = []
    axed: set[str] = set()
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    started = time.monotonic()
    for email in ROLES:
        role = email.split("@")[0] if email else "anonymous"
        page.context.clear_cookies()
        if email:
            log_in(page, base, email)
        visited, problems = crawl(page, base, axe_violations, axed)
        summary.append(f"{role}: {len(visited)} pages")
        print(f"{role}: " + " ".join(visited))
        for url, found in problems.items():
            name = view_name(urlsplit(url).path)
            line = f"[{role}] {url} ({name}): " + "; ".join(found)
            (known if name in KNOWN_ISSUES else report).append(line)
    print(f"crawl took {time.monotonic() - started:.0f}s; " + ", ".join(summary))
    for line in known:
        print("KNOWN " + line)
    assert not report, f"{len(report)} pages with problems:\n" + "\n".join(report)
