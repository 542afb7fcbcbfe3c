import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.ballots.models import Ballot
from buurtbasis.budgets.tests.factories import AreaFactory

from .factories import voting_round

pytestmark = pytest.mark.django_db


def _years_ago(years: int, days: int = 0) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - dt.timedelta(days=days)


@pytest.fixture
def area():
    return AreaFactory()


def _voter(area, **kwargs):
    kwargs.setdefault("birth_date", _years_ago(30))
    return UserFactory(home_area=area, **kwargs)


def _vote(client, budget_round, plans):
    return client.post(
        reverse("ballots:ballot", args=[budget_round.slug]),
        {"plan": [p.pk for p in plans], "action": "confirm"},
        HTTP_ACCEPT_LANGUAGE="nl",
    )


def test_it_stores_the_ballot_of_an_eligible_resident(client, area):
    budget_round, plans = voting_round(allow_account_voting=True, areas=[area])
    user = _voter(area)
    client.force_login(user)
    response = _vote(client, budget_round, plans[:2])
    assert response.status_code == 303
    ballot = Ballot.objects.get()
    assert (ballot.channel, ballot.voter) == ("account", user)


def test_it_accepts_a_resident_of_a_neighbourhood_inside_the_round_area(client, area):
    budget_round, plans = voting_round(allow_account_voting=True, areas=[area])
    buurt = AreaFactory(parent=area, level="buurt")
    client.force_login(_voter(buurt))
    assert _vote(client, budget_round, plans[:1]).status_code == 303


def test_it_refuses_someone_younger_than_the_minimum_age(client, area):
    budget_round, plans = voting_round(allow_account_voting=True, areas=[area], min_voter_age=16)
    client.force_login(_voter(area, birth_date=_years_ago(16, days=-1)))
    response = _vote(client, budget_round, plans[:1])
    assert response.status_code == 403
    assert "16 jaar of ouder" in response.content.decode()
    assert Ballot.objects.count() == 0


def test_it_accepts_someone_on_the_birthday_that_makes_them_old_enough(client, area):
    budget_round, plans = voting_round(allow_account_voting=True, areas=[area], min_voter_age=16)
    client.force_login(_voter(area, birth_date=_years_ago(16)))
    assert _vote(client, budget_round, plans[:1]).status_code == 303


def test_it_refuses_someone_from_another_area(client, area):
    budget_round, plans = voting_round(allow_account_voting=True, areas=[area])
    client.force_login(_voter(AreaFactory()))
    response = _vote(client, budget_round, plans[:1])
    assert response.status_code == 403
    assert f"wonen in {area.name}" in response.content.decode()
    assert Ballot.objects.count() == 0


def test_it_asks_for_a_birth_date_and_a_verified_address(client, area):
    budget_round, plans = voting_round(allow_account_voting=True, areas=[area])
    client.force_login(_voter(area, birth_date=None))
    assert "geboortedatum" in _vote(client, budget_round, plans[:1]).content.decode()
    client.force_login(_voter(area, email_verified=False))
    assert "e-mailadres" in _vote(client, budget_round, plans[:1]).content.decode()
    assert Ballot.objects.count() == 0


def test_it_sends_account_holders_to_the_code_form_when_accounts_may_not_vote(client, area):
    budget_round, plans = voting_round(allow_account_voting=False, areas=[area])
    client.force_login(_voter(area))
    response = _vote(client, budget_round, plans[:1])
    assert response.status_code == 302
    assert response["Location"] == reverse("ballots:start", args=[budget_round.slug])
    assert Ballot.objects.count() == 0


def test_it_keeps_one_ballot_per_account(client, area):
    budget_round, plans = voting_round(allow_account_voting=True, areas=[area])
    client.force_login(_voter(area))
    assert _vote(client, budget_round, plans[:1]).status_code == 303
    assert _vote(client, budget_round, plans[1:3]).status_code == 303
    ballot = Ballot.objects.get()
    assert sorted(ballot.choices.values_list("plan_id", flat=True)) == [p.pk for p in plans[1:3]]
