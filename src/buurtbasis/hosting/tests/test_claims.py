"""Expense claims: draft -> submitted -> needs info <-> submitted -> approved / rejected ->
scheduled -> paid / failed; no self-approval, a quorum per amount band, never above the
earmarked balance, paid once."""

import datetime

import pytest

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.hosting import queries, services
from buurtbasis.hosting.models import (
    Category,
    ClaimState,
    ClaimStep,
    GrantSource,
    LedgerTransaction,
)
from buurtbasis.organisations.models import Role
from buurtbasis.platform.audit import Origin

from .factories import hosted

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 4, 1)
IBAN = "NL91 ABNA 0417 1643 00"


@pytest.fixture
def h():
    h = hosted()  # approval above 100 euros; two approvers from 500 euros
    h.treasurer = UserFactory()
    h.initiative.members.add(h.treasurer)
    h.agreement.treasurer = h.treasurer
    h.agreement.save()
    h.second_officer = UserFactory(roles=[(Role.FINANCE_OFFICER, h.host)])
    h.grant = services.record_grant(
        initiative=h.initiative,
        source=GrantSource.FUND,
        label="Initiatievenfonds 2026",
        amount_cents=100_000,
        date=DAY,
        origin=h.as_officer,
    )
    return h


def _claim(h, amount, **kwargs):
    values = {
        "grant": h.grant,
        "description": "Verf voor de muurschildering",
        "amount_cents": amount,
        "spent_on": DAY,
        "category": Category.MATERIALS,
        "payee_name": "Zoë Çelik",
        "payee_iban": IBAN,
        "origin": Origin(actor=h.initiator),
    }
    values.update(kwargs)
    claim = services.create_claim(**values)
    return services.submit_claim(claim, values["origin"])


def test_a_claim_goes_from_draft_to_paid_and_is_booked_once(h):
    claim = _claim(h, 60_000)
    assert claim.payee_iban == "NL91ABNA0417164300" and claim.payee_bank
    services.request_information(claim, "Graag de bon erbij.", Origin(actor=h.treasurer))
    claim.refresh_from_db()
    assert claim.state == ClaimState.NEEDS_INFO
    services.submit_claim(claim, Origin(actor=h.initiator))
    with pytest.raises(services.HostingError) as caught:
        services.approve_claim(claim, h.as_officer)
    assert caught.value.code == "treasurer"
    services.treasurer_check(claim, Origin(actor=h.treasurer))
    services.approve_claim(claim, h.as_officer)
    claim.refresh_from_db()
    assert claim.state == ClaimState.SUBMITTED  # 600 euros: two approvers needed
    with pytest.raises(services.HostingError) as caught:
        services.approve_claim(claim, h.as_officer)
    assert caught.value.code == "twice"
    services.approve_claim(claim, Origin(actor=h.second_officer))
    claim.refresh_from_db()
    assert claim.state == ClaimState.APPROVED
    services.schedule_claim(claim, h.as_officer)
    services.mark_paid(claim, h.as_officer)
    claim.refresh_from_db()
    assert claim.state == ClaimState.PAID
    assert queries.books(h.initiative).left == 40_000
    with pytest.raises(services.HostingError):
        services.mark_paid(claim, h.as_officer)
    assert LedgerTransaction.objects.filter(kind="expense").count() == 1
    steps = list(ClaimStep.objects.filter(claim=claim).values_list("to_state", "reason"))
    assert ("needs_info", "Graag de bon erbij.") in steps
    assert steps[-1][0] == "paid"


def test_nobody_approves_their_own_claim(h):
    claim = _claim(h, 5_000, origin=Origin(actor=h.treasurer))
    h.initiative.members.add(h.officer)
    own = _claim(h, 5_000, origin=Origin(actor=h.officer))
    services.treasurer_check(own, Origin(actor=h.treasurer))
    with pytest.raises(services.HostingError) as caught:
        services.approve_claim(own, h.as_officer)
    assert caught.value.code == "self"
    with pytest.raises(services.HostingError) as caught:
        services.treasurer_check(claim, Origin(actor=h.treasurer))
    assert caught.value.code == "self"
    # the treasurer's own claim skips the first check; one approver is enough below 100 euros
    services.approve_claim(claim, h.as_officer)
    claim.refresh_from_db()
    assert claim.state == ClaimState.APPROVED


def test_a_claim_larger_than_what_is_left_cannot_be_approved(h):
    first = _claim(h, 80_000)
    services.treasurer_check(first, Origin(actor=h.treasurer))
    services.approve_claim(first, h.as_officer)
    services.approve_claim(first, Origin(actor=h.second_officer))
    second = _claim(h, 30_000)  # 100,000 - 80,000 approved and unpaid: 20,000 left
    services.treasurer_check(second, Origin(actor=h.treasurer))
    with pytest.raises(services.HostingError) as caught:
        services.approve_claim(second, h.as_officer)
    assert caught.value.code == "insufficient"
    services.reject_claim(first, "Dubbel ingediend", h.as_officer)
    services.approve_claim(second, h.as_officer)


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("payee_iban", "NL91 ABNA 0417 1643 01", "iban"),
        ("amount_cents", -100, "amount"),
        ("amount_cents", 0, "amount"),
        ("category", Category.HOST_FEE, "category"),
        ("spent_on", datetime.date(2099, 1, 1), "date"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(h, field, value, code):
    with pytest.raises(services.HostingError) as caught:
        _claim(h, 1_000, **{field: value})
    assert caught.value.code == code
    if code == "iban":
        assert "controlegetallen" in caught.value.messages[0]


def test_a_failed_payment_can_be_scheduled_again_and_others_cannot_act(h):
    claim = _claim(h, 2_000)
    stranger = hosted().officer
    for person in (stranger, h.initiator, h.coordinator):
        with pytest.raises(services.HostingError):
            services.approve_claim(claim, Origin(actor=person))
    services.treasurer_check(claim, Origin(actor=h.treasurer))
    services.approve_claim(claim, h.as_officer)
    services.schedule_claim(claim, h.as_officer)
    services.mark_failed(claim, "Rekening opgeheven", h.as_officer)
    services.schedule_claim(claim, h.as_officer)
    services.mark_paid(claim, h.as_officer)
    assert queries.books(h.initiative).left == 98_000


def test_every_change_is_told_with_its_reason(h):
    from buurtbasis.platform.models import Notification

    claim = _claim(h, 2_000)
    # a new claim: the host's finance officers and the treasurer are told, not the submitter
    told = set(
        Notification.objects.filter(kind="hosting.claim_changed").values_list(
            "recipient_id", flat=True
        )
    )
    assert {h.officer.pk, h.second_officer.pk, h.treasurer.pk} <= told
    assert h.initiator.pk not in told
    services.request_information(claim, "Graag de bon erbij.", h.as_officer)
    note = Notification.objects.filter(recipient=h.initiator).latest("pk")
    assert "Graag de bon erbij." in note.text
    assert "Meer informatie nodig" in note.title
