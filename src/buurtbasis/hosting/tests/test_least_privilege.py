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
