"""Real headless Chromium: the notification list and the preferences page pass axe
(no serious or critical WCAG 2.1 A/AA findings), and work without JavaScript."""

import pytest
from django.conf import settings
from django.test import Client

from buurtbasis.platform.models import Notification
from buurtbasis.platform.notifications import notify

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login_as(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def test_the_list_and_the_preferences_pass_axe(live_server, page, axe_violations, make_person):
    anna = make_person()
    login_as(page, live_server, anna)
    page.goto(f"{live_server.url}/meldingen/")
    assert page.locator("h1").inner_text() == "Meldingen"
    assert "U heeft nog geen meldingen." in page.content()
    assert axe_violations(page) == []

    for number in range(3):
        notify(anna, "test.news", {"thing": f"bank {number}", "link": "/initiatieven/"})
    page.goto(f"{live_server.url}/meldingen/")
    assert page.locator(".site-header .badge").inner_text().startswith("3")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Meldingen: bank 1").click()
    page.wait_for_url("**/meldingen/?page=1")
    assert Notification.objects.filter(read_at__isnull=True).count() == 2
    page.get_by_role("link", name="Meldingen: bank 2").click()
    page.wait_for_url("**/initiatieven/")
    page.goto(f"{live_server.url}/meldingen/")
    page.get_by_role("button", name="Alles als gelezen markeren").click()
    page.wait_for_url("**/meldingen/?page=1")
    assert page.locator(".site-header .badge").count() == 0

    page.goto(f"{live_server.url}/meldingen/voorkeuren/")
    assert axe_violations(page) == []
    page.get_by_label("English").check()
    page.get_by_role("group", name="News about a thing").get_by_label(
        "Alleen op deze website, geen e-mail"
    ).check()
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url("**/meldingen/voorkeuren/")
    assert "Uw voorkeuren voor meldingen zijn opgeslagen." in page.content()
    assert axe_violations(page) == []


def test_pages_work_without_javascript(live_server, _chromium, make_person):
    anna = make_person()
    notify(anna, "test.news", {"thing": "bank", "link": "/initiatieven/"})
    context = _chromium.new_context(java_script_enabled=False, locale="nl-NL")
    try:
        page = context.new_page()
        login_as(page, live_server, anna)
        page.goto(f"{live_server.url}/meldingen/")
        page.get_by_role("button", name="Alles als gelezen markeren").click()
        page.wait_for_url("**/meldingen/?page=1")
        assert Notification.objects.get().read_at is not None
    finally:
        context.close()
