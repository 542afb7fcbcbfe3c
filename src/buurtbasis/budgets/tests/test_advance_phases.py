from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.budgets.models import Phase, PhaseChange
from buurtbasis.budgets.services import BudgetError, advance_due_phases, advance_phase
from buurtbasis.platform.models import AuditEvent

from .factories import BudgetRoundFactory, PlanFactory, civil_servant_for

pytestmark = pytest.mark.django_db


def _reschedule(budget_round, **starts):
    for kind, start in starts.items():
        Phase.objects.filter(budget_round=budget_round, kind=kind).update(starts_at=start)


def test_it_moves_a_round_when_the_next_phase_has_started():
    budget_round = BudgetRoundFactory(phase="submission")
    _reschedule(budget_round, assessment=timezone.now() - timedelta(minutes=1))
    report = advance_due_phases()
    budget_round.refresh_from_db()
    assert budget_round.phase == "assessment"
    assert [(r.pk, a, b) for r, a, b in report] == [(budget_round.pk, "submission", "assessment")]
    change = PhaseChange.objects.filter(budget_round=budget_round).last()
    assert (change.from_phase, change.to_phase, change.scheduled) == (
        "submission",
        "assessment",
        True,
    )
    assert change.changed_by is None
    assert AuditEvent.objects.filter(action="budgets.phase_changed").count() == 1


def test_it_is_idempotent():
    budget_round = BudgetRoundFactory(phase="submission")
    _reschedule(budget_round, assessment=timezone.now() - timedelta(minutes=1))
    advance_due_phases()
    assert advance_due_phases() == []
    budget_round.refresh_from_db()
    assert budget_round.phase == "assessment"
    assert PhaseChange.objects.filter(budget_round=budget_round, scheduled=True).count() == 1


def test_it_does_nothing_before_the_date():
    budget_round = BudgetRoundFactory(phase="submission")
    _reschedule(budget_round, assessment=timezone.now() + timedelta(minutes=5))
    assert advance_due_phases() == []
    budget_round.refresh_from_db()
    assert budget_round.phase == "submission"


def test_it_will_not_open_voting_without_feasible_plans():
    budget_round = BudgetRoundFactory(phase="assessment")
    _reschedule(budget_round, voting=timezone.now() - timedelta(minutes=1))
    report = advance_due_phases()
    budget_round.refresh_from_db()
    assert budget_round.phase == "assessment"
    assert report[0][2].startswith("error: no_feasible_plans")


def test_it_will_not_open_voting_with_unassessed_plans():
    budget_round = BudgetRoundFactory(phase="assessment")
    PlanFactory(budget_round=budget_round, status="feasible")
    PlanFactory(budget_round=budget_round, status="submitted")
    with pytest.raises(BudgetError) as exc:
        advance_phase(budget_round=budget_round)
    assert exc.value.code == "unassessed_plans"


def test_the_command_reports_each_change():
    budget_round = BudgetRoundFactory(phase="submission")
    _reschedule(budget_round, assessment=timezone.now() - timedelta(minutes=1))
    out = StringIO()
    call_command("advance_phases", stdout=out)
    assert f"{budget_round.slug}: submission -> assessment" in out.getvalue()
    out = StringIO()
    call_command("advance_phases", stdout=out)
    assert "No phase changes due." in out.getvalue()


def test_a_civil_servant_moves_the_round_by_hand(client):
    budget_round = BudgetRoundFactory(phase="submission")
    officer = civil_servant_for(budget_round)
    client.force_login(officer)
    response = client.post(
        reverse("budgets:round-advance", args=[budget_round.slug]), {"to_phase": "assessment"}
    )
    assert response.status_code == 302
    budget_round.refresh_from_db()
    assert budget_round.phase == "assessment"
    change = PhaseChange.objects.filter(budget_round=budget_round).last()
    assert change.changed_by == officer
    assert change.scheduled is False


def test_a_stale_button_does_not_skip_a_phase(client):
    budget_round = BudgetRoundFactory(phase="assessment")
    PlanFactory(budget_round=budget_round, status="feasible")
    client.force_login(civil_servant_for(budget_round))
    # the page was opened when the round was still in submission
    client.post(
        reverse("budgets:round-advance", args=[budget_round.slug]), {"to_phase": "assessment"}
    )
    budget_round.refresh_from_db()
    assert budget_round.phase == "assessment"


def test_a_resident_cannot_move_the_round(client):
    budget_round = BudgetRoundFactory(phase="submission")
    client.force_login(UserFactory())
    response = client.post(reverse("budgets:round-advance", args=[budget_round.slug]))
    assert response.status_code == 403
    budget_round.refresh_from_db()
    assert budget_round.phase == "submission"


def test_the_scheduled_task_closes_the_vote_and_computes_the_outcome():
    from buurtbasis.ballots.tests.helpers import vote
    from buurtbasis.ballots.tests.queue import run_queued_tasks
    from buurtbasis.budgets.models import Outcome

    budget_round = BudgetRoundFactory(phase="voting", budget_cents=10_000, max_choices=2)
    a = PlanFactory(budget_round=budget_round, status="feasible", cost_cents=6_000)
    b = PlanFactory(budget_round=budget_round, status="feasible", cost_cents=6_000)
    vote(budget_round, [[a], [a, b], [b], [a]])
    now = timezone.now()
    Phase.objects.filter(budget_round=budget_round, kind="voting").update(
        ends_at=now - timedelta(minutes=2)
    )
    _reschedule(budget_round, results=now - timedelta(minutes=1))
    with TestCase.captureOnCommitCallbacks(execute=True):
        advance_due_phases()
    budget_round.refresh_from_db()
    assert budget_round.phase == "results"
    assert budget_round.count_status == "pending"  # the scheduler only enqueues
    assert not Outcome.objects.exists()
    run_queued_tasks()
    assert Outcome.objects.get(budget_round=budget_round).funded_plan_ids == [a.pk]


@pytest.mark.tasks
def test_the_scheduled_command_enqueues_the_task_and_a_worker_moves_the_round():
    from buurtbasis.platform import schedule
    from buurtbasis.platform.models import ScheduledJobRun
    from buurtbasis.platform.testing import clear_queue, run_worker

    from ..tasks import advance_phases

    clear_queue()
    assert "budgets.advance_phases" in [job.name for job in schedule.registered()]
    budget_round = BudgetRoundFactory(phase="submission")
    _reschedule(budget_round, assessment=timezone.now() - timedelta(minutes=1))

    call_command("enqueue_scheduled", stdout=StringIO())
    budget_round.refresh_from_db()
    assert budget_round.phase == "submission"  # the command only enqueues

    run_worker()
    budget_round.refresh_from_db()
    assert budget_round.phase == "assessment"
    result_id = ScheduledJobRun.objects.get(name="budgets.advance_phases").last_result_id
    result = advance_phases.get_result(result_id)
    assert result.return_value == [f"{budget_round.slug}: submission -> assessment"]


def test_a_scheduled_phase_change_links_followers_to_the_rounds_municipality(settings):
    """Without a request there is no ``/g/<slug>/`` prefix to reverse with: the link in
    the follower's list and mail used to open the default municipality (a 404 there)."""
    from buurtbasis.platform import notifications
    from buurtbasis.platform.models import Notification
    from buurtbasis.platform.tenancy import ensure_tenant

    from .factories import AreaFactory

    settings.SITE_URL = "https://buurtbasis.example"
    ensure_tenant(cbs_code="GM0599", name="Rotterdam", slug="rotterdam")
    budget_round = BudgetRoundFactory(
        phase="submission", areas=[AreaFactory(code="WK059901", name="Stadsdriehoek")]
    )
    follower = UserFactory()
    notifications.follow(user=follower, obj=budget_round)
    _reschedule(budget_round, assessment=timezone.now() - timedelta(minutes=1))
    advance_due_phases()
    row = Notification.objects.get(recipient=follower, kind="budgets.phase_changed")
    assert row.link == "/g/rotterdam" + budget_round.get_absolute_url()
