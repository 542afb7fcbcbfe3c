"""Real headless Chromium: register (also without JavaScript), log in, reset a password;
axe finds no serious or critical WCAG 2.1 A/AA violations on these pages."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client

from buurtbasis.accounts.models import User
from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.platform.testing import run_queued_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _mail_and_cache(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cache.clear()


def login_as(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def test_a_resident_registers_confirms_and_logs_in(live_server, page, axe_violations):
    page.goto(f"{live_server.url}/account/registreren/")
    assert axe_violations(page) == []
    # First with mistakes: the summary links to the fields and the typed name stays.
    page.get_by_label("Uw naam").fill("Fatima Bakker")
    page.get_by_label("E-mailadres").fill("fatima-at-example")
    page.get_by_label("Kies een wachtwoord").fill("123")
    page.get_by_role("button", name="Account maken").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert page.get_by_label("Uw naam").input_value() == "Fatima Bakker"
    assert page.get_by_label("Kies een wachtwoord").input_value() == ""
    assert axe_violations(page) == []
    summary.get_by_role("link").first.click()
    page.get_by_label("E-mailadres").fill("fatima@example.nl")
    page.get_by_label("Kies een wachtwoord").fill("Zomer-in-Zwolle-77")
    page.get_by_role("button", name="Account maken").click()
    page.get_by_role("heading", name="Kijk in uw e-mail").wait_for()
    assert axe_violations(page) == []
    run_queued_tasks()  # the worker's part: the mail was queued after the commit
    link = re.search(r"http://\S+/account/bevestigen/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    page.get_by_role("heading", name="E-mailadres bevestigd").wait_for()
    assert axe_violations(page) == []
    assert User.objects.get(email="fatima@example.nl").email_verified
    page.get_by_text("Menu", exact=True).click()  # on a phone the links are folded away
    page.locator(".bb-nav--menu").get_by_role("button", name="Uitloggen").click()
    page.goto(f"{live_server.url}/account/inloggen/")
    assert axe_violations(page) == []
    page.get_by_label("E-mailadres").fill("fatima@example.nl")
    page.get_by_label("Wachtwoord").fill("Zomer-in-Zwolle-77")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/mijn/")


def test_registration_works_without_javascript(live_server, _chromium):
    context = _chromium.new_context(
        locale="nl-NL", viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{live_server.url}/account/registreren/")
        page.get_by_label("Uw naam").fill("Kees")
        page.get_by_label("E-mailadres").fill("kees@example.nl")
        page.get_by_label("Kies een wachtwoord").fill("Herfst-in-Zwolle-88")
        page.get_by_role("button", name="Account maken").click()
        page.get_by_role("heading", name="Kijk in uw e-mail").wait_for()
        assert User.objects.filter(email="kees@example.nl").exists()
        # Log out and back in, still without JavaScript.
        page.get_by_text("Menu", exact=True).click()  # <details>: opens without JavaScript
        page.locator(".bb-nav--menu").get_by_role("button", name="Uitloggen").click()
        page.goto(f"{live_server.url}/account/inloggen/")
        page.get_by_label("E-mailadres").fill("kees@example.nl")
        page.get_by_label("Wachtwoord").fill("Herfst-in-Zwolle-88")
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url("**/mijn/")
    finally:
        context.close()


def test_a_failed_log_in_and_a_password_reset(live_server, page, axe_violations):
    UserFactory(email="sanne@example.nl")
    page.goto(f"{live_server.url}/account/inloggen/")
    page.get_by_label("E-mailadres").fill("sanne@example.nl")
    page.get_by_label("Wachtwoord").fill("fout")
    page.get_by_role("button", name="Inloggen").click()
    page.locator(".error-summary").wait_for()
    assert page.get_by_label("E-mailadres").input_value() == "sanne@example.nl"
    assert axe_violations(page) == []
    page.get_by_role("link", name="Wachtwoord vergeten?").click()
    assert axe_violations(page) == []
    page.get_by_label("E-mailadres").fill("sanne@example.nl")
    page.get_by_role("button", name="Stuur mij de e-mail").click()
    page.get_by_role("heading", name="Kijk in uw e-mail").wait_for()
    assert axe_violations(page) == []
    run_queued_tasks()
    link = re.search(r"http://\S+/account/wachtwoord-herstellen/\S+/", mail.outbox[0].body)
    page.goto(link.group(0))
    page.get_by_role("heading", name="Kies een nieuw wachtwoord").wait_for()
    assert axe_violations(page) == []
    page.get_by_label("Nieuw wachtwoord", exact=True).fill("Nieuw-Wachtwoord-Zwolle-9")
    page.get_by_label("Nieuw wachtwoord nog een keer").fill("Nieuw-Wachtwoord-Zwolle-9")
    page.get_by_role("button", name="Nieuw wachtwoord opslaan").click()
    page.get_by_role("heading", name="Uw nieuwe wachtwoord is opgeslagen").wait_for()
    assert axe_violations(page) == []
    assert User.objects.get(email="sanne@example.nl").check_password("Nieuw-Wachtwoord-Zwolle-9")


def test_the_account_pages_are_accessible(live_server, page, axe_violations):
    user = UserFactory(email_verified=False)
    login_as(page, live_server, user)
    for path in [
        "/account/",
        "/account/wachtwoord-wijzigen/",
        "/account/mijn-gegevens/",
        "/account/e-mail-wijzigen/",
        "/account/verwijderen/",
    ]:
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").count() == 1, path
        assert axe_violations(page) == [], path
    # The delete form with errors.
    page.get_by_role("button", name="Mijn account verwijderen").click()
    page.locator(".error-summary").wait_for()
    assert axe_violations(page) == []
    assert User.objects.get(pk=user.pk).is_active
    # The e-mail change form with errors.
    page.goto(f"{live_server.url}/account/e-mail-wijzigen/")
    page.get_by_role("button", name="Stuur de link").click()
    page.locator(".error-summary").wait_for()
    assert axe_violations(page) == []
