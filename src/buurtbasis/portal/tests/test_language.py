import pytest
from django.conf import settings


@pytest.mark.django_db
def test_it_speaks_dutch_even_to_an_english_browser(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "nl"
    assert b'<html lang="nl">' in response.content
    assert b"Ga direct naar de inhoud" in response.content


@pytest.mark.django_db
def test_it_switches_to_english_with_the_language_switch(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = client.get("/")
    assert b'<html lang="en">' in response.content
    assert b"Skip to main content" in response.content


@pytest.mark.django_db
def test_it_ignores_an_unknown_language_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    response = client.get("/")
    assert b'<html lang="nl">' in response.content
