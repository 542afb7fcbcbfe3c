"""Expense pages: the whole flow through the views, who sees a receipt, and bad input
(an invalid IBAN, a fake PDF, a too large upload, a negative amount, an unreadable or
foreign statement, the same statement twice): a clear Dutch message, nothing stored half."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.hosting.models import LedgerTransaction
from buurtbasis.hosting.models_expenses import (
    BankLine,
    BankStatement,
    Expense,
    ExpenseState,
    PayoutBatch,
)

from .expense_helpers import PAYEE_IBAN, World, receipt_pdf, receipt_png, statement_for

pytestmark = pytest.mark.django_db


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


def _form(w, **changes):
    data = {
        "kind": "claim",
        "description": "Verf voor de bankjes",
        "amount": "45,50",
        "date": "2026-03-02",
        "category": "materials",
        "grant": w.grant.pk,
        "payee_name": "Zoë Çelik",
        "payee_iban": "NL44 RABO 0123 4567 89",
        "reference": "",
        "hours": "",
        "receipt": receipt_png(),
    }
    data.update(changes)
    return data


def _stored_files(tmp_path):
    root = tmp_path / "private"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_the_whole_flow_through_the_pages(client):
    w = World()
    client.force_login(w.member)
    response = client.post(reverse("hosting:expense-new", args=[w.initiative.slug]), _form(w))
    assert response.status_code == 302, response.text
    expense = Expense.objects.get()
    page = reverse("hosting:expense", args=[expense.pk])
    text = client.get(page).text
    assert "RABOBANK" in text.upper() and "NL44RABO0123456789" in text

    for person in (w.treasurer,):
        client.force_login(person)
        client.post(reverse("hosting:expense-action", args=[expense.pk, "goedkeuren"]))
    expense.refresh_from_db()
    assert expense.state == ExpenseState.APPROVED  # 45,50 is below the threshold

    client.force_login(w.officer)
    payouts = reverse("hosting:payouts", args=[w.host.slug])
    assert "Verf voor de bankjes" in client.get(payouts).text
    response = client.post(
        payouts,
        {"execution_date": datetime.date.today().isoformat(), "expenses": [str(expense.pk)]},
    )
    assert response.status_code == 302
    batch = PayoutBatch.objects.get()
    download = client.get(reverse("hosting:batch-file", args=[w.host.slug, batch.pk]))
    assert download["Content-Type"] == "application/xml"
    assert b"<Nm>Zoe Celik</Nm>" in download.content and b"45.50" in download.content

    statement = statement_for(list(batch.items.select_related("expense")))
    response = client.post(
        reverse("hosting:statements", args=[w.host.slug]),
        {"file": SimpleUploadedFile("afschrift.xml", statement, content_type="text/xml")},
    )
    assert response.status_code == 302
    expense.refresh_from_db()
    assert expense.state == ExpenseState.PAID
    public = client.get(reverse("hosting:ledger", args=[w.initiative.slug])).text
    assert "Verf voor de bankjes" in public
    assert "Zoë" not in public and PAYEE_IBAN not in public  # no personal data in public


def test_the_receipt_is_served_only_to_people_with_a_role(client):
    w = World()
    expense = w.submit()
    url = reverse("hosting:receipt", args=[expense.pk])
    assert client.get(url).status_code == 302  # to the log-in page
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    for person in (w.member, w.treasurer, w.officer):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
        assert b"".join(response.streaming_content).startswith(b"\xff\xd8")  # re-encoded


def test_an_invalid_iban_is_refused_with_the_reason(client, tmp_path):
    w = World()
    client.force_login(w.member)
    response = client.post(
        reverse("hosting:expense-new", args=[w.initiative.slug]),
        _form(w, payee_iban="NL44RABO0123456788"),
    )
    assert response.status_code == 200
    assert "controlegetallen" in response.text
    assert not Expense.objects.exists() and _stored_files(tmp_path) == []


def test_a_fake_pdf_is_refused(client, tmp_path):
    w = World()
    client.force_login(w.member)
    fake = SimpleUploadedFile("bon.pdf", b"%PDF-1.7 maar eigenlijk niets", "application/pdf")
    response = client.post(
        reverse("hosting:expense-new", args=[w.initiative.slug]), _form(w, receipt=fake)
    )
    assert response.status_code == 200
    assert "De pdf kan niet worden gelezen" in response.text or "PDF" in response.text
    html = SimpleUploadedFile("bon.pdf", b"<html><script>alert(1)</script>", "application/pdf")
    response = client.post(
        reverse("hosting:expense-new", args=[w.initiative.slug]), _form(w, receipt=html)
    )
    assert response.status_code == 200
    assert not Expense.objects.exists() and _stored_files(tmp_path) == []


def test_a_too_large_upload_is_refused(client, settings, tmp_path):
    settings.UPLOAD_MAX_PDF_BYTES = 1024
    w = World()
    client.force_login(w.member)
    big = receipt_pdf()
    big = SimpleUploadedFile("groot.pdf", big.read() + b"\n%" + b"x" * 2048, "application/pdf")
    response = client.post(
        reverse("hosting:expense-new", args=[w.initiative.slug]), _form(w, receipt=big)
    )
    assert response.status_code == 200
    assert "te groot" in response.text
    assert not Expense.objects.exists() and _stored_files(tmp_path) == []


def test_a_negative_amount_is_refused(client, tmp_path):
    w = World()
    client.force_login(w.member)
    response = client.post(
        reverse("hosting:expense-new", args=[w.initiative.slug]), _form(w, amount="-12,50")
    )
    assert response.status_code == 200
    assert "bedrag" in response.text.lower()
    assert not Expense.objects.exists() and _stored_files(tmp_path) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"   ", "leeg"),
        (b"%PDF-1.4 rekeningafschrift", "PDF"),
        (b":20:STARTUMS\n:25:NL91ABNA0417164300\n:28C:1\n", "MT940"),
        (b"<Document><BkToCstmrStmt><Stmt>", "kan niet"),
        (
            b"<?xml version='1.0'?><Document "
            b"xmlns='urn:iso:std:iso:20022:tech:xsd:camt.052.001.08'/>",
            "camt.052",
        ),
    ],
)
def test_an_unreadable_statement_is_refused_in_dutch(client, content, message):
    w = World()
    client.force_login(w.officer)
    response = client.post(
        reverse("hosting:statements", args=[w.host.slug]),
        {"file": SimpleUploadedFile("afschrift.xml", content, content_type="text/xml")},
    )
    assert response.status_code == 200
    assert "kan niet worden gelezen als bankafschrift" in response.text
    assert message.lower() in response.text.lower()
    assert not BankStatement.objects.exists()


def test_a_statement_of_another_account_stores_nothing(client):
    w = World()
    client.force_login(w.officer)
    foreign = statement_for(
        [], iban="NL18TRIO0391234567", extra=[{"amount_cents": 500, "info": "Rente"}]
    )
    response = client.post(
        reverse("hosting:statements", args=[w.host.slug]),
        {"file": SimpleUploadedFile("afschrift.xml", foreign, content_type="text/xml")},
    )
    assert response.status_code == 200
    assert "NL18TRIO0391234567" in response.text and "Er is niets ingelezen" in response.text
    assert not BankStatement.objects.exists() and not BankLine.objects.exists()


def test_the_same_statement_twice_changes_nothing(client):
    w = World()
    expense = w.approve_fully(w.submit())
    batch = w.batch(expense)
    data = statement_for(list(batch.items.select_related("expense")))
    client.force_login(w.officer)
    url = reverse("hosting:statements", args=[w.host.slug])
    client.post(url, {"file": SimpleUploadedFile("a.xml", data, content_type="text/xml")})
    before = (BankStatement.objects.count(), BankLine.objects.count())
    response = client.post(
        url, {"file": SimpleUploadedFile("a.xml", data, content_type="text/xml")}, follow=True
    )
    assert "al eerder ingelezen" in response.text
    assert (BankStatement.objects.count(), BankLine.objects.count()) == before
    assert LedgerTransaction.objects.filter(kind="expense").count() == 1


def test_a_return_that_cannot_be_booked_is_shown_on_hold_with_the_reason(client):
    from buurtbasis.hosting import expenses, services
    from buurtbasis.platform.audit import Origin

    w = World()
    expense = w.approve_fully(w.submit(amount=4_550))
    batch = w.batch(expense)
    item = batch.items.select_related("expense").get()
    expenses.import_statement(
        host=w.host, data=statement_for([item]), origin=Origin(actor=w.officer)
    )
    expense.refresh_from_db()
    services.reverse(expense.payment, "Dubbel geboekt", Origin(actor=w.officer))
    back = {
        "amount_cents": 4_550,
        "return_reason": "AC04",
        "bank_code": ("PMNT", "ICDT", "RRTN"),
        "details": [
            {
                "amount_cents": 4_550,
                "iban": PAYEE_IBAN,
                "end_to_end_id": item.end_to_end_id,
                "return_reason": "AC04",
            }
        ],
    }
    data = statement_for([], statement_id="ABN-2", opening=100_000 - 4_550, extra=[back])
    client.force_login(w.officer)
    response = client.post(
        reverse("hosting:statements", args=[w.host.slug]),
        {"file": SimpleUploadedFile("b.xml", data, content_type="text/xml")},
        follow=True,
    )
    assert "1 betaling kon niet worden geboekt en staat in de wacht" in response.text
    assert "Deze regel kon niet worden geboekt: Deze boeking is al gecorrigeerd." in response.text
    assert BankStatement.objects.count() == 2


def test_pages_are_not_for_outsiders(client):
    w = World()
    expense = w.submit()
    client.force_login(UserFactory())
    for url in (
        reverse("hosting:expense", args=[expense.pk]),
        reverse("hosting:expenses", args=[w.initiative.slug]),
        reverse("hosting:payouts", args=[w.host.slug]),
        reverse("hosting:statements", args=[w.host.slug]),
    ):
        assert client.get(url).status_code == 404, url
    # a member of the initiative sees the expense but not the host's payouts
    client.force_login(w.member)
    assert client.get(reverse("hosting:expense", args=[expense.pk])).status_code == 200
    assert client.get(reverse("hosting:payouts", args=[w.host.slug])).status_code == 404


def test_the_allowance_page_shows_the_limits_and_the_taxable_rule(client):
    w = World()
    client.force_login(w.member)
    response = client.get(reverse("hosting:allowances"))
    assert response.status_code == 200
    assert "hele vergoeding belast" in response.text


def test_the_iban_check_shows_the_bank_or_what_is_wrong(client):
    w = World()
    client.force_login(w.member)
    url = reverse("hosting:iban-check")
    assert "RABOBANK" in client.get(url, {"payee_iban": "nl44 rabo 0123 4567 89"}).text.upper()
    assert "controlegetallen" in client.get(url, {"payee_iban": "NL44RABO0123456788"}).text
    assert client.get(url, {"payee_iban": ""}).text == ""
    form = client.get(reverse("hosting:expense-new", args=[w.initiative.slug])).text
    assert 'hx-get="/gastorganisatie/uitgave/iban/"' in form and 'id="iban-check"' in form


def test_the_approve_button_shows_for_whoever_approves_next(client):
    w = World()
    expense = w.submit(amount=60_000)
    page = reverse("hosting:expense", args=[expense.pk])
    button = ">Goedkeuren</button>"
    client.force_login(w.officer)
    assert button not in client.get(page).text  # the treasurer checks first
    client.force_login(w.treasurer)
    assert button in client.get(page).text
    client.post(reverse("hosting:expense-action", args=[expense.pk, "goedkeuren"]))
    assert button not in client.get(page).text
    client.force_login(w.officer)
    assert button in client.get(page).text
    client.force_login(w.member)
    assert button not in client.get(page).text
