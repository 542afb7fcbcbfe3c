"""A small fixed-window rate limiter on Django's cache.

Used for log-in, registration and voting. Keys are hashed so that no address or
code is stored in clear text in the cache.
"""

import hashlib
import ipaddress
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str:
    """The client's address, behind ``settings.TRUSTED_PROXIES`` reverse proxies.

    Every proxy appends the address it saw to X-Forwarded-For, so with N trusted
    proxies the N-th entry from the right is the address the outermost trusted proxy
    saw: the client. Entries further left were sent by the client and may be forged;
    they are ignored. With fewer entries than proxies (a request that did not pass
    through all of them) or an entry that is not an address, the connecting peer
    (REMOTE_ADDR) is used, as without proxies.
    """
    peer = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = getattr(settings, "TRUSTED_PROXIES", 0)
    if proxies <= 0:
        return peer
    entries = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    entries = [part for part in entries if part]
    if len(entries) < proxies:
        return peer
    candidate = entries[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return peer


_state = threading.local()


@contextmanager
def suspended():
    """No rate limits in this thread inside the block. For loading demo data through the
    services (which limit what one person may do per hour), never around a request."""
    before = getattr(_state, "suspended", False)
    _state.suspended = True
    try:
        yield
    finally:
        _state.suspended = before


def hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one attempt; return True when the caller is still within the limit."""
    if not getattr(settings, "RATELIMIT_ENABLED", True) or getattr(_state, "suspended", False):
        return True
    bucket = int(time.time() // window)
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    cache_key = f"rl:{scope}:{digest}:{bucket}"
    if cache.add(cache_key, 1, timeout=window + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.add(cache_key, 1, timeout=window + 1)
            count = 1
    return count <= limit
