"""The state of a background count on the round's pages: waiting, running, failed, done."""

from datetime import timedelta

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.budgets.models import BudgetRound

from .factories import BudgetRoundFactory, civil_servant_for

pytestmark = pytest.mark.django_db


def _round(status, **fields):
    budget_round = BudgetRoundFactory(phase="results")
    now = timezone.now()
    BudgetRound.objects.filter(pk=budget_round.pk).update(
        count_status=status,
        count_request=1,
        count_requested_at=now,
        count_started_at=now if status in ("running", "failed", "done") else None,
        **fields,
    )
    budget_round.refresh_from_db()
    return budget_round


def _results(client, budget_round):
    return client.get(reverse("budgets:round-results", args=[budget_round.slug]))


def _status(client, budget_round, **params):
    url = reverse("budgets:round-count-status", args=[budget_round.slug])
    return client.get(url, params, headers={"HX-Request": "true"})


def test_while_counting_the_results_page_says_so_and_polls(client):
    budget_round = _round("running")
    html = _results(client, budget_round).content.decode()
    assert "De uitslag wordt berekend." in html
    assert 'hx-trigger="every 3s"' in html
    status_url = reverse("budgets:round-count-status", args=[budget_round.slug])
    assert f'hx-get="{status_url}?on=results&amp;seen=running-0"' in html
    # without JavaScript: a plain link shows the news
    assert f'href="{reverse("budgets:round-results", args=[budget_round.slug])}"' in html


def test_the_round_page_shows_the_count_too(client):
    budget_round = _round("pending")
    response = client.get(budget_round.get_absolute_url())
    html = response.content.decode()
    assert "De uitslag wordt berekend." in html
    assert "on=detail" in html


def test_the_status_block_answers_204_while_nothing_changed(client):
    budget_round = _round("running")
    assert _status(client, budget_round, seen="running-0").status_code == 204
    changed = _status(client, budget_round, seen="pending-0")
    assert changed.status_code == 200
    assert 'hx-trigger="every 3s"' in changed.content.decode()


def test_polling_stops_when_the_outcome_is_ready(client):
    budget_round = _round("done")
    response = _status(client, budget_round, seen="running-0")
    html = response.content.decode()
    assert response.status_code == 200
    assert "hx-trigger" not in html
    assert "De uitslag is klaar." in html
    assert reverse("budgets:round-results", args=[budget_round.slug]) in html


def test_a_failed_count_shows_the_error_and_a_retry_button_to_the_civil_servant(client):
    budget_round = _round("failed", count_error="RuntimeError: engine down")
    client.force_login(civil_servant_for(budget_round))
    response = _results(client, budget_round)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Het berekenen van de uitslag is mislukt." in html
    assert "RuntimeError: engine down" in html
    assert reverse("budgets:round-recount", args=[budget_round.slug]) in html
    assert "hx-trigger" not in html  # nothing to wait for


def test_residents_see_that_it_is_not_ready_but_not_the_error(client):
    budget_round = _round("failed", count_error="RuntimeError: engine down")
    client.force_login(UserFactory())
    html = _results(client, budget_round).content.decode()
    assert "De uitslag is nog niet klaar." in html
    assert "engine down" not in html
    assert reverse("budgets:round-recount", args=[budget_round.slug]) not in html


def test_retrying_enqueues_a_new_count(client):
    budget_round = _round("failed", count_error="RuntimeError: engine down")
    client.force_login(civil_servant_for(budget_round))
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("budgets:round-recount", args=[budget_round.slug]))
    assert response.status_code == 302
    budget_round.refresh_from_db()
    assert (budget_round.count_status, budget_round.count_request) == ("pending", 2)
    assert budget_round.count_error == ""
    [row] = DBTaskResult.objects.ready()
    assert row.task_path.endswith("count_round_task")
    assert row.task_result.kwargs["request"] == 2


def test_only_who_manages_the_round_may_recount(client):
    budget_round = _round("failed", count_error="x")
    client.force_login(UserFactory())
    response = client.post(reverse("budgets:round-recount", args=[budget_round.slug]))
    assert response.status_code == 403
    budget_round.refresh_from_db()
    assert budget_round.count_request == 1
    assert not DBTaskResult.objects.exists()


def test_a_count_that_hangs_can_be_started_again(client):
    budget_round = _round("running")
    BudgetRound.objects.filter(pk=budget_round.pk).update(
        count_started_at=timezone.now() - timedelta(minutes=20)
    )
    client.force_login(civil_servant_for(budget_round))
    html = _results(client, budget_round).content.decode()
    assert "Dit duurt langer dan verwacht." in html
    assert reverse("budgets:round-recount", args=[budget_round.slug]) in html


def test_a_round_still_voting_cannot_be_counted(client):
    budget_round = BudgetRoundFactory(phase="voting")
    client.force_login(civil_servant_for(budget_round))
    client.post(reverse("budgets:round-recount", args=[budget_round.slug]))
    budget_round.refresh_from_db()
    assert budget_round.count_status == ""
    assert not DBTaskResult.objects.exists()
