"""Counted text on the ballot has a singular and a plural form ("1 punt", "10 punten")."""

import pytest
from django.urls import reverse

from .factories import make_codes, voting_round

pytestmark = pytest.mark.django_db


def _ballot(client, budget_round):
    (code,) = make_codes(budget_round, 1)
    url = reverse("ballots:ballot", args=[budget_round.slug])
    return client.get(url, {"code": code}, HTTP_ACCEPT_LANGUAGE="nl")


def test_one_point_reads_as_one_point(client):
    budget_round, _plans = voting_round(ballot_type="points", points_total=1, max_points_per_plan=1)
    body = _ballot(client, budget_round).content.decode()
    assert "U heeft 1 punt. Geef het aan het plan dat u het beste vindt." in body
    assert "Hoogstens 1 punt per plan." in body
    assert "U gaf 0 van 1 punt." in body
    assert "1 punten" not in body


def test_several_points_read_as_points(client):
    budget_round, _plans = voting_round(
        ballot_type="points", points_total=10, max_points_per_plan=3
    )
    body = _ballot(client, budget_round).content.decode()
    assert "U heeft 10 punten." in body
    assert "Hoogstens 3 punten per plan." in body
    assert "U gaf 0 van de 10 punten." in body


def test_a_points_round_without_a_total_still_shows_its_ballot(client):
    budget_round, _plans = voting_round(ballot_type="points", points_total=None)
    assert _ballot(client, budget_round).status_code == 200
