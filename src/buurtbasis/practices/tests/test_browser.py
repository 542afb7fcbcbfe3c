"""What works, on the demo, in real headless Chromium (390x844): the Zwolle initiator drafts
the practice of the buurtkoor from the platform's facts, completes and submits it; the
community worker of the host publishes it; it is found by search (with "ook andere
gemeenten") and in "initiatives like mine" of the buurtkoor in Rotterdam. axe finds no
serious WCAG 2.1 A/AA problems on the pages on the way. The people are the README's
demo log-ins."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from buurtbasis.accounts.models import User
from buurtbasis.initiatives.models import Initiative
from buurtbasis.platform.testing import run_queued_tasks
from buurtbasis.practices.models import Practice

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

INITIATOR = "initiatiefnemer@demo.buurtbasis.nl"
WORKER = "opbouwwerker@demo.buurtbasis.nl"
LESSON = "Een vaste repetitieavond en koffie na afloop hielden de groep bij elkaar."


def login(page, bases, user):
    """Log ``user`` in on every site (Zwolle on 127.0.0.1, Rotterdam on localhost)."""
    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": b} for b in bases]
    )


def test_a_practice_is_drafted_reviewed_published_and_found_across_municipalities(
    live_server, page, axe_violations
):
    call_command("load_demo", stdout=io.StringIO())
    zwolle = live_server.url.replace("//localhost:", "//127.0.0.1:")
    rotterdam = zwolle.replace("//127.0.0.1:", "//localhost:")
    choir = Initiative.objects.get(slug="buurtkoor-assendorp")
    assert not Practice.objects.filter(initiative=choir).exists()
    initiator, worker = User.objects.get(email=INITIATOR), User.objects.get(email=WORKER)

    # The initiator drafts the practice from the initiative page.
    assert page.viewport_size == {"width": 390, "height": 844}
    login(page, [zwolle, rotterdam], initiator)
    page.goto(f"{zwolle}/initiatieven/{choir.slug}/")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Schrijf een praktijkpagina").click()
    page.get_by_text("Er is een eerste versie").wait_for()
    assert axe_violations(page) == []
    # The draft holds what the platform knows: the pitch and the host.
    assert choir.pitch in page.locator("textarea[name=what_it_does]").input_value()
    assert "Samenkracht" in page.locator("textarea[name=took_partners]").input_value()
    page.locator("textarea[name=went_well]").fill(LESSON)
    page.locator("input[name=volunteers]").fill("4")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De praktijkpagina is opgeslagen.").wait_for()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Indienen voor beoordeling").click()
    page.get_by_text("De praktijkpagina is verstuurd voor beoordeling.").wait_for()
    practice = Practice.objects.get(initiative=choir)
    assert practice.state == "submitted"

    # The host's community worker sees it on the dashboard and publishes it.
    login(page, [zwolle, rotterdam], worker)
    page.goto(f"{zwolle}/mijn/")
    page.locator(f"a[href$='/wat-werkt/{practice.pk}/']").first.click()
    page.get_by_text(LESSON).wait_for()
    assert axe_violations(page) == []
    page.get_by_label("Publiceren").check()
    page.get_by_role("button", name="Verstuur mijn besluit").click()
    page.get_by_text("De praktijkpagina is gepubliceerd.").wait_for()
    run_queued_tasks()  # the stored vector of the new practice

    # Anyone finds it by search, in Zwolle and, with "ook andere gemeenten", in Rotterdam.
    page.context.clear_cookies()
    page.goto(f"{zwolle}/wat-werkt/?q=koor")
    page.get_by_role("link", name=practice.title).wait_for()
    assert axe_violations(page) == []
    page.goto(f"{rotterdam}/wat-werkt/?q=zingen")
    assert page.get_by_role("link", name=practice.title).count() == 0
    page.get_by_label("Ook andere gemeenten").check()
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("link", name=practice.title).wait_for()

    # "Initiatives like mine" of the buurtkoor in Rotterdam shows the Zwolle practice.
    page.goto(f"{rotterdam}/initiatieven/buurtkoor-delfshaven/")
    block = page.locator("section.practices-block")
    block.wait_for()
    assert practice.title in block.inner_text(), block.inner_text()
    assert "Zwolle" in block.inner_text()
    assert axe_violations(page) == []
    block.get_by_role("link", name=practice.title).click()
    page.get_by_text(LESSON).wait_for()
    assert INITIATOR not in page.content()
    assert axe_violations(page) == []
