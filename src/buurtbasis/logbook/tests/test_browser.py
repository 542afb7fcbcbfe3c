"""Real headless Chromium on a 390x844 screen: a community worker makes a signal from a
story, a civil servant answers it, the teller reads the answer through their notification,
and the logbook of the wijk shows signal and answer. axe finds no serious WCAG 2.1 A/AA
problems on any page."""

import pytest
from django.conf import settings
from django.test import Client

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.logbook.models import Signal

from .helpers import contact_story, story, town

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _check(page, axe_violations):
    assert axe_violations(page) == []
    assert _fits(page)


def test_a_signal_from_a_story_is_answered_and_the_teller_hears_it(
    page, axe_violations, live_server
):
    t = town()
    teller = UserFactory(display_name="Verteller")
    told = contact_story(t, teller=teller, text="Bij de bushalte is het 's avonds heel donker.")
    story(t, "Ik loop liever om, want bij de halte is geen licht.")

    # the community worker makes the signal
    _log_in(page, live_server, t.worker)
    page.goto(f"{live_server.url}/signalen/nieuw/?verhaal={told.pk}")
    _check(page, axe_violations)
    page.get_by_role("button", name="Het signaal versturen").click()
    assert page.locator(".error-summary").is_visible()  # nothing filled in yet
    _check(page, axe_violations)
    page.get_by_label("Waar gaat het signaal over?").fill("Donkere bushalte")
    page.get_by_label("Wat zeggen de verhalen?").fill("Bewoners voelen zich er onveilig.")
    page.get_by_label("Waar", exact=True).select_option(label="Binnenstad")
    page.get_by_label("Hoog: antwoord binnen 5 dagen").check()
    page.get_by_label("Voor welke afdeling?").select_option(label="Openbare ruimte")
    page.get_by_label("Ik loop liever om", exact=False).check()
    page.get_by_role("button", name="Het signaal versturen").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Donkere bushalte"
    assert page.get_by_text("Het signaal is naar de gemeente gestuurd.").is_visible()
    _check(page, axe_violations)
    signal = Signal.objects.get()
    assert signal.stories.count() == 2

    # the civil servant finds it on the to-do list and answers
    _log_in(page, live_server, t.civil_servant)
    page.goto(f"{live_server.url}/mijn/")
    assert page.get_by_role("heading", name="Signalen om te beantwoorden").is_visible()
    page.get_by_role("link", name="Donkere bushalte").click()
    _check(page, axe_violations)
    page.get_by_label("Het antwoord van de gemeente").fill("In maart komt er extra verlichting.")
    page.get_by_role("button", name="Het antwoord versturen").click()
    assert page.get_by_text("Het antwoord is verstuurd.").is_visible()
    assert page.get_by_text("In maart komt er extra verlichting.").is_visible()
    _check(page, axe_violations)

    # the teller reads the answer through the notification
    _log_in(page, live_server, teller)
    page.goto(f"{live_server.url}/meldingen/")
    _check(page, axe_violations)
    page.get_by_role("link", name="De gemeente heeft geantwoord over uw verhaal").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Het antwoord van de gemeente"
    assert page.get_by_text("In maart komt er extra verlichting.").is_visible()
    _check(page, axe_violations)

    # the logbook of the wijk shows the signal and its answer
    _log_in(page, live_server, t.worker)
    page.goto(f"{live_server.url}/logboek/{t.wijk.slug}/")
    assert page.get_by_role("heading", name="Signaal: Donkere bushalte", exact=True).is_visible()
    assert page.get_by_role(
        "heading", name="Antwoord op het signaal: Donkere bushalte"
    ).is_visible()
    _check(page, axe_violations)
    page.get_by_role("link", name="Nieuw hier? Lees dit eerst").click()
    _check(page, axe_violations)
