"""Several municipalities per installation: which one a request is about.

A tenant is a municipality (``platform.Tenant``, keyed on its CBS code). The
``TenantMiddleware`` sets ``request.tenant`` on every request:

1. A path that starts with ``/g/<slug>/`` shows the tenant with that slug. The
   prefix is taken off before the URL is resolved and put in front of every URL
   Django reverses, so the links of the page stay inside that municipality. This is
   the fallback for an installation with one host name; an unknown slug is a 404.
2. Otherwise the host name of the request chooses (``platform.TenantHost``).
3. Otherwise the default tenant: the one whose CBS code is the setting
   ``BUURTBASIS_MUNICIPALITY_CODE`` (when no such row exists, an unsaved tenant with
   that code, so a single-municipality installation needs no tenant rows at all).

``request.tenant`` is resolved lazily for the host-name case, so a request that
never looks at it costs no query. The apps above the ground floor scope their lists
and detail pages with ``tenant.cbs_code`` (see ``areas``, ``organisations``,
``initiatives``, ``budgets``); this module imports none of them.

>>> split_prefix("/g/zwolle/initiatieven/")
('zwolle', '/initiatieven/')
>>> split_prefix("/g/zwolle")
('zwolle', '')
>>> split_prefix("/initiatieven/")
(None, '/initiatieven/')
>>> normalise_host("Buurtbasis.Zwolle.nl:8000")
'buurtbasis.zwolle.nl'
>>> normalise_host("[::1]:8000")
'[::1]'
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import get_script_prefix, set_script_prefix
from django.utils.functional import SimpleLazyObject

from .models.tenancy import Tenant, TenantHost

__all__ = [
    "PATH_PREFIX",
    "TenantMiddleware",
    "default_tenant",
    "ensure_tenant",
    "get_tenant",
    "normalise_host",
    "path_without_prefix",
    "site_url",
    "split_prefix",
    "tenant_for_host",
    "tenant_home_url",
    "tenant_theme",
    "tenants",
]

#: The first path segment of the single-host fallback: ``/g/<slug>/``.
PATH_PREFIX = "g"
_PREFIX_RE = re.compile(rf"^/{PATH_PREFIX}/(?P<slug>[-a-zA-Z0-9_]+)(?P<rest>/.*)?$")
DEFAULT_CODE = "GM0193"


def split_prefix(path: str) -> tuple[str | None, str]:
    """(slug, the rest of the path) for ``/g/<slug>/…``; (None, path) otherwise."""
    match = _PREFIX_RE.match(path)
    if match is None:
        return None, path
    return match["slug"], match["rest"] or ""


def normalise_host(host: str) -> str:
    """The host name without port, in lower case (``[::1]`` keeps its brackets)."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else host
    return host.rsplit(":", 1)[0] if ":" in host else host


def default_code() -> str:
    return (getattr(settings, "BUURTBASIS_MUNICIPALITY_CODE", "") or DEFAULT_CODE).upper()


def default_tenant() -> Tenant:
    """The tenant for requests that name none (``BUURTBASIS_MUNICIPALITY_CODE``)."""
    code = default_code()
    tenant = Tenant.objects.filter(cbs_code=code).first()
    return tenant if tenant is not None else Tenant(cbs_code=code, name="", slug="")


def tenant_for_host(host: str) -> Tenant:
    """The active tenant with this host name, else the default tenant (one query)."""
    host = normalise_host(host)
    code = default_code()
    candidates = list(
        Tenant.objects.annotate(
            by_host=Exists(TenantHost.objects.filter(tenant=OuterRef("pk"), host=host))
        ).filter(Q(by_host=True, is_active=True) | Q(cbs_code=code))
    )
    for tenant in candidates:
        if tenant.by_host:
            return tenant
    for tenant in candidates:
        return tenant
    return Tenant(cbs_code=code, name="", slug="")


def ensure_tenant(
    *, cbs_code: str, name: str, slug: str, hosts=(), primary_colour: str = ""
) -> Tenant:
    """The tenant with this CBS code, created when missing (idempotent).

    An existing tenant keeps its settings; host names that no tenant has yet are added.
    """
    tenant, _created = Tenant.objects.get_or_create(
        cbs_code=cbs_code.upper(),
        defaults={"name": name, "slug": slug, "primary_colour": primary_colour},
    )
    for host in hosts:
        host = normalise_host(host)
        if not TenantHost.objects.filter(host=host).exists():
            TenantHost.objects.create(tenant=tenant, host=host)
    return tenant


def tenants() -> list[Tenant]:
    """Every active tenant, by name, with its host names (two queries)."""
    return list(Tenant.objects.filter(is_active=True).prefetch_related("hosts"))


def get_tenant(request) -> Tenant:
    """``request.tenant``, or the default tenant outside the middleware (e.g. tests)."""
    tenant = getattr(request, "tenant", None)
    return tenant if tenant is not None else default_tenant()


def tenant_home_url(tenant: Tenant, *, scheme: str = "http", port: int | None = None) -> str:
    """Where a tenant's home page is: its first host name, else ``/g/<slug>/``.

    Without a host name the path is returned as is (relative to the site).
    """
    hosts = [h.host for h in tenant.hosts.all()] if tenant.pk else []
    if hosts:
        netloc = hosts[0] if port is None else f"{hosts[0]}:{port}"
        return f"{scheme}://{netloc}/"
    return f"/{PATH_PREFIX}/{tenant.slug}/" if tenant.slug else "/"


def site_url(cbs_code: str | None) -> str:
    """Where a municipality's pages are, for links that leave the request (letters, QR
    codes): its first host name with the scheme and port of ``SITE_URL``; without host
    names ``SITE_URL`` + ``/g/<slug>`` (the default tenant: ``SITE_URL`` itself).

    Paths to append must not carry a script prefix (see ``path_without_prefix``).
    """
    base = settings.SITE_URL.rstrip("/")
    if not cbs_code:
        return base
    tenant = Tenant.objects.filter(cbs_code=cbs_code.upper(), is_active=True).first()
    if tenant is None:
        return base
    host = tenant.hosts.order_by("pk").values_list("host", flat=True).first()
    parts = urlsplit(base)
    if host:
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{host}{port}{parts.path.rstrip('/')}"
    if tenant.cbs_code == default_code():
        return base
    return f"{base}/{PATH_PREFIX}/{tenant.slug}"


def path_without_prefix(path: str) -> str:
    """A path reversed during a request, without the request's ``/g/<slug>/`` prefix."""
    prefix = get_script_prefix()
    return "/" + path[len(prefix) :] if path.startswith(prefix) else path


def tenant_theme(tenant_or_request) -> dict:
    """The values a theme needs: ``name``, ``primary_colour``, ``logo_url``.

    Takes a tenant, or a request (its ``request.tenant``; e.g. in a context processor:
    ``{"tenant_theme": tenant_theme(request)}``).

    Empty strings where the tenant sets nothing (the theme then uses its defaults).
    The colour and the address were validated when the tenant was saved, but they
    end up in CSS and ``src`` attributes, so they are checked again here.
    """
    tenant = tenant_or_request
    if tenant is not None and hasattr(tenant, "META"):
        tenant = get_tenant(tenant)
    if tenant is None:
        return {"name": "", "primary_colour": "", "logo_url": ""}
    colour = tenant.primary_colour or ""
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        colour = ""
    logo = tenant.logo_url or ""
    if (
        logo
        and not (logo.startswith("https://") or logo.startswith("/"))
        or any(c in logo for c in " \"'<>\n\r\t")
    ):
        logo = ""
    if logo.startswith("https://") and not urlsplit(logo).netloc:
        logo = ""
    return {"name": tenant.name, "primary_colour": colour, "logo_url": logo}


class TenantMiddleware:
    """Sets ``request.tenant`` (and ``request.tenant_prefix``: ``/g/<slug>`` or "").

    Place it right after ``SessionMiddleware`` and before ``CommonMiddleware``, so
    that the slash redirect and URL resolving see the path without the prefix.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        slug, rest = split_prefix(request.path_info)
        if slug is None:
            request.tenant = SimpleLazyObject(lambda: tenant_for_host(request.get_host()))
            request.tenant_prefix = ""
            return self.get_response(request)
        tenant = Tenant.objects.filter(slug=slug, is_active=True).first()
        if tenant is None:
            raise Http404("no such municipality")
        if not rest:
            query = request.META.get("QUERY_STRING", "")
            target = request.path + "/" + (f"?{query}" if query else "")
            return HttpResponsePermanentRedirect(target)
        prefix = f"/{PATH_PREFIX}/{slug}"
        request.tenant = tenant
        request.tenant_prefix = prefix
        request.path_info = rest
        previous = get_script_prefix()
        set_script_prefix(previous.rstrip("/") + prefix + "/")
        try:
            return self.get_response(request)
        finally:
            set_script_prefix(previous)
