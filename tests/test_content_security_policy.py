"""Content-Security-Policy: scripts and styles only from our own files.

The header is set on every response (platform/middleware.py); no template may carry
an inline script, an inline event handler or inline styles, since the policy blocks
them; and htmx still works under the policy in a real Chromium.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "buurtbasis"

# Rendered by WeasyPrint into a PDF, never sent to a browser as HTML.
PDF_ONLY_TEMPLATES = {"ballots/templates/ballots/letters.html"}

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)
JS_URL = re.compile(r"""(href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)
HTMX_EVAL = re.compile(r"""\bhx-on[:-]|\bhx-(vals|vars|headers)\s*=\s*["']\s*js:""", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)

EXPECTED = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def templates() -> list[Path]:
    return sorted(
        path
        for path in SRC.rglob("templates/**/*")
        if path.suffix in (".html", ".svg", ".txt") and "tests" not in path.parts
    )


def python_that_writes_html() -> list[Path]:
    return sorted(
        path
        for pattern in ("*/maps.py", "*/templatetags/*.py", "*/views.py", "*/letters.py")
        for path in SRC.glob(pattern)
    )


def source(path: Path) -> str:
    """The file's text; doctest lines (examples of what a sanitiser removes) left out."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if not line.lstrip().startswith(">>>"))


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    parts = [part.strip().split(None, 1) for part in header.split(";") if part.strip()]
    return {name: value for name, value in parts}


def test_the_scan_sees_the_templates():
    names = {path.relative_to(SRC).as_posix() for path in templates()}
    assert "templates/base.html" in names
    assert len(names) > 50


@pytest.mark.parametrize(
    ("pattern", "what"),
    [
        (INLINE_SCRIPT, "an inline <script>"),
        (EVENT_HANDLER, "an inline event handler (on...=)"),
        (JS_URL, "a javascript: URL"),
        (HTMX_EVAL, "htmx code that needs eval (hx-on, js:)"),
    ],
)
def test_no_template_or_html_writing_code_runs_inline_javascript(pattern, what):
    found = [
        f"{path.relative_to(SRC)}: {match.group(0)[:60]!r}"
        for path in templates() + python_that_writes_html()
        for match in pattern.finditer(source(path))
    ]
    assert not found, f"{what} is blocked by the Content-Security-Policy:\n" + "\n".join(found)


def test_no_page_template_has_inline_styles():
    found = [
        f"{path.relative_to(SRC)}: {match.group(0)!r}"
        for path in templates() + python_that_writes_html()
        if path.relative_to(SRC).as_posix() not in PDF_ONLY_TEMPLATES
        for match in INLINE_STYLE.finditer(source(path))
    ]
    assert not found, "style-src 'self' blocks inline styles:\n" + "\n".join(found)


def test_the_scan_would_find_what_it_looks_for():
    sample = '<p><script>alert(1)</script><a href="javascript:x()" onclick="x()" style="a">'
    assert INLINE_SCRIPT.search(sample) and EVENT_HANDLER.search(sample)
    assert JS_URL.search(sample) and INLINE_STYLE.search(sample)
    assert not INLINE_SCRIPT.search('<script src="/static/x.js" defer></script>')
    assert not EVENT_HANDLER.search('<button class="online" data-one="1">')
    assert HTMX_EVAL.search('<b hx-on:click="x()">') and HTMX_EVAL.search("hx-vals='js:{a: 1}'")
    assert not HTMX_EVAL.search("""hx-vals='{"action": "calculate"}'""")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/bestaat-niet/", "/account/inloggen/"])
def test_every_response_carries_the_policy(client, path):
    response = client.get(path)
    assert policy(response) == {**policy(response), **EXPECTED}
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_admin_carries_the_policy_too(client, django_user_model):
    admin = django_user_model.objects.create_superuser(email="b@example.nl", password="x")
    client.force_login(admin)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert policy(response)["script-src"] == "'self'"


RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e =>
    window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' +
                      (e.sourceFile || '') + ':' + e.lineNumber));
"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_htmx_works_under_the_policy_without_violations(live_server, page):
    from buurtbasis.areas.services import load_bundled_zwolle

    load_bundled_zwolle()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(RECORD_VIOLATIONS)
    response = page.goto(live_server.url + "/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    first = page.locator("#wijkkaart-title").text_content()
    with page.expect_request(lambda request: request.headers.get("hx-request") == "true"):
        page.select_option("#map-indicator", "AantalInwoners_5")
    page.wait_for_function(
        "t => document.querySelector('#wijkkaart-title').textContent !== t", arg=first
    )
    assert "indicator=AantalInwoners_5" in page.url
    assert page.evaluate("() => typeof htmx") == "object"
    assert page.evaluate("() => window.__csp") == []
    assert not [text for text in console if "Content Security Policy" in text]
