"""Real headless Chromium: the follow button on an initiative page, with htmx (swapped
in place) and without JavaScript (a plain form post); axe finds nothing serious."""

import pytest
from django.conf import settings
from django.test import Client

from buurtbasis.platform.notifications import followers_of

from .factories import InitiativeFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login_as(context, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def test_follow_with_htmx_swaps_the_button(live_server, page, axe_violations):
    initiative = InitiativeFactory(is_public=True)
    resident = UserFactory()
    login_as(page.context, live_server, resident)
    page.goto(live_server.url + initiative.get_absolute_url())
    page.get_by_role("button", name="Volgen").click()
    page.get_by_role("button", name="Niet meer volgen").wait_for()
    assert page.url == live_server.url + initiative.get_absolute_url()  # no reload
    assert list(followers_of(initiative)) == [resident]
    assert axe_violations(page) == []
    page.get_by_role("button", name="Niet meer volgen").click()
    page.get_by_role("button", name="Niet meer volgen").wait_for(state="detached")
    assert list(followers_of(initiative)) == []


def test_follow_without_javascript(live_server, _chromium):
    initiative = InitiativeFactory(is_public=True)
    resident = UserFactory()
    context = _chromium.new_context(java_script_enabled=False, locale="nl-NL")
    try:
        login_as(context, live_server, resident)
        page = context.new_page()
        page.goto(live_server.url + initiative.get_absolute_url())
        page.get_by_role("button", name="Volgen").click()
        page.wait_for_load_state()
        assert "U volgt dit nu." in page.content()
        assert list(followers_of(initiative)) == [resident]
    finally:
        context.close()
