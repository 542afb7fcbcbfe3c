import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _public_site_url(settings):
    """Letters print the address of the site the test client talks to (http://testserver):
    a local address such as the default http://127.0.0.1:8000 is refused with DEBUG off."""
    settings.SITE_URL = "http://testserver"
