"""The municipality's theme: defaults, the hook tenancy plugs into, and the colour stylesheet."""

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from buurtbasis.platform.context_processors import (
    DEFAULT_PRIMARY,
    contrast_with_white,
    site,
    theme_for_request,
)


class TenantThemeMiddleware:
    """What tenancy will do: put the tenant's theme on the request."""

    theme: dict = {}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.tenant_theme = TenantThemeMiddleware.theme
        return self.get_response(request)


@pytest.fixture
def tenant(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.TenantThemeMiddleware"]
    yield TenantThemeMiddleware
    TenantThemeMiddleware.theme = {}


def test_without_a_tenant_every_page_gets_the_buurtbasis_defaults():
    context = site(RequestFactory().get("/"))
    theme = context["tenant_theme"]
    assert theme.name == "Buurtbasis" and theme.primary_colour == DEFAULT_PRIMARY
    assert theme.logo_url.endswith("favicon.svg") and not theme.has_custom_colours
    assert site(None)["tenant_theme"].name == "Buurtbasis"


def test_a_tenant_theme_overrides_the_defaults_it_sets():
    request = RequestFactory().get("/")
    request.tenant_theme = {"name": "Gemeente Kampen", "primary_colour": "#7A1E3A"}
    theme = theme_for_request(request)
    assert theme.name == "Gemeente Kampen" and theme.primary_colour == "#7a1e3a"
    assert theme.logo_url.endswith("favicon.svg")  # not set: the default
    assert theme.has_custom_colours and contrast_with_white(theme.primary_colour_dark) > 4.5


@pytest.mark.parametrize(
    "colour",
    ["#ffdd00", "red", "#0b5394;}body{display:none", "url(javascript:x)", "#12345", 42, None],
)
def test_unusable_colours_fall_back_to_the_default(colour):
    request = RequestFactory().get("/")
    request.tenant_theme = {"primary_colour": colour}
    assert theme_for_request(request).primary_colour == DEFAULT_PRIMARY


def test_contrast_is_computed_as_wcag_does():
    assert contrast_with_white("#000000") == pytest.approx(21)
    assert contrast_with_white("#ffffff") == pytest.approx(1)
    assert contrast_with_white("#767676") == pytest.approx(4.54, abs=0.01)


@pytest.mark.django_db
def test_pages_link_the_tenant_stylesheet_and_it_carries_the_colours(client, tenant):
    html = client.get(reverse("portal:home")).content.decode()
    assert "thema.css" not in html  # defaults: no extra request
    tenant.theme = {"name": "Gemeente Kampen", "primary_colour": "#7a1e3a", "logo_url": "/k.svg"}
    html = client.get(reverse("portal:home")).content.decode()
    href = re.search(r'href="(/thema\.css\?v=[0-9a-f]+)"', html).group(1)
    assert 'src="/k.svg"' in html and "Gemeente Kampen" in html
    response = client.get(href)
    assert response["Content-Type"].startswith("text/css")
    assert "--bb-colour-primary: #7a1e3a;" in response.content.decode()
    assert "max-age" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_broken_tenant_colour_never_reaches_the_stylesheet(client, tenant):
    tenant.theme = {"primary_colour": "#000000;} * {background:url(//evil)"}
    css = client.get(reverse("platform:theme-css")).content.decode()
    assert "evil" not in css and f"--bb-colour-primary: {DEFAULT_PRIMARY};" in css


@pytest.mark.django_db
def test_the_page_chrome_has_no_inline_script_or_style(client):
    """Ready for a strict Content-Security-Policy: scripts and styles come from files."""
    html = client.get(reverse("portal:home")).content.decode()
    assert "<style" not in html and " style=" not in html
    for tag in re.findall(r"<script[^>]*>", html):
        assert 'src="' in tag
    assert re.findall(r"<script[^>]*>(.*?)</script>", html, re.S) == [""] * html.count("<script")
