"""Agreement rules that bite: the proof rule is applied on submit, and the offer form
expresses several approver bands (fixed rows, empty rows ignored, current bands shown)."""

import datetime
import re

import pytest
from django.urls import reverse

from buurtbasis.accounts.tests.factories import OrganisationFactory, UserFactory
from buurtbasis.budgets.tests.factories import InitiativeFactory
from buurtbasis.hosting import expenses, services
from buurtbasis.hosting.models import HostingAgreement, ReceiptRule
from buurtbasis.hosting.models_expenses import Expense, ExpenseState
from buurtbasis.organisations.models import Role
from buurtbasis.platform.audit import Origin

from .expense_helpers import World, receipt_png

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
    settings.LANGUAGE_CODE = "nl"


def _proof_from(w, cents):
    agreement = w.h.agreement
    agreement.receipt_rule = ReceiptRule.FROM_AMOUNT
    agreement.receipt_from_cents = cents
    agreement.save()


# --- the proof rule ----------------------------------------------------------------------------


def test_an_existing_agreement_keeps_asking_proof_for_every_expense():
    w = World()
    assert w.h.agreement.receipt_rule == ReceiptRule.ALWAYS  # the migration's default
    with pytest.raises(expenses.HostingError) as error:
        w.submit(amount=100, receipt=None)
    assert error.value.code == "receipt"
    assert not Expense.objects.exists()


def test_below_the_amount_a_claim_without_proof_is_accepted():
    w = World()
    _proof_from(w, 2_500)
    expense = w.submit(amount=2_000, receipt=None)
    assert expense.state == ExpenseState.SUBMITTED and expense.receipt == ""


def test_from_the_amount_a_claim_without_proof_is_refused_with_the_amount_named():
    w = World()
    _proof_from(w, 2_500)
    with pytest.raises(expenses.HostingError) as error:
        w.submit(amount=2_500, receipt=None)
    assert error.value.code == "receipt"
    assert "€\xa025" in error.value.messages[0]
    assert "bewijs" in error.value.messages[0].lower()
    assert not Expense.objects.exists()
    assert w.submit(amount=2_500, receipt=receipt_png()).state == ExpenseState.SUBMITTED


def test_a_draft_without_proof_cannot_be_submitted_when_the_rule_asks_for_proof():
    w = World()
    _proof_from(w, 2_500)
    draft = w.submit(amount=9_000, receipt=None, draft=True)
    with pytest.raises(expenses.HostingError) as error:
        expenses.submit(expense=draft, origin=Origin(actor=w.member))
    assert error.value.code == "receipt"
    draft.refresh_from_db()
    assert draft.state == ExpenseState.DRAFT


def test_the_expense_form_says_beforehand_from_which_amount_proof_is_needed(client):
    w = World()
    _proof_from(w, 2_500)
    client.force_login(w.member)
    page = reverse("hosting:expense-new", args=[w.initiative.slug])
    text = client.get(page).text
    assert "Verplicht vanaf €\xa025" in text or "Verplicht vanaf € 25" in text
    form = {
        "kind": "claim",
        "description": "Verf",
        "amount": "30",
        "date": "2026-03-02",
        "category": "materials",
        "grant": w.grant.pk,
        "payee_name": "Zoë Çelik",
        "payee_iban": "NL44 RABO 0123 4567 89",
        "reference": "",
        "hours": "",
    }
    response = client.post(page, form)
    assert response.status_code == 200
    assert "Uw gastorganisatie vraagt een bewijs van betaling vanaf" in response.text
    assert not Expense.objects.exists()
    response = client.post(page, {**form, "amount": "20"})
    assert response.status_code == 302
    expense = Expense.objects.get()
    assert expense.state == ExpenseState.SUBMITTED
    # the treasurer sees that no proof is needed, rather than a missing one
    client.force_login(w.treasurer)
    text = client.get(reverse("hosting:expense", args=[expense.pk])).text
    assert "Geen: de gastorganisatie vraagt geen bewijs voor dit bedrag." in text


def test_the_offer_service_checks_the_proof_rule():
    agreement, coordinator = _request()
    kwargs = {
        "agreement": agreement,
        "start_date": datetime.date(2026, 1, 1),
        "fee_basis_points": 0,
        "approval_threshold_cents": 0,
        "approver_bands": [],
        "required_receipts": "",
        "origin": Origin(actor=coordinator),
    }
    with pytest.raises(services.HostingError):
        services.offer(**kwargs, receipt_rule="sometimes")
    with pytest.raises(services.HostingError):
        services.offer(**kwargs, receipt_rule=ReceiptRule.FROM_AMOUNT, receipt_from_cents=-1)
    services.offer(**kwargs, receipt_rule=ReceiptRule.FROM_AMOUNT, receipt_from_cents=5_000)
    agreement.refresh_from_db()
    assert agreement.receipt_required(4_999) is False
    assert agreement.receipt_required(5_000) is True


# --- approver bands on the offer form ------------------------------------------------------------


def _request():
    host = OrganisationFactory()
    UserFactory(roles=[(Role.FINANCE_OFFICER, host)])
    coordinator = UserFactory(roles=[(Role.COMMUNITY_WORKER, host)])
    initiator = UserFactory()
    initiative = InitiativeFactory(members=[initiator])
    agreement = services.request_hosting(
        initiative=initiative, host=host, origin=Origin(actor=initiator)
    )
    return agreement, coordinator


def _offer_form(**changes):
    data = {
        "start_date": "2026-01-01",
        "fee_percent": "0",
        "approval_threshold": "100",
        "band_1_from": "",
        "band_1_approvers": "",
        "band_2_from": "",
        "band_2_approvers": "",
        "band_3_from": "",
        "band_3_approvers": "",
        "receipt_rule": "always",
        "receipt_from": "",
        "required_receipts": "",
    }
    data.update(changes)
    return data


def test_the_offer_form_takes_several_bands_and_ignores_empty_rows(client):
    agreement, coordinator = _request()
    client.force_login(coordinator)
    page = reverse("hosting:offer", args=[agreement.pk])
    response = client.post(
        page,
        _offer_form(
            band_1_from="2500",
            band_1_approvers="3",
            band_3_from="500",
            band_3_approvers="2",
            receipt_rule="from_amount",
            receipt_from="25",
        ),
    )
    assert response.status_code == 302, response.text
    agreement.refresh_from_db()
    assert agreement.approver_bands == [
        {"from_cents": 50_000, "approvers": 2},
        {"from_cents": 250_000, "approvers": 3},
    ]
    assert [agreement.approvers_needed(c) for c in (9_000, 20_000, 60_000, 300_000)] == [0, 1, 2, 3]
    assert agreement.receipt_rule == ReceiptRule.FROM_AMOUNT
    assert agreement.receipt_from_cents == 2_500

    # re-saving the open offer shows the current bands and rule, so nothing is lost
    text = client.get(page).text
    assert 'name="band_1_from" value="500"' in text
    assert 'name="band_1_approvers" value="2"' in text
    assert 'name="band_2_from" value="2500"' in text
    assert 'name="band_2_approvers" value="3"' in text
    assert 'name="band_3_from"' in text and 'name="band_3_from" value' not in text
    assert 'name="receipt_from" value="25"' in text
    assert re.search(r'<input[^>]*value="from_amount"[^>]*checked', text)


def test_bands_that_contradict_each_other_are_refused_in_dutch(client):
    agreement, coordinator = _request()
    client.force_login(coordinator)
    page = reverse("hosting:offer", args=[agreement.pk])
    response = client.post(
        page,
        _offer_form(
            band_1_from="500", band_1_approvers="3", band_2_from="1000", band_2_approvers="2"
        ),
    )
    assert response.status_code == 200
    assert "Een hoger bedrag kan niet minder" in response.text
    response = client.post(page, _offer_form(band_1_from="500"))
    assert response.status_code == 200
    assert "Vul het aantal goedkeurders" in response.text
    response = client.post(page, _offer_form(band_2_approvers="11", band_2_from="500"))
    assert response.status_code == 200
    assert "van 1 tot 10" in response.text
    response = client.post(page, _offer_form(receipt_rule="from_amount"))
    assert response.status_code == 200
    assert "Vul het bedrag in vanaf" in response.text
    agreement.refresh_from_db()
    assert agreement.state == "requested"
    assert HostingAgreement.objects.filter(approver_bands=[]).count() == 1


# --- the volunteer's age and the hour rate -------------------------------------------------------


def _hour_allowance(w, person, amount, hours):
    return w.submit(
        by=person,
        amount=amount,
        category="allowances",
        description="Vrijwilligersvergoeding maart",
        payee_name="Vrijwilliger",
        date=datetime.date(2026, 3, 5),
        hours=hours,
    )


def test_the_under_21_hour_rate_applies_when_the_birth_date_is_known():
    w = World()
    young = w.member
    young.birth_date = datetime.date(2006, 3, 6)  # 19 on 5 March 2026 (the day before 20)
    young.save()
    # 10 hours for € 50: within € 5,75 an hour, over the € 3,40 for under-21s
    check = expenses.expense_allowance_check(_hour_allowance(w, young, 5_000, 10))
    assert check.exceeded
    assert any("onder 21 jaar" in line and "€ 3,40" in line for line in check.lines)
    assert "niet bekend" not in check.hour_text


def test_on_the_21st_birthday_the_adult_rate_applies():
    w = World()
    person = w.member
    person.birth_date = datetime.date(2005, 3, 5)  # 21 on the day of the work
    person.save()
    check = expenses.expense_allowance_check(_hour_allowance(w, person, 5_000, 10))
    assert not check.exceeded
    assert "21 jaar en ouder" in check.hour_text and "niet bekend" not in check.hour_text


def test_without_a_birth_date_the_adult_rate_is_used_and_the_warning_says_so(client):
    w = World()
    person = w.member
    assert person.birth_date is None
    within = _hour_allowance(w, person, 5_000, 10)
    check = expenses.expense_allowance_check(within)
    assert not check.exceeded
    assert "De leeftijd is niet bekend" in check.hour_text
    over = expenses.expense_allowance_check(_hour_allowance(w, person, 6_000, 10))
    assert over.exceeded
    assert any("De leeftijd is niet bekend" in line for line in over.lines)
    # the expense page says it too, also when no limit is exceeded
    client.force_login(w.officer)
    text = client.get(reverse("hosting:expense", args=[within.pk])).text
    assert "De leeftijd is niet bekend" in text
