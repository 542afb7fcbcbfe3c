"""An open round is easy to find: the home page, the wijk page and a resident's dashboard
name the rounds open for plans or voting in their wijk, with the dates."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.areas.tests.factories import DistrictFactory, NeighbourhoodFactory
from buurtbasis.budgets.models import Phase
from buurtbasis.budgets.tests.factories import AreaFactory, BudgetRoundFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dutch(settings):
    settings.LANGUAGE_CODE = "nl"


@pytest.fixture
def wijken():
    return DistrictFactory(name="Assendorp"), DistrictFactory(name="Holtenbroek")


@pytest.fixture
def rounds(wijken):
    assendorp, holtenbroek = wijken
    voting = BudgetRoundFactory(title="Stemronde Assendorp", phase="voting", areas=[assendorp])
    plans = BudgetRoundFactory(
        title="Plannenronde Holtenbroek", phase="submission", areas=[holtenbroek]
    )
    BudgetRoundFactory(title="Verborgen ronde", phase="voting", areas=[assendorp], is_public=False)
    BudgetRoundFactory(title="Oude ronde", phase="results", areas=[assendorp])
    BudgetRoundFactory(
        title="Rotterdamse ronde",
        phase="voting",
        areas=[AreaFactory(code="WK059901", name="Kralingen")],
    )
    return voting, plans


def _end(budget_round) -> str:
    phase = Phase.objects.get(budget_round=budget_round, kind=budget_round.phase)
    return formats.date_format(phase.ends_at.astimezone(), "j F Y")


def test_the_home_page_shows_the_open_rounds_of_the_municipality(client, rounds):
    voting, plans = rounds
    html = client.get(reverse("portal:home")).content.decode()
    assert "Stemronde Assendorp" in html and "Plannenronde Holtenbroek" in html
    assert "Verborgen ronde" not in html and "Oude ronde" not in html
    assert "Rotterdamse ronde" not in html
    assert reverse("ballots:start", args=[voting.slug]) in html
    assert reverse("budgets:plan-create", args=[plans.slug]) in html
    assert "Stemmen kan van" in html and _end(voting) in html
    assert "Plannen indienen kan van" in html and _end(plans) in html
    # The round open for voting comes first.
    assert html.index("Stemronde Assendorp") < html.index("Plannenronde Holtenbroek")


def test_the_wijk_page_shows_only_the_rounds_for_that_wijk(client, rounds, wijken):
    assendorp, holtenbroek = wijken
    html = client.get(assendorp.get_absolute_url()).content.decode()
    assert "Stemronde Assendorp" in html and "Plannenronde Holtenbroek" not in html
    assert "Buurtbudget in Assendorp" in html
    html = client.get(holtenbroek.get_absolute_url()).content.decode()
    assert "Plannenronde Holtenbroek" in html and "Stemronde Assendorp" not in html
    buurt = NeighbourhoodFactory(parent=assendorp, name="Assendorp-Zuid")
    html = client.get(buurt.get_absolute_url()).content.decode()
    assert "Stemronde Assendorp" in html and "Plannenronde Holtenbroek" not in html


def test_a_residents_dashboard_shows_the_round_in_their_wijk(client, rounds, wijken):
    voting, _ = rounds
    user = UserFactory(home_area=NeighbourhoodFactory(parent=wijken[0]))
    client.force_login(user)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert "Stemronde Assendorp" in html and "Plannenronde Holtenbroek" not in html
    assert reverse("ballots:start", args=[voting.slug]) in html
    assert _end(voting) in html


def test_without_a_home_area_the_dashboard_shows_all_open_rounds(client, rounds):
    client.force_login(UserFactory(home_area=None))
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert "Stemronde Assendorp" in html and "Plannenronde Holtenbroek" in html


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pages_ask_a_bounded_number_of_queries(client, wijken, django_assert_max_num_queries):
    assendorp, _ = wijken
    BudgetRoundFactory(title="Ronde 0", phase="voting", areas=[assendorp])
    client.force_login(UserFactory(home_area=assendorp))
    pages = [reverse("portal:dashboard"), assendorp.get_absolute_url(), reverse("portal:home")]
    one = [_count_queries(client, url) for url in pages]
    for i in range(1, 8):
        BudgetRoundFactory(title=f"Ronde {i}", phase="voting", areas=[assendorp])
    assert [_count_queries(client, url) for url in pages] == one
    with django_assert_max_num_queries(one[0]):
        client.get(pages[0])


def test_a_voting_round_is_shown_however_many_rounds_are_open_for_plans(wijken):
    """The list took the first rounds by title and only then put voting first, so a
    voting round late in the alphabet fell off when many rounds were open for plans."""
    from buurtbasis.budgets.queries import open_rounds

    assendorp, _holtenbroek = wijken
    for n in range(12):
        BudgetRoundFactory(title=f"Aanvraagronde {n:02d}", phase="submission", areas=[assendorp])
    voting = BudgetRoundFactory(title="Zuiderronde", phase="voting", areas=[assendorp])
    found = open_rounds(assendorp.municipality_code, limit=5)
    assert found[0] == voting and len(found) == 5
