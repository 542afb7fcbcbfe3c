"""A recount that no longer funds a plan withdraws its grant: the ledger stays append-only,
what was not spent goes back, what was spent or promised is flagged for the host."""

from __future__ import annotations

import datetime

import pytest
from django.test import TestCase
from django.urls import reverse

from buurtbasis.ballots import counting
from buurtbasis.ballots import services as ballot_services
from buurtbasis.budgets.models import FundedPlan
from buurtbasis.budgets.services import advance_phase
from buurtbasis.budgets.tests.factories import BudgetRoundFactory, PlanFactory
from buurtbasis.hosting import expenses, queries, services
from buurtbasis.hosting.models import Category, Grant, LedgerTransaction, TransactionKind
from buurtbasis.hosting.models_expenses import ExpenseState
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.models import AuditEvent

from .expense_helpers import World

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 2)


def _vote(budget_round, ballots):
    codes = ballot_services.generate_codes(budget_round, len(ballots))
    for code, choice in zip(codes, ballots, strict=True):
        ballot_services.submit_ballot_with_code(
            budget_round=budget_round, code=code, choices={p.pk: 1 for p in choice}
        )


@pytest.fixture
def funded():
    """Equal shares fund B (of a hosted initiative) and C; greedy would fund A only."""
    w = World(grant_cents=10_000)
    budget_round = BudgetRoundFactory(
        phase="voting", budget_cents=1_000_000, rule="mes", completion="add1", max_choices=3
    )
    a = PlanFactory(budget_round=budget_round, title="A", cost_cents=800_000, status="feasible")
    b = PlanFactory(
        budget_round=budget_round,
        title="B",
        cost_cents=400_000,
        status="feasible",
        initiative=w.initiative,
    )
    c = PlanFactory(budget_round=budget_round, title="C", cost_cents=400_000, status="feasible")
    _vote(budget_round, [[a]] * 6 + [[b]] * 4 + [[c]] * 4)
    with TestCase.captureOnCommitCallbacks(execute=True):
        advance_phase(budget_round=budget_round)
    counting.count_now(budget_round=budget_round)
    assert FundedPlan.objects.filter(plan=b).exists()
    grant = Grant.objects.get(plan=b)  # booked when the outcome was stored
    return w, budget_round, grant


def _recount_with_greedy(budget_round):
    budget_round.refresh_from_db()
    budget_round.rule, budget_round.completion = "greedy", "none"
    budget_round.save()
    return counting.count_now(budget_round=budget_round)


def test_a_recount_that_unfunds_the_plan_withdraws_what_is_unspent_and_flags_the_rest(funded):
    w, budget_round, grant = funded
    assert queries.plan_money(grant.plan).received == 400_000
    # spent 1,000 euros, and 500 euros approved but not paid yet
    services.record_expense(
        grant=grant,
        category=Category.MATERIALS,
        amount_cents=100_000,
        date=DAY,
        description="Plantenbakken",
        origin=Origin(actor=w.officer),
    )
    promised = w.approve_fully(w.submit(amount=50_000, grant=grant))
    assert promised.state == ExpenseState.APPROVED
    entries_before = list(LedgerTransaction.objects.values_list("pk", flat=True))

    outcome = _recount_with_greedy(budget_round)
    assert grant.plan_id not in outcome.funded_plan_ids
    assert not FundedPlan.objects.filter(plan=grant.plan).exists()

    grant.refresh_from_db()
    assert grant.withdrawn_at is not None  # not deleted: the ledger is append-only
    assert grant.withdrawn_cents == 400_000 - 100_000 - 50_000
    assert grant.to_resolve_cents == 150_000
    # nothing was changed or removed; one transaction was added
    (withdrawal,) = LedgerTransaction.objects.exclude(pk__in=entries_before)
    assert withdrawal.kind == TransactionKind.WITHDRAWAL
    assert withdrawal.earmark_delta_cents == -250_000
    assert sum(e.amount_cents for e in withdrawal.entries.all()) == 0
    summary = queries.plan_money(grant.plan)
    assert summary.received == 150_000 and summary.left == 50_000  # the promise is kept
    assert expenses.available_cents(grant) == 0  # nothing new can be approved
    expenses.mark_paid_by_hand(expense=promised, reason="Contant", origin=Origin(w.officer))
    assert queries.plan_money(grant.plan).left == 0
    assert AuditEvent.objects.filter(action="hosting.grant_withdrawn").count() == 1

    # the host's finance officers and the initiative's members are told, in Dutch
    for person in (w.officer, w.officer2, w.treasurer, w.member):
        note = person.notifications.filter(kind="hosting.grant_withdrawn").get()
        assert "1.500" in note.text and "2.500" in note.text, note.text
    assert not w.h.coordinator.notifications.filter(kind="hosting.grant_withdrawn").exists()

    # recounting the same again changes nothing
    _recount_with_greedy(budget_round)
    assert LedgerTransaction.objects.filter(kind=TransactionKind.WITHDRAWAL).count() == 1


def test_the_pages_say_withdrawn_after_recount_and_no_new_expense_can_use_it(client, funded):
    w, budget_round, grant = funded
    services.record_expense(
        grant=grant,
        category=Category.RENT,
        amount_cents=30_000,
        date=DAY,
        description="Zaalhuur",
        origin=Origin(actor=w.officer),
    )
    _recount_with_greedy(budget_round)
    client.force_login(w.officer)
    host_page = client.get(reverse("hosting:host", args=[w.host.slug])).text
    assert "Ingetrokken na hertelling" in host_page and grant.label in host_page
    assert "300 nog op te lossen" in host_page
    plan_page = client.get(reverse("budgets:plan-detail", args=[budget_round.slug, grant.plan.pk]))
    assert "Ingetrokken na hertelling" in plan_page.text
    ledger = client.get(reverse("hosting:ledger", args=[w.initiative.slug])).text
    assert "Ingetrokken na hertelling" in ledger
    with pytest.raises(services.HostingError) as caught:
        w.submit(amount=1_000, grant=grant)
    assert caught.value.code == "grant"


def test_a_later_recount_that_funds_the_plan_again_restores_the_money(funded):
    w, budget_round, grant = funded
    _recount_with_greedy(budget_round)
    grant.refresh_from_db()
    assert grant.withdrawn_cents == 400_000
    budget_round.refresh_from_db()
    budget_round.rule, budget_round.completion = "mes", "add1"
    budget_round.save()
    counting.count_now(budget_round=budget_round)
    grant.refresh_from_db()
    assert grant.withdrawn_at is None
    assert queries.plan_money(grant.plan).left == 400_000
    assert Grant.objects.filter(plan=grant.plan).count() == 1
