"""Server-side checks with a specific Dutch message per ballot type; nothing is stored."""

import pytest
from django.urls import reverse

from buurtbasis.ballots.models import Ballot

from .factories import make_codes, voting_round

pytestmark = pytest.mark.django_db


def _post(client, budget_round, data):
    (code,) = make_codes(budget_round, 1)
    response = client.post(
        reverse("ballots:ballot", args=[budget_round.slug]),
        {"code": code, "action": "confirm", **data},
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    return response, response.content.decode()


def test_it_refuses_too_many_plans_on_an_approval_ballot(client):
    budget_round, plans = voting_round(ballot_type="approval", max_choices=2)
    response, body = _post(client, budget_round, {"plan": [p.pk for p in plans[:3]]})
    assert response.status_code == 200
    assert "U koos 3 plannen. U mag hoogstens 2 plannen kiezen." in body
    assert 'class="error-summary"' in body
    assert f'value="{plans[2].pk}" checked' in body  # what the voter chose is kept
    assert Ballot.objects.count() == 0


def test_it_refuses_an_empty_ballot(client):
    budget_round, _plans = voting_round()
    _response, body = _post(client, budget_round, {})
    assert "Kies minstens één plan." in body
    assert Ballot.objects.count() == 0


def test_it_refuses_a_knapsack_ballot_over_the_budget(client):
    budget_round, plans = voting_round(
        ballot_type="knapsack", budget_cents=3_000_000, costs=[2_000_000, 1_500_000, 500_000]
    )
    _response, body = _post(client, budget_round, {"plan": [plans[0].pk, plans[1].pk]})
    assert "Uw keuze kost €\u00a035.000. Dat is meer dan het budget van €\u00a030.000." in body
    assert Ballot.objects.count() == 0


def test_it_refuses_a_knapsack_ballot_under_the_minimum_spend(client):
    budget_round, plans = voting_round(
        ballot_type="knapsack",
        budget_cents=3_000_000,
        min_spend_cents=1_000_000,
        costs=[2_000_000, 500_000],
    )
    _response, body = _post(client, budget_round, {"plan": [plans[1].pk]})
    assert "Kies plannen voor samen minstens €\u00a010.000." in body
    assert Ballot.objects.count() == 0


def test_it_accepts_a_knapsack_ballot_within_the_limits(client):
    budget_round, plans = voting_round(
        ballot_type="knapsack",
        budget_cents=3_000_000,
        min_spend_cents=1_000_000,
        costs=[2_000_000, 500_000, 1_500_000],
    )
    response, _body = _post(client, budget_round, {"plan": [plans[0].pk, plans[1].pk]})
    assert response.status_code == 303
    assert Ballot.objects.count() == 1


def test_it_refuses_too_many_points(client):
    budget_round, plans = voting_round(ballot_type="points", points_total=10)
    data = {f"points-{plans[0].pk}": "6", f"points-{plans[1].pk}": "5"}
    _response, body = _post(client, budget_round, data)
    assert "U gaf 11 punten. U heeft 10 punten om te geven." in body
    assert 'value="6"' in body
    assert Ballot.objects.count() == 0


def test_it_refuses_more_points_on_one_plan_than_allowed(client):
    budget_round, plans = voting_round(ballot_type="points", points_total=10, max_points_per_plan=4)
    _response, body = _post(client, budget_round, {f"points-{plans[0].pk}": "5"})
    assert f"U kunt hoogstens 4 punten aan één plan geven ({plans[0].title})." in body
    assert f'href="#points-{plans[0].pk}"' in body
    assert Ballot.objects.count() == 0


def test_it_refuses_points_that_are_not_whole_numbers(client):
    budget_round, plans = voting_round(ballot_type="points", points_total=10)
    _response, body = _post(client, budget_round, {f"points-{plans[0].pk}": "2,5"})
    assert "Vul een heel aantal punten in (0 of meer)." in body
    assert Ballot.objects.count() == 0


def test_it_stores_points(client):
    budget_round, plans = voting_round(ballot_type="points", points_total=10)
    data = {
        f"points-{plans[0].pk}": "7",
        f"points-{plans[1].pk}": "3",
        f"points-{plans[2].pk}": "0",
    }
    response, _body = _post(client, budget_round, data)
    assert response.status_code == 303
    ballot = Ballot.objects.get()
    assert dict(ballot.choices.values_list("plan_id", "points")) == {
        plans[0].pk: 7,
        plans[1].pk: 3,
    }


def test_it_refuses_a_plan_that_is_not_on_the_ballot(client):
    budget_round, plans = voting_round()
    _other_round, other_plans = voting_round()
    _response, body = _post(client, budget_round, {"plan": [plans[0].pk, other_plans[0].pk]})
    assert "staat niet (meer) op het stembiljet" in body
    assert Ballot.objects.count() == 0


def test_it_shows_errors_in_english_when_the_interface_is_english(client):
    budget_round, plans = voting_round(ballot_type="approval", max_choices=1)
    (code,) = make_codes(budget_round, 1)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("ballots:ballot", args=[budget_round.slug]),
        {"code": code, "action": "confirm", "plan": [plans[0].pk, plans[1].pk]},
    )
    assert "You may choose at most 1 plan." in response.content.decode()
