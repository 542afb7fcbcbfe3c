"""Real headless Chromium on a phone-sized screen: the hosting pages work without
JavaScript and axe finds no serious WCAG 2.1 A/AA problems on them."""

import datetime

import pytest
from django.conf import settings
from django.test import Client

from buurtbasis.hosting import services
from buurtbasis.hosting.models import AgreementState, Category, GrantSource, HostingAgreement
from buurtbasis.platform.audit import Origin

from .factories import hosted

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


def test_the_hosting_pages_on_a_phone(page, axe_violations, live_server):
    h = hosted(fee_basis_points=300)
    grant = services.record_grant(
        initiative=h.initiative,
        source=GrantSource.FUND,
        label="Initiatievenfonds 2026",
        amount_cents=150_000,
        date=datetime.date(2026, 2, 1),
        origin=h.as_officer,
    )
    services.record_expense(
        grant=grant,
        category=Category.FOOD,
        amount_cents=4_250,
        date=datetime.date(2026, 2, 14),
        description="Koffie en koek voor de buurtochtend",
        origin=h.as_officer,
    )
    slug = h.initiative.slug

    # the public ledger, for anyone
    page.goto(f"{live_server.url}/gastorganisatie/initiatief/{slug}/kasboek/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Openbaar kasboek")
    assert page.get_by_text("Koffie en koek voor de buurtochtend").is_visible()
    assert axe_violations(page) == []
    assert _fits(page)

    # the finance officer records a donation; a bad amount gets a clear message first
    _log_in(page, live_server, h.officer)
    page.goto(f"{live_server.url}/gastorganisatie/initiatief/{slug}/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Een gift boeken").click()
    page.get_by_label("Bedrag in euro").fill("-10")
    page.get_by_label("Datum ontvangen").fill("2026-03-01")
    page.get_by_role("button", name="De gift boeken").click()
    assert page.locator(".error-summary").is_visible()
    assert axe_violations(page) == []
    page.get_by_label("Bedrag in euro").fill("75")
    page.get_by_role("button", name="De gift boeken").click()
    assert page.get_by_text("De gift is geboekt.").is_visible()

    page.goto(f"{live_server.url}/gastorganisatie/host/{h.host.slug}/")
    assert page.get_by_role("link", name=h.initiative.name).is_visible()
    assert axe_violations(page) == []
    assert _fits(page)


def test_asking_offering_and_accepting_without_javascript(page, axe_violations, live_server):
    h = hosted()
    services.end(agreement=h.agreement, reason="Opnieuw", origin=Origin(h.initiator))
    context = page.context.browser.new_context(
        java_script_enabled=False, locale="nl-NL", viewport={"width": 360, "height": 740}
    )
    phone = context.new_page()
    phone.set_default_timeout(10_000)
    try:
        _log_in(phone, live_server, h.initiator)
        phone.goto(f"{live_server.url}/gastorganisatie/initiatief/{h.initiative.slug}/")
        phone.get_by_label("Gastorganisatie", exact=True).select_option(label=h.host.name)
        phone.get_by_role("button", name="De vraag versturen").click()
        assert phone.get_by_text("Uw vraag is naar de gastorganisatie gestuurd.").is_visible()
        agreement = HostingAgreement.objects.get(initiative=h.initiative, state="requested")

        _log_in(phone, live_server, h.coordinator)
        phone.goto(f"{live_server.url}/gastorganisatie/overeenkomst/{agreement.pk}/aanbod/")
        phone.get_by_label("Startdatum").fill("2026-04-01")
        phone.get_by_label("Bijdrage voor de gastorganisatie in procent").fill("5")
        phone.get_by_label("Uitgaven boven dit bedrag").fill("250")
        phone.get_by_role("button", name="Het aanbod versturen").click()
        assert phone.get_by_text("Het aanbod is naar het initiatief gestuurd.").is_visible()

        _log_in(phone, live_server, h.initiator)
        phone.goto(f"{live_server.url}/gastorganisatie/initiatief/{h.initiative.slug}/")
        phone.get_by_role("button", name="Het aanbod aannemen").click()
        assert phone.get_by_text("De afspraak geldt nu.").is_visible()
    finally:
        context.close()
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.ACTIVE
    assert agreement.fee_basis_points == 500
    # and with JavaScript, the offer form as the coordinator sees it has no axe problems
    _log_in(page, live_server, h.coordinator)
    page.goto(f"{live_server.url}/gastorganisatie/overeenkomst/{agreement.pk}/beeindigen/")
    assert axe_violations(page) == []
