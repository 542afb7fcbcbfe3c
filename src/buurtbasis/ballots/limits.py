"""Rate limits against guessing voting codes and receipt numbers.

Only *wrong* attempts count. Two limits apply to the code form of a round:

- per client address (``BALLOTS_CODE_FAILURES_PER_ADDRESS``, default 10 per 10 minutes);
- per round, over all addresses (``BALLOTS_CODE_FAILURES_PER_ROUND``, default 500 per
  5 minutes): a burst of wrong codes from many addresses closes the code form of
  that round for everyone until the window ends. A guesser then learns nothing,
  not even whether a code is right.

Counting uses :func:`buurtbasis.platform.ratelimit.hit` on Django's cache. With more
than one server process the cache must be shared (``CACHE_BACKEND``), or each
process counts on its own.
"""

from __future__ import annotations

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache

from buurtbasis.platform.ratelimit import client_ip, hit

ADDRESS = "address"
ROUND = "round"


def _limit(name: str, default: tuple[int, int]) -> tuple[int, int]:
    limit, window = getattr(settings, name, default)
    return int(limit), int(window)


@functools.lru_cache(maxsize=4096)
def _flag(scope: str, key: str) -> str:
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    return f"ballots:blocked:{scope}:{digest}"


def _scopes(request, round_id: int, kind: str) -> list[tuple[str, str, int, int]]:
    per_address = _limit(f"BALLOTS_{kind}_FAILURES_PER_ADDRESS", (10, 600))
    scopes = [(f"ballots-{kind}-address", f"{client_ip(request)}", *per_address)]
    if kind == "CODE":
        per_round = _limit("BALLOTS_CODE_FAILURES_PER_ROUND", (500, 300))
        scopes.append(("ballots-code-round", str(round_id), *per_round))
    return scopes


def blocked(request, round_id: int, *, kind: str = "CODE") -> str | None:
    """Which limit blocks this request right now: ADDRESS, ROUND or None."""
    if not getattr(settings, "RATELIMIT_ENABLED", True):
        return None
    scopes = _scopes(request, round_id, kind)
    flags = cache.get_many([_flag(scope, key) for scope, key, _l, _w in scopes])
    for scope, key, _limit_value, _window in scopes:
        if _flag(scope, key) in flags:
            return ROUND if scope.endswith("round") else ADDRESS
    return None


def record_failure(request, round_id: int, *, kind: str = "CODE") -> None:
    """Count one wrong attempt; block the scope once it reaches its limit."""
    for scope, key, limit, window in _scopes(request, round_id, kind):
        if not hit(scope, key, limit=limit - 1, window=window):
            cache.set(_flag(scope, key), 1, timeout=window)
