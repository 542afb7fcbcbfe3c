"""Submitters see the outcome: once a round's result is published, plans show "Gekozen" or
"Niet gekozen" (not "Haalbaar"), a chosen plan its execution status, and the round page
can be filtered by result without JavaScript."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.ballots.tests.helpers import close_and_count, vote
from buurtbasis.budgets.models import Outcome

from .factories import BudgetRoundFactory, PlanFactory, civil_servant_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dutch(settings):
    settings.LANGUAGE_CODE = "nl"


@pytest.fixture
def people():
    return UserFactory(display_name="Winnaar"), UserFactory(display_name="Verliezer")


@pytest.fixture
def counted(people):
    winner, loser = people
    budget_round = BudgetRoundFactory(
        phase="voting", budget_cents=10_000, rule="mes", completion="add1", max_choices=3
    )
    a = PlanFactory(
        budget_round=budget_round,
        title="Kunstgrasveld",
        cost_cents=4_000,
        status="feasible",
        submitted_by=winner,
    )
    b = PlanFactory(
        budget_round=budget_round,
        title="Taalcafé",
        cost_cents=8_000,
        status="feasible",
        submitted_by=loser,
    )
    c = PlanFactory(
        budget_round=budget_round,
        title="Bloemenweide",
        cost_cents=4_000,
        status="not_feasible",
        submitted_by=loser,
    )
    vote(budget_round, [[a]] * 6 + [[b]] * 4)
    budget_round = close_and_count(budget_round=budget_round)
    assert Outcome.objects.get().funded_plan_ids == [a.pk]
    return budget_round, a, b, c


def _badges(html: str) -> list[str]:
    return [t.strip() for t in re.findall(r'class="[^"]*bb-status-badge[^"]*">([^<]*)<', html)]


def test_the_dashboard_shows_chosen_instead_of_feasible(client, counted, people):
    winner, loser = people
    client.force_login(winner)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert "Gekozen" in _badges(html) and "Haalbaar" not in _badges(html)
    assert "Uitvoering: Gepland" in _badges(html)
    client.force_login(loser)
    badges = _badges(client.get(reverse("portal:dashboard")).content.decode())
    assert "Niet gekozen" in badges and "Haalbaar" not in badges
    assert "Niet haalbaar" in badges  # never on the ballot: its own status stays


def test_my_plans_and_the_plan_page_show_the_result(client, counted, people):
    budget_round, a, b, _ = counted
    client.force_login(people[1])
    assert "Niet gekozen" in _badges(client.get(reverse("budgets:my-plans")).content.decode())
    assert "Gekozen" in _badges(client.get(a.get_absolute_url()).content.decode())


def test_the_execution_status_follows_the_progress_updates(client, counted, people):
    budget_round, a, *_ = counted
    client.force_login(civil_servant_for(budget_round))
    response = client.post(
        reverse("budgets:progress-add", args=[budget_round.slug, a.pk]),
        {
            "happened_on": timezone.localdate().isoformat(),
            "status": "in_progress",
            "text": "Het veld wordt aangelegd.",
            "photo_alt": "",
        },
    )
    assert response.status_code == 302
    client.force_login(people[0])
    badges = _badges(client.get(reverse("portal:dashboard")).content.decode())
    assert "Uitvoering: Bezig" in badges


def test_the_round_page_filters_by_result(client, counted):
    budget_round, a, b, c = counted
    url = budget_round.get_absolute_url()
    html = client.get(url).content.decode()
    assert 'name="uitslag"' in html
    chosen = client.get(url, {"uitslag": "gekozen"}).content.decode()
    assert a.title in chosen and b.title not in chosen and c.title not in chosen
    not_chosen = client.get(url, {"uitslag": "niet-gekozen"}).content.decode()
    assert b.title in not_chosen and a.title not in not_chosen and c.title not in not_chosen
    everything = client.get(url, {"uitslag": "onzin"}).content.decode()
    assert a.title in everything and b.title in everything


def test_before_the_result_there_is_no_result_and_no_filter(client):
    budget_round = BudgetRoundFactory(phase="voting")
    plan = PlanFactory(budget_round=budget_round, status="feasible")
    html = client.get(budget_round.get_absolute_url()).content.decode()
    assert 'name="uitslag"' not in html
    assert "Haalbaar" in _badges(html) and "Gekozen" not in _badges(html)
    filtered = client.get(budget_round.get_absolute_url(), {"uitslag": "gekozen"})
    assert plan.title in filtered.content.decode()


def test_the_dashboard_asks_a_bounded_number_of_queries(client, counted, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    winner = people[0]
    client.force_login(winner)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("portal:dashboard"))
    budget_round = counted[0]
    for i in range(5):
        PlanFactory(
            budget_round=budget_round, title=f"Extra {i}", status="feasible", submitted_by=winner
        )
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("portal:dashboard"))
    assert len(many) == len(one)
