"""Results: the outcome is computed from the published Pabulib file with the round's rule."""

import hashlib

import pytest
from django.db import transaction
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from buurtbasis.ballots import counting
from buurtbasis.ballots import services as ballot_services
from buurtbasis.budgets.models import BudgetRound, FundedPlan, Outcome
from buurtbasis.budgets.services import BudgetError
from buurtbasis.budgets.services import advance_phase as _advance_phase
from buurtbasis.budgets.tests.factories import BudgetRoundFactory, PlanFactory, civil_servant_for
from buurtbasis.platform.models import AuditEvent
from buurtcore import voting
from buurtcore.voting import pabulib

from .queue import queued, run_queued_tasks

pytestmark = pytest.mark.django_db


def committed():
    """Run what waits for the commit (the test's transaction never commits)."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def advance_phase(**kwargs):
    """Close the vote as a request would (commit → enqueue), then let a worker count."""
    with committed():
        budget_round = _advance_phase(**kwargs)
    assert queued("count_round_task").count() == 1
    run_queued_tasks()
    return budget_round


def tally_round(*, budget_round, actor=None):
    return counting.count_now(budget_round=budget_round, actor=actor)


def vote(budget_round, ballots):
    codes = ballot_services.generate_codes(budget_round, len(ballots))
    for code, choice in zip(codes, ballots, strict=True):
        ballot_services.submit_ballot_with_code(
            budget_round=budget_round, code=code, choices={p.pk: 1 for p in choice}
        )


@pytest.fixture
def mes_round():
    """Budget €100. Greedy funds A (most votes, €80); equal shares with Add1 funds B and C.

    Hand computation: 14 voters. A (€80) has 6 supporters, B and C (€40 each) 4 each.
    Greedy: A first, then €20 is left: B and C do not fit → {A}.
    MES: each voter starts with €100/14; A needs €13.34 per supporter, B and C €10 each.
    Add1 raises the voters' budget until B and C become affordable (at €10 each) while A
    still is not (6 × €10 = €60 < €80). Together B + C = €80 ≤ €100 → {B, C}.
    """
    budget_round = BudgetRoundFactory(
        phase="voting", budget_cents=10_000, rule="mes", completion="add1", max_choices=3
    )
    a = PlanFactory(budget_round=budget_round, title="A", cost_cents=8_000, status="feasible")
    b = PlanFactory(budget_round=budget_round, title="B", cost_cents=4_000, status="feasible")
    c = PlanFactory(budget_round=budget_round, title="C", cost_cents=4_000, status="feasible")
    vote(budget_round, [[a]] * 6 + [[b]] * 4 + [[c]] * 4)
    return budget_round, a, b, c


def test_closing_the_vote_computes_the_outcome_with_equal_shares(mes_round):
    budget_round, a, b, c = mes_round
    officer = civil_servant_for(budget_round)
    advance_phase(budget_round=budget_round, actor=officer)
    outcome = Outcome.objects.get(budget_round=budget_round)
    assert sorted(outcome.funded_plan_ids) == sorted([b.pk, c.pk])
    assert outcome.greedy_plan_ids == [a.pk]
    assert outcome.total_cost_cents == 8_000
    assert outcome.budget_cents == 10_000
    assert outcome.n_ballots == 14
    assert outcome.params["rule"] == "mes"
    assert outcome.params["completion"] == "add1"
    assert outcome.params["tie_break"] == budget_round.tie_break
    assert str(outcome.params["seed"]) == str(budget_round.tie_break_seed)
    assert outcome.engine_version
    assert outcome.pabulib_sha256 == hashlib.sha256(outcome.pabulib_text.encode()).hexdigest()
    funded = FundedPlan.objects.filter(budget_round=budget_round).order_by("plan_id")
    assert [(f.plan_id, f.amount_cents) for f in funded] == [(b.pk, 4_000), (c.pk, 4_000)]
    assert AuditEvent.objects.filter(action="budgets.outcome_computed").count() == 1


def test_every_plan_gets_a_dutch_explanation(mes_round):
    budget_round, a, b, c = mes_round
    advance_phase(budget_round=budget_round)
    explanation = Outcome.objects.get().explanation
    entries = {int(e["id"]): e for e in explanation["projects"]}
    assert set(entries) == {a.pk, b.pk, c.pk}
    assert entries[a.pk]["funded"] is False
    assert entries[a.pk]["reason"] == "mes_not_affordable"
    assert entries[b.pk]["reason"] == "mes_bought"
    assert all(e["text"] for e in entries.values())
    assert entries[a.pk]["votes"] == 6
    assert explanation["compare"]["only_b"][0]["id"] == str(a.pk)


def test_the_published_file_recomputes_to_the_same_outcome(mes_round):
    budget_round, *_ = mes_round
    advance_phase(budget_round=budget_round)
    outcome = Outcome.objects.get()
    instance, profile = pabulib.read(outcome.pabulib_text)
    again = voting.tally(
        instance,
        profile,
        rule="mes",
        completion="add1",
        tie_break=budget_round.tie_break,
        seed=budget_round.tie_break_seed,
    )
    assert sorted(int(p) for p in again.selected) == sorted(outcome.funded_plan_ids)
    # the file holds the ballots without names or codes
    assert "DEM" not in outcome.pabulib_text
    assert instance.budget == 100


def test_recomputing_is_idempotent(mes_round):
    budget_round, *_ = mes_round
    advance_phase(budget_round=budget_round)
    first = Outcome.objects.get()
    second = tally_round(budget_round=budget_round)
    assert second.pk == first.pk
    assert second.computed_at == first.computed_at
    assert second.pabulib_sha256 == first.pabulib_sha256
    assert Outcome.objects.count() == 1
    assert FundedPlan.objects.count() == 2


def test_greedy_rounds_fund_most_votes_first(mes_round):
    budget_round, a, b, c = mes_round
    budget_round.rule, budget_round.completion = "greedy", "none"
    budget_round.save()
    advance_phase(budget_round=budget_round)
    outcome = Outcome.objects.get()
    assert outcome.funded_plan_ids == [a.pk]
    assert outcome.greedy_plan_ids is None
    reasons = {int(e["id"]): e["reason"] for e in outcome.explanation["projects"]}
    assert reasons == {a.pk: "greedy_selected", b.pk: "greedy_no_fit", c.pk: "greedy_no_fit"}


def test_points_ballots_are_counted_as_points():
    budget_round = BudgetRoundFactory(
        phase="voting",
        budget_cents=10_000,
        ballot_type="points",
        max_choices=None,
        points_total=10,
        rule="greedy",
        completion="none",
    )
    a = PlanFactory(budget_round=budget_round, cost_cents=6_000, status="feasible")
    b = PlanFactory(budget_round=budget_round, cost_cents=6_000, status="feasible")
    codes = ballot_services.generate_codes(budget_round, 3)
    # b has more voters, a has more points
    for code, choice in zip(codes, [{a.pk: 10}, {a.pk: 1, b.pk: 9}, {b.pk: 1}], strict=True):
        ballot_services.submit_ballot_with_code(
            budget_round=budget_round, code=code, choices=choice
        )
    advance_phase(budget_round=budget_round)
    outcome = Outcome.objects.get()
    assert "vote_type;cumulative" in outcome.pabulib_text
    assert outcome.funded_plan_ids == [a.pk]


def test_the_outcome_waits_for_the_vote_to_close(mes_round):
    budget_round, *_ = mes_round
    with pytest.raises(BudgetError) as exc:
        tally_round(budget_round=budget_round)
    assert exc.value.code == "not_closed"
    assert not Outcome.objects.exists()


def test_a_failed_count_is_kept_on_the_round_and_can_be_retried(mes_round, monkeypatch):
    budget_round, _a, b, c = mes_round

    def broken(*args, **kwargs):
        raise RuntimeError("engine down")

    monkeypatch.setattr(voting, "tally", broken)
    advance_phase(budget_round=budget_round)
    budget_round.refresh_from_db()
    assert budget_round.phase == "results"  # the vote is closed either way
    assert budget_round.count_status == "failed"
    assert budget_round.count_error == "RuntimeError: engine down"
    assert budget_round.count_finished_at <= timezone.now()
    assert not Outcome.objects.exists()
    task_row = queued().model.objects.get(status="FAILED")
    assert "engine down" in task_row.traceback  # the queue records it too, for the admins
    assert queued().count() == 0  # the queue tries again after its backoff (30 s)

    monkeypatch.undo()
    counting.count_now(budget_round=budget_round)
    budget_round.refresh_from_db()
    assert budget_round.count_status == "done"
    assert budget_round.count_error == ""
    assert sorted(Outcome.objects.get().funded_plan_ids) == sorted([b.pk, c.pk])


def test_closing_the_vote_only_enqueues_the_count(mes_round):
    budget_round, *_ = mes_round
    with committed():
        _advance_phase(budget_round=budget_round, actor=civil_servant_for(budget_round))
    budget_round.refresh_from_db()
    assert budget_round.phase == "results"
    assert budget_round.count_status == "pending"
    assert budget_round.count_requested_at is not None
    assert not Outcome.objects.exists()  # nothing was counted in the request
    [row] = queued("count_round_task")
    kwargs = row.task_result.kwargs
    assert (kwargs["round_id"], kwargs["request"]) == (budget_round.pk, 1)


def test_nothing_is_enqueued_when_the_phase_change_rolls_back(
    mes_round, django_capture_on_commit_callbacks
):
    budget_round, *_ = mes_round
    with committed() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        _advance_phase(budget_round=budget_round)
        raise RuntimeError("the request failed later on")
    assert callbacks == []
    assert not queued().exists()
    budget_round.refresh_from_db()
    assert budget_round.phase == "voting"


def test_an_old_or_repeated_count_task_does_nothing(mes_round):
    budget_round, *_ = mes_round
    with committed():
        _advance_phase(budget_round=budget_round)
    with committed():
        from buurtbasis.budgets.services import request_count

        request_count(budget_round=budget_round)  # a recount before the first count ran
    assert queued("count_round_task").count() == 2
    results = [row.return_value for row in run_queued_tasks()]
    assert results == ["skipped", "counted"]
    assert counting.run_count(round_id=budget_round.pk, request=2) == "skipped"
    assert Outcome.objects.count() == 1
    assert AuditEvent.objects.filter(action="budgets.outcome_computed").count() == 1
    assert BudgetRound.objects.get(pk=budget_round.pk).count_status == "done"


def test_the_round_moves_on_to_execution_only_when_counted(
    mes_round, django_capture_on_commit_callbacks
):
    budget_round, *_ = mes_round
    with committed():
        _advance_phase(budget_round=budget_round)
    with pytest.raises(BudgetError) as exc:
        _advance_phase(budget_round=budget_round)
    assert exc.value.code == "not_counted"
    run_queued_tasks()
    assert _advance_phase(budget_round=budget_round).phase == "execution"


@pytest.mark.parametrize("rule", ["mes", "greedy"])
def test_a_round_without_votes_is_counted_as_nothing_chosen(rule, client):
    """Nobody voted: the count used to fail for ever (the file had no votes, which the
    reader refuses) and the round stayed "failed". Now no plan is chosen, the whole
    budget is left, and the results page says so."""
    budget_round = BudgetRoundFactory(phase="voting", budget_cents=10_000, rule=rule)
    plan = PlanFactory(budget_round=budget_round, cost_cents=4_000, status="feasible")
    advance_phase(budget_round=budget_round, to_phase="results")
    budget_round.refresh_from_db()
    assert budget_round.count_status == "done", budget_round.count_error
    outcome = Outcome.objects.get(budget_round=budget_round)
    assert outcome.funded_plan_ids == []
    assert (outcome.n_ballots, outcome.total_cost_cents, outcome.budget_cents) == (0, 0, 10_000)
    assert outcome.pabulib_sha256 == hashlib.sha256(outcome.pabulib_text.encode()).hexdigest()
    [entry] = outcome.explanation["projects"]
    assert (int(entry["id"]), entry["votes"], entry["funded"]) == (plan.pk, 0, False)
    response = client.get(reverse("budgets:round-results", kwargs={"slug": budget_round.slug}))
    assert response.status_code == 200
    page = " ".join(response.content.decode().split())
    assert "Niemand heeft gestemd, dus geen enkel plan krijgt geld." in page
    assert "kreeg geen stemmen" in page
