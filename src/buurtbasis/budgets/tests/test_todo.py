"""The civil servant's to-do list on "my dashboard"."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.budgets.todo import civil_servant_todo

from .factories import BudgetRoundFactory, PlanFactory, civil_servant_elsewhere, civil_servant_for

pytestmark = pytest.mark.django_db


def _dashboard(client):
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def test_it_lists_plans_waiting_and_phases_that_start_this_week(client):
    budget_round = BudgetRoundFactory(phase="submission")  # assessment starts in 6 days
    waiting = PlanFactory(budget_round=budget_round, title="Speeltuin opknappen")
    PlanFactory(budget_round=budget_round, title="Al getoetst", status="feasible")
    PlanFactory(title="Plan elders")  # another municipality's round
    client.force_login(civil_servant_for(budget_round))
    html = _dashboard(client)
    assert reverse("budgets:plan-assess", args=[budget_round.slug, waiting.pk]) in html
    assert "Al getoetst" not in html
    assert "Plan elders" not in html
    assert "todo-budgets-title" in html
    # the coming phase change: assessment, in six days
    assert "Toetsing" in html.split("todo-budgets-title", 1)[1]


def test_plans_in_a_round_where_voting_started_are_not_waiting(client):
    budget_round = BudgetRoundFactory(phase="voting")
    PlanFactory(budget_round=budget_round, title="Te laat ingediend")
    client.force_login(civil_servant_for(budget_round))
    assert "Te laat ingediend" not in _dashboard(client)


@pytest.mark.parametrize("who", ["resident", "elsewhere"])
def test_others_get_no_to_do_list(client, who):
    budget_round = BudgetRoundFactory()
    PlanFactory(budget_round=budget_round, title="Speeltuin opknappen")
    client.force_login(UserFactory() if who == "resident" else civil_servant_elsewhere())
    html = _dashboard(client)
    assert "Speeltuin opknappen" not in html
    if who == "resident":
        assert "todo-budgets-title" not in html


def _queries(user):
    request = RequestFactory().get("/mijn/")
    request.user = user
    with CaptureQueriesContext(connection) as ctx:
        block = civil_servant_todo(request)
    return len(ctx.captured_queries), block


def test_the_block_runs_a_fixed_number_of_queries(django_assert_max_num_queries):
    small = BudgetRoundFactory()
    officer = civil_servant_for(small)
    PlanFactory(budget_round=small)
    _queries(officer)  # warm the caches (content types, tenants)
    few, block = _queries(officer)
    assert len(block["plans"]) == 1
    for _ in range(3):
        extra = BudgetRoundFactory(organisation=small.organisation)
        PlanFactory.create_batch(8, budget_round=extra)
    many, block = _queries(officer)
    assert few == many
    assert block["n_plans"] == 25 and len(block["plans"]) == 15 and block["more_plans"] == 10
    request = RequestFactory().get("/mijn/")
    request.user = officer
    with django_assert_max_num_queries(5):
        civil_servant_todo(request)
