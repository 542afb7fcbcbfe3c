"""The running total works without JavaScript (a submit button) and with htmx (a partial)."""

import pytest
from django.urls import reverse

from buurtbasis.ballots.models import Ballot

from .factories import make_codes, voting_round

pytestmark = pytest.mark.django_db


def _calculate(client, budget_round, data, **headers):
    (code,) = make_codes(budget_round, 1)
    return client.post(
        reverse("ballots:ballot", args=[budget_round.slug]),
        {"code": code, "action": "calculate", **data},
        HTTP_ACCEPT_LANGUAGE="nl",
        **headers,
    )


def test_it_recalculates_the_total_without_javascript(client):
    budget_round, plans = voting_round(
        ballot_type="knapsack", budget_cents=5_000_000, costs=[1_000_000, 2_000_000, 500_000]
    )
    response = _calculate(client, budget_round, {"plan": [plans[0].pk, plans[1].pk]})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" in body
    assert "Gekozen: €\u00a030.000 van €\u00a050.000." in body
    assert "Over: €\u00a020.000." in body
    assert f'value="{plans[1].pk}" checked' in body
    assert 'name="action" value="calculate"' in body  # the "Bereken totaal" button
    assert Ballot.objects.count() == 0


def test_it_warns_in_the_total_when_over_budget(client):
    budget_round, plans = voting_round(
        ballot_type="knapsack", budget_cents=2_500_000, costs=[1_000_000, 2_000_000]
    )
    body = _calculate(client, budget_round, {"plan": [p.pk for p in plans]}).content.decode()
    assert "Dat is meer dan het budget. Haal een plan weg." in body
    assert Ballot.objects.count() == 0


def test_it_returns_only_the_total_to_htmx(client):
    budget_round, plans = voting_round(ballot_type="points", points_total=10)
    response = _calculate(
        client,
        budget_round,
        {f"points-{plans[0].pk}": "8", f"points-{plans[1].pk}": "4"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "<html" not in body
    assert body.strip().startswith('<div id="ballot-total"')
    assert "U gaf 12 van de 10 punten." in body
    assert "Dat zijn 2 punten te veel." in body


def test_it_counts_chosen_plans_on_an_approval_ballot(client):
    budget_round, plans = voting_round(ballot_type="approval", max_choices=2)
    body = _calculate(client, budget_round, {"plan": [p.pk for p in plans[:3]]}).content.decode()
    assert "U koos 3 plannen van hoogstens 2." in body
    assert "Dat zijn er te veel. Haal een plan weg." in body
