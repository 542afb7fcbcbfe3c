import pytest
from django.core.exceptions import PermissionDenied

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
