import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache and are keyed on user ids, which a later test
    may reuse: every test starts with empty counters."""
    cache.clear()
    yield
    cache.clear()
