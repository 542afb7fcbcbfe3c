"""The exchange's "done when", on the loaded demo, in real headless Chromium (390x844):

an initiator of a Zwolle initiative opens a Rotterdam initiative's page and asks its
initiators a question; the Rotterdam initiator sees it through the notification and
replies; the asker reads the reply. Neither page shows the other's e-mail address. Then a
community worker invites initiatives to an exchange meeting, an initiator registers, and
after the meeting the worker writes the report, which the initiative's page links to.
axe finds no serious WCAG 2.1 A/AA problems on the pages on the way.
"""

import datetime
import io
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from buurtbasis.accounts.models import User
from buurtbasis.exchange.models import Meeting, Registration, Thread
from buurtbasis.initiatives.models import Initiative

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ASKER = "initiatiefnemer@demo.buurtbasis.nl"  # Zwolle
ANSWERER = "bewoner.rotterdam@demo.buurtbasis.nl"  # initiator of the Rotterdam initiatives
WORKER = "opbouwwerker@demo.buurtbasis.nl"  # Zwolle community worker
SUBJECT = "Hoe vindt u nieuwe wandelaars?"
REPLY = "Via de huisarts en een flyer in de bibliotheek. Bel gerust: 010-1234567."


def _login(page, site, user):
    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": site.url}]
    )


def _check(page, axe_violations, *hidden: str):
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    html = page.content()
    for text in hidden:
        assert text not in html


def test_ask_a_peer_across_municipalities_and_an_exchange_meeting_on_the_demo(
    live_server, page, axe_violations
):
    call_command("load_demo", stdout=io.StringIO())
    # Zwolle is served on 127.0.0.1; Rotterdam's pages through /g/rotterdam/ on the same host.
    site = SimpleNamespace(url=live_server.url.replace("//localhost:", "//127.0.0.1:"))
    asker = User.objects.get(email=ASKER)
    answerer = User.objects.get(email=ANSWERER)
    worker = User.objects.get(email=WORKER)
    target = Initiative.objects.get(slug="wandelgroep-centrum")
    assert page.viewport_size == {"width": 390, "height": 844}

    # The Zwolle initiator finds the Rotterdam initiative and asks its initiators.
    _login(page, site, asker)
    page.goto(f"{site.url}/g/rotterdam/initiatieven/{target.slug}/")
    _check(page, axe_violations)
    page.get_by_role("link", name="Stel een vraag aan de initiatiefnemers").click()
    _check(page, axe_violations, ANSWERER)
    page.get_by_role("button", name="Vraag versturen").click()  # nothing filled in
    page.locator(".error-summary").wait_for()
    _check(page, axe_violations)
    page.get_by_label("Onderwerp").fill(SUBJECT)
    page.get_by_label("Uw vraag").fill("Onze wandelgroep in Zwolle groeit niet. Wat werkt?")
    page.get_by_role("button", name="Vraag versturen").click()
    page.get_by_text("Uw vraag is naar de initiatiefnemers gestuurd.").wait_for()
    _check(page, axe_violations, ANSWERER, ASKER)
    thread = Thread.objects.get(subject=SUBJECT)
    assert thread.initiative == target and thread.asker == asker

    # The Rotterdam initiator sees the notification and replies.
    _login(page, site, answerer)
    page.goto(f"{site.url}/meldingen/")
    _check(page, axe_violations)
    page.get_by_role("link", name="Nieuwe vraag voor Wandelgroep Rotterdam Centrum").first.click()
    page.get_by_role("heading", level=1, name=SUBJECT).wait_for()
    _check(page, axe_violations, ASKER, ANSWERER)
    page.get_by_label("Uw antwoord").fill(REPLY)
    page.get_by_role("button", name="Het antwoord versturen").click()
    page.get_by_text("Uw antwoord is verstuurd.").wait_for()
    _check(page, axe_violations, ASKER, ANSWERER)

    # The asker finds the answer on their dashboard, and in the list of their questions.
    _login(page, site, asker)
    page.goto(f"{site.url}/mijn/")
    _check(page, axe_violations)
    page.get_by_role("link", name=SUBJECT).click()
    page.get_by_text("Via de huisarts", exact=False).wait_for()
    _check(page, axe_violations, ASKER, ANSWERER)
    page.get_by_role("link", name="Al mijn vragen").click()
    page.get_by_role("heading", level=1, name="Mijn vragen").wait_for()
    _check(page, axe_violations, ANSWERER)

    # A community worker invites initiatives to an exchange meeting.
    own = Initiative.objects.filter(members=asker, is_public=True).order_by("pk").first()
    _login(page, site, worker)
    page.goto(f"{site.url}/uitwisseling/bijeenkomsten/")
    _check(page, axe_violations)
    page.get_by_role("link", name="Een uitwisselingsbijeenkomst organiseren").click()
    _check(page, axe_violations)
    start = timezone.localtime() + datetime.timedelta(days=10)
    page.get_by_label("Titel").fill("Buurtbewoners betrekken")
    page.get_by_label("Begint").fill(start.strftime("%Y-%m-%dT19:30"))
    page.locator("#id_place").fill("Buurthuis De Kern")
    page.get_by_label("Aantal plaatsen (personen)").fill("10")
    page.get_by_label(own.name, exact=True).check()
    page.get_by_role("button", name="Aanmaken en uitnodigen").click()
    page.get_by_text("De bijeenkomst is aangemaakt").wait_for()
    _check(page, axe_violations)
    meeting = Meeting.objects.get(title="Buurtbewoners betrekken")
    assert list(meeting.invited.all()) == [own]

    # The initiator registers from the dashboard.
    _login(page, site, asker)
    page.goto(f"{site.url}/mijn/")
    page.get_by_role("link", name="Buurtbewoners betrekken").click()
    _check(page, axe_violations)
    page.get_by_label("Aantal personen").fill("2")
    page.get_by_role("button", name="Aanmelden").click()
    page.get_by_text("U bent aangemeld voor de bijeenkomst.").wait_for()
    _check(page, axe_violations)
    assert Registration.objects.get(meeting=meeting).people == 2

    # After the meeting the worker writes the report; the initiative's page links to it.
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=1), ends_at=None
    )
    _login(page, site, worker)
    page.goto(f"{site.url}/uitwisseling/bijeenkomsten/{meeting.pk}/")
    page.get_by_role("link", name="Het verslag schrijven").click()
    _check(page, axe_violations)
    page.get_by_label("Wat is er gedeeld?").fill("Drie manieren om buren te vragen.")
    page.get_by_label("Belangrijkste lessen").fill("Vraag persoonlijk, niet via een poster.")
    page.get_by_role("button", name="Het verslag publiceren").click()
    page.get_by_text("Het verslag staat op de pagina van de bijeenkomst.").wait_for()
    _check(page, axe_violations)
    page.goto(f"{site.url}{own.get_absolute_url()}")
    page.get_by_role("link", name="Buurtbewoners betrekken").click()
    page.get_by_text("Vraag persoonlijk, niet via een poster.").wait_for()
    _check(page, axe_violations)
