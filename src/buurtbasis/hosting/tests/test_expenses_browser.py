"""Real headless Chromium on a phone-sized screen: a resident submits a receipt, the
treasurer and two host approvers approve it, the host downloads the SEPA file and imports
a bank statement that marks it paid, and the public ledger shows it. axe finds no serious
WCAG 2.1 A/AA violations on the pages on the way."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from PIL import Image

from buurtbasis.hosting import adapters
from buurtbasis.hosting.models_expenses import Expense, ExpenseState, PayoutBatch

from .expense_helpers import World, statement_for

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


def login(page, live_server, user):
    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 400), (250, 250, 240)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_a_receipt_goes_from_a_phone_to_the_public_ledger(live_server, page, axe_violations):
    w = World(grant_cents=100_000)
    base = f"{live_server.url}/gastorganisatie"

    # The resident submits a receipt of 600 euros (two host approvers from 500).
    login(page, live_server, w.member)
    page.goto(f"{base}/initiatief/{w.initiative.slug}/uitgaven/nieuw/")
    assert axe_violations(page) == []
    page.locator("input[name=description]").fill("Springkussen buurtfeest")
    page.locator("input[name=amount]").fill("600")
    page.locator("input[name=date]").fill("2026-03-02")
    page.locator("select[name=category]").select_option("activities")
    page.locator("input[name=payee_name]").fill("Zoë Çelik")
    page.locator("input[name=payee_iban]").fill("nl44 rabo 0123 4567 89")
    page.locator("input[name=payee_iban]").press("Tab")
    page.locator("#iban-check").get_by_text("RABOBANK", exact=False).wait_for()
    page.locator("input[name=receipt]").set_input_files(
        files=[{"name": "bon.jpg", "mimeType": "image/jpeg", "buffer": _photo()}]
    )
    page.get_by_role("button", name="Indienen").click()
    page.get_by_text("Uw uitgave is ingediend.").wait_for()
    assert "RABOBANK" in page.content().upper()
    assert axe_violations(page) == []
    expense = Expense.objects.get()
    detail = page.url

    # The treasurer checks first, then two different host approvers.
    for person in (w.treasurer, w.officer, w.officer2):
        login(page, live_server, person)
        page.goto(detail)
        page.get_by_role("button", name="Goedkeuren").click()
        page.get_by_text("Opgeslagen.").wait_for()
    expense.refresh_from_db()
    assert expense.state == ExpenseState.APPROVED
    assert axe_violations(page) == []

    # The host makes the payout batch and downloads the SEPA file.
    page.goto(f"{base}/host/{w.host.slug}/uitbetalen/")
    assert axe_violations(page) == []
    page.get_by_label("Springkussen buurtfeest", exact=False).check()
    page.get_by_role("button", name="SEPA-bestand maken").click()
    page.get_by_text("is klaar").wait_for()
    batch = PayoutBatch.objects.get()
    with page.expect_download() as info:
        page.get_by_role("link", name=f"{batch.batch_id}.xml").click()
    xml = Path(info.value.path()).read_bytes()
    read = adapters.read_payout_file(xml)
    assert b"pain.001.001.09" in xml and b"<Nm>Zoe Celik</Nm>" in xml
    assert read is not None

    # The bank statement marks it paid.
    page.goto(f"{base}/host/{w.host.slug}/afschriften/")
    assert axe_violations(page) == []
    data = statement_for(list(batch.items.select_related("expense")))
    page.locator("input[name=file]").set_input_files(
        files=[{"name": "afschrift.xml", "mimeType": "text/xml", "buffer": data}]
    )
    page.get_by_role("button", name="Inlezen").click()
    page.get_by_text("1 gekoppeld aan betalingen").wait_for()
    expense.refresh_from_db()
    assert expense.state == ExpenseState.PAID
    assert axe_violations(page) == []

    # Everyone sees where the money went, without the payee's name.
    page.context.clear_cookies()
    page.goto(f"{base}/initiatief/{w.initiative.slug}/kasboek/")
    page.get_by_text("Springkussen buurtfeest").first.wait_for()
    assert "Zoë" not in page.content()
    assert axe_violations(page) == []
