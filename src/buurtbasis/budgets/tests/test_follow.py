"""Following a round or a plan: the buttons on their pages, and notifications when the
round moves to its next phase or a plan is assessed."""

import pytest
from django.core import mail
from django.urls import reverse

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.budgets import services
from buurtbasis.platform.models import Notification
from buurtbasis.platform.notifications import follow
from buurtbasis.platform.testing import run_queued_tasks

from .factories import BudgetRoundFactory, PlanFactory, civil_servant_for

pytestmark = pytest.mark.django_db


def test_the_round_and_plan_pages_have_a_follow_button(client):
    budget_round = BudgetRoundFactory(phase="assessment")
    plan = PlanFactory(budget_round=budget_round, status="submitted")
    client.force_login(UserFactory())
    page = client.get(budget_round.get_absolute_url()).content.decode()
    assert f'value="budgets.budgetround:{budget_round.pk}"' in page
    page = client.get(plan.get_absolute_url()).content.decode()
    assert f'value="budgets.plan:{plan.pk}"' in page


def test_followers_of_a_round_hear_about_its_next_phase(django_capture_on_commit_callbacks):
    budget_round = BudgetRoundFactory(phase="assessment", title="Buurtbudget Zuid")
    PlanFactory(budget_round=budget_round, status="feasible")
    follower = UserFactory()
    follow(user=follower, obj=budget_round)
    officer = civil_servant_for(budget_round)
    with django_capture_on_commit_callbacks(execute=True):
        services.advance_phase(budget_round=budget_round, actor=officer)
    run_queued_tasks()
    [row] = Notification.objects.all()
    assert row.recipient == follower
    assert row.title == "Buurtbudget Zuid: nu “Stemmen”"
    [message] = mail.outbox
    assert "van “Toetsing” naar “Stemmen”" in message.body


def test_the_submitter_and_the_followers_of_a_plan_hear_about_its_assessment(
    django_capture_on_commit_callbacks,
):
    budget_round = BudgetRoundFactory(phase="assessment")
    plan = PlanFactory(budget_round=budget_round, title="Bankjes in het park")
    follower = UserFactory()
    follow(user=follower, obj=plan)
    follow(user=plan.submitted_by, obj=plan)  # hears it once, as the submitter
    with django_capture_on_commit_callbacks(execute=True):
        services.assess_plan(
            plan=plan,
            assessor=civil_servant_for(budget_round),
            feasible=False,
            public_reason="Te duur voor deze ronde.",
        )
    run_queued_tasks()
    rows = {row.recipient: row for row in Notification.objects.all()}
    assert set(rows) == {plan.submitted_by, follower}
    assert rows[plan.submitted_by].kind == "budgets.plan_assessed"
    assert rows[follower].kind == "budgets.plan_status_changed"
    assert rows[follower].title == "Plan “Bankjes in het park”: Niet haalbaar"
    assert sorted(m.to[0] for m in mail.outbox) == sorted([plan.submitted_by.email, follower.email])


def test_a_withdrawn_plan_is_private_so_its_followers_hear_nothing_more(client):
    budget_round = BudgetRoundFactory(phase="submission")
    plan = PlanFactory(budget_round=budget_round, status="submitted")
    follower = UserFactory()
    follow(user=follower, obj=plan)
    services.withdraw_plan(plan=plan, actor=plan.submitted_by)
    assert not Notification.objects.exists()
    client.force_login(follower)
    response = client.post(reverse("platform:follow"), {"target": f"budgets.plan:{plan.pk}"})
    assert response.status_code == 404
