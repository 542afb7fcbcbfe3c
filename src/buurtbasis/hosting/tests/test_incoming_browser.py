"""Real headless Chromium on a phone: a finance officer books money coming in on the bank
statement as a donation, and another line as the municipality paying a grant, on pages
without serious WCAG 2.1 A/AA violations (axe)."""

import pytest

from buurtbasis.hosting import expenses, services
from buurtbasis.hosting.models import GrantSource, LedgerTransaction
from buurtbasis.hosting.models_expenses import BankLine, LineState
from buurtbasis.platform.audit import Origin

from .expense_helpers import DAY, World, statement_for
from .test_banklines_browser import _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "buurtbasis.platform.uploads.PrivateStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    yield


def test_money_coming_in_is_booked_as_a_donation_and_as_a_grant(live_server, page, axe_violations):
    page.set_viewport_size({"width": 390, "height": 844})
    w = World()
    grant = services.record_grant(
        initiative=w.initiative,
        source=GrantSource.BUURTBUDGET,
        label="Buurtbudget 2026, plan 7",
        amount_cents=30_000,
        date=DAY,
        origin=Origin(actor=w.officer),
    )
    extra = [
        {"amount_cents": 2_500, "info": "Gift buurtfeest", "booking_date": DAY.isoformat()},
        {"amount_cents": 30_000, "info": "Gemeente subsidie", "booking_date": DAY.isoformat()},
    ]
    data = statement_for([], extra=extra)
    expenses.import_statement(host=w.host, data=data, origin=Origin(actor=w.officer))
    gift, paid = BankLine.objects.order_by("amount_cents")

    _login(page, live_server, w.officer)
    base = f"{live_server.url}/gastorganisatie/host/{w.host.slug}/afschriften/"
    page.goto(base)
    assert "Nog te ontvangen van de gemeente" in page.content()
    assert axe_violations(page) == []

    page.goto(f"{base}regel/{gift.pk}/")
    page.get_by_role("heading", name="Boek als gift").wait_for()
    assert axe_violations(page) == []
    page.get_by_label("Voor welk initiatief?").select_option(str(w.initiative.pk))
    page.get_by_role("button", name="Boek als gift").click()
    page.get_by_text("Geboekt als gift voor").first.wait_for()
    assert axe_violations(page) == []

    page.goto(f"{base}regel/{paid.pk}/")
    page.get_by_label("Buurtbudget 2026, plan 7").check()
    page.get_by_role("button", name="Dit is de betaling van deze toekenning").click()
    page.get_by_text("is binnengekomen").first.wait_for()
    assert axe_violations(page) == []

    gift.refresh_from_db()
    paid.refresh_from_db()
    grant.refresh_from_db()
    assert gift.state == LineState.LINKED and gift.transaction.kind == "donation"
    assert paid.state == LineState.LINKED and grant.paid_in_line_id == paid.pk
    assert LedgerTransaction.objects.filter(kind="donation").count() == 1
