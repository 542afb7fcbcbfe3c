import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory, override_settings

from buurtbasis.platform import ratelimit
from buurtbasis.platform.views import permission_denied


@pytest.mark.django_db
def test_it_shows_a_styled_403_page_in_dutch(rf, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/ergens/")
    request.user = AnonymousUser()
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert b"Geen toegang" in response.content
    assert b"skip-link" in response.content


def test_it_uses_the_proxy_address_only_behind_a_trusted_proxy():
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    assert ratelimit.client_ip(request) == "10.0.0.1"
    with override_settings(BEHIND_PROXY=True):
        assert ratelimit.client_ip(request) == "203.0.113.9"
