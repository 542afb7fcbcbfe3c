"""Budgets per category: set in the round form (greedy only), passed to the count through
the Pabulib file, shown on the results page."""

import pytest
from django.urls import reverse

from buurtbasis.ballots.tests.factories import voting_round
from buurtbasis.ballots.tests.helpers import close_and_count, vote
from buurtbasis.budgets import services
from buurtbasis.budgets.models import CategoryBudget, Outcome

from .factories import BudgetRoundFactory, civil_servant_for
from .test_civil_work import _form_data

pytestmark = pytest.mark.django_db


def _edit(client, budget_round, **overrides):
    client.force_login(civil_servant_for(budget_round))
    start = budget_round.phases.get(kind="submission").starts_at
    data = _form_data(
        budget_round.organisation,
        list(budget_round.areas.all()),
        start_date="",
        submission_starts_at=start.strftime("%Y-%m-%dT%H:%M"),
        voting_starts_at=budget_round.phases.get(kind="voting").starts_at.strftime(
            "%Y-%m-%dT%H:%M"
        ),
        **overrides,
    )
    return client.post(reverse("budgets:round-edit", args=[budget_round.slug]), data)


def test_a_greedy_round_gets_budgets_per_category(client):
    budget_round = BudgetRoundFactory(rule="greedy", completion="none")
    response = _edit(
        client, budget_round, rule="greedy", completion="none", category_budget_groen="5.000"
    )
    assert response.status_code == 302, response.context["form"].errors
    assert list(CategoryBudget.objects.values_list("category", "amount_cents")) == [
        ("groen", 500_000)
    ]
    # emptied: the limit goes
    response = _edit(client, budget_round, rule="greedy", completion="none")
    assert response.status_code == 302
    assert not CategoryBudget.objects.exists()


def test_equal_shares_refuses_budgets_per_category_and_says_why(client):
    budget_round = BudgetRoundFactory(rule="mes")
    response = _edit(client, budget_round, rule="mes", category_budget_groen="5000")
    assert response.status_code == 200
    message = " ".join(response.context["form"].errors["category_budget_groen"])
    assert "greedy" in message and "gelijke delen" in message.lower()
    assert not CategoryBudget.objects.exists()
    data = services.RoundData(
        title="x",
        description="",
        areas=list(budget_round.areas.all()),
        organisation=budget_round.organisation,
        budget_cents=1_000_000,
        max_choices=3,
        rule="mes",
        category_budgets={"groen": 100},
    )
    with pytest.raises(services.BudgetError) as exc:
        services.update_round(budget_round=budget_round, data=data, actor=None)
    assert exc.value.code == "category_budgets_rule"


def test_a_category_budget_larger_than_the_budget_is_refused(client):
    budget_round = BudgetRoundFactory(rule="greedy", completion="none")
    response = _edit(
        client, budget_round, rule="greedy", completion="none", category_budget_zorg="90.000"
    )
    assert response.status_code == 200
    assert "category_budget_zorg" in response.context["form"].errors


def test_the_count_keeps_to_the_category_budget(client):
    budget_round, (a, b, c) = voting_round(
        costs=[600_000, 400_000, 500_000],
        rule="greedy",
        completion="none",
        budget_cents=1_200_000,
    )
    for plan, category in ((a, "groen"), (b, "groen"), (c, "spelen")):
        plan.category = category
        plan.save(update_fields=["category"])
    CategoryBudget.objects.create(budget_round=budget_round, category="groen", amount_cents=600_000)
    vote(budget_round, [[a, b]] * 5 + [[b]] * 2 + [[c]])
    budget_round = close_and_count(budget_round=budget_round)
    outcome = Outcome.objects.get(budget_round=budget_round)
    # without the limit "most votes first" funds b and a (10.000 of 12.000, c does not fit);
    # green may have 6.000: after b, a no longer fits in green and c is funded
    assert outcome.funded_plan_ids == [b.pk, c.pk]
    assert "categories;groen" in outcome.pabulib_text
    assert "budget_per_category;6000" in outcome.pabulib_text
    page = client.get(reverse("budgets:round-results", args=[budget_round.slug]))
    html = page.content.decode()
    assert "category-results" in html
    assert "--category-budgets meta" in html
