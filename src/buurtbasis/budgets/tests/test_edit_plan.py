from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.budgets.models import Phase

from .factories import BudgetRoundFactory, InitiativeFactory, PlanFactory

pytestmark = pytest.mark.django_db


def _data(plan, **overrides):
    data = {
        "title": "Moestuin aan de Dijkstraat (groter)",
        "summary": plan.summary,
        "description": plan.description,
        "area": "",
        "latitude": "",
        "longitude": "",
        "photo_alt": "",
        "costs-TOTAL_FORMS": "2",
        "costs-INITIAL_FORMS": "1",
        "costs-MIN_NUM_FORMS": "0",
        "costs-MAX_NUM_FORMS": "20",
        "costs-0-description": "Plantenbakken",
        "costs-0-amount": "2000",
        "costs-1-description": "Gereedschap",
        "costs-1-amount": "150,25",
    }
    data.update(overrides)
    return data


def test_it_saves_an_edit_as_a_new_version(client):
    plan = PlanFactory(cost_cents=100_000)
    client.force_login(plan.submitted_by)
    response = client.post(
        reverse("budgets:plan-edit", args=[plan.budget_round.slug, plan.pk]), _data(plan)
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Moestuin aan de Dijkstraat (groter)"
    assert plan.cost_cents == plan.submitted_cost_cents == 215_025
    assert plan.cost_lines.count() == 2
    versions = list(plan.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[-1].data["title"] == plan.title
    assert versions[-1].data["cost_cents"] == 215_025
    history = client.get(reverse("budgets:plan-history", args=[plan.budget_round.slug, plan.pk]))
    assert history.status_code == 200
    assert "Moestuin aan de Dijkstraat (groter)" in history.content.decode()


def test_an_initiator_of_the_same_initiative_may_edit(client):
    colleague = UserFactory()
    plan = PlanFactory(initiative=InitiativeFactory(members=[colleague]))
    client.force_login(colleague)
    response = client.post(
        reverse("budgets:plan-edit", args=[plan.budget_round.slug, plan.pk]),
        _data(plan, initiative=plan.initiative_id),
    )
    assert response.status_code == 302
    assert plan.versions.count() == 2


def test_someone_else_may_not_edit(client):
    plan = PlanFactory()
    client.force_login(UserFactory())
    response = client.post(
        reverse("budgets:plan-edit", args=[plan.budget_round.slug, plan.pk]), _data(plan)
    )
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.title != "Moestuin aan de Dijkstraat (groter)"


def test_it_cannot_be_edited_after_the_deadline(client):
    plan = PlanFactory()
    Phase.objects.filter(budget_round=plan.budget_round, kind="submission").update(
        ends_at=timezone.now() - timedelta(seconds=1)
    )
    client.force_login(plan.submitted_by)
    response = client.post(
        reverse("budgets:plan-edit", args=[plan.budget_round.slug, plan.pk]), _data(plan)
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.versions.count() == 1
    assert plan.title != "Moestuin aan de Dijkstraat (groter)"


def test_it_cannot_be_edited_in_the_assessment_phase(client):
    budget_round = BudgetRoundFactory(phase="assessment")
    plan = PlanFactory(budget_round=budget_round)
    client.force_login(plan.submitted_by)
    page = client.get(reverse("budgets:plan-detail", args=[budget_round.slug, plan.pk]))
    assert f"plannen/{plan.pk}/bewerken" not in page.content.decode()
    response = client.post(
        reverse("budgets:plan-edit", args=[budget_round.slug, plan.pk]), _data(plan)
    )
    assert response.status_code == 302
    assert plan.versions.count() == 1


def test_the_submitter_may_withdraw_before_the_deadline(client):
    plan = PlanFactory()
    client.force_login(plan.submitted_by)
    response = client.post(reverse("budgets:plan-withdraw", args=[plan.budget_round.slug, plan.pk]))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "withdrawn"
    # a withdrawn plan is not public any more
    client.logout()
    page = client.get(reverse("budgets:plan-detail", args=[plan.budget_round.slug, plan.pk]))
    assert page.status_code == 404
