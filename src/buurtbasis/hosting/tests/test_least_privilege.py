"""Least privilege in fiscal hosting: who may move money, and who sees what of whom."""

from __future__ import annotations

import datetime

import pytest

from buurtbasis.hosting import queries, services
from buurtbasis.hosting.models import AgreementState, LedgerTransaction
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.models import AuditEvent

from .factories import hosted

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 1)


def _with_money(h, amount=5_000):
    services.record_donation(
        initiative=h.initiative,
        amount_cents=amount,
        date=DAY,
        description="Gift",
        origin=h.as_officer,
    )


# --- ending an agreement that holds money ----------------------------------------------------


@pytest.mark.parametrize("who", ["initiator", "coordinator"])
def test_only_a_finance_officer_ends_an_agreement_that_holds_money(who):
    h = hosted()
    _with_money(h)
    before = LedgerTransaction.objects.count()
    with pytest.raises(services.HostingError) as caught:
        services.end(
            agreement=h.agreement,
            reason="We stoppen",
            settle_to="Teruggestort aan de gemeente",
            origin=Origin(actor=getattr(h, who)),
        )
    assert caught.value.code == "finance_needed"
    h.agreement.refresh_from_db()
    assert h.agreement.state == AgreementState.ACTIVE
    assert LedgerTransaction.objects.count() == before
    assert queries.books(h.initiative).left == 5_000

    services.end(
        agreement=h.agreement,
        reason="We stoppen",
        settle_to="Teruggestort aan de gemeente",
        origin=h.as_officer,
    )
    h.agreement.refresh_from_db()
    assert h.agreement.state == AgreementState.ENDED
    assert queries.books(h.initiative).left == 0


@pytest.mark.parametrize("who", ["initiator", "coordinator"])
def test_without_money_left_either_side_still_ends_it(who):
    h = hosted()
    services.end(agreement=h.agreement, reason="Klaar", origin=Origin(actor=getattr(h, who)))
    h.agreement.refresh_from_db()
    assert h.agreement.state == AgreementState.ENDED


def test_an_initiator_asks_the_finance_officers_to_end_it():
    h = hosted()
    _with_money(h)
    services.ask_to_end(
        agreement=h.agreement, reason="Het buurtfeest is voorbij", origin=Origin(actor=h.initiator)
    )
    h.agreement.refresh_from_db()
    assert h.agreement.state == AgreementState.ACTIVE  # asking moves no money
    assert h.officer.notifications.filter(text__contains="Het buurtfeest is voorbij").exists()
    # the coordinator (no finance officer) is not the one who books it
    assert not h.coordinator.notifications.filter(text__contains="Het buurtfeest").exists()
    assert AuditEvent.objects.filter(action="hosting.end_requested").count() == 1


def test_a_stranger_cannot_ask_to_end_and_a_reason_is_needed():
    from buurtbasis.accounts.tests.factories import UserFactory

    h = hosted()
    with pytest.raises(services.HostingError) as caught:
        services.ask_to_end(agreement=h.agreement, reason="Zomaar", origin=Origin(UserFactory()))
    assert caught.value.code == "forbidden"
    with pytest.raises(services.HostingError) as caught:
        services.ask_to_end(agreement=h.agreement, reason="  ", origin=Origin(h.initiator))
    assert caught.value.code == "reason"


# --- expenses, receipts and IBANs: only for whom they are ----------------------------------


@pytest.fixture
def _private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "buurtbasis.platform.uploads.PrivateStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }


def _rehosted():
    """An initiative that had host A (one expense) and is now hosted by B (one expense)."""
    from buurtbasis.accounts.tests.factories import OrganisationFactory, UserFactory
    from buurtbasis.hosting.models import GrantSource
    from buurtbasis.organisations.models import Role

    from .expense_helpers import DAY as EXPENSE_DAY
    from .expense_helpers import World

    w = World()
    old = w.submit(description="Verf bij de eerste host")
    services.end(
        agreement=w.h.agreement,
        reason="We gaan naar een andere host",
        settle_to="Overgemaakt naar de nieuwe host",
        origin=Origin(actor=w.officer),
    )
    new_host = OrganisationFactory()
    new_officer = UserFactory(roles=[(Role.FINANCE_OFFICER, new_host)])
    new_coordinator = UserFactory(roles=[(Role.COMMUNITY_WORKER, new_host)])
    agreement = services.request_hosting(
        initiative=w.initiative, host=new_host, origin=Origin(actor=w.treasurer)
    )
    services.offer(
        agreement=agreement,
        start_date=EXPENSE_DAY,
        fee_basis_points=0,
        approval_threshold_cents=10_000,
        approver_bands=[],
        required_receipts="",
        origin=Origin(actor=new_coordinator),
    )
    services.accept(agreement=agreement, origin=Origin(actor=w.treasurer))
    grant = services.record_grant(
        initiative=w.initiative,
        source=GrantSource.FUND,
        label="Initiatievenfonds bij de nieuwe host",
        amount_cents=50_000,
        date=EXPENSE_DAY,
        origin=Origin(actor=new_officer),
    )
    new = w.submit(description="Koffie bij de nieuwe host", grant=grant)
    return w, old, new, new_officer, new_coordinator


def test_a_later_host_does_not_see_an_earlier_hosts_expenses_nor_the_other_way(
    client, _private_storage
):
    from django.urls import reverse

    w, old, new, new_officer, new_coordinator = _rehosted()
    assert (old.host_id, new.host_id) == (w.host.pk, new_officer.memberships.get().organisation_id)
    listing = reverse("hosting:expenses", args=[w.initiative.slug])

    for person in (new_officer, new_coordinator):
        client.force_login(person)
        page = client.get(listing).text
        assert "Koffie bij de nieuwe host" in page
        assert "Verf bij de eerste host" not in page
        assert client.get(reverse("hosting:expense", args=[old.pk])).status_code == 404
        assert client.get(reverse("hosting:receipt", args=[old.pk])).status_code == 404

    for person in (w.officer, w.h.coordinator):
        client.force_login(person)
        page = client.get(listing).text  # its own, kept seven years
        assert "Verf bij de eerste host" in page
        assert "Koffie bij de nieuwe host" not in page
        assert client.get(reverse("hosting:expense", args=[new.pk])).status_code == 404
        assert client.get(reverse("hosting:receipt", args=[new.pk])).status_code == 404
        assert client.get(reverse("hosting:expense", args=[old.pk])).status_code == 200

    client.force_login(w.member)  # the initiative sees all of its own
    page = client.get(listing).text
    assert "Verf bij de eerste host" in page and "Koffie bij de nieuwe host" in page


def test_receipt_and_iban_are_for_the_submitter_the_treasurer_and_the_finance_officers(
    client, _private_storage
):
    from django.urls import reverse

    from buurtbasis.accounts.tests.factories import UserFactory

    from .expense_helpers import PAYEE_IBAN, World

    w = World()
    other_member = UserFactory()
    w.initiative.members.add(other_member)
    expense = w.submit()  # by w.member
    detail = reverse("hosting:expense", args=[expense.pk])
    receipt = reverse("hosting:receipt", args=[expense.pk])
    masked = "NL** **** **** **67 89"

    for person in (w.member, w.treasurer, w.officer):
        client.force_login(person)
        page = client.get(detail).text
        assert PAYEE_IBAN in page and masked not in page, person
        assert receipt in page
        assert client.get(receipt).status_code == 200

    for person in (w.h.coordinator, other_member):
        client.force_login(person)
        response = client.get(detail)
        assert response.status_code == 200  # they see the expense
        assert PAYEE_IBAN not in response.text and masked in response.text
        assert receipt not in response.text
        assert client.get(receipt).status_code == 404

    client.logout()
    for url in (
        reverse("hosting:ledger", args=[w.initiative.slug]),
        reverse("initiatives:detail", args=[w.initiative.slug]),
    ):
        public = client.get(url)
        assert public.status_code == 200, url
        assert PAYEE_IBAN not in public.text and "Zoë" not in public.text
        assert "/bon/" not in public.text


def test_mask_iban():
    from buurtbasis.hosting.access import mask_iban

    assert mask_iban("NL44RABO0123451234") == "NL** **** **** **12 34"
    assert mask_iban("nl44 rabo 0123 4512 34") == "NL** **** **** **12 34"
    assert mask_iban("BE68539007547034") == "BE** **** **** 7034"
    assert mask_iban("") == ""
