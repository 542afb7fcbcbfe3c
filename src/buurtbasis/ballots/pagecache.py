"""The hot path of voting: the round with its plans, and the empty ballot page, kept
per server process.

**The round and its plans** are read once and kept for a short time
(``BALLOTS_ROUND_CACHE_SECONDS``, default 2 seconds) per round address. Whether
voting is still open is always checked against the clock, and once more inside the
transaction that stores a ballot (``services._lock_open_round``), so a kept copy
can never let a ballot in after the round closed.

**The empty ballot page** is rendered once per round and reused.

Every voter with a code who has not voted yet sees the same ballot page, except
for three things: the CSRF token, the code that came with the link (echoed in a
hidden field) and the page's own address (in the language switch). The page is
rendered once with random placeholders for these and filled in per request, with
the values escaped as the template would have escaped them.

The key holds the round's id, the language, the host name and path prefix (which
choose the municipality, see ``platform.tenancy``), and a digest of every column of the
round, its voting dates and the plans on the ballot. Any change to any of these
gives a new key, so a changed round is never shown from an old render. Pages for
voters who are logged in, who already voted, or who have messages waiting are
always rendered in full.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable

from django.middleware.csrf import get_token
from django.urls import get_script_prefix
from django.utils.html import escape
from django.utils.translation import get_language

MAX_PAGES = 32

# Random per process: no plan text can contain them by accident or on purpose.
CSRF_MARK = f"csrf{secrets.token_hex(12)}"
CODE_MARK = f"code{secrets.token_hex(12)}"
PATH_MARK = f"path{secrets.token_hex(12)}"

_pages: OrderedDict[tuple, str] = OrderedDict()
_rounds: dict[tuple[str, str], tuple[float, object]] = {}
_lock = threading.Lock()


def round_and_plans(slug: str, *, max_age: float, load: Callable[[str], object]):
    """``load(slug)`` (the round and its plans, or None), reused for ``max_age`` seconds."""
    if max_age <= 0:
        return load(slug)
    now = time.monotonic()
    # the plans carry links, which start with /g/<slug>/ on a municipality's path prefix
    key = (get_script_prefix(), slug)
    hit = _rounds.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = load(slug)
    if value is not None:
        with _lock:
            if len(_rounds) >= MAX_PAGES:
                _rounds.clear()
            _rounds[key] = (now + max_age, value)
    return value


def _digest(budget_round, plans: Iterable, phase) -> str:
    row = sorted(
        (name, value) for name, value in vars(budget_round).items() if not name.startswith("_")
    )
    dates = (phase.starts_at, phase.ends_at) if phase is not None else None
    rows = [
        (p.pk, p.title, p.summary, p.cost_cents, str(p.photo), p.photo_alt, p.detail_url)
        for p in plans
    ]
    return hashlib.blake2b(repr((row, dates, rows)).encode(), digest_size=16).hexdigest()


def can_use(request, *, voting_code, choices) -> bool:
    """True for a code voter who has not voted yet, is not logged in and has no messages."""
    if voting_code is None or choices:
        return False
    if request.user.is_authenticated:
        return False
    storage = getattr(request, "_messages", None)
    return storage is None or len(storage) == 0


def ballot_page(
    request,
    *,
    budget_round,
    plans: list,
    phase,
    posted_code: str,
    render: Callable[[dict], str],
) -> str:
    """The page for this request; ``render(extra_context)`` renders it when not kept yet."""
    # the digest is kept on the round object, which lives as long as its kept copy
    digest = budget_round.__dict__.get("_pagecache_digest")
    if digest is None:
        digest = budget_round._pagecache_digest = _digest(budget_round, plans, phase)
    # host name and path prefix choose the municipality (platform.tenancy): its links and look
    key = (budget_round.pk, get_language(), digest, request.get_host(), get_script_prefix())
    with _lock:
        page = _pages.get(key)
        if page is not None:
            _pages.move_to_end(key)
    if page is None:
        page = render(
            {"csrf_token": CSRF_MARK, "posted_code_mark": CODE_MARK, "language_next": PATH_MARK}
        )
        with _lock:
            _pages[key] = page
            while len(_pages) > MAX_PAGES:
                _pages.popitem(last=False)
    return (
        page.replace(CSRF_MARK, escape(get_token(request)))
        .replace(CODE_MARK, escape(posted_code))
        .replace(PATH_MARK, escape(request.get_full_path()))
    )


def clear() -> None:
    """Forget every kept page and round (tests)."""
    with _lock:
        _pages.clear()
        _rounds.clear()
