import hashlib

import pytest
from django.urls import reverse

from buurtbasis.ballots.tests.helpers import close_and_count, vote
from buurtbasis.budgets.models import Outcome

from .factories import BudgetRoundFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_round():
    budget_round = BudgetRoundFactory(
        phase="voting", budget_cents=10_000, rule="mes", completion="add1", max_choices=3
    )
    a = PlanFactory(
        budget_round=budget_round, title="Kunstgrasveld", cost_cents=8_000, status="feasible"
    )
    b = PlanFactory(
        budget_round=budget_round, title="Taalcafé", cost_cents=4_000, status="feasible"
    )
    c = PlanFactory(
        budget_round=budget_round, title="Bloemenweide", cost_cents=4_000, status="feasible"
    )
    vote(budget_round, [[a]] * 6 + [[b]] * 4 + [[c]] * 4)
    close_and_count(budget_round=budget_round)
    return budget_round, a, b, c


def test_it_shows_funded_plans_reasons_and_how_to_recompute(client, closed_round):
    budget_round, a, b, c = closed_round
    response = client.get(reverse("budgets:round-results", args=[budget_round.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    outcome = Outcome.objects.get()
    assert outcome.pabulib_sha256 in html
    assert f"--seed {budget_round.tie_break_seed}" in html
    assert "--rule mes --completion add1" in html
    rows = response.context["rows"]
    assert [r["plan"].pk for r in rows if r["funded"]] == outcome.funded_plan_ids
    assert {r["plan"].pk: r["greedy_funded"] for r in rows} == {
        a.pk: True,
        b.pk: False,
        c.pk: False,
    }
    for row in rows:
        assert row["text"] and row["text"] in html.replace("&#x27;", "'").replace("&quot;", '"')
    assert [r["plan"].pk for r in response.context["only_greedy"]] == [a.pk]


def test_the_download_is_the_file_whose_hash_is_shown(client, closed_round):
    budget_round, *_ = closed_round
    response = client.get(reverse("budgets:round-pabulib", args=[budget_round.slug]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{budget_round.slug}.pb"'
    assert hashlib.sha256(response.content).hexdigest() == Outcome.objects.get().pabulib_sha256


def test_before_the_vote_closes_there_are_no_results(client):
    budget_round = BudgetRoundFactory(phase="voting")
    response = client.get(reverse("budgets:round-results", args=[budget_round.slug]))
    assert response.status_code == 200
    assert "rows" not in response.context
    download = client.get(reverse("budgets:round-pabulib", args=[budget_round.slug]))
    assert download.status_code == 404


def test_the_round_page_links_to_the_results(client, closed_round):
    budget_round, *_ = closed_round
    html = client.get(budget_round.get_absolute_url()).content.decode()
    assert reverse("budgets:round-results", args=[budget_round.slug]) in html
