"""Hosting pages keep what they show and refuse bad input clearly (never a server error)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from buurtbasis.accounts.tests.factories import OrganisationFactory, UserFactory
from buurtbasis.budgets.tests.factories import InitiativeFactory
from buurtbasis.hosting import services
from buurtbasis.hosting.models import HostingAgreement
from buurtbasis.organisations.models import Role
from buurtbasis.platform.audit import Origin

pytestmark = pytest.mark.django_db


def _inputs(html: str) -> dict[str, str]:
    """The values a browser would send back for the text inputs and textareas of a form."""
    values = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="hidden"' not in tag:
            values[name.group(1)] = value.group(1) if value else ""
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        values[name] = text.strip()
    return values


def test_saving_an_open_offer_again_keeps_its_two_approver_rule(client):
    from_euros = "500"
    host = OrganisationFactory()
    coordinator = UserFactory(roles=[(Role.COMMUNITY_WORKER, host)])
    initiator = UserFactory()
    initiative = InitiativeFactory(members=[initiator])
    agreement = services.request_hosting(
        initiative=initiative, host=host, origin=Origin(actor=initiator)
    )
    client.force_login(coordinator)
    url = reverse("hosting:offer", args=[agreement.pk])
    first = {
        "start_date": "2026-01-01",
        "fee_percent": "0",
        "approval_threshold": "100",
        "band_1_from": from_euros,
        "band_1_approvers": "2",
        "receipt_rule": "always",
        "required_receipts": "Bon",
    }
    assert client.post(url, first).status_code == 302
    bands = HostingAgreement.objects.get(pk=agreement.pk).approver_bands
    assert bands == [{"from_cents": int(from_euros) * 100, "approvers": 2}]

    html = client.get(url).text
    shown = _inputs(html)
    assert shown["band_1_from"] not in ("", None)
    assert shown["band_1_approvers"] == "2"
    # a radio button sends the value of the checked one
    shown["receipt_rule"] = re.search(
        r'<input[^>]*name="receipt_rule"[^>]*value="([^"]+)"[^>]*checked', html
    ).group(1)
    data = {k: shown[k] for k in first}
    assert client.post(url, data).status_code == 302
    again = HostingAgreement.objects.get(pk=agreement.pk)
    assert again.approver_bands == bands
    assert again.approvers_needed(60_000) == 2
    assert again.start_date == datetime.date(2026, 1, 1)


def test_a_bank_line_link_with_a_superscript_number_is_refused_clearly(client):
    from .test_banklines import Unsure

    u = Unsure()
    client.force_login(u.w.officer)
    response = u.post(client, "link", item="²")
    assert response.status_code == 302
    page = client.get(response["Location"]).text
    assert "Kies de betaling waar deze regel bij hoort." in page
    u.line.refresh_from_db()
    assert u.line.linked_id is None


def test_a_receipt_whose_file_is_gone_answers_not_found(client):
    from buurtbasis.platform import uploads

    from .expense_helpers import World

    w = World()
    expense = w.submit()
    uploads.private_storage().delete(expense.receipt)
    client.force_login(w.officer)
    response = client.get(reverse("hosting:receipt", args=[expense.pk]))
    assert response.status_code == 404


def test_a_fund_attachment_whose_file_is_gone_answers_not_found(client):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from buurtbasis.platform import uploads

    from .fund_helpers import fund_world

    w = fund_world()
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (10, 20, 30)).save(out, "PNG")
    application = w.apply(attachment=SimpleUploadedFile("offerte.png", out.getvalue(), "image/png"))
    client.force_login(w.h.initiator)
    url = reverse("hosting:fund-attachment", args=[application.pk])
    assert client.get(url).status_code == 200
    uploads.private_storage().delete(application.attachment)
    assert client.get(url).status_code == 404


def test_submitting_expenses_is_rate_limited_per_person(client, monkeypatch):
    from django.core.cache import cache

    from buurtbasis.hosting import views_expenses
    from buurtbasis.hosting.models_expenses import Expense

    from .expense_helpers import World, receipt_png

    cache.clear()
    monkeypatch.setattr(views_expenses, "SUBMITS_PER_HOUR", 2)
    w = World()
    client.force_login(w.member)
    url = reverse("hosting:expense-new", args=[w.initiative.slug])

    def form():
        return {
            "kind": "claim",
            "description": "Verf",
            "amount": "12,50",
            "date": "2026-03-02",
            "category": "materials",
            "grant": w.grant.pk,
            "payee_name": "Zoë Çelik",
            "payee_iban": "NL44RABO0123456789",
            "receipt": receipt_png(),
        }

    assert client.post(url, form()).status_code == 302
    assert client.post(url, form()).status_code == 302
    refused = client.post(url, form())
    assert refused.status_code == 200
    assert "Te veel uitgaven in korte tijd" in refused.text
    assert Expense.objects.count() == 2
    cache.clear()


def test_a_line_the_matcher_linked_keeps_that_in_its_history(client):
    from .test_banklines import _linked_world

    w, one, line = _linked_world()
    client.force_login(w.officer)
    url = reverse("hosting:bank-line", args=[w.host.slug, line.pk])
    assert "Automatisch gekoppeld bij het inlezen" in client.get(url).text
    from buurtbasis.hosting import expenses

    expenses.unlink_line(line=line, reason="Verkeerde betaling", origin=Origin(actor=w.officer))
    history = client.get(url).text.split('id="history-title"')[1]
    assert history.index("Automatisch gekoppeld bij het inlezen") < history.index(
        "Verkeerde betaling"
    )
