"""Template context every page gets: the site's name and address, and the theme of the
municipality (tenant) the request belongs to.

The theme's shape is documented in docs/components.md. Tenancy plugs in by setting
``request.tenant_theme`` (a mapping with any of the keys of ``DEFAULT_THEME``) in its middleware;
missing or unusable values fall back to the Buurtbasis defaults.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.templatetags.static import static

logger = logging.getLogger(__name__)

_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_PRIMARY = "#0b5394"
# Text on the primary colour (header, buttons) is white: it must reach WCAG AA for normal text.
MIN_CONTRAST_ON_WHITE = 4.5


def _luminance(colour: str) -> float:
    channels = []
    for i in (1, 3, 5):
        c = int(colour[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_with_white(colour: str) -> float:
    """The WCAG contrast ratio of a ``#rrggbb`` colour with white (1 to 21)."""
    return 1.05 / (_luminance(colour) + 0.05)


def darker(colour: str, factor: float = 0.7) -> str:
    """The same hue, darker (for hover and pressed states)."""
    parts = [round(int(colour[i : i + 2], 16) * factor) for i in (1, 3, 5)]
    return "#" + "".join(f"{p:02x}" for p in parts)


def usable_colour(value, fallback: str = DEFAULT_PRIMARY) -> str:
    """``value`` if a ``#rrggbb`` colour with enough contrast for white text, else ``fallback``."""
    if not isinstance(value, str) or not _HEX_COLOUR.match(value):
        if value:
            logger.warning("Tenant colour %r is not a #rrggbb colour; using the default", value)
        return fallback
    if contrast_with_white(value) < MIN_CONTRAST_ON_WHITE:
        logger.warning("Tenant colour %s is too light for white text; using the default", value)
        return fallback
    return value.lower()


@dataclass(frozen=True)
class TenantTheme:
    """What a page needs to look like the municipality's own site."""

    name: str = "Buurtbasis"
    primary_colour: str = DEFAULT_PRIMARY
    logo_url: str = ""
    logo_alt: str = ""

    @property
    def primary_colour_dark(self) -> str:
        return darker(self.primary_colour)

    @property
    def has_custom_colours(self) -> bool:
        return self.primary_colour != DEFAULT_PRIMARY

    @property
    def version(self) -> str:
        """Changes whenever the colours change, so the theme stylesheet can be cached for long."""
        return hashlib.sha256(self.primary_colour.encode()).hexdigest()[:10]


def default_theme() -> TenantTheme:
    return TenantTheme(logo_url=static("favicon.svg"))


def theme_for_request(request) -> TenantTheme:
    """The theme for this request: the tenant's values where usable, otherwise the defaults.

    The values come from ``request.tenant_theme`` when set (a mapping with any of ``name``,
    ``primary_colour`` — ``#rrggbb``, at least 4.5:1 against white —, ``logo_url`` and
    ``logo_alt``), otherwise from the request's tenant (``tenancy.tenant_theme``): the
    header then reads "Buurtbasis <municipality>".
    """
    base = default_theme()
    values = getattr(request, "tenant_theme", None) if request is not None else None
    if values is None and getattr(request, "tenant", None) is not None:
        from .tenancy import tenant_theme

        values = dict(tenant_theme(request))
        if values.get("name"):
            values["name"] = f"{base.name} {values['name']}"
    if not values:
        return base
    return TenantTheme(
        name=str(values.get("name") or base.name),
        primary_colour=usable_colour(values.get("primary_colour")),
        logo_url=str(values.get("logo_url") or base.logo_url),
        logo_alt=str(values.get("logo_alt") or ""),
    )


def site(request):
    """Values every template may use."""
    theme = theme_for_request(request)
    return {
        "SITE_NAME": "Buurtbasis",
        "SITE_URL": settings.SITE_URL,
        "tenant_theme": theme,
    }


def notifications(request):
    """``unread_notifications``: the unread count for the page header.

    A callable, so the COUNT query only runs when a template shows it, and at most
    once per request.
    """

    def unread() -> int:
        if not hasattr(request, "_unread_notifications"):
            from .notifications import unread_count

            request._unread_notifications = unread_count(getattr(request, "user", None))
        return request._unread_notifications

    return {"unread_notifications": unread}
