"""Volunteering's "done when", on the loaded demo, in real headless Chromium (390x844):
a resident signs up for a shift from a phone, the initiator confirms the hours of a
volunteer after a shift, the volunteer who carries too much sees the warning on their
dashboard, and a community worker sees that the treasurer role of Buurtkoor Assendorp
rests on one person. axe finds no serious WCAG 2.1 A/AA problems on the pages on the way,
and no page scrolls sideways. The people are the demo log-ins of the README."""

import io
import re
from types import SimpleNamespace

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from buurtbasis.accounts.models import User
from buurtbasis.hosting.tests.test_expenses_browser import login
from buurtbasis.portal.demo.initiatives import DEMO_PASSWORD
from buurtbasis.volunteering.models import HoursEntry, SignUp, Task

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

RESIDENT = "bewoner@demo.buurtbasis.nl"
INITIATOR = "initiatiefnemer@demo.buurtbasis.nl"
OVERLOADED = "vrijwilliger@demo.buurtbasis.nl"
WORKER = "opbouwwerker@demo.buurtbasis.nl"


def _text(locator) -> str:
    return re.sub(r"\s+", " ", locator.inner_text().replace("\xa0", " "))


def _check(page, axe_violations):
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_sign_up_confirm_hours_and_the_load_warnings_on_the_demo(live_server, page, axe_violations):
    call_command("load_demo", stdout=io.StringIO())
    site = SimpleNamespace(url=live_server.url.replace("//localhost:", "//127.0.0.1:"))
    base = f"{site.url}/vrijwilligers"
    people = {e: User.objects.get(email=e) for e in (RESIDENT, INITIATOR, OVERLOADED, WORKER)}
    for email in people:
        assert authenticate(email=email, password=DEMO_PASSWORD) is not None, email
    assert page.viewport_size == {"width": 390, "height": 844}

    # A resident finds a cooking task and signs up for its next shift from a phone.
    login(page, site, people[RESIDENT])
    page.goto(f"{base}/?skill=cooking")
    _check(page, axe_violations)
    page.get_by_role("link", name="Koken voor de buurtmaaltijd", exact=True).click()
    page.get_by_role("heading", level=1, name="Koken voor de buurtmaaltijd").wait_for()
    _check(page, axe_violations)
    page.get_by_role("button", name="Aanmelden").first.click()
    page.get_by_text("U bent aangemeld. Dank u wel!").wait_for()
    assert "U bent aangemeld voor deze dienst." in _text(page.locator("main"))
    _check(page, axe_violations)
    task = Task.objects.get(title="Koken voor de buurtmaaltijd")
    signup = SignUp.objects.get(user=people[RESIDENT], shift__task=task)
    assert signup.shift.signups.count() == signup.shift.needed  # the last place
    assert "Vol" in _text(page.locator(f"#shift-{signup.shift_id}").locator(".."))

    # The initiator confirms the hours of a volunteer after the last rehearsal.
    login(page, site, people[INITIATOR])
    rehearsal = Task.objects.get(title__startswith="Stoelen klaarzetten")
    page.goto(f"{base}/taak/{rehearsal.pk}/")
    _check(page, axe_violations)
    page.get_by_role("button", name="Uren van Anja Smit bevestigen").click()
    page.get_by_text("De uren zijn bevestigd.").wait_for()
    _check(page, axe_violations)
    entry = HoursEntry.objects.get(
        user__email="vrijwilliger.anja@demo.buurtbasis.nl", shift__task=rehearsal
    )
    assert (entry.minutes, entry.state, entry.confirmed_by) == (180, "confirmed", people[INITIATOR])
    page.goto(f"{base}/initiatief/buurtkoor-assendorp/")
    _check(page, axe_violations)

    # The volunteer who carries too much sees the warning on their dashboard.
    login(page, site, people[OVERLOADED])
    page.goto(f"{site.url}/mijn/")
    block = page.locator("section[aria-labelledby=volunteering-title]")
    assert "U heeft de afgelopen vier weken 70 uur vrijwilligerswerk gedaan." in _text(block)
    _check(page, axe_violations)
    block.get_by_role("link", name="Mijn vrijwilligerswerk en uren").click()
    page.get_by_role("heading", level=1, name="Mijn vrijwilligerswerk").wait_for()
    assert "meer dan u zelf wilde geven" in _text(page.locator("main"))
    _check(page, axe_violations)

    # A community worker sees the key role that rests on one person.
    login(page, site, people[WORKER])
    page.goto(f"{site.url}/mijn/")
    block = page.locator("section[aria-labelledby=volunteering-title]")
    text = _text(block)
    assert "Sleutelrollen op één persoon" in text
    assert "Buurtkoor Assendorp: penningmeester alleen Ahmed El Amrani" in text
    assert "Henk Mulder" in text  # and the person who carries too much
    _check(page, axe_violations)
    block.get_by_role("link", name="Het hele overzicht").click()
    page.get_by_role("heading", level=1, name="Belasting van vrijwilligers").wait_for()
    _check(page, axe_violations)
    page.get_by_role("link", name="Henk Mulder").click()
    page.get_by_role("heading", level=1, name="Vrijwilligersuren van Henk Mulder").wait_for()
    _check(page, axe_violations)
