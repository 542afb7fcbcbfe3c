"""Voting with an account when a detail is missing: the refusal links to a small form that
asks for exactly what the round needs, then goes back to the ballot."""

import datetime as dt
import re
from html import unescape

import pytest
from django.urls import reverse

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.ballots.models import Ballot
from buurtbasis.budgets.tests.factories import AreaFactory
from buurtbasis.platform.models import AuditEvent

from .factories import voting_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def wijk():
    return AreaFactory()


def _ballot_url(budget_round):
    return reverse("ballots:ballot", args=[budget_round.slug])


def _details_link(html: str) -> str:
    found = re.search(r'href="([^"]*/mijn-gegevens/[^"]*)"', html)
    assert found, "no link to the details form"
    return unescape(found.group(1))


def test_the_refusal_links_to_a_form_that_returns_to_the_ballot(client, wijk):
    budget_round, plans = voting_round(allow_account_voting=True, areas=[wijk])
    buurt = AreaFactory(parent=wijk, level="buurt")
    other = AreaFactory()
    user = UserFactory(birth_date=None, home_area=None)
    client.force_login(user)
    refused = client.get(_ballot_url(budget_round), HTTP_ACCEPT_LANGUAGE="nl")
    assert refused.status_code == 403
    text = refused.content.decode()
    assert "Vul uw geboortedatum in" in text
    assert "bij uw profiel" not in text  # the profile page has no such field
    assert "zelf" in text and "stemcode" in text  # self-declared; codes are the checked way
    link = _details_link(text)
    assert "next=" in link

    form = client.get(link, HTTP_ACCEPT_LANGUAGE="nl")
    assert form.status_code == 200
    page = form.content.decode()
    assert 'name="birth_date"' in page
    # The list holds the round's wijk and the buurten in it, nothing else.
    assert f'value="{wijk.pk}"' in page and f'value="{buurt.pk}"' in page
    assert f'value="{other.pk}"' not in page

    saved = client.post(
        link,
        {"birth_date": "1980-03-15", "home_area": buurt.pk, "next": _ballot_url(budget_round)},
    )
    assert saved.status_code == 302
    assert saved["Location"] == _ballot_url(budget_round)
    user.refresh_from_db()
    assert (user.birth_date, user.home_area) == (dt.date(1980, 3, 15), buurt)
    assert AuditEvent.objects.filter(action="accounts.voter_details_changed").exists()

    voted = client.post(_ballot_url(budget_round), {"plan": [plans[0].pk], "action": "confirm"})
    assert voted.status_code == 303
    assert Ballot.objects.get().voter == user


def test_the_start_page_links_to_the_form_and_says_codes_are_checked(client, wijk):
    budget_round, _ = voting_round(allow_account_voting=True, areas=[wijk])
    client.force_login(UserFactory(birth_date=dt.date(1980, 1, 1), home_area=AreaFactory()))
    page = client.get(
        reverse("ballots:start", args=[budget_round.slug]), HTTP_ACCEPT_LANGUAGE="nl"
    ).content.decode()
    assert "/mijn-gegevens/" in _details_link(page)
    assert "gecontroleerde manier" in page


def test_a_foreign_next_address_is_ignored(client, wijk):
    budget_round, _ = voting_round(allow_account_voting=True, areas=[wijk])
    client.force_login(UserFactory(birth_date=None))
    url = reverse("ballots:voter-details", args=[budget_round.slug])
    response = client.post(
        url,
        {"birth_date": "1980-03-15", "home_area": wijk.pk, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == _ballot_url(budget_round)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"birth_date": ""}, "Vul uw geboortedatum in."),
        ({"birth_date": "31-02-1980"}, "Vul een datum in zoals 15-03-1980."),
        ({"birth_date": "2999-01-01"}, "Uw geboortedatum kan niet in de toekomst liggen."),
        ({"birth_date": "1980-03-15"}, "Kies de wijk of buurt waar u woont."),
    ],
)
def test_bad_input_gets_a_specific_message(client, wijk, data, message):
    budget_round, _ = voting_round(allow_account_voting=True, areas=[wijk])
    user = UserFactory(birth_date=None)
    client.force_login(user)
    url = reverse("ballots:voter-details", args=[budget_round.slug])
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 400
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.birth_date is None


def test_an_area_outside_the_round_is_refused(client, wijk):
    budget_round, _ = voting_round(allow_account_voting=True, areas=[wijk])
    client.force_login(UserFactory(birth_date=None))
    url = reverse("ballots:voter-details", args=[budget_round.slug])
    response = client.post(
        url, {"birth_date": "1980-03-15", "home_area": AreaFactory().pk}, HTTP_ACCEPT_LANGUAGE="nl"
    )
    assert response.status_code == 400
    assert "Kies een van de gebieden uit de lijst." in response.content.decode()


def test_the_form_needs_a_log_in_and_a_round_with_account_voting(client, wijk):
    budget_round, _ = voting_round(allow_account_voting=False, areas=[wijk])
    url = reverse("ballots:voter-details", args=[budget_round.slug])
    assert client.get(url).status_code == 302  # to the log-in page
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_a_non_ascii_digit_as_the_area_in_the_address_is_no_server_error(client, wijk):
    # "²" is a digit to str.isdigit(), not to int()
    budget_round, _ = voting_round(allow_account_voting=True, areas=[wijk])
    client.force_login(UserFactory(birth_date=None))
    url = reverse("ballots:voter-details", args=[budget_round.slug])
    assert client.get(url, {"gebied": "\u00b2"}).status_code == 200
