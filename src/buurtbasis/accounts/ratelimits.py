"""Rate limits for account actions, per client address and per account.

Each limit is (attempts, window in seconds). Settings may override one with
``ACCOUNTS_RATE_LIMITS = {"login_account": (5, 900)}``. A shared address (a library,
a community centre with one internet connection) gets a higher limit than one account.
"""

from __future__ import annotations

from django.conf import settings

from buurtbasis.platform.ratelimit import client_ip, hit

DEFAULTS: dict[str, tuple[int, int]] = {
    "login_account": (5, 15 * 60),
    "login_ip": (30, 15 * 60),
    "register_ip": (20, 60 * 60),
    "reset_account": (5, 60 * 60),
    "reset_ip": (10, 60 * 60),
    "verify_resend_account": (5, 60 * 60),
}


def limit(name: str) -> tuple[int, int]:
    """(attempts, window) for a named limit.

    >>> limit("login_account")[0] >= 1
    True
    """
    overrides = getattr(settings, "ACCOUNTS_RATE_LIMITS", {}) or {}
    return overrides.get(name, DEFAULTS[name])


def allow(name: str, key: str) -> bool:
    """Count one attempt under the named limit; False once it is exceeded."""
    attempts, window = limit(name)
    return hit(f"accounts.{name}", key, limit=attempts, window=window)


def allow_request(request, *, ip_limit: str, account_limit: str | None = None, account="") -> bool:
    """Count an attempt for the client address and (when given) the account.

    Both counters are always advanced, so trying many accounts from one address
    and one account from many addresses are both slowed down.
    """
    ok = allow(ip_limit, client_ip(request))
    if account_limit and account:
        ok = allow(account_limit, account.strip().lower()) and ok
    return ok


def retry_minutes(name: str) -> int:
    """The window of a limit in whole minutes (for the message to the user)."""
    return max(1, limit(name)[1] // 60)
