"""Rate limits can be suspended for one block of work in one thread (loading the demo)."""

import threading

from django.core.cache import cache

from buurtbasis.platform import ratelimit


def test_inside_suspended_nothing_is_limited_and_afterwards_the_limit_holds_again():
    cache.clear()
    assert ratelimit.hit("test-scope", "one", limit=1, window=3600)
    assert not ratelimit.hit("test-scope", "one", limit=1, window=3600)
    with ratelimit.suspended():
        assert all(ratelimit.hit("test-scope", "one", limit=1, window=3600) for _ in range(5))
    assert not ratelimit.hit("test-scope", "one", limit=1, window=3600)


def test_suspending_in_one_thread_does_not_suspend_another():
    cache.clear()
    assert ratelimit.hit("test-scope", "two", limit=1, window=3600)
    seen = []
    with ratelimit.suspended():
        thread = threading.Thread(
            target=lambda: seen.append(ratelimit.hit("test-scope", "two", limit=1, window=3600))
        )
        thread.start()
        thread.join()
    assert seen == [False]
