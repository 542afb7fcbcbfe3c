"""The wijkprofiel in real headless Chromium on a 390x844 screen: everything fits the
phone's width, the charts and tables are there, and axe finds no serious WCAG 2.1 A/AA
problems; the civil servant finds the wijkanalyse."""

import pytest
from django.conf import settings
from django.test import Client

from .test_wijkprofiel import world  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def test_the_wijkprofiel_on_a_phone(page, axe_violations, live_server, world):  # noqa: F811
    assert page.viewport_size == {"width": 390, "height": 844}
    page.goto(f"{live_server.url}{world['wijk'].get_absolute_url()}")
    page.get_by_role("link", name="Wijkprofiel van Centrum Zwolle", exact=False).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Wijkprofiel van Centrum Zwolle"
    assert page.get_by_role("heading", name="Wie doet mee").is_visible()
    assert page.get_by_text("maar 0% van de stemmers").is_visible()
    assert page.locator("svg.profile-bar").count() >= 5
    assert page.get_by_role("table", name="Aandeel per leeftijdsgroep", exact=False).is_visible()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert page.get_by_text("Download de wijkanalyse").count() == 0  # not for everyone

    _log_in(page, live_server, world["servant"])
    page.reload()
    assert page.get_by_role("link", name="Download de wijkanalyse (pdf)").is_visible()
    assert axe_violations(page) == []
