"""A receipt says that and when a ballot was counted, never what was chosen."""

import pytest
from django.urls import reverse

from buurtbasis.ballots.models import Ballot

from .factories import make_codes, voting_round

pytestmark = pytest.mark.django_db


def _vote(client, budget_round, code, plans):
    return client.post(
        reverse("ballots:ballot", args=[budget_round.slug]),
        {"code": code, "plan": [p.pk for p in plans], "action": "confirm"},
    )


def test_it_shows_the_receipt_number_and_time_but_not_the_choices(client):
    budget_round, plans = voting_round()
    (code,) = make_codes(budget_round, 1)
    response = _vote(client, budget_round, code, plans[:1])
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="nl")
    body = page.content.decode()
    ballot = Ballot.objects.get()
    assert page.status_code == 200
    assert ballot.receipt in body
    assert "Uw stem telt mee" in body
    for plan in plans:
        assert plan.title not in body
    assert code not in body


def test_it_makes_receipts_random_and_unrelated_to_the_choices(client):
    budget_round, plans = voting_round()
    codes = make_codes(budget_round, 5)
    for code in codes:
        _vote(client, budget_round, code, plans[:1])
    receipts = set(Ballot.objects.values_list("receipt", flat=True))
    assert len(receipts) == 5  # identical choices, different receipts


def test_it_lets_anyone_check_a_receipt_number(client):
    budget_round, plans = voting_round()
    (code,) = make_codes(budget_round, 1)
    _vote(client, budget_round, code, plans[:2])
    receipt = Ballot.objects.get().receipt
    url = reverse("ballots:receipt-lookup", args=[budget_round.slug])
    body = client.get(url, {"bon": receipt.lower()}, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Uw stem telt mee" in body
    assert plans[0].title not in body
    unknown = client.get(url, {"bon": "AAAAA-BBBBB"}, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Dit ontvangstnummer kennen we niet" in unknown


def test_it_does_not_find_a_receipt_of_another_round(client):
    budget_round, plans = voting_round()
    other_round, _ = voting_round()
    (code,) = make_codes(budget_round, 1)
    _vote(client, budget_round, code, plans[:1])
    receipt = Ballot.objects.get().receipt
    assert (
        client.get(reverse("ballots:receipt", args=[other_round.slug, receipt])).status_code == 404
    )
