"""A line break in a plan or round title (old data, the admin, a service) never breaks the count.

The forms refuse control characters, but a title stored another way reaches the Pabulib
file all the same. The count must still succeed, the file must read back, and the civil
servant's pages answer 200 at every step (close the vote, look, compute again).
"""

import pytest
from django.test import TestCase
from django.urls import reverse

from buurtbasis.ballots import services as ballot_services
from buurtbasis.budgets.models import BudgetRound, Outcome, Plan
from buurtbasis.budgets.tests.factories import BudgetRoundFactory, PlanFactory, civil_servant_for
from buurtcore.voting import pabulib

from .queue import run_queued_tasks

pytestmark = pytest.mark.django_db


def _close_and_count(client, budget_round):
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("budgets:round-advance", args=[budget_round.slug]), {"to_phase": "results"}
        )
    assert response.status_code == 302
    run_queued_tasks()


def test_a_plan_title_with_a_newline_is_counted_and_the_pages_answer(client):
    budget_round = BudgetRoundFactory(
        phase="voting", budget_cents=10_000, rule="greedy", max_choices=2
    )
    a = PlanFactory(budget_round=budget_round, cost_cents=6_000, status="feasible")
    b = PlanFactory(budget_round=budget_round, cost_cents=3_000, status="feasible")
    # stored directly, past the form's check, as old data or the admin could
    Plan.objects.filter(pk=a.pk).update(title='Bankjes\nbij de "speeltuin";\r\nnoord')
    Plan.objects.filter(pk=b.pk).update(title="Groen\u2028dak\x0b")  # PostgreSQL stores no NUL
    BudgetRound.objects.filter(pk=budget_round.pk).update(title="Buurtbudget\nWest\r")
    codes = ballot_services.generate_codes(budget_round, 3)
    for code, choice in zip(codes, [[a], [a, b], [b]], strict=True):
        ballot_services.submit_ballot_with_code(
            budget_round=budget_round, code=code, choices={p.pk: 1 for p in choice}
        )
    officer = civil_servant_for(budget_round)
    client.force_login(officer)

    _close_and_count(client, budget_round)

    budget_round.refresh_from_db()
    assert budget_round.count_error == ""
    assert budget_round.count_status == "done"
    outcome = Outcome.objects.get(budget_round=budget_round)
    assert sorted(outcome.funded_plan_ids) == sorted([a.pk, b.pk])
    instance, profile = pabulib.read(outcome.pabulib_text)
    assert instance.projects[str(a.pk)].name == 'Bankjes bij de "speeltuin"; noord'
    assert instance.meta["description"] == "Buurtbudget West"
    assert profile.n_voters == 3
    for name in ("round-detail", "round-results", "round-pabulib"):
        response = client.get(reverse(f"budgets:{name}", args=[budget_round.slug]))
        assert response.status_code == 200, name
        assert "mislukt" not in response.content.decode("utf-8", "replace")

    # computing again gives the same file and the same hash
    sha = outcome.pabulib_sha256
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("budgets:round-recount", args=[budget_round.slug]))
    assert response.status_code == 302
    run_queued_tasks()
    budget_round.refresh_from_db()
    assert budget_round.count_status == "done"
    assert Outcome.objects.get(budget_round=budget_round).pabulib_sha256 == sha


def test_a_failed_count_shows_the_error_and_a_retry_on_the_round_page(client):
    budget_round = BudgetRoundFactory(phase="results")
    BudgetRound.objects.filter(pk=budget_round.pk).update(
        count_status="failed", count_request=1, count_error="PabulibError: line 3: quotes"
    )
    client.force_login(civil_servant_for(budget_round))
    response = client.get(budget_round.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Het berekenen van de uitslag is mislukt." in html
    assert "PabulibError: line 3: quotes" in html
    assert reverse("budgets:round-recount", args=[budget_round.slug]) in html
