"""Voting cannot close while a paper batch waits; after the close no batch changes the result.

Closing the vote counts the ballots and publishes the Pabulib file with its SHA-256. A paper
batch confirmed after that would change the result of a recount. So the round stays in its
voting phase while a batch with forms in it is not yet confirmed (the civil servant sees
which and why), and once the round has closed, no batch can be confirmed, sent back or
changed any more.
"""

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from buurtbasis.ballots import counting, services
from buurtbasis.ballots.models import BatchStatus, PaperBatch
from buurtbasis.budgets.models import BudgetRound, Outcome
from buurtbasis.budgets.services import BudgetError, advance_due_phases, advance_phase
from buurtbasis.budgets.tests.factories import civil_servant_for

from .factories import voting_round
from .queue import run_queued_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    budget_round, plans = voting_round(rule="greedy")
    return budget_round, plans, civil_servant_for(budget_round), civil_servant_for(budget_round)


def _submitted_batch(budget_round, plans, enterer):
    batch = services.create_paper_batch(budget_round=budget_round, actor=enterer, declared_count=1)
    _add(batch, enterer, plans[0])
    return services.submit_paper_batch(batch=batch, actor=enterer)


def _add(batch, enterer, plan):
    code = services.generate_codes(batch.budget_round, 1)[0]
    return services.add_paper_ballot(batch=batch, actor=enterer, choices={plan.pk: 1}, code=code)


def test_voting_cannot_close_while_a_batch_waits_for_its_second_person(setting):
    budget_round, plans, enterer, checker = setting
    batch = _submitted_batch(budget_round, plans, enterer)
    with pytest.raises(BudgetError) as caught:
        advance_phase(budget_round=budget_round, actor=checker)
    assert caught.value.code == "voting_close_blocked"
    assert "Stapel 1 wacht op controle" in caught.value.message
    budget_round.refresh_from_db()
    assert budget_round.phase == "voting"

    services.confirm_paper_batch(batch=batch, actor=checker)
    assert advance_phase(budget_round=budget_round, actor=checker).phase == "results"


def test_a_batch_still_being_entered_also_holds_the_close_but_an_empty_one_does_not(setting):
    budget_round, plans, enterer, checker = setting
    empty = services.create_paper_batch(budget_round=budget_round, actor=enterer, declared_count=5)
    busy = services.create_paper_batch(budget_round=budget_round, actor=enterer, declared_count=5)
    services.add_invalid_paper_form(batch=busy, actor=enterer)
    with pytest.raises(BudgetError) as caught:
        advance_phase(budget_round=budget_round, actor=checker)
    assert "Stapel 2 wordt nog ingevoerd" in caught.value.message
    assert "Stapel 1" not in caught.value.message
    assert services.paper_close_blockers(budget_round) == [busy]
    assert empty.pk != busy.pk


def test_the_scheduler_waits_too_and_closes_once_the_batch_is_confirmed(setting):
    budget_round, plans, enterer, checker = setting
    batch = _submitted_batch(budget_round, plans, enterer)
    results = budget_round.phases.get(kind="results")
    later = results.starts_at + timezone.timedelta(minutes=1)
    report = advance_due_phases(now=later)
    assert [(r.pk, start, msg) for r, start, msg in report] == [
        (budget_round.pk, "voting", "error: voting_close_blocked")
    ]
    budget_round.refresh_from_db()
    assert budget_round.phase == "voting"
    services.confirm_paper_batch(batch=batch, actor=checker)
    advance_due_phases(now=later)
    budget_round.refresh_from_db()
    assert budget_round.phase == "results"


def test_after_the_close_a_batch_cannot_be_confirmed_and_the_hash_stays(setting):
    budget_round, plans, enterer, checker = setting
    batch = _submitted_batch(budget_round, plans, enterer)
    # a round that left voting some other way (old data, the admin)
    code = services.generate_codes(budget_round, 1)[0]
    services.submit_ballot_with_code(budget_round=budget_round, code=code, choices={plans[1].pk: 1})
    BudgetRound.objects.filter(pk=budget_round.pk).update(phase="results")
    counting.count_now(budget_round=budget_round)
    sha = Outcome.objects.get(budget_round=budget_round).pabulib_sha256
    for action in (
        lambda: services.confirm_paper_batch(batch=batch, actor=checker),
        lambda: services.reject_paper_batch(batch=batch, actor=checker, reason="x"),
    ):
        with pytest.raises(services.PaperBatchError) as caught:
            action()
        assert caught.value.code == "voting_closed"
    batch.refresh_from_db()
    assert batch.status == BatchStatus.SUBMITTED
    counting.count_now(budget_round=budget_round)
    assert Outcome.objects.get(budget_round=budget_round).pabulib_sha256 == sha


def test_the_round_page_says_why_voting_cannot_close(client, setting):
    budget_round, plans, enterer, checker = setting
    _submitted_batch(budget_round, plans, enterer)
    client.force_login(checker)
    html = client.get(budget_round.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Het stemmen kan nog niet sluiten" in html
    assert "Stapel 1" in html
    batch = PaperBatch.objects.get()
    assert reverse("ballots:paper-batch", args=[budget_round.slug, batch.pk]) in html

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("budgets:round-advance", args=[budget_round.slug]),
            {"to_phase": "results"},
            HTTP_ACCEPT_LANGUAGE="nl",
            follow=True,
        )
    assert response.status_code == 200
    assert "Het stemmen kan nog niet sluiten" in response.content.decode()
    run_queued_tasks()
    budget_round.refresh_from_db()
    assert budget_round.phase == "voting"


def test_the_batch_page_after_the_close_says_it_no_longer_counts(client, setting):
    budget_round, plans, enterer, checker = setting
    batch = _submitted_batch(budget_round, plans, enterer)
    BudgetRound.objects.filter(pk=budget_round.pk).update(phase="results")
    client.force_login(checker)
    url = reverse("ballots:paper-batch", args=[budget_round.slug, batch.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert 'value="confirm"' not in html
    assert "Het stemmen is gesloten" in html
    response = client.post(url, {"action": "confirm"}, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 400
    assert "Het stemmen is gesloten" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.SUBMITTED


def test_a_new_batch_can_start_after_the_end_date_until_the_vote_closes(setting):
    """The close waits for a batch being checked; forms that came in meanwhile go into a
    new batch (it was refused by the end date, so they had to be put in the waiting one)."""
    budget_round, plans, enterer, checker = setting
    waiting = _submitted_batch(budget_round, plans, enterer)
    voting = budget_round.phases.get(kind="voting")
    voting.ends_at = timezone.now() - timezone.timedelta(minutes=1)
    voting.save()
    budget_round = BudgetRound.objects.get(pk=budget_round.pk)
    assert not services.is_voting_open(budget_round)
    late = services.create_paper_batch(budget_round=budget_round, actor=checker, declared_count=1)
    _add(late, checker, plans[1])
    services.submit_paper_batch(batch=late, actor=checker)
    services.confirm_paper_batch(batch=waiting, actor=checker)
    services.confirm_paper_batch(batch=late, actor=enterer)
    advance_phase(budget_round=budget_round, to_phase="results", actor=checker)
    budget_round = BudgetRound.objects.get(pk=budget_round.pk)
    assert budget_round.phase == "results"
    with pytest.raises(services.VotingClosedError):
        services.create_paper_batch(budget_round=budget_round, actor=checker, declared_count=1)
