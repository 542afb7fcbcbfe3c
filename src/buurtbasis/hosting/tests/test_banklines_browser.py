"""Real headless Chromium at desk width (a finance officer's screen): a bank line the
matcher was unsure of is linked by hand to another payment, and that expense is paid.
axe finds no serious WCAG 2.1 A/AA violations on the way."""

import pytest
from django.conf import settings
from django.test import Client

from buurtbasis.hosting import expenses
from buurtbasis.hosting.models_expenses import BankLine, ExpenseState, LineState
from buurtbasis.platform.audit import Origin

from .expense_helpers import World, statement_for
from .test_banklines import OTHER_IBAN, _line_by_iban

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


def _login(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def test_an_unsure_line_is_linked_by_hand_to_another_payment(live_server, page, axe_violations):
    page.set_viewport_size({"width": 1280, "height": 900})
    w = World()
    coffee = w.approve_fully(w.submit(amount=4_550, description="Koffie buurtfeest"))
    paint = w.approve_fully(
        w.submit(
            amount=4_550,
            description="Verf voor de bankjes",
            payee_name="Bouwmarkt De Hoek",
            payee_iban=OTHER_IBAN,
        )
    )
    w.batch(coffee, paint)
    data = statement_for([], extra=[_line_by_iban(4_550)])
    expenses.import_statement(host=w.host, data=data, origin=Origin(actor=w.officer))
    line = BankLine.objects.get()
    assert line.proposed.expense == coffee  # the matcher guessed by IBAN and amount

    _login(page, live_server, w.officer)
    page.goto(f"{live_server.url}/gastorganisatie/host/{w.host.slug}/afschriften/")
    page.get_by_text("Te doen (1)").wait_for()
    assert axe_violations(page) == []
    page.get_by_role("link", name="deze regel afhandelen").click()
    page.get_by_role("heading", name="Voorgestelde betaling").wait_for()
    assert "enige openstaande betaling van dit bedrag naar dit IBAN" in page.content()
    assert axe_violations(page) == []

    # The officer knows better: it was the paint. Search by name, then link.
    page.get_by_label("Naam, omschrijving, initiatief of kenmerk").fill("hoek")
    page.get_by_role("button", name="Zoeken").click()
    row = page.get_by_role("row").filter(has_text="Verf voor de bankjes")
    assert page.get_by_role("row").filter(has_text="Koffie buurtfeest").count() == 0
    assert axe_violations(page) == []
    row.get_by_role("button", name="Koppel aan deze betaling").click()
    page.get_by_text("De regel is gekoppeld aan").wait_for()
    assert axe_violations(page) == []

    paint.refresh_from_db()
    coffee.refresh_from_db()
    line.refresh_from_db()
    assert paint.state == ExpenseState.PAID and coffee.state == ExpenseState.SCHEDULED
    assert line.state == LineState.LINKED and line.linked.expense == paint
    assert "Gekoppeld aan een betaling" in page.content()
