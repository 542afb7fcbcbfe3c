"""Counting and letters through the configured queue's real worker.

Marked ``tasks``: ``make test`` runs these again with the tasks on RQ over a throwaway
Redis, so the count and the letters work on both backends.
"""

import pytest
from django.test import TestCase
from django.urls import reverse

from buurtbasis.ballots.models import LetterRun, VotingCode
from buurtbasis.budgets.models import Outcome
from buurtbasis.budgets.services import advance_phase
from buurtbasis.budgets.tests.factories import BudgetRoundFactory, PlanFactory, civil_servant_for
from buurtbasis.platform.testing import (
    clear_queue,
    deferred_jobs,
    make_deferred_jobs_due,
    run_worker,
)
from buurtcore import voting

from .factories import voting_round
from .helpers import vote

pytestmark = [pytest.mark.django_db, pytest.mark.tasks]


@pytest.fixture(autouse=True)
def _clean_queue(settings, tmp_path):
    from django.core.files.storage import storages

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    storages._storages.pop("private", None)
    clear_queue()
    yield
    clear_queue()
    storages._storages.pop("private", None)


def _closed_round():
    budget_round = BudgetRoundFactory(
        phase="voting", budget_cents=10_000, rule="mes", completion="add1", max_choices=3
    )
    a = PlanFactory(budget_round=budget_round, cost_cents=8_000, status="feasible")
    b = PlanFactory(budget_round=budget_round, cost_cents=4_000, status="feasible")
    c = PlanFactory(budget_round=budget_round, cost_cents=4_000, status="feasible")
    vote(budget_round, [[a]] * 6 + [[b]] * 4 + [[c]] * 4)
    with TestCase.captureOnCommitCallbacks(execute=True):
        advance_phase(budget_round=budget_round, actor=civil_servant_for(budget_round))
    return budget_round, a, b, c


def test_a_worker_counts_a_closed_round():
    budget_round, _a, b, c = _closed_round()
    assert not Outcome.objects.exists()
    run_worker()
    budget_round.refresh_from_db()
    assert budget_round.count_status == "done"
    assert sorted(Outcome.objects.get().funded_plan_ids) == sorted([b.pk, c.pk])


def test_a_failed_count_is_retried_by_the_queue(monkeypatch):
    budget_round, *_ = _closed_round()
    real_tally = voting.tally

    def broken(*args, **kwargs):
        raise RuntimeError("engine down")

    monkeypatch.setattr(voting, "tally", broken)
    run_worker()
    budget_round.refresh_from_db()
    assert (budget_round.count_status, budget_round.count_error) == (
        "failed",
        "RuntimeError: engine down",
    )
    [(kwargs, _when)] = deferred_jobs()
    assert kwargs["request"] == budget_round.count_request
    monkeypatch.setattr(voting, "tally", real_tally)
    make_deferred_jobs_due()
    run_worker()
    budget_round.refresh_from_db()
    assert budget_round.count_status == "done"
    assert Outcome.objects.filter(budget_round=budget_round).exists()


def test_a_worker_prints_letters_that_can_be_downloaded(client):
    budget_round, _plans = voting_round()
    client.force_login(civil_servant_for(budget_round))
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("ballots:letters", args=[budget_round.slug]), {"count": 2})
    assert response.status_code == 303
    assert VotingCode.objects.count() == 0
    run_worker()
    run = LetterRun.objects.get()
    assert (run.status, run.printed) == ("done", 2)
    download = client.get(reverse("ballots:letters-download", args=[budget_round.slug, run.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert VotingCode.objects.count() == 2
