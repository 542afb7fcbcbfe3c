"""Warm referral's "done when", on the demo, in real headless Chromium (390x844):

a volunteer finds a service on Zwolle's social map and refers a resident with their
consent from a phone; a professional of the receiving organisation (another browser,
another log-in) accepts, writes a case note, records first contact and the start of the
help; the volunteer sees the loop close step by step and never the notes or the
person's details. axe finds no serious WCAG 2.1 A/AA problems on the pages on the way.
"""

import io
import re
from types import SimpleNamespace

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from buurtbasis.accounts.models import User
from buurtbasis.hosting.tests.test_expenses_browser import login
from buurtbasis.portal.demo.initiatives import DEMO_PASSWORD
from buurtbasis.referrals.models import Referral, Status

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

VOLUNTEER = "doorverwijzer@demo.buurtbasis.nl"
PROFESSIONAL = "schuldhulp@demo.buurtbasis.nl"
PERSON = "Wilma"
CONTACT = "wilma.demo@example.org"
REASON = "De brieven van de deurwaarder blijven komen en ik slaap er slecht van."
NOTE = "Afspraak gemaakt op het spreekuur; twee schuldeisers in beeld."


def _text(locator) -> str:
    return re.sub(r"\s+", " ", locator.inner_text().replace("\xa0", " "))


def _no_details(page) -> None:
    html = page.content()
    for secret in (CONTACT, REASON, NOTE):
        assert secret not in html, secret


def test_a_volunteer_refers_from_a_phone_and_sees_the_loop_close(
    live_server, page, _chromium, axe_violations
):
    call_command("load_demo", stdout=io.StringIO())
    site = SimpleNamespace(url=live_server.url.replace("//localhost:", "//127.0.0.1:"))
    base = f"{site.url}/doorverwijzen"
    people = {email: User.objects.get(email=email) for email in (VOLUNTEER, PROFESSIONAL)}
    for email in people:  # the README's log-ins hold
        assert authenticate(email=email, password=DEMO_PASSWORD) is not None, email

    # The volunteer finds the service on the social map, on a phone.
    assert page.viewport_size == {"width": 390, "height": 844}
    login(page, site, people[VOLUNTEER])
    page.goto(f"{base}/sociale-kaart/")
    assert axe_violations(page) == []
    page.locator("select[name=domein]").select_option("debt")
    page.get_by_role("button", name="Toon").click()
    page.get_by_role("link", name="Schuldhulpverlening Geldzorg").click()
    page.get_by_role("heading", name="Schuldhulpverlening Geldzorg").wait_for()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Iemand doorverwijzen").click()
    page.get_by_role("heading", name="Iemand doorverwijzen naar", exact=False).wait_for()
    assert axe_violations(page) == []

    # A nine-digit number is refused with a clear message.
    page.locator("input[name=person_name]").fill(PERSON)
    page.locator("input[name=contact]").fill(CONTACT)
    page.locator("textarea[name=reason]").fill("Mijn BSN is 123456782.")
    page.locator("input[name=shared]").nth(0).check()
    page.locator("input[name=shared]").nth(1).check()
    page.locator("input[name=shared]").nth(2).check()
    page.get_by_label("Mondeling gezegd").check()
    page.get_by_role("button", name="Doorverwijzing versturen").click()
    page.get_by_text("burgerservicenummer (BSN) mag niet", exact=False).first.wait_for()
    assert axe_violations(page) == []
    assert not Referral.objects.filter(person_name=PERSON).exists()

    page.locator("textarea[name=reason]").fill(REASON)
    page.get_by_role("button", name="Doorverwijzing versturen").click()
    page.get_by_text("De doorverwijzing is verstuurd.").wait_for()
    assert axe_violations(page) == []
    referral = Referral.objects.get(person_name=PERSON)
    assert referral.consent_method == "in_person" and referral.report_back == "status"
    mine = page.url
    assert _text(page.locator(".referral-status")) == "Verstuurd"
    _no_details(page)

    # The professional of the receiving organisation, in another browser.
    context = _chromium.new_context(locale="nl-NL", viewport={"width": 390, "height": 844})
    pro = context.new_page()
    pro.set_default_timeout(10_000)
    try:
        login(pro, site, people[PROFESSIONAL])
        pro.goto(f"{base}/ontvangen/")
        assert axe_violations(pro) == []
        pro.locator(f"a[href$='/doorverwijzen/ontvangen/{referral.pk}/']").click()
        pro.get_by_text(CONTACT).wait_for()
        assert axe_violations(pro) == []
        pro.locator("textarea[name=text]").fill(NOTE)
        pro.get_by_role("button", name="Notitie opslaan").click()
        pro.get_by_text("De notitie is opgeslagen.").wait_for()

        steps = [
            ("Accepteren", "Geaccepteerd"),
            ("Eerste contact vastleggen", "Eerste contact gelegd"),
            ("Start van de hulp vastleggen", "Hulp gestart"),
        ]
        for button, status in steps:
            pro.get_by_role("button", name=button).click()
            pro.get_by_text(f"Opgeslagen: {status}.").wait_for()
            assert axe_violations(pro) == []
            # The volunteer sees the step, and nothing of the case.
            page.goto(mine)
            assert _text(page.locator(".referral-status")) == status
            assert status in _text(page.locator(".referral-steps"))
            _no_details(page)
            assert axe_violations(page) == []
    finally:
        context.close()

    referral.refresh_from_db()
    assert referral.status == Status.STARTED
    assert referral.professional == people[PROFESSIONAL]
    # The lists and the dashboard of the volunteer show no details either; the demo's
    # referral without first contact in time stands out there.
    for path in ("/doorverwijzen/mijn/", "/mijn/"):
        page.goto(f"{site.url}{path}")
        _no_details(page)
        assert page.locator(".status-overdue").count() >= 1
        assert axe_violations(page) == []
    page.goto(f"{base}/")
    assert axe_violations(page) == []

    # A civil servant keeps the map up to date (the form with its list of wijken).
    login(page, site, User.objects.get(email="ambtenaar@demo.buurtbasis.nl"))
    page.goto(f"{base}/sociale-kaart/")
    page.get_by_role("link", name="Voorziening toevoegen").click()
    page.get_by_role("heading", name="Voorziening toevoegen").wait_for()
    assert axe_violations(page) == []
