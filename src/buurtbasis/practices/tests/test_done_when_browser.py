"""Issue #14's "done when" for practices and exchange, on the demo, in real headless
Chromium (390x844): the demo has practices in both municipalities; the Zwolle initiator
finds, through "initiatives like mine" on the page of the buurtkoor, the buurtkoor in
Rotterdam, opens it on the Rotterdam site and asks its initiators a question (no e-mail
address shown). axe finds no serious WCAG 2.1 A/AA problems on the pages on the way."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from buurtbasis.accounts.models import User
from buurtbasis.exchange.models import Thread
from buurtbasis.practices.models import Practice
from buurtbasis.practices.tests.test_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

INITIATOR = "initiatiefnemer@demo.buurtbasis.nl"
QUESTION = "Hoe vindt u een zaal voor de repetities, en wat kost die per avond?"


def test_an_initiator_finds_a_like_minded_initiative_elsewhere_and_asks_a_question(
    live_server, page, axe_violations
):
    call_command("load_demo", stdout=io.StringIO())
    published = Practice.objects.published()
    assert published.filter(municipality_code="GM0193").exists()
    assert published.filter(municipality_code="GM0599").exists()
    zwolle = live_server.url.replace("//localhost:", "//127.0.0.1:")
    rotterdam = zwolle.replace("//127.0.0.1:", "//localhost:")
    initiator = User.objects.get(email=INITIATOR)
    login(page, [zwolle, rotterdam], initiator)

    page.goto(f"{zwolle}/initiatieven/buurtkoor-assendorp/")
    block = page.locator("section.practices-block")
    link = block.get_by_role("link", name="Buurtkoor Delfshaven")
    link.wait_for()
    assert "Rotterdam" in block.inner_text()
    assert axe_violations(page) == []
    link.click()
    page.wait_for_url(f"{rotterdam}/initiatieven/buurtkoor-delfshaven/")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Stel een vraag aan de initiatiefnemers").click()
    assert axe_violations(page) == []
    page.get_by_label("Onderwerp").fill("Een zaal voor het koor")
    page.get_by_label("Uw vraag").fill(QUESTION)
    page.get_by_role("button", name="Vraag versturen").click()
    page.get_by_text("Uw vraag is naar de initiatiefnemers gestuurd.").wait_for()
    assert axe_violations(page) == []
    thread = Thread.objects.get(initiative__slug="buurtkoor-delfshaven")
    assert thread.initiative.members.filter(email="bewoner.rotterdam@demo.buurtbasis.nl").exists()
