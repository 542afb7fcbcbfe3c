"""Guessing codes: limited per client address and, over all addresses, per round."""

import pytest
from django.urls import reverse

from buurtbasis.ballots.models import Ballot

from .factories import make_codes, voting_round

pytestmark = pytest.mark.django_db

WRONG = "7KQ2-M9XD-4HVT"


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.RATELIMIT_ENABLED = True
    settings.BALLOTS_CODE_FAILURES_PER_ADDRESS = (3, 600)
    settings.BALLOTS_CODE_FAILURES_PER_ROUND = (5, 300)


def _try(client, budget_round, code, address):
    return client.post(
        reverse("ballots:start", args=[budget_round.slug]),
        {"code": code},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="nl",
    )


def test_it_blocks_an_address_after_too_many_wrong_codes(client):
    budget_round, _plans = voting_round()
    (good,) = make_codes(budget_round, 1)
    for _ in range(3):
        assert _try(client, budget_round, WRONG, "192.0.2.1").status_code == 200
    blocked = _try(client, budget_round, good, "192.0.2.1")
    assert blocked.status_code == 429
    assert "te vaak een verkeerde code" in blocked.content.decode()
    assert blocked["Retry-After"]
    # Another address is not affected.
    assert _try(client, budget_round, good, "192.0.2.2").status_code == 302


def test_it_pauses_the_code_form_of_a_round_for_everyone_after_a_burst(client):
    budget_round, plans = voting_round()
    (good,) = make_codes(budget_round, 1)
    for i in range(5):
        assert _try(client, budget_round, WRONG, f"198.51.100.{i}").status_code == 200
    response = _try(client, budget_round, good, "203.0.113.7")
    assert response.status_code == 429
    assert "veel verkeerde codes geprobeerd" in response.content.decode()
    # The ballot form with a code in it is paused too; nothing is stored.
    vote = client.post(
        reverse("ballots:ballot", args=[budget_round.slug]),
        {"code": good, "plan": [plans[0].pk], "action": "confirm"},
        REMOTE_ADDR="203.0.113.8",
    )
    assert vote.status_code == 429
    assert Ballot.objects.count() == 0
    # Other rounds go on.
    other_round, _ = voting_round()
    (other_code,) = make_codes(other_round, 1)
    assert _try(client, other_round, other_code, "203.0.113.7").status_code == 302


def test_right_codes_do_not_count_towards_the_limits(client):
    budget_round, _plans = voting_round()
    codes = make_codes(budget_round, 8)
    for code in codes:
        assert _try(client, budget_round, code, "192.0.2.9").status_code == 302


def test_receipt_guessing_is_limited_too(client, settings):
    settings.BALLOTS_RECEIPT_FAILURES_PER_ADDRESS = (2, 600)
    budget_round, _plans = voting_round()
    url = reverse("ballots:receipt-lookup", args=[budget_round.slug])
    for _ in range(2):
        assert client.get(url, {"bon": "AAAAA-BBBBB"}).status_code == 200
    assert client.get(url, {"bon": "AAAAA-CCCCC"}).status_code == 429


def test_every_form_has_a_csrf_token(client):
    budget_round, plans = voting_round()
    (code,) = make_codes(budget_round, 1)
    csrf_client = type(client)(enforce_csrf_checks=True)
    response = csrf_client.post(
        reverse("ballots:ballot", args=[budget_round.slug]),
        {"code": code, "plan": [plans[0].pk], "action": "confirm"},
    )
    assert response.status_code == 403
    assert Ballot.objects.count() == 0
    page = csrf_client.get(reverse("ballots:ballot", args=[budget_round.slug]), {"code": code})
    assert page.content.decode().count('name="csrfmiddlewaretoken"') >= 2
