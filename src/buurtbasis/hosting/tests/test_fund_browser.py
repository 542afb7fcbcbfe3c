"""Real headless Chromium on a 390x844 phone screen: an initiator applies to the
initiatives fund, a civil servant grants it, and the grant shows on the initiative's
hosting page; axe finds no serious WCAG 2.1 A/AA problems on the way."""

import pytest
from django.conf import settings
from django.test import Client

from buurtbasis.hosting.models_fund import ApplicationState, FundApplication

from .fund_helpers import fund_world

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


def test_apply_grant_and_see_the_money_on_a_phone(page, axe_violations, live_server):
    w = fund_world()
    assert page.viewport_size == {"width": 390, "height": 844}

    # the public fund page
    page.goto(f"{live_server.url}/gastorganisatie/fonds/{w.fund.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == w.fund.name
    assert page.get_by_role("heading", name="Zo vraagt u geld aan").is_visible()
    assert axe_violations(page) == []
    assert _fits(page)

    # the initiator applies; a bad amount gets a clear Dutch message first
    _log_in(page, live_server, w.h.initiator)
    page.goto(f"{live_server.url}/gastorganisatie/initiatief/{w.h.initiative.slug}/")
    page.get_by_role(
        "link", name="Geld aanvragen bij het initiatievenfonds van de gemeente"
    ).click()
    page.get_by_role("link", name=w.fund.name).click()
    page.get_by_role("link", name=f"Geld aanvragen voor {w.h.initiative.name}").click()
    assert axe_violations(page) == []
    page.get_by_label("Wat wilt u doen?").fill("Een buurtfeest op het plein met muziek.")
    page.get_by_label("Voor wie is het?").fill("Alle buren van de straat.")
    page.get_by_label("Wanneer gebeurt het?").fill("Zaterdag 13 juni")
    page.get_by_label("Bedrag dat u vraagt, in euro").fill("900")
    page.get_by_role("button", name="De aanvraag versturen").click()
    assert page.locator(".error-summary").is_visible()
    assert page.get_by_text("U kunt hoogstens").first.is_visible()
    assert axe_violations(page) == []
    assert _fits(page)
    page.get_by_label("Bedrag dat u vraagt, in euro").fill("")
    page.get_by_label("Kostenregel 1: wat").fill("Muziek")
    page.get_by_label("Kostenregel 1: bedrag in euro").fill("250")
    page.get_by_label("Kostenregel 2: wat").fill("Eten en drinken")
    page.get_by_label("Kostenregel 2: bedrag in euro").fill("175,50")
    page.get_by_role("button", name="De aanvraag versturen").click()
    assert page.get_by_text("Uw aanvraag is verstuurd.").is_visible()
    assert axe_violations(page) == []
    application = FundApplication.objects.get()
    assert application.amount_cents == 42_550

    # the civil servant sees it on the dashboard and grants it
    _log_in(page, live_server, w.servant)
    page.goto(f"{live_server.url}/mijn/")
    page.get_by_role("link", name="1 aanvraag wacht op een besluit").click()
    assert axe_violations(page) == []
    page.get_by_role("link", name=w.h.initiative.name).click()
    assert axe_violations(page) == []
    assert _fits(page)
    page.get_by_label("Toekennen").check()
    page.get_by_role("button", name="Het besluit opslaan").click()
    assert page.get_by_text("Het besluit is opgeslagen").is_visible()
    application.refresh_from_db()
    assert application.state == ApplicationState.GRANTED

    # the grant shows on the initiative's hosting page, for the initiator
    _log_in(page, live_server, w.h.initiator)
    page.goto(f"{live_server.url}/gastorganisatie/fonds/aanvraag/{application.pk}/")
    page.get_by_role("link", name="Bekijk het geld van uw initiatief").click()
    table = page.get_by_role("table", name=f"Initiatievenfonds Zwolle {w.fund.year}")
    assert table.is_visible()
    assert "425,50" in table.inner_text()
    assert axe_violations(page) == []
    assert _fits(page)


def test_a_question_and_its_answer_without_javascript(page, live_server):
    w = fund_world()
    application = w.apply()
    context = page.context.browser.new_context(
        java_script_enabled=False, locale="nl-NL", viewport={"width": 390, "height": 844}
    )
    phone = context.new_page()
    phone.set_default_timeout(10_000)
    url = f"{live_server.url}/gastorganisatie/fonds/aanvraag/{application.pk}/"
    try:
        _log_in(phone, live_server, w.servant)
        phone.goto(url)
        phone.get_by_label("Een vraag stellen aan de aanvrager").check()
        phone.get_by_label("Reden of vraag").fill("Hoeveel buren komen er?")
        phone.get_by_role("button", name="Het besluit opslaan").click()
        assert phone.get_by_text("Het besluit is opgeslagen").is_visible()

        _log_in(phone, live_server, w.h.initiator)
        phone.goto(url)
        assert phone.get_by_text("Hoeveel buren komen er?").is_visible()
        phone.get_by_label("Uw antwoord").fill("Ongeveer zestig.")
        phone.get_by_role("button", name="Het antwoord versturen").click()
        assert phone.get_by_text("Uw antwoord is verstuurd.").is_visible()

        _log_in(phone, live_server, w.servant)
        phone.goto(url)
        phone.get_by_label("Afwijzen").check()
        phone.get_by_role("button", name="Het besluit opslaan").click()
        assert phone.get_by_text("Geef een reden voor de afwijzing.").first.is_visible()
        phone.get_by_label("Afwijzen").check()
        phone.get_by_label("Reden of vraag").fill("Dit past niet bij het fonds.")
        phone.get_by_role("button", name="Het besluit opslaan").click()
        assert phone.get_by_text("Het besluit is opgeslagen").is_visible()
    finally:
        context.close()
    application.refresh_from_db()
    assert application.state == ApplicationState.REFUSED
    assert application.answer == "Ongeveer zestig."
