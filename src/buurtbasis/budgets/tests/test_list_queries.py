"""List pages run a bounded number of queries, independent of the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buurtbasis.accounts.tests.factories import OrganisationFactory

from .factories import BudgetRoundFactory, InitiativeFactory, PlanFactory, civil_servant_for

pytestmark = pytest.mark.django_db


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _plans(budget_round, n, **kwargs):
    partner = OrganisationFactory()
    for i in range(n):
        PlanFactory(
            budget_round=budget_round,
            initiative=InitiativeFactory() if i % 2 else None,
            partner_organisation=partner if i % 2 else None,
            **kwargs,
        )


@pytest.mark.parametrize(
    ("name", "status", "manager"),
    [
        ("budgets:round-detail", "submitted", False),
        ("budgets:round-detail", "submitted", True),
        ("budgets:assessment", "submitted", True),
    ],
)
def test_round_pages_do_not_grow_with_plans(client, name, status, manager):
    small, large = BudgetRoundFactory(), BudgetRoundFactory()
    _plans(small, 3, status=status)
    _plans(large, 30, status=status)
    if manager:
        officer = civil_servant_for(small)
        officer.memberships.create(organisation=large.organisation, role="civil_servant")
        client.force_login(officer)
    assert _count(client, reverse(name, args=[small.slug])) == _count(
        client, reverse(name, args=[large.slug])
    )


def test_the_round_list_does_not_grow_with_rounds(client):
    BudgetRoundFactory.create_batch(3)
    few = _count(client, reverse("budgets:round-list"))
    BudgetRoundFactory.create_batch(27)
    assert _count(client, reverse("budgets:round-list")) == few


def test_my_plans_does_not_grow_with_plans(client):
    budget_round = BudgetRoundFactory()
    plan = PlanFactory(budget_round=budget_round)
    user = plan.submitted_by
    PlanFactory.create_batch(2, budget_round=budget_round, submitted_by=user)
    client.force_login(user)
    few = _count(client, reverse("budgets:my-plans"))
    PlanFactory.create_batch(27, budget_round=BudgetRoundFactory(), submitted_by=user)
    assert _count(client, reverse("budgets:my-plans")) == few


def test_the_results_page_does_not_grow_with_plans(client):
    from buurtbasis.ballots.tests.helpers import close_and_count, vote

    counts = []
    for n in (3, 30):
        budget_round = BudgetRoundFactory(phase="voting", budget_cents=10_000_000, max_choices=3)
        plans = PlanFactory.create_batch(
            n, budget_round=budget_round, status="feasible", cost_cents=100_000
        )
        vote(budget_round, [plans[:3], plans[-2:]])
        close_and_count(budget_round=budget_round)
        counts.append(_count(client, reverse("budgets:round-results", args=[budget_round.slug])))
    assert counts[0] == counts[1]


def test_a_civil_servant_sees_private_rounds_of_their_municipality(client):
    public = BudgetRoundFactory()
    private = BudgetRoundFactory(is_public=False, organisation=public.organisation)
    hidden = BudgetRoundFactory(is_public=False)
    client.force_login(civil_servant_for(public))
    rounds = list(client.get(reverse("budgets:round-list")).context["rounds"])
    assert set(rounds) == {public, private}
    assert hidden not in rounds
