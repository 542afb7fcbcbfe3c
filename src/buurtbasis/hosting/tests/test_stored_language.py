"""Texts stored in the ledger and the histories are written in the site's language (Dutch),
whatever language the person who acts reads: the public ledger is the same for everyone."""

from __future__ import annotations

import pytest
from django.utils.translation import override

from buurtbasis.budgets.models import FundedPlan
from buurtbasis.budgets.tests.factories import PlanFactory
from buurtbasis.hosting import expenses, services
from buurtbasis.hosting.models import Grant, LedgerTransaction, TransactionKind
from buurtbasis.platform.audit import Origin

from .expense_helpers import DAY, World
from .factories import hosted

pytestmark = pytest.mark.django_db


def test_ledger_texts_booked_from_the_english_ui_are_dutch():
    h = hosted()
    plan = PlanFactory(initiative=h.initiative, cost_cents=30_000)
    with override("en"):
        FundedPlan.objects.create(
            plan=plan, budget_round=plan.budget_round, amount_cents=30_000, initiative=h.initiative
        )  # books the grant
        grant = services.grant_from_plan(plan, h.as_officer)
        donation = services.record_donation(
            initiative=h.initiative,
            amount_cents=1_000,
            date=DAY,
            description="",
            origin=h.as_officer,
        )
        services.reverse(donation, "Dubbel", h.as_officer)
        services.withdraw_grant(grant, reason="Hertelling", origin=h.as_officer)
        services.reinstate_grant(Grant.objects.get(pk=grant.pk), origin=h.as_officer)
        services.end(
            agreement=h.agreement, reason="Stop", settle_to="gemeente", origin=h.as_officer
        )
    assert Grant.objects.get(pk=grant.pk).label.endswith(f", plan {plan.pk}")
    assert Grant.objects.get(source="donations", initiative=h.initiative).label == "Giften"
    texts = list(LedgerTransaction.objects.order_by("pk").values_list("kind", "description"))
    described = dict((kind, text) for kind, text in texts)
    assert described[TransactionKind.REVERSAL].startswith("Correctie: ")
    assert described[TransactionKind.WITHDRAWAL].startswith("Ingetrokken na hertelling: ")
    assert any(text.startswith("Saldo van ") for kind, text in texts if kind == "transfer")
    assert not any("Balance of" in t or "Correction" in t or "Withdrawn" in t for _k, t in texts)


def test_expense_history_reasons_written_by_the_system_are_dutch():
    w = World(grant_cents=10_000)
    a = w.approve_fully(w.submit(amount=6_000))
    w.batch(a)
    with override("en"):
        expenses.mark_failed(expense=a, reason="IBAN onbekend", origin=Origin(actor=w.officer))
        expenses.retry(expense=a, origin=Origin(actor=w.officer))
    assert a.events.latest("pk").reason == "Opnieuw proberen"


def test_a_payout_batch_from_the_english_ui_writes_dutch_history():
    w = World(grant_cents=10_000)
    a = w.approve_fully(w.submit(amount=6_000))
    with override("en"):
        batch = w.batch(a)
    assert a.events.latest("pk").reason == f"Betaalopdracht {batch.batch_id}"
