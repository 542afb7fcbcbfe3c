"""Hosting pages: who sees what (least privilege), the flow, money in, the public ledger."""

import datetime

import pytest
from django.urls import reverse

from buurtbasis.accounts.tests.factories import OrganisationFactory, UserFactory
from buurtbasis.budgets.models import FundedPlan
from buurtbasis.budgets.tests.factories import InitiativeFactory, PlanFactory
from buurtbasis.hosting import budget_lines, services
from buurtbasis.hosting.models import (
    AgreementState,
    Category,
    Grant,
    HostingAgreement,
    LedgerTransaction,
)
from buurtbasis.organisations.models import Role
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.models import AuditEvent

from .factories import hosted

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 1)


def _fund(plan, amount=None):
    return FundedPlan.objects.create(
        plan=plan,
        budget_round=plan.budget_round,
        amount_cents=amount or plan.cost_cents,
        initiative=plan.initiative,
    )


def test_an_initiator_asks_a_host_the_host_offers_and_the_initiator_accepts(client):
    host = OrganisationFactory(name="Stichting Welzijn Oost")
    UserFactory(roles=[(Role.FINANCE_OFFICER, host)])
    coordinator = UserFactory(roles=[(Role.COMMUNITY_WORKER, host)])
    initiator = UserFactory()
    initiative = InitiativeFactory(members=[initiator])
    page = reverse("hosting:initiative", args=[initiative.slug])

    client.force_login(initiator)
    response = client.post(page, {"host": host.pk, "message": "Wij zoeken een gastorganisatie."})
    assert response.status_code == 302
    agreement = HostingAgreement.objects.get(initiative=initiative)
    assert agreement.state == AgreementState.REQUESTED

    client.force_login(coordinator)
    offer = reverse("hosting:offer", args=[agreement.pk])
    response = client.post(
        offer,
        {
            "start_date": "2026-01-01",
            "fee_percent": "-1",
            "approval_threshold": "100",
            "band_1_from": "500",
            "band_1_approvers": "2",
            "receipt_rule": "always",
            "required_receipts": "Bon",
        },
    )
    assert response.status_code == 200
    assert "De bijdrage voor de gastorganisatie ligt tussen 0 en 100 procent." in response.text
    response = client.post(
        offer,
        {
            "start_date": "2026-01-01",
            "fee_percent": "2,5".replace(",", "."),
            "approval_threshold": "100",
            "band_1_from": "500",
            "band_1_approvers": "2",
            "receipt_rule": "always",
            "required_receipts": "Bon",
        },
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.OFFERED
    assert agreement.fee_basis_points == 250
    assert agreement.approval_threshold_cents == 10_000
    assert agreement.approvers_needed(60_000) == 2
    assert agreement.approvers_needed(9_000) == 0

    client.force_login(initiator)
    response = client.post(reverse("hosting:accept", args=[agreement.pk]))
    assert response.status_code == 302
    agreement.refresh_from_db()
    initiative.refresh_from_db()
    assert agreement.state == AgreementState.ACTIVE
    assert agreement.treasurer == initiator
    assert initiative.host_organisation == host
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"hosting.requested", "hosting.offered", "hosting.accepted"} <= actions


def test_another_host_and_strangers_see_nothing(client):
    h = hosted()
    other = hosted()
    urls = [
        reverse("hosting:initiative", args=[h.initiative.slug]),
        reverse("hosting:donation", args=[h.initiative.slug]),
        reverse("hosting:offer", args=[h.agreement.pk]),
        reverse("hosting:end", args=[h.agreement.pk]),
        reverse("hosting:host", args=[h.host.slug]),
    ]
    for person in (other.officer, other.coordinator, other.initiator, UserFactory()):
        client.force_login(person)
        for url in urls:
            assert client.get(url).status_code == 404, (person, url)
    client.force_login(h.officer)
    for url in urls[:2] + urls[3:]:
        assert client.get(url).status_code == 200, url


def test_the_host_overview_lists_what_it_hosts_with_the_balances(client):
    h = hosted()
    services.record_donation(
        initiative=h.initiative,
        amount_cents=12_345,
        date=DAY,
        description="Gift",
        origin=h.as_officer,
    )
    other = hosted()
    client.force_login(h.coordinator)
    response = client.get(reverse("hosting:host", args=[h.host.slug]))
    assert h.initiative.name in response.text
    assert other.initiative.name not in response.text
    assert "123,45" in response.text


def test_a_funded_plan_of_a_hosted_initiative_becomes_a_grant_once(client):
    h = hosted(fee_basis_points=500)
    plan = PlanFactory(initiative=h.initiative, cost_cents=200_000)
    _fund(plan)
    grant = Grant.objects.get(plan=plan)
    assert grant.budget_cents == 200_000
    assert str(plan.pk) in grant.label
    assert services.grant_from_plan(plan, h.as_officer) == grant  # idempotent
    assert Grant.objects.filter(plan=plan).count() == 1
    services.record_expense(
        grant=grant,
        category=Category.MATERIALS,
        amount_cents=50_000,
        date=DAY,
        description="Bankjes",
        origin=h.as_officer,
    )
    page = client.get(plan.get_absolute_url())
    text = page.content.decode()
    assert "ontvangen" in text and "uitgegeven" in text and "over" in text
    assert "2.000" in text and "600" in text and "1.400" in text  # fee 100 + 500 spent


def test_a_plan_funded_before_hosting_is_granted_by_hand(client):
    initiator = UserFactory()
    initiative = InitiativeFactory(members=[initiator])
    plan = PlanFactory(initiative=initiative)
    _fund(plan)
    assert not Grant.objects.exists()  # not hosted yet: nothing to hold the money
    h = hosted()
    HostingAgreement.objects.filter(initiative=h.initiative).update(initiative=initiative)
    initiative.members.add(h.initiator)
    client.force_login(h.officer)
    page = client.get(reverse("hosting:initiative", args=[initiative.slug]))
    assert plan.title in page.text
    response = client.post(reverse("hosting:grant-plan", args=[initiative.slug, plan.pk]))
    assert response.status_code == 302
    assert Grant.objects.get(plan=plan).budget_cents == plan.cost_cents
    client.post(reverse("hosting:grant-plan", args=[initiative.slug, plan.pk]))
    assert Grant.objects.filter(plan=plan).count() == 1


def test_the_finance_officer_records_a_donation_and_bad_input_gets_a_clear_message(client):
    h = hosted()
    url = reverse("hosting:donation", args=[h.initiative.slug])
    client.force_login(h.officer)
    response = client.post(url, {"amount": "-5", "date": "2026-02-01", "description": ""})
    assert response.status_code == 200
    assert "negatief" in response.text or "meer dan nul" in response.text
    response = client.post(url, {"amount": "25,50", "date": "2099-01-01", "description": ""})
    assert "De datum kan niet in de toekomst liggen." in response.text
    response = client.post(
        url, {"amount": "25,50", "date": "2026-02-01", "description": "Collecte"}
    )
    assert response.status_code == 302
    client.force_login(h.initiator)
    assert client.post(url, {"amount": "1", "date": "2026-02-01"}).status_code == 404


def test_ending_with_money_left_needs_a_destination_and_books_the_transfer(client):
    h = hosted()
    services.record_donation(
        initiative=h.initiative,
        amount_cents=5_000,
        date=DAY,
        description="Gift",
        origin=h.as_officer,
    )
    url = reverse("hosting:end", args=[h.agreement.pk])
    # the initiator may only ask: the host's finance officer books where the money goes
    client.force_login(h.initiator)
    response = client.post(
        url, {"reason": "We stoppen", "settle_to": "Teruggestort aan de gemeente"}, follow=True
    )
    assert "We hebben uw verzoek naar hen gestuurd" in response.text
    h.agreement.refresh_from_db()
    assert h.agreement.state == AgreementState.ACTIVE
    assert h.officer.notifications.filter(text__contains="We stoppen").exists()
    client.force_login(h.officer)
    response = client.post(url, {"reason": "We stoppen", "settle_to": ""})
    assert "Er is nog geld over" in response.text
    response = client.post(
        url, {"reason": "We stoppen", "settle_to": "Teruggestort aan de gemeente"}
    )
    assert response.status_code == 302
    h.agreement.refresh_from_db()
    assert h.agreement.state == AgreementState.ENDED
    ledger = client.get(reverse("hosting:ledger", args=[h.initiative.slug])).text
    assert "Teruggestort aan de gemeente" in ledger


def test_the_public_ledger_has_a_running_balance_no_names_and_bounded_queries(
    client, django_assert_max_num_queries
):
    h = hosted()
    for i in range(120):
        services.record_donation(
            initiative=h.initiative,
            amount_cents=1_000 + i,
            date=DAY,
            description=f"Gift {i}",
            origin=h.as_officer,
        )
    url = reverse("hosting:ledger", args=[h.initiative.slug])
    client.logout()
    with django_assert_max_num_queries(12):
        response = client.get(url)
    text = response.text
    assert "Gift 119" in text and "Gift 69" not in text  # newest first, 50 a page
    total = sum(1_000 + i for i in range(120))
    assert f"{total // 100:,}".replace(",", ".") in text
    assert h.officer.display_name not in text and h.initiator.display_name not in text
    with django_assert_max_num_queries(12):
        last = client.get(url, {"pagina": 3})
    assert "Gift 0" in last.text
    # the hosting page with budget against actuals per grant and category stays bounded
    donations = services.donations_grant(h.agreement)
    budget_lines.set_budget_lines(
        grant=donations, amounts={"food": 50_000, "rent": 10_000}, origin=h.as_officer
    )
    services.record_expense(
        grant=donations,
        category=Category.FOOD,
        amount_cents=60_000,
        date=DAY,
        description="Soep",
        origin=h.as_officer,
    )
    client.force_login(h.officer)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("hosting:initiative", args=[h.initiative.slug]))
    assert page.status_code == 200 and 'class="budget-over"' in page.text


def test_the_initiative_page_and_the_dashboard_lead_to_the_money(client):
    h = hosted()
    detail = h.initiative.get_absolute_url()
    ledger = reverse("hosting:ledger", args=[h.initiative.slug])
    books = reverse("hosting:initiative", args=[h.initiative.slug])
    text = client.get(detail).text
    assert ledger in text and f'href="{books}"' not in text  # a visitor: the public ledger only
    client.force_login(h.initiator)
    assert f'href="{books}"' in client.get(detail).text
    assert f'href="{books}"' in client.get(reverse("portal:dashboard")).text
    client.force_login(h.officer)
    assert (
        reverse("hosting:host", args=[h.host.slug]) in client.get(reverse("portal:dashboard")).text
    )
    unhosted = InitiativeFactory()
    client.logout()
    assert "hosting-initiative-title" not in client.get(unhosted.get_absolute_url()).text


def test_personal_data_export_and_erasure_keep_the_financial_records():
    from buurtbasis.accounts.services import delete_account
    from buurtbasis.platform.privacy import export_personal_data

    h = hosted()
    services.record_donation(
        initiative=h.initiative,
        amount_cents=1_000,
        date=DAY,
        description="Gift",
        origin=h.as_officer,
    )
    exported = export_personal_data(h.initiator)["hosting"]
    assert exported["agreements"][0]["treasurer"] is True
    assert "seven years" in exported["retention"]
    assert export_personal_data(h.officer)["hosting"]["ledger_transactions_recorded"]
    name = h.officer.display_name
    delete_account(user=h.initiator)
    delete_account(user=h.officer)
    h.agreement.refresh_from_db()
    assert h.agreement.treasurer is None
    txn = LedgerTransaction.objects.get()
    assert txn.created_by_id == h.officer.pk  # kept, pointing to the pseudonymised account
    assert name and name != txn.created_by.display_name


def test_a_plan_funded_with_nothing_gets_no_grant_and_the_outcome_is_stored():
    h = hosted()
    plan = PlanFactory(initiative=h.initiative, cost_cents=0, cost_lines=[("Gratis", 1)])
    funded = _fund(plan)  # cost 0: nothing to hold
    assert FundedPlan.objects.filter(pk=funded.pk, amount_cents=0).exists()
    assert not Grant.objects.filter(plan=plan).exists()
    assert services.grant_from_plan(plan, h.as_officer) is None


def test_both_sides_are_told_of_every_change_of_an_agreement():
    from buurtbasis.platform.models import Notification

    h = hosted()
    kinds = Notification.objects.filter(kind="hosting.agreement_changed")
    # requested, offered (by the coordinator) and accepted (by the initiator): everyone on
    # both sides hears of each step, except the person who took it
    assert kinds.filter(recipient=h.coordinator).count() == 2
    assert kinds.filter(recipient=h.officer).count() == 3
    assert kinds.filter(recipient=h.initiator).count() == 1
    services.end(agreement=h.agreement, reason="We stoppen ermee", origin=Origin(h.initiator))
    assert "We stoppen ermee" in kinds.filter(recipient=h.coordinator).latest("pk").text
