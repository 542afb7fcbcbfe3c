"""The tenancy helpers: which municipality a request is about, and the theme values."""

import pytest
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import get_script_prefix, reverse

from buurtbasis.platform.models import Tenant, TenantHost
from buurtbasis.platform.tenancy import (
    TenantMiddleware,
    default_tenant,
    ensure_tenant,
    tenant_for_host,
    tenant_home_url,
    tenant_theme,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two():
    zwolle = ensure_tenant(cbs_code="GM0193", name="Zwolle", slug="zwolle", hosts=["127.0.0.1"])
    rotterdam = ensure_tenant(
        cbs_code="GM0599", name="Rotterdam", slug="rotterdam", hosts=["localhost"]
    )
    return zwolle, rotterdam


def _through_middleware(path, host="testserver"):
    """Run the middleware; return (request, response) with what the view saw."""
    seen = {}

    def view(request):
        seen["tenant"] = request.tenant
        seen["path_info"] = request.path_info
        seen["prefix"] = get_script_prefix()
        seen["reversed"] = reverse("initiatives:list")
        return HttpResponse("ok")

    request = RequestFactory().get(path, HTTP_HOST=host)
    response = TenantMiddleware(view)(request)
    return seen, response


def test_the_host_name_chooses_the_tenant(two):
    zwolle, rotterdam = two
    assert tenant_for_host("localhost:8000") == rotterdam
    assert tenant_for_host("127.0.0.1") == zwolle
    seen, _ = _through_middleware("/initiatieven/", host="localhost:8000")
    assert seen["tenant"] == rotterdam
    assert seen["reversed"] == "/initiatieven/"


def test_an_unknown_host_gets_the_default_tenant_from_the_setting(two, settings):
    zwolle, rotterdam = two
    assert tenant_for_host("buurtbasis.example.nl") == zwolle
    settings.BUURTBASIS_MUNICIPALITY_CODE = "GM0599"
    assert tenant_for_host("buurtbasis.example.nl") == rotterdam
    assert default_tenant() == rotterdam


def test_without_tenant_rows_the_default_is_an_unsaved_tenant_with_the_setting_code(settings):
    settings.BUURTBASIS_MUNICIPALITY_CODE = "GM0363"
    tenant = tenant_for_host("testserver")
    assert tenant.pk is None and tenant.cbs_code == "GM0363"


def test_an_inactive_tenant_is_not_chosen_by_its_host(two):
    zwolle, rotterdam = two
    Tenant.objects.filter(pk=rotterdam.pk).update(is_active=False)
    assert tenant_for_host("localhost") == zwolle


def test_the_path_prefix_chooses_the_tenant_and_stays_in_every_reversed_url(two):
    zwolle, rotterdam = two
    seen, response = _through_middleware("/g/rotterdam/initiatieven/", host="127.0.0.1")
    assert response.status_code == 200
    assert seen["tenant"] == rotterdam  # the prefix wins over the host name
    assert seen["path_info"] == "/initiatieven/"
    assert seen["reversed"] == "/g/rotterdam/initiatieven/"
    # ... and only during that request
    assert get_script_prefix() == "/"
    assert reverse("initiatives:list") == "/initiatieven/"


def test_a_prefix_without_slash_is_redirected_and_an_unknown_slug_is_404(two, client):
    response = client.get("/g/rotterdam?x=1")
    assert response.status_code == 301
    assert response["Location"] == "/g/rotterdam/?x=1"
    assert client.get("/g/amsterdam/").status_code == 404
    Tenant.objects.filter(slug="rotterdam").update(is_active=False)
    assert client.get("/g/rotterdam/").status_code == 404


def test_pages_under_the_prefix_link_inside_the_prefix(two, client):
    response = client.get("/g/rotterdam/initiatieven/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/g/rotterdam/initiatieven/starten/"' in html
    assert 'href="/initiatieven/starten/"' not in html


def test_a_request_that_never_looks_at_the_tenant_costs_no_query(two, django_assert_num_queries):
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    with django_assert_num_queries(0):
        TenantMiddleware(lambda r: HttpResponse("ok"))(request)
    with django_assert_num_queries(1):
        assert request.tenant.cbs_code == "GM0599"


def test_ensure_tenant_is_idempotent_and_never_steals_a_host(two):
    zwolle, _ = two
    again = ensure_tenant(cbs_code="gm0193", name="Other", slug="other", hosts=["LOCALHOST"])
    assert again == zwolle and again.name == "Zwolle"
    assert TenantHost.objects.get(host="localhost").tenant.slug == "rotterdam"
    assert Tenant.objects.count() == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("cbs_code", "0193"),
        ("cbs_code", "WK019310"),
        ("primary_colour", "red"),
        ("primary_colour", "#12345g"),
        ("logo_url", "javascript:alert(1)"),
        ("logo_url", "http://example.org/logo.svg"),
        ("logo_url", '/static/a".svg'),
    ],
)
def test_bad_tenant_values_are_refused_with_a_message(field, value):
    values = {"name": "Zwolle", "slug": "zwolle", "cbs_code": "GM0193", field: value}
    tenant = Tenant(**values)
    with pytest.raises(ValidationError) as error:
        tenant.full_clean()
    assert field in error.value.message_dict


def test_a_bad_host_name_is_refused():
    tenant = Tenant.objects.create(name="Zwolle", slug="zwolle", cbs_code="GM0193")
    for bad in ("https://zwolle.nl", "zwolle.nl:8000", "zwolle.nl/pad", "Zwolle NL"):
        with pytest.raises(ValidationError):
            TenantHost(tenant=tenant, host=bad).full_clean()
    TenantHost(tenant=tenant, host="buurtbasis.zwolle.nl").full_clean()


def test_the_theme_values_come_from_the_tenant_and_unsafe_ones_are_dropped(two):
    zwolle, _ = two
    assert tenant_theme(zwolle) == {"name": "Zwolle", "primary_colour": "", "logo_url": ""}
    zwolle.primary_colour = "#00689e"
    zwolle.logo_url = "/static/logos/zwolle.svg"
    assert tenant_theme(zwolle) == {
        "name": "Zwolle",
        "primary_colour": "#00689e",
        "logo_url": "/static/logos/zwolle.svg",
    }
    # values written around the validators (e.g. with update()) never reach the page
    zwolle.primary_colour = "red;}body{display:none"
    zwolle.logo_url = 'javascript:alert("x")'
    assert tenant_theme(zwolle) == {"name": "Zwolle", "primary_colour": "", "logo_url": ""}
    assert tenant_theme(None) == {"name": "", "primary_colour": "", "logo_url": ""}


def test_the_theme_of_a_request_is_its_tenants(two):
    _, rotterdam = two
    Tenant.objects.filter(pk=rotterdam.pk).update(primary_colour="#00811f")
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    TenantMiddleware(lambda r: HttpResponse("ok"))(request)
    assert tenant_theme(request) == {
        "name": "Rotterdam",
        "primary_colour": "#00811f",
        "logo_url": "",
    }


def test_the_home_url_is_the_first_host_name_or_the_path_prefix(two):
    zwolle, _ = two
    assert tenant_home_url(zwolle, port=8000) == "http://127.0.0.1:8000/"
    lonely = Tenant.objects.create(name="Assen", slug="assen", cbs_code="GM0106")
    assert tenant_home_url(lonely) == "/g/assen/"
