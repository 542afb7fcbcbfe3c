"""Which web address goes on code letters, and whether it may be printed.

The QR codes and URLs on letters are built from ``SITE_URL`` (and the round's
municipality, ``letters.round_site_url``) by a background task that has no request.
A letter cannot be printed again, so before a run the page shows the exact address
and compares it with the site the civil servant is using. An address that only works
on one computer or network (localhost, 127.x, ::1, ``.local``, private IP ranges) or
that differs from the site being served is refused in production (``DEBUG`` off),
with the reason; with ``DEBUG`` on it is a warning.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import get_script_prefix
from django.utils.translation import gettext as _

LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa")
DEFAULT_PORTS = {"http": 80, "https": 443}


def is_local_host(host: str) -> bool:
    """True for a host name or IP address that does not reach a site from the internet.

    >>> [is_local_host(h) for h in ("localhost", "127.0.0.1", "::1", "buurt.local")]
    [True, True, True, True]
    >>> [is_local_host(h) for h in ("10.1.2.3", "192.168.0.9", "0.0.0.0", "buurtbasis.nl")]
    [True, True, True, False]
    """
    host = (host or "").strip().strip("[]").rstrip(".").lower()
    if not host or host == "localhost" or host.endswith(LOCAL_SUFFIXES):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_unspecified


def _normalised(url: str) -> tuple[str, str, int | None, str]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or DEFAULT_PORTS.get(scheme)
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port, parts.path.rstrip("/")


def served_site(request) -> str:
    """The site this request is served from: scheme, host and the tenant's ``/g/<slug>``."""
    return f"{request.scheme}://{request.get_host()}{get_script_prefix().rstrip('/')}"


@dataclass
class SiteCheck:
    """The address that will be printed, the site being served, and what is wrong."""

    printed: str
    served: str
    problems: list[str] = field(default_factory=list)
    refused: bool = False


def check(printed: str, served: str, *, debug: bool | None = None) -> SiteCheck:
    """Whether letters with ``printed`` in their QR codes may be printed from ``served``."""
    debug = settings.DEBUG if debug is None else debug
    result = SiteCheck(printed=printed, served=served)
    host = urlsplit(printed).hostname or ""
    if is_local_host(host):
        result.problems.append(
            _(
                "The address %(address)s only works on this computer or network, not for "
                "residents at home. Set SITE_URL (or the municipality's host name) to the "
                "public address of this site."
            )
            % {"address": printed}
        )
    if _normalised(printed) != _normalised(served):
        result.problems.append(
            _(
                "The address on the letters (%(printed)s) is not the address of this site "
                "(%(served)s). Residents who scan the QR code would land on another site. "
                "Make SITE_URL match the public address of this site."
            )
            % {"printed": printed, "served": served}
        )
    result.refused = bool(result.problems) and not debug
    return result
