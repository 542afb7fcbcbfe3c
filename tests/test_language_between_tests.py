"""A test that leaves the English UI switched on does not change the language of the next
test (the suite's fixture activates the site's language after every test). The two tests
run in this order within one process."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_a_request_in_english_switches_the_thread_to_english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.get(reverse("portal:home"))
    assert translation.get_language() == "en"


def test_the_next_test_speaks_the_site_language(settings):
    assert translation.get_language() == settings.LANGUAGE_CODE
