import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _dutch(settings):
    settings.LANGUAGE_CODE = "nl"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate limits count in the cache; every test starts with none used."""
    cache.clear()
    yield
    cache.clear()
