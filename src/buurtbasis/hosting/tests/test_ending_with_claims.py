"""Ending an agreement rejects the claims that are still open, with a reason the members
are told, in the same transaction: nobody could handle them after the end."""

from __future__ import annotations

import pytest

from buurtbasis.hosting import expenses, services
from buurtbasis.hosting.models import AgreementState
from buurtbasis.hosting.models_expenses import ExpenseState
from buurtbasis.hosting.queries_banklines import waiting_for_approval
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.models.notifications import Notification

from .expense_helpers import World

pytestmark = pytest.mark.django_db


def test_ending_rejects_open_claims_and_tells_the_submitters():
    w = World(grant_cents=10_000)
    submitted = w.submit(amount=1_000)
    draft = w.submit(amount=500, draft=True)
    asked = w.submit(amount=700)
    expenses.request_information(
        expense=asked, question="Welke winkel?", origin=Origin(actor=w.treasurer)
    )
    paid = w.approve_fully(w.submit(amount=2_000))
    expenses.mark_paid_by_hand(expense=paid, reason="Contant", origin=Origin(actor=w.officer))

    services.end(
        agreement=w.h.agreement,
        reason="Stopt",
        settle_to="terug naar de gemeente",
        origin=Origin(actor=w.officer),
    )
    for expense in (submitted, draft, asked):
        expense.refresh_from_db()
        assert expense.state == ExpenseState.REJECTED
        event = expense.events.latest("pk")
        assert event.reason == "De samenwerking met de gastorganisatie is beëindigd."
    paid.refresh_from_db()
    assert paid.state == ExpenseState.PAID
    note = Notification.objects.filter(recipient=w.member, kind="hosting.expense_changed").latest(
        "pk"
    )
    assert "beëindigd" in note.text
    assert not waiting_for_approval(w.officer2, [w.host.pk]).exists()


def test_approved_expenses_still_stop_the_end_and_nothing_is_rejected():
    w = World(grant_cents=10_000)
    submitted = w.submit(amount=1_000)
    w.approve_fully(w.submit(amount=2_000))
    with pytest.raises(services.HostingError) as refused:
        services.end(
            agreement=w.h.agreement,
            reason="Stopt",
            settle_to="terug",
            origin=Origin(actor=w.officer),
        )
    assert refused.value.code == "expenses_open"
    submitted.refresh_from_db()
    assert submitted.state == ExpenseState.SUBMITTED
    w.h.agreement.refresh_from_db()
    assert w.h.agreement.state == AgreementState.ACTIVE


def test_claims_that_cannot_be_approved_now_are_not_listed_for_approval():
    from buurtbasis.hosting.models import HostingAgreement

    w = World(grant_cents=100_000)
    big = w.submit(amount=20_000)  # above the threshold: the host approves it
    assert list(waiting_for_approval(w.officer, [w.host.pk])) == []  # treasurer first
    expenses.approve(expense=big, origin=Origin(actor=w.treasurer))
    assert set(waiting_for_approval(w.officer, [w.host.pk])) == {big}
    # an agreement ended before open claims were rejected at the end
    HostingAgreement.objects.filter(pk=w.h.agreement.pk).update(state=AgreementState.ENDED)
    assert list(waiting_for_approval(w.officer, [w.host.pk])) == []
    HostingAgreement.objects.filter(pk=w.h.agreement.pk).update(state=AgreementState.ACTIVE)
    services.withdraw_grant(w.grant, reason="hertelling", origin=Origin(actor=w.officer))
    assert list(waiting_for_approval(w.officer, [w.host.pk])) == []


def test_the_old_bank_line_address_is_gone(client):
    from buurtbasis.hosting.models_expenses import LineState

    from .test_banklines import Unsure

    u = Unsure()
    client.force_login(u.w.officer)
    response = client.post(f"/gastorganisatie/bankregel/{u.line.pk}/bevestigen/")
    assert response.status_code == 404
    u.line.refresh_from_db()
    assert u.line.state == LineState.PENDING
