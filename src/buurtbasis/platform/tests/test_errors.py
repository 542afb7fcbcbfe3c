import pytest
from django.test import override_settings


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_it_shows_a_styled_404_page(client):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert b"skip-link" in response.content
    assert b"niet vinden" in response.content or b"not find" in response.content
