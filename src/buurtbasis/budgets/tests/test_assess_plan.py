import pytest
from django.core import mail
from django.urls import reverse

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.budgets.models import Assessment
from buurtbasis.budgets.services import BudgetError, assess_plan
from buurtbasis.platform.models import AuditEvent
from buurtbasis.platform.testing import run_queued_tasks

from .factories import BudgetRoundFactory, PlanFactory, civil_servant_elsewhere, civil_servant_for

pytestmark = pytest.mark.django_db


def _url(plan):
    return reverse("budgets:plan-assess", args=[plan.budget_round.slug, plan.pk])


def test_it_marks_a_plan_feasible_and_mails_the_submitter(
    client, django_capture_on_commit_callbacks
):
    budget_round = BudgetRoundFactory(phase="assessment")
    plan = PlanFactory(budget_round=budget_round, cost_cents=250_000)
    officer = civil_servant_for(budget_round)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url(plan),
            {"decision": "feasible", "public_reason": "Past binnen de regels.", "cost": "2500"},
        )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "feasible"
    assert plan.public_reason == "Past binnen de regels."
    assert plan.cost_cents == 250_000
    assert mail.outbox == []  # queued; the worker sends it
    run_queued_tasks()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Uw plan is getoetst"
    assert mail.outbox[0].to == [plan.submitted_by.email]
    assert plan.get_absolute_url() in mail.outbox[0].body
    assert "Past binnen de regels." in mail.outbox[0].body
    assessment = Assessment.objects.get()
    assert assessment.assessor == officer
    assert AuditEvent.objects.filter(action="budgets.plan_assessed").count() == 1


def test_it_adjusts_the_cost_with_a_public_explanation_kept_in_history(client):
    budget_round = BudgetRoundFactory(phase="assessment")
    plan = PlanFactory(budget_round=budget_round, cost_cents=250_000)
    client.force_login(civil_servant_for(budget_round))
    response = client.post(
        _url(plan),
        {
            "decision": "feasible",
            "public_reason": "Haalbaar.",
            "cost": "3.100",
            "cost_explanation": "Plaatsing door de gemeente kost €600 extra.",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.cost_cents == 310_000
    assert plan.submitted_cost_cents == 250_000
    assert plan.cost_explanation == "Plaatsing door de gemeente kost €600 extra."
    a = Assessment.objects.get()
    assert (a.cost_before_cents, a.cost_after_cents) == (250_000, 310_000)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Plaatsing door de gemeente kost €600 extra." in page


def test_a_cost_change_needs_an_explanation(client):
    budget_round = BudgetRoundFactory(phase="assessment")
    plan = PlanFactory(budget_round=budget_round, cost_cents=250_000)
    client.force_login(civil_servant_for(budget_round))
    response = client.post(_url(plan), {"decision": "feasible", "cost": "3100"})
    assert response.status_code == 200
    assert "cost_explanation" in response.context["form"].errors
    plan.refresh_from_db()
    assert (plan.status, plan.cost_cents) == ("submitted", 250_000)


def test_not_feasible_needs_a_public_reason(client):
    budget_round = BudgetRoundFactory(phase="assessment")
    plan = PlanFactory(budget_round=budget_round)
    client.force_login(civil_servant_for(budget_round))
    response = client.post(_url(plan), {"decision": "not_feasible", "cost": "2500"})
    assert response.status_code == 200
    assert "public_reason" in response.context["form"].errors
    response = client.post(
        _url(plan),
        {"decision": "not_feasible", "cost": "2500", "public_reason": "Grond is van de provincie."},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "not_feasible"
    # the submitter sees status and reason on the plan page and on their dashboard
    client.force_login(plan.submitted_by)
    assert "Grond is van de provincie." in client.get(plan.get_absolute_url()).content.decode()
    mine = client.get(reverse("budgets:my-plans")).content.decode()
    assert "Grond is van de provincie." in mine


def test_it_merges_a_duplicate_into_the_kept_plan(client, django_capture_on_commit_callbacks):
    budget_round = BudgetRoundFactory(phase="assessment")
    keep = PlanFactory(budget_round=budget_round, title="Speeltuin opknappen")
    duplicate = PlanFactory(budget_round=budget_round, title="Nieuwe speeltoestellen")
    client.force_login(civil_servant_for(budget_round))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("budgets:plan-merge", args=[budget_round.slug, duplicate.pk]),
            {"keep": keep.pk, "public_reason": "Zelfde speeltuin."},
        )
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.status == "merged"
    assert duplicate.merged_into == keep
    run_queued_tasks()
    assert len(mail.outbox) == 1
    page = client.get(duplicate.get_absolute_url()).content.decode()
    assert keep.get_absolute_url() in page
    assert duplicate.get_absolute_url() in client.get(keep.get_absolute_url()).content.decode()


def test_a_plan_cannot_be_merged_into_itself_or_a_merged_plan():
    budget_round = BudgetRoundFactory(phase="assessment")
    officer = civil_servant_for(budget_round)
    a, b, c = PlanFactory.create_batch(3, budget_round=budget_round)
    from buurtbasis.budgets.services import merge_plans

    with pytest.raises(BudgetError):
        merge_plans(duplicate=a, keep=a, assessor=officer, public_reason="")
    merge_plans(duplicate=b, keep=c, assessor=officer, public_reason="")
    with pytest.raises(BudgetError) as exc:
        merge_plans(duplicate=a, keep=b, assessor=officer, public_reason="")
    assert exc.value.code == "keep_merged"


def test_assessment_is_closed_once_voting_starts():
    budget_round = BudgetRoundFactory(phase="voting")
    plan = PlanFactory(budget_round=budget_round, status="feasible")
    with pytest.raises(BudgetError) as exc:
        assess_plan(
            plan=plan,
            assessor=civil_servant_for(budget_round),
            feasible=False,
            public_reason="Toch niet.",
        )
    assert exc.value.code == "assessment_closed"
    plan.refresh_from_db()
    assert plan.status == "feasible"


@pytest.mark.parametrize("who", ["resident", "submitter", "other_municipality"])
def test_only_the_rounds_civil_servants_may_assess(client, who):
    budget_round = BudgetRoundFactory(phase="assessment")
    plan = PlanFactory(budget_round=budget_round)
    user = {
        "resident": UserFactory,
        "submitter": lambda: plan.submitted_by,
        "other_municipality": civil_servant_elsewhere,
    }[who]()
    client.force_login(user)
    response = client.post(_url(plan), {"decision": "feasible", "cost": "2500"})
    assert response.status_code == 403
    assert client.get(reverse("budgets:assessment", args=[budget_round.slug])).status_code == 403
    plan.refresh_from_db()
    assert plan.status == "submitted"


def test_demo_data_can_skip_the_email(django_capture_on_commit_callbacks):
    budget_round = BudgetRoundFactory(phase="assessment")
    plan = PlanFactory(budget_round=budget_round)
    with django_capture_on_commit_callbacks(execute=True):
        assess_plan(
            plan=plan,
            assessor=civil_servant_for(budget_round),
            feasible=True,
            public_reason="",
            notify=False,
        )
    assert mail.outbox == []


def test_the_dashboard_panel_shows_status_and_reason(rf):
    from django.template import Context, Template

    budget_round = BudgetRoundFactory(phase="assessment")
    plan = PlanFactory(budget_round=budget_round)
    assess_plan(
        plan=plan,
        assessor=civil_servant_for(budget_round),
        feasible=False,
        public_reason="Valt buiten het gebied.",
        notify=False,
    )
    request = rf.get("/")
    request.user = plan.submitted_by
    html = Template("{% load budgets_tags %}{% budgets_dashboard %}").render(
        Context({"request": request})
    )
    assert plan.title in html
    assert "Valt buiten het gebied." in html
    assert "status-not_feasible" in html
