"""Real headless Chromium on a phone: the offer form with approver bands and the proof
rule, and the budget per category, work without JavaScript and pass axe."""

import datetime
import re

import pytest

from buurtbasis.hosting import services
from buurtbasis.hosting.models import Category, GrantSource, HostingAgreement, ReceiptRule
from buurtbasis.platform.audit import Origin

from .factories import hosted
from .test_browser import _fits, _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_offer_with_bands_and_a_budget_per_category_on_a_phone(page, axe_violations, live_server):
    h = hosted()
    services.end(agreement=h.agreement, reason="Opnieuw", origin=h.as_officer)
    agreement = services.request_hosting(
        initiative=h.initiative, host=h.host, origin=Origin(actor=h.initiator)
    )
    context = page.context.browser.new_context(
        java_script_enabled=False, locale="nl-NL", viewport={"width": 360, "height": 740}
    )
    phone = context.new_page()
    phone.set_default_timeout(10_000)
    try:
        _log_in(phone, live_server, h.coordinator)
        url = f"{live_server.url}/gastorganisatie/overeenkomst/{agreement.pk}/aanbod/"
        phone.goto(url)
        phone.get_by_label("Begindatum").fill("2026-04-01")
        phone.get_by_label("Bijdrage voor de gastorganisatie in procent").fill("0")
        phone.get_by_label("Uitgaven boven dit bedrag").fill("100")
        phone.get_by_label("Regel 1: vanaf dit bedrag in euro").fill("500")
        phone.get_by_label("Regel 2: vanaf dit bedrag in euro").fill("2500")
        phone.get_by_label("Regel 2: aantal goedkeurders").fill("3")
        phone.get_by_label("Bewijs is nodig vanaf een bedrag").check()
        phone.get_by_role("button", name="Het aanbod versturen").click()
        # row 1 has no number of approvers, nor is there an amount for the proof rule
        phone.locator(".error-summary").wait_for()  # the answer to the post, not the old page
        assert phone.get_by_text(
            "Vul het aantal goedkeurders in voor dit bedrag."
        ).first.is_visible()
        phone.get_by_label("Regel 1: aantal goedkeurders").fill("2")
        phone.get_by_label("Bewijs nodig vanaf dit bedrag").fill("25")
        assert _fits(phone)
        phone.get_by_role("button", name="Het aanbod versturen").click()
        assert phone.get_by_text("Het aanbod is naar het initiatief gestuurd.").is_visible()
    finally:
        context.close()
    agreement = HostingAgreement.objects.get(pk=agreement.pk)
    assert agreement.approver_bands == [
        {"from_cents": 50_000, "approvers": 2},
        {"from_cents": 250_000, "approvers": 3},
    ]
    assert agreement.receipt_rule == ReceiptRule.FROM_AMOUNT
    # the offer form with an error, as the coordinator sees it, has no axe problems
    _log_in(page, live_server, h.coordinator)
    page.goto(f"{live_server.url}/gastorganisatie/overeenkomst/{agreement.pk}/aanbod/")
    page.get_by_label("Regel 3: aantal goedkeurders").fill("11")
    page.get_by_role("button", name="Het aanbod versturen").click()
    page.locator(".error-summary").wait_for()  # the answer to the post, not the old page
    assert axe_violations(page) == []

    services.accept(agreement=agreement, origin=Origin(actor=h.initiator))
    grant = services.record_grant(
        initiative=h.initiative,
        source=GrantSource.FUND,
        label="Initiatievenfonds 2026",
        amount_cents=100_000,
        date=datetime.date(2026, 4, 2),
        origin=h.as_officer,
    )
    services.record_expense(
        grant=grant,
        category=Category.FOOD,
        amount_cents=35_000,
        date=datetime.date(2026, 4, 3),
        description="Soep voor de buurtmaaltijd",
        origin=h.as_officer,
    )
    _log_in(page, live_server, h.officer)
    page.goto(f"{live_server.url}/gastorganisatie/initiatief/{h.initiative.slug}/")
    page.get_by_role("link", name="Een budget per categorie maken").click()
    page.get_by_label("Eten en drinken, in euro").fill("300")
    page.get_by_label("Materiaal, in euro").fill("-1")
    page.get_by_role("button", name="Budget opslaan").click()
    page.locator(".error-summary").wait_for()  # the answer to the post, not the old page
    assert axe_violations(page) == []
    page.get_by_label("Materiaal, in euro").fill("700")
    page.get_by_role("button", name="Budget opslaan").click()
    assert page.get_by_text("Het budget per categorie is opgeslagen.").is_visible()
    assert page.get_by_text("Boven het budget:").is_visible()
    assert page.get_by_text(re.compile(r"€\s?50(,00)? boven het budget")).is_visible()
    assert axe_violations(page) == []
    assert _fits(page)
